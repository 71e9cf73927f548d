// Public monitoring pages: the national overview, published rounds with rankings, an agency's
// scorecard, a printable report, and the open data index. Server-rendered, no JavaScript.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { VNode } from 'preact';
import { render } from 'preact-render-to-string';
import { AppError } from '../../platform/errors.ts';
import { formatDate, formatNumber, type Lang, langOf, tr } from '../../platform/i18n.ts';
import type { AppContext } from '../../context.ts';
import { Breadcrumbs, SummaryList } from '../../web/components.tsx';
import { BarChart, DataTable, LineChart } from '../../web/charts.tsx';
import { Layout } from '../../web/layout.tsx';
import { sendPage } from '../../web/render.ts';
import type { RoundResults } from './monitoring.results.ts';
import { DICTIONARY, RESULTS_PAGE_SIZE } from './monitoring.results.ts';
import { toAsciiDigits } from '../../platform/persian.ts';
import { SET_SOURCES } from './monitoring.builtin.ts';
import { TrendChart } from './monitoring.charts.tsx';
import { change, cutoffText, L, MeasureValue, NoData, num, other, pct, plain, roundStatus, score } from './monitoring.view.tsx';

const TITLE = { fa: 'پایش و ارزیابی دولت الکترونیک', en: 'Monitoring and evaluation of e-government' };
const UNITS: Record<string, 'percent' | 'number' | 'yesno'> = {
  'applications.per-month': 'number',
  'ratings.average': 'number',
  'exchange.transactions-per-month': 'number',
};

/**
 * Pages that depend only on cached data (the overview, a round's results) are rendered once per
 * cached object, language and page, and the HTML reused until the cache moves on.
 */
const rendered = new WeakMap<object, Map<string, string>>();
function sendRendered(reply: FastifyReply, owner: object, key: string, page: () => VNode): FastifyReply {
  let m = rendered.get(owner);
  if (!m) rendered.set(owner, (m = new Map()));
  let html = m.get(key);
  if (html === undefined) m.set(key, (html = `<!doctype html>${render(page())}`));
  return reply.code(200).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
}

export async function publicRound(ctx: AppContext, id: string): Promise<RoundResults> {
  const r = await ctx.monitoringResults.results(id);
  if (r.round.status === 'open') throw new AppError('ROUND_NOT_FOUND');
  return r;
}

/** Links to every page of a round's results (plain links: no JavaScript). */
function Pager({ lang, base, page, pages }: { lang: Lang; base: string; page: number; pages: number }) {
  if (pages <= 1) return null;
  const href = (n: number) => (n === 1 ? base : `${base}?page=${n}`);
  return (
    <nav class="pagination" aria-label={tr(lang, 'صفحه‌های نتایج', 'Pages of results')}>
      {page > 1 ? (
        <a href={href(page - 1)} rel="prev">
          {tr(lang, 'صفحه قبل', 'Previous page')}
        </a>
      ) : null}
      <ul class="pagination-pages">
        {Array.from({ length: pages }, (_, i) => i + 1).map((n) => (
          <li>
            {n === page ? (
              <span aria-current="page">{formatNumber(lang, n)}</span>
            ) : (
              <a href={href(n)} aria-label={tr(lang, `صفحه ${formatNumber(lang, n)}`, `Page ${n}`)}>
                {formatNumber(lang, n)}
              </a>
            )}
          </li>
        ))}
      </ul>
      {page < pages ? (
        <a href={href(page + 1)} rel="next">
          {tr(lang, 'صفحه بعد', 'Next page')}
        </a>
      ) : null}
    </nav>
  );
}

function RankingTable({ lang, r, base, caption }: { lang: Lang; r: RoundResults; base: string; caption?: string }) {
  return (
    <DataTable
      caption={
        tr(lang, `رتبه‌بندی: ${plain(r.round.title, lang)}`, `Ranking: ${plain(r.round.title, lang)}`) + (caption ? ` (${caption})` : '')
      }
      head={[
        tr(lang, 'رتبه', 'Rank'),
        tr(lang, 'دستگاه یا درگاه', 'Agency or portal'),
        tr(lang, 'امتیاز کل', 'Total score'),
        ...r.set.criteria.map((c) => plain(c.name, lang)),
        tr(lang, 'تغییر از دوره قبل', 'Change since last round'),
      ]}
      rows={r.rows.map((x) => [
        x.rank === null ? '–' : formatNumber(lang, x.rank),
        <a href={`${base}/subjects/${x.subject.subject}`}>{plain(x.subject.name, lang)}</a>,
        score(lang, x.scores.total),
        ...r.set.criteria.map((c) =>
          x.scores.criteria[c.code]?.score === null || !x.scores.criteria[c.code] ? (
            <NoData lang={lang} />
          ) : (
            score(lang, x.scores.criteria[c.code].score)
          ),
        ),
        change(lang, x.change),
      ])}
    />
  );
}

function RoundNotices({ lang, r }: { lang: Lang; r: RoundResults }) {
  return (
    <>
      {r.correctedBy && r.round.status === 'superseded' ? (
        <p class="notice">
          {tr(
            lang,
            'این نسخه با اصلاحیه‌ای جایگزین شده و برای سابقه نگه داشته شده است. ',
            'This version has been superseded by a correction and is kept for the record. ',
          )}
          <a href={`/${lang}/monitoring/rounds/${r.correctedBy.slug}`}>{tr(lang, 'نسخه اصلاح‌شده', 'The corrected version')}</a>
        </p>
      ) : null}
      {r.round.supersedes ? (
        <p class="notice">
          {tr(lang, 'این نسخه اصلاحیه است: ', 'This is a correction: ')}
          {r.round.correction_note}
        </p>
      ) : null}
    </>
  );
}

export function registerMonitoringPages(app: FastifyInstance, ctx: AppContext): void {
  const hide = { schema: { hide: true } };

  app.get<{ Params: { lang: string } }>('/:lang/monitoring', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const o = await ctx.monitoringResults.overview();
    const stageTotal = o.stages.reduce((a, b) => a + b, 0) || 1;
    const last = o.connectedTrend.at(-1);
    const title = plain(TITLE, lang);
    return sendRendered(reply, o, lang, () => (
      <Layout lang={lang} title={title} altPath={`/${other(lang)}/monitoring`}>
        <Breadcrumbs lang={lang} items={[{ label: title }]} />
        <h1>{title}</h1>
        <p class="lead">
          {tr(
            lang,
            `${formatNumber(lang, o.connected)} از ${formatNumber(lang, o.agencies)} دستگاه به پنجره متصل‌اند و ${formatNumber(lang, o.services)} خدمت منتشر شده است.`,
            `${o.connected} of ${o.agencies} agencies are connected to the window, and ${o.services} services are published.`,
          )}
        </p>
        <p class="muted">
          {tr(lang, `به‌روز تا ${formatDate(lang, o.asOf)}. `, `As of ${formatDate(lang, o.asOf)}. `)}
          <a href={`/${lang}/monitoring/open-data`}>{tr(lang, 'داده باز و واژه‌نامه داده‌ها', 'Open data and data dictionary')}</a>
        </p>

        <h2>{tr(lang, 'شاخص‌های ملی', 'National figures')}</h2>
        <SummaryList
          rows={o.figures.map((f) => ({
            key: <L text={f.label} lang={lang} />,
            value: <MeasureValue lang={lang} m={f.measure} unit={UNITS[f.metric] ?? 'percent'} />,
          }))}
        />

        <h2>{tr(lang, 'دستگاه‌های متصل به پنجره', 'Agencies connected to the window')}</h2>
        <LineChart
          lang={lang}
          id="connected"
          title={tr(lang, 'سهم دستگاه‌های متصل در پایان هر سال', 'Share of agencies connected at the end of each year')}
          summary={
            last
              ? tr(
                  lang,
                  `در ${formatNumber(lang, last.year).replace('٬', '')} سهم دستگاه‌های متصل ${pct(lang, last.share)} بود.`,
                  `In ${last.year}, ${pct(lang, last.share)} of agencies were connected.`,
                )
              : ''
          }
          series={[{ name: tr(lang, 'سهم متصل', 'Share connected'), points: o.connectedTrend.map((p) => ({ x: p.year, y: p.share })) }]}
        />
        <DataTable
          caption={tr(lang, 'سهم دستگاه‌های متصل، سال به سال', 'Share of agencies connected, year by year')}
          head={[tr(lang, 'سال', 'Year'), tr(lang, 'سهم', 'Share')]}
          rows={o.connectedTrend.map((p) => [formatNumber(lang, p.year).replace('٬', ''), pct(lang, p.share)])}
        />

        <h2>{tr(lang, 'روند ماهانه', 'Monthly trends')}</h2>
        <p>
          {tr(
            lang,
            'رقم‌های ملی در پایان هر یک از ۱۲ ماه گذشته؛ آخرین نقطه ماه جاری تا امروز است. ',
            'National figures at the end of each of the last 12 months; the last point is this month so far. ',
          )}
          <a href="/open-data/monitoring/trends.csv">{tr(lang, 'داده‌های روند (CSV)', 'Trend data (CSV)')}</a>
        </p>
        {o.trends.map((t) => (
          <TrendChart lang={lang} t={t} />
        ))}

        <h2>{tr(lang, 'خدمات بر اساس مرحله بلوغ', 'Services by maturity stage')}</h2>
        <BarChart
          lang={lang}
          id="stages"
          title={tr(lang, 'سهم خدمات منتشرشده در هر مرحله بلوغ', 'Share of published services at each maturity stage')}
          summary={tr(
            lang,
            `${pct(lang, (o.stages[2] + o.stages[3] + o.stages[4]) / stageTotal)} خدمات در مرحله ۳ تا ۵ هستند.`,
            `${pct(lang, (o.stages[2] + o.stages[3] + o.stages[4]) / stageTotal)} of services are at stage 3 to 5.`,
          )}
          bars={o.stages.map((n, i) => ({
            label: tr(lang, `مرحله ${formatNumber(lang, i + 1)}`, `Stage ${i + 1}`),
            value: n / stageTotal,
          }))}
        />
        <DataTable
          caption={tr(lang, 'شمار خدمات در هر مرحله', 'Services at each stage')}
          head={[tr(lang, 'مرحله', 'Stage'), tr(lang, 'خدمات', 'Services'), tr(lang, 'سهم', 'Share')]}
          rows={o.stages.map((n, i) => [formatNumber(lang, i + 1), formatNumber(lang, n), pct(lang, n / stageTotal)])}
        />

        <h2>{tr(lang, 'آخرین دوره ارزیابی', 'Latest evaluation round')}</h2>
        {o.latest ? (
          <>
            <p>
              <a href={`/${lang}/monitoring/rounds/${o.latest.round.slug}`}>{plain(o.latest.round.title, lang)}</a> ·{' '}
              {cutoffText(lang, o.latest.round)}
            </p>
            <RankingTable
              lang={lang}
              r={{ ...o.latest, rows: o.latest.rows.slice(0, 10) }}
              base={`/${lang}/monitoring/rounds/${o.latest.round.slug}`}
            />
          </>
        ) : (
          <p>{tr(lang, 'هنوز دوره‌ای منتشر نشده است.', 'No round has been published yet.')}</p>
        )}
        <p>
          <a href={`/${lang}/monitoring/rounds`}>{tr(lang, 'همه دوره‌های ارزیابی', 'All evaluation rounds')}</a>
        </p>
      </Layout>
    ));
  });

  app.get<{ Params: { lang: string } }>('/:lang/monitoring/rounds', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const rounds = await ctx.monitoringResults.publicRounds();
    const title = tr(lang, 'دوره‌های ارزیابی', 'Evaluation rounds');
    return sendPage(
      reply,
      <Layout lang={lang} title={title} altPath={`/${other(lang)}/monitoring/rounds`}>
        <Breadcrumbs lang={lang} items={[{ href: `/${lang}/monitoring`, label: plain(TITLE, lang) }, { label: title }]} />
        <h1>{title}</h1>
        <DataTable
          caption={title}
          head={[tr(lang, 'دوره', 'Round'), tr(lang, 'تاریخ برش', 'Cut-off date'), tr(lang, 'وضعیت', 'Status')]}
          rows={rounds.map((r) => [
            <a href={`/${lang}/monitoring/rounds/${r.slug}`}>{plain(r.title, lang)}</a>,
            formatDate(lang, r.cutoff),
            roundStatus(lang, r),
          ])}
        />
      </Layout>,
    );
  });

  app.get<{ Params: { lang: string; round: string }; Querystring: { page?: string } }>(
    '/:lang/monitoring/rounds/:round',
    hide,
    async (req, reply) => {
      const lang = langOf(req.params);
      const r = await publicRound(ctx, req.params.round);
      const base = `/${lang}/monitoring/rounds/${r.round.slug}`;
      const pages = Math.max(1, Math.ceil(r.rows.length / RESULTS_PAGE_SIZE));
      const rawPage = toAsciiDigits(req.query.page ?? '1').trim();
      if (!/^\d{1,5}$/.test(rawPage) || Number(rawPage) < 1) throw new AppError('PAGE_OUT_OF_RANGE');
      const page = Number(rawPage);
      if (page > pages) throw new AppError('PAGE_OUT_OF_RANGE', `This round's results have ${pages} page(s); page ${page} does not exist.`);
      const title = plain(r.round.title, lang);
      const top = r.rows.find((x) => x.rank === 1);
      const from = (page - 1) * RESULTS_PAGE_SIZE;
      const shown = r.rows.slice(from, from + RESULTS_PAGE_SIZE);
      return sendRendered(reply, r, `${lang}:${page}`, () => (
        <Layout
          lang={lang}
          title={
            pages > 1
              ? `${title} (${tr(lang, `صفحه ${formatNumber(lang, page)} از ${formatNumber(lang, pages)}`, `page ${page} of ${pages}`)})`
              : title
          }
          altPath={`/${other(lang)}/monitoring/rounds/${r.round.slug}${page > 1 ? `?page=${page}` : ''}`}
        >
          <Breadcrumbs
            lang={lang}
            items={[
              { href: `/${lang}/monitoring`, label: plain(TITLE, lang) },
              { href: `/${lang}/monitoring/rounds`, label: tr(lang, 'دوره‌ها', 'Rounds') },
              { label: title },
            ]}
          />
          <h1>{title}</h1>
          <RoundNotices lang={lang} r={r} />
          <SummaryList
            rows={[
              { key: tr(lang, 'وضعیت', 'Status'), value: roundStatus(lang, r.round) },
              { key: tr(lang, 'تاریخ برش', 'Cut-off date'), value: formatDate(lang, r.round.cutoff) },
              {
                key: tr(lang, 'مجموعه شاخص', 'Indicator set'),
                value: (
                  <a href={`/${lang}/monitoring/indicator-sets/${r.set.key}?version=${r.set.version}`}>
                    {plain(r.set.name, lang)} ({tr(lang, 'نسخه', 'version')} {formatNumber(lang, r.set.version)})
                  </a>
                ),
              },
              {
                key: tr(lang, 'دوره قبل', 'Previous round'),
                value: r.previous ? <a href={`/${lang}/monitoring/rounds/${r.previous.slug}`}>{plain(r.previous.title, lang)}</a> : '–',
              },
            ]}
          />
          <p>
            <a href={`${base}/report`}>{tr(lang, 'گزارش چاپی', 'Printable report')}</a> ·{' '}
            <a href={`/open-data/monitoring/rounds/${r.round.slug}.csv`}>CSV</a> ·{' '}
            <a href={`/open-data/monitoring/rounds/${r.round.slug}.json`}>JSON</a> ·{' '}
            <a href={`/open-data/monitoring/rounds/${r.round.slug}/answers.csv`}>{tr(lang, 'همه پاسخ‌ها (CSV)', 'All answers (CSV)')}</a>
          </p>
          {page === 1 ? (
            <BarChart
              lang={lang}
              id="totals"
              title={tr(
                lang,
                `امتیاز کل ${formatNumber(lang, Math.min(20, r.rows.length))} دستگاه نخست (۰ تا ۱)`,
                `Total score of the top ${Math.min(20, r.rows.length)} (0 to 1)`,
              )}
              summary={
                top
                  ? tr(
                      lang,
                      `بالاترین امتیاز: ${plain(top.subject.name, lang)} با ${score(lang, top.scores.total)}. ${formatNumber(lang, r.rows.length)} دستگاه یا درگاه ارزیابی شد.`,
                      `Highest score: ${plain(top.subject.name, lang)} with ${score(lang, top.scores.total)}. ${r.rows.length} agencies or portals were assessed.`,
                    )
                  : ''
              }
              bars={r.rows.slice(0, 20).map((x) => ({ label: plain(x.subject.name, lang).slice(0, 34), value: x.scores.total }))}
            />
          ) : null}
          <RankingTable
            lang={lang}
            r={{ ...r, rows: shown }}
            base={base}
            caption={
              pages > 1
                ? tr(
                    lang,
                    `رتبه‌های ${formatNumber(lang, from + 1)} تا ${formatNumber(lang, from + shown.length)} از ${formatNumber(lang, r.rows.length)}`,
                    `Places ${from + 1} to ${from + shown.length} of ${r.rows.length}`,
                  )
                : undefined
            }
          />
          <Pager lang={lang} base={base} page={page} pages={pages} />
        </Layout>
      ));
    },
  );

  app.get<{ Params: { lang: string; round: string; subject: string } }>(
    '/:lang/monitoring/rounds/:round/subjects/:subject',
    hide,
    async (req, reply) => {
      const lang = langOf(req.params);
      const r = await publicRound(ctx, req.params.round);
      const row = r.rows.find((x) => x.subject.subject === req.params.subject);
      if (!row) throw new AppError('ROUND_SUBJECT_NOT_FOUND');
      const answers = new Map((await ctx.monitoring.repo.answers(r.round.id, row.subject.subject)).map((a) => [a.code, a]));
      const name = plain(row.subject.name, lang);
      const base = `/${lang}/monitoring/rounds/${r.round.slug}`;
      return sendPage(
        reply,
        <Layout
          lang={lang}
          title={`${name} – ${plain(r.round.title, lang)}`}
          altPath={`/${other(lang)}/monitoring/rounds/${r.round.slug}/subjects/${row.subject.subject}`}
        >
          <Breadcrumbs
            lang={lang}
            items={[
              { href: `/${lang}/monitoring`, label: plain(TITLE, lang) },
              { href: base, label: plain(r.round.title, lang) },
              { label: name },
            ]}
          />
          <h1>{name}</h1>
          <RoundNotices lang={lang} r={r} />
          <SummaryList
            rows={[
              { key: tr(lang, 'امتیاز کل', 'Total score'), value: score(lang, row.scores.total) },
              {
                key: tr(lang, 'رتبه', 'Rank'),
                value: row.rank
                  ? tr(lang, `${formatNumber(lang, row.rank)} از ${formatNumber(lang, r.rows.length)}`, `${row.rank} of ${r.rows.length}`)
                  : '–',
              },
              {
                key: tr(lang, 'تغییر از دوره قبل', 'Change since last round'),
                value:
                  row.change === null
                    ? tr(lang, 'دوره قبلی برای مقایسه نیست', 'No previous round to compare')
                    : `${change(lang, row.change)} (${tr(lang, 'رتبه قبلی', 'previous rank')} ${row.previousRank ? formatNumber(lang, row.previousRank) : '–'})`,
              },
              {
                key: tr(lang, 'شاخص‌های ارزیابی‌شده', 'Indicators assessed'),
                value: tr(
                  lang,
                  `${formatNumber(lang, row.scores.assessed)} از ${formatNumber(lang, row.scores.of)}؛ ${formatNumber(lang, row.scores.noData)} بدون داده`,
                  `${row.scores.assessed} of ${row.scores.of}; ${row.scores.noData} with no data yet`,
                ),
              },
            ]}
          />
          <BarChart
            lang={lang}
            id="criteria"
            title={tr(lang, 'امتیاز هر معیار (۰ تا ۱)', 'Score of each criterion (0 to 1)')}
            summary={r.set.criteria
              .map(
                (c) =>
                  `${plain(c.name, lang)}: ${row.scores.criteria[c.code]?.score === null ? tr(lang, 'بدون داده', 'no data') : score(lang, row.scores.criteria[c.code]?.score)}`,
              )
              .join(lang === 'fa' ? '؛ ' : '; ')}
            bars={r.set.criteria.map((c) => ({ label: plain(c.name, lang), value: row.scores.criteria[c.code]?.score ?? null }))}
          />
          {r.set.criteria.map((c) => (
            <DataTable
              caption={`${plain(c.name, lang)}: ${score(lang, row.scores.criteria[c.code]?.score)}`}
              head={[tr(lang, 'کد', 'Code'), tr(lang, 'شاخص', 'Indicator'), tr(lang, 'مقدار', 'Value'), tr(lang, 'مستند', 'Evidence')]}
              rows={r.set.indicators
                .filter((i) => i.criterion === c.code)
                .map((i) => {
                  const a = answers.get(i.code);
                  const value = !a ? (
                    tr(lang, 'ارزیابی نشده', 'Not assessed')
                  ) : a.state === 'no-data' ? (
                    <NoData lang={lang} />
                  ) : i.type === 'yesno' ? (
                    a.value ? (
                      tr(lang, 'بله', 'Yes')
                    ) : (
                      tr(lang, 'خیر', 'No')
                    )
                  ) : i.type === 'percentage' ? (
                    pct(lang, (a.value ?? 0) / 100)
                  ) : (
                    num(lang, a.value ?? 0, 2)
                  );
                  return [
                    <bdi>{i.code}</bdi>,
                    <L text={i.description} lang={lang} />,
                    value,
                    a?.origin === 'auto'
                      ? tr(lang, 'خودکار از داده‌های پنجره', 'Automatic, from platform data')
                      : [
                          a?.note ? <span>{a.note} </span> : null,
                          a?.link ? (
                            <a href={a.link} rel="nofollow noopener">
                              {tr(lang, 'پیوند', 'link')}
                            </a>
                          ) : null,
                        ],
                  ];
                })}
            />
          ))}
        </Layout>,
      );
    },
  );

  app.get<{ Params: { lang: string; round: string } }>('/:lang/monitoring/rounds/:round/report', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const r = await publicRound(ctx, req.params.round);
    const title = tr(lang, `گزارش ${plain(r.round.title, lang)}`, `Report: ${plain(r.round.title, lang)}`);
    return sendPage(
      reply,
      <Layout lang={lang} title={title} altPath={`/${other(lang)}/monitoring/rounds/${r.round.slug}/report`}>
        <div class="report">
          <h1>{title}</h1>
          <RoundNotices lang={lang} r={r} />
          <p>
            {cutoffText(lang, r.round)} · {plain(r.set.name, lang)} ({tr(lang, 'نسخه', 'version')} {formatNumber(lang, r.set.version)}) ·{' '}
            {r.round.published_at
              ? tr(lang, `منتشرشده در ${formatDate(lang, r.round.published_at)}`, `Published ${formatDate(lang, r.round.published_at)}`)
              : ''}
          </p>
          <p class="no-print">
            <a href={`/${lang}/monitoring/rounds/${r.round.slug}/report.pdf`}>{tr(lang, 'نسخه PDF', 'PDF version')}</a>
          </p>
          <h2>{tr(lang, 'روش', 'Method')}</h2>
          <p>
            {r.set.rollup === 'pooled'
              ? tr(lang, 'امتیاز = شاخص‌های برآورده‌شده ÷ شاخص‌های ارزیابی‌شده.', 'Score = indicators met ÷ indicators assessed.')
              : tr(
                  lang,
                  'امتیاز هر معیار میانگین وزنی شاخص‌های ارزیابی‌شده آن است و امتیاز کل میانگین وزنی معیارها. شاخص‌هایی که منبع داده‌شان هنوز وصل نیست از مخرج کنار گذاشته می‌شوند.',
                  "Each criterion's score is the weighted mean of its assessed indicators, the total the weighted mean of the criteria. Indicators whose data source is not connected yet are left out of the denominator.",
                )}
          </p>
          <h2>{tr(lang, 'رتبه‌بندی', 'Ranking')}</h2>
          <RankingTable lang={lang} r={r} base={`/${lang}/monitoring/rounds/${r.round.slug}`} />
          <h2>{tr(lang, 'معیارها', 'Criteria')}</h2>
          <DataTable
            caption={tr(lang, 'معیارها و وزن آن‌ها', 'Criteria and their weights')}
            head={[tr(lang, 'معیار', 'Criterion'), tr(lang, 'وزن', 'Weight'), tr(lang, 'شمار شاخص‌ها', 'Indicators')]}
            rows={r.set.criteria.map((c) => [
              plain(c.name, lang),
              num(lang, c.weight, 2),
              formatNumber(lang, r.set.indicators.filter((i) => i.criterion === c.code).length),
            ])}
          />
        </div>
      </Layout>,
    );
  });

  app.get<{ Params: { lang: string; key: string }; Querystring: { version?: string } }>(
    '/:lang/monitoring/indicator-sets/:key',
    hide,
    async (req, reply) => {
      const lang = langOf(req.params);
      const v = req.query.version && /^\d{1,6}$/.test(req.query.version) ? Number(req.query.version) : undefined;
      const set = await ctx.monitoring.set(req.params.key, v);
      const title = plain(set.name, lang);
      const TYPE: Record<string, [string, string]> = {
        yesno: ['بله/خیر', 'Yes/no'],
        scale: ['طیف', 'Scale'],
        number: ['عدد', 'Number'],
        percentage: ['درصد', 'Percentage'],
      };
      return sendPage(
        reply,
        <Layout lang={lang} title={title} altPath={`/${other(lang)}/monitoring/indicator-sets/${set.key}?version=${set.version}`}>
          <Breadcrumbs lang={lang} items={[{ href: `/${lang}/monitoring`, label: plain(TITLE, lang) }, { label: title }]} />
          <h1>{title}</h1>
          {SET_SOURCES[set.key] ? <p class="muted">{SET_SOURCES[set.key][lang]}</p> : null}
          <p>
            {tr(lang, 'نسخه', 'Version')} {formatNumber(lang, set.version)} ·{' '}
            <a href={`/open-data/monitoring/indicator-sets/${set.key}.csv?version=${set.version}`}>CSV</a> ·{' '}
            <a href={`/open-data/monitoring/indicator-sets/${set.key}.json?version=${set.version}`}>JSON</a>
          </p>
          {set.criteria.map((c) => (
            <DataTable
              caption={`${plain(c.name, lang)} (${tr(lang, 'وزن', 'weight')} ${num(lang, c.weight, 2)})`}
              head={[
                tr(lang, 'کد', 'Code'),
                tr(lang, 'شاخص', 'Indicator'),
                tr(lang, 'نوع', 'Type'),
                tr(lang, 'وزن', 'Weight'),
                tr(lang, 'پاسخ‌دهنده', 'Answered by'),
              ]}
              rows={set.indicators
                .filter((i) => i.criterion === c.code)
                .map((i) => [
                  <bdi>{i.code}</bdi>,
                  <L text={i.description} lang={lang} />,
                  tr(lang, ...TYPE[i.type]),
                  num(lang, i.weight, 2),
                  i.answeredBy === 'auto' ? tr(lang, 'خودکار', 'Automatic') : tr(lang, 'ارزیاب با مستند', 'Assessor with evidence'),
                ])}
            />
          ))}
        </Layout>,
      );
    },
  );

  app.get<{ Params: { lang: string } }>('/:lang/monitoring/open-data', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const rounds = await ctx.monitoringResults.publicRounds();
    const title = tr(lang, 'داده باز پایش و ارزیابی', 'Monitoring open data');
    return sendPage(
      reply,
      <Layout lang={lang} title={title} altPath={`/${other(lang)}/monitoring/open-data`}>
        <Breadcrumbs lang={lang} items={[{ href: `/${lang}/monitoring`, label: plain(TITLE, lang) }, { label: title }]} />
        <h1>{title}</h1>
        <p class="lead">
          {tr(
            lang,
            'همه ارقام منتشرشده با پروانه CC BY 4.0 به صورت CSV و JSON در دسترس‌اند.',
            'Every published figure is available as CSV and JSON under CC BY 4.0.',
          )}
        </p>
        <ul class="link-list">
          <li>
            {tr(lang, 'نمای ملی', 'National overview')}: <a href="/open-data/monitoring/overview.csv">CSV</a> ·{' '}
            <a href="/open-data/monitoring/overview.json">JSON</a>
          </li>
          <li>
            {tr(lang, 'روند ماهانه', 'Monthly trends')}: <a href="/open-data/monitoring/trends.csv">CSV</a> ·{' '}
            <a href="/open-data/monitoring/trends.json">JSON</a>
          </li>
          {rounds.map((r) => (
            <li>
              {plain(r.title, lang)} ({r.slug}): <a href={`/open-data/monitoring/rounds/${r.slug}.csv`}>CSV</a> ·{' '}
              <a href={`/open-data/monitoring/rounds/${r.slug}.json`}>JSON</a> · {tr(lang, 'پاسخ‌ها', 'answers')}{' '}
              <a href={`/open-data/monitoring/rounds/${r.slug}/answers.csv`}>CSV</a> ·{' '}
              <a href={`/open-data/monitoring/rounds/${r.slug}/answers.json`}>JSON</a>
            </li>
          ))}
          <li>
            {tr(lang, 'واژه‌نامه داده‌ها', 'Data dictionary')}: <a href="/open-data/monitoring/dictionary.json">JSON</a>
          </li>
        </ul>
        <h2>{tr(lang, 'واژه‌نامه داده‌ها', 'Data dictionary')}</h2>
        <p>{DICTIONARY.csvText[lang]}</p>
        {DICTIONARY.files.map((f) => (
          <DataTable
            caption={`${f.file}: ${f.description[lang]}`}
            head={[tr(lang, 'ستون', 'Column'), tr(lang, 'معنا', 'Meaning')]}
            rows={f.columns.map(([c, fa, en]) => [<code>{c}</code>, lang === 'fa' ? fa : en])}
          />
        ))}
      </Layout>,
    );
  });
}
