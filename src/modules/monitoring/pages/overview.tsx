// The public monitoring overview (national figures, trends, maturity stages, the latest ranking) and
// the list of published evaluation rounds.
import { formatDate, formatNumber, formatYear, type Lang, tr } from '../../../platform/i18n.ts';
import { gregorianToJalali } from '../../applications/jalali.ts';
import { Breadcrumbs, SummaryList } from '../../../web/components.tsx';
import { BarChart, DataTable, LineChart } from '../../../web/charts.tsx';
import { Layout } from '../../../web/layout.tsx';
import type { Overview } from '../monitoring.results.ts';
import type { RoundRow } from '../monitoring.repository.ts';
import { TrendChart } from '../monitoring.charts.tsx';
import { cutoffText, L, MeasureValue, other, pct, plain, roundStatus } from '../monitoring.view.tsx';
import { RankingTable, TITLE, UNITS } from './parts.tsx';

/** The year of a yearly point (the end of that year, or today for this year): Solar Hijri on fa pages. */
const yearLabel = (lang: Lang, y: number): string => {
  if (lang === 'en') return formatYear(lang, y);
  const end = new Date(Math.min(Date.UTC(y, 11, 31), Date.now())).toISOString().slice(0, 10);
  return formatYear(lang, gregorianToJalali(end).year);
};

export function OverviewPage({ lang, o }: { lang: Lang; o: Overview }) {
  const stageTotal = o.stages.reduce((a, b) => a + b, 0) || 1;
  const last = o.connectedTrend.at(-1);
  const title = plain(TITLE, lang);
  return (
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
        title={tr(lang, 'سهم دستگاه‌های متصل، سال به سال', 'Share of agencies connected at the end of each year')}
        summary={
          last
            ? tr(
                lang,
                `در سال ${yearLabel(lang, last.year)} سهم دستگاه‌های متصل ${pct(lang, last.share)} بود.`,
                `In ${last.year}, ${pct(lang, last.share)} of agencies were connected.`,
              )
            : ''
        }
        series={[{ name: tr(lang, 'سهم متصل', 'Share connected'), points: o.connectedTrend.map((p) => ({ x: p.year, y: p.share })) }]}
        xLabel={(y) => yearLabel(lang, y)}
      />
      <DataTable
        caption={tr(lang, 'سهم دستگاه‌های متصل، سال به سال', 'Share of agencies connected, year by year')}
        head={[tr(lang, 'سال', 'Year'), tr(lang, 'سهم', 'Share')]}
        rows={o.connectedTrend.map((p) => [yearLabel(lang, p.year), pct(lang, p.share)])}
      />

      <h2>{tr(lang, 'روند ماهانه', 'Monthly trends')}</h2>
      <p>
        {tr(
          lang,
          'رقم‌های ملی در پایان هر یک از ۱۲ ماه گذشتهٔ خورشیدی؛ آخرین نقطه ماه جاری تا امروز است. ',
          'National figures at the end of each of the last 12 months; the last point is this month so far. ',
        )}
        <a href="/open-data/monitoring/trends.csv">{tr(lang, 'داده‌های روند (CSV)', 'Trend data (CSV)')}</a>
      </p>
      {(lang === 'fa' ? o.trendsPersian : o.trends).map((t) => (
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
  );
}

export function RoundsPage({ lang, rounds }: { lang: Lang; rounds: RoundRow[] }) {
  const title = tr(lang, 'دوره‌های ارزیابی', 'Evaluation rounds');
  return (
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
    </Layout>
  );
}
