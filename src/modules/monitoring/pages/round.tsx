// A published evaluation round: its ranking (paged), one agency's or portal's scorecard with every
// answer and its evidence, and the printable report.
import { formatDate, formatNumber, type Lang, tr } from '../../../platform/i18n.ts';
import { Breadcrumbs, SummaryList } from '../../../web/components.tsx';
import { BarChart, DataTable } from '../../../web/charts.tsx';
import { Layout } from '../../../web/layout.tsx';
import type { RankedSubject, RoundResults } from '../monitoring.results.ts';
import { RESULTS_PAGE_SIZE } from '../monitoring.results.ts';
import type { AnswerRow } from '../monitoring.repository.ts';
import { change, cutoffText, L, NoData, num, other, pct, plain, roundStatus, score } from '../monitoring.view.tsx';
import { Pager, RankingTable, RoundNotices, TITLE } from './parts.tsx';

export function RoundPage({ lang, r, page, pages }: { lang: Lang; r: RoundResults; page: number; pages: number }) {
  const base = `/${lang}/monitoring/rounds/${r.round.slug}`;
  const title = plain(r.round.title, lang);
  const top = r.rows.find((x) => x.rank === 1);
  const from = (page - 1) * RESULTS_PAGE_SIZE;
  const shown = r.rows.slice(from, from + RESULTS_PAGE_SIZE);
  return (
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
  );
}

export function SubjectPage({
  lang,
  r,
  row,
  answers,
}: {
  lang: Lang;
  r: RoundResults;
  row: RankedSubject;
  answers: Map<string, AnswerRow>;
}) {
  const name = plain(row.subject.name, lang);
  const base = `/${lang}/monitoring/rounds/${r.round.slug}`;
  return (
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
    </Layout>
  );
}

export function ReportPage({ lang, r }: { lang: Lang; r: RoundResults }) {
  const title = tr(lang, `گزارش ${plain(r.round.title, lang)}`, `Report: ${plain(r.round.title, lang)}`);
  return (
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
    </Layout>
  );
}
