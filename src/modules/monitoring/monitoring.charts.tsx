// The overview's monthly trend charts: server-side SVG (a line for shares, columns for counts), each
// with its title, a text summary, a legend that does not rely on colour, and the data as a table.
// A metric with no source yet, or no value at any month, says "no data yet" instead of drawing.
import { formatDate, formatNumber, type Lang, tr } from '../../platform/i18n.ts';
import { countTicks, DataTable, labelEvery, runs } from '../../web/charts.tsx';
import { NoData, num, plain } from './monitoring.view.tsx';
import { PENDING_METRICS } from './monitoring.metrics.ts';
import { valueOf, type Trend, type TrendPoint } from './monitoring.trends.ts';

const COLOURS = ['#0b4f6c', '#b3261e', '#00703c', '#6f3d92'];
const DASHES = ['', '6 4', '2 3', '10 3 2 3'];
const axisFa = new Intl.DateTimeFormat('fa-IR-u-ca-persian', { month: 'long', timeZone: 'Asia/Tehran' });
const axisEn = new Intl.DateTimeFormat('en-GB', { month: 'short', year: '2-digit', timeZone: 'UTC' });

/** The x-axis label of a point: the Solar Hijri month it stands for in Persian (points are Solar Hijri month ends there), month and year in English. */
export const axisLabel = (lang: Lang, p: TrendPoint) => (lang === 'fa' ? axisFa.format(new Date(p.at)) : axisEn.format(new Date(p.at)));

/** A value in its unit: a share in per cent (one decimal), a count as a whole number. */
export function trendValue(lang: Lang, unit: Trend['unit'], v: number | null): string {
  if (v === null) return tr(lang, 'بدون داده', 'no data');
  return unit === 'percent' ? `${num(lang, v, 1)}${lang === 'fa' ? '٪' : '%'}` : formatNumber(lang, Math.round(v));
}

/** A rounded-up axis maximum (1, 2, 2.5 or 5 times a power of ten). */
function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function summaryOf(lang: Lang, t: Trend): string {
  const parts = t.series.map((s) => {
    const label = plain(s.label, lang);
    const withValue = s.points.flatMap((p) => {
      const value = valueOf(p.measure);
      return value === null ? [] : [{ at: p.at, value }];
    });
    const first = withValue[0];
    const last = withValue[withValue.length - 1];
    if (!first || !last) return tr(lang, `${label}: هنوز داده‌ای نیست.`, `${label}: no data yet.`);
    const lastText = trendValue(lang, t.unit, last.value);
    if (first === last)
      return tr(
        lang,
        `${label}: ${lastText} تا ${formatDate(lang, last.at)}.`,
        `${label}: ${lastText} as of ${formatDate(lang, last.at)}.`,
      );
    const a = first.value;
    const b = last.value;
    const dir =
      b > a ? tr(lang, 'افزایش از', 'up from') : b < a ? tr(lang, 'کاهش از', 'down from') : tr(lang, 'بدون تغییر از', 'unchanged from');
    return tr(
      lang,
      `${label}: ${lastText} تا ${formatDate(lang, last.at)}، ${dir} ${trendValue(lang, t.unit, a)} در ${formatDate(lang, first.at)}.`,
      `${label}: ${lastText} as of ${formatDate(lang, last.at)}, ${dir} ${trendValue(lang, t.unit, a)} on ${formatDate(lang, first.at)}.`,
    );
  });
  return parts.join(' ');
}

function Svg({ lang, t, summary }: { lang: Lang; t: Trend; summary: string }) {
  const W = 640;
  const H = 280;
  const pad = { l: 56, r: 16, t: 16, b: 40 };
  const points = t.series[0].points;
  const n = points.length;
  const values = t.series.flatMap((s) => s.points.map((p) => valueOf(p.measure)).filter((v): v is number => v !== null));
  // counts get whole-number ticks (never "2.5 applications"); shares 0 to 100 in quarters
  const ticks = t.unit === 'percent' ? [0, 25, 50, 75, 100] : countTicks(niceMax(Math.max(0, ...values)));
  const max = ticks[ticks.length - 1];
  const slot = (W - pad.l - pad.r) / n;
  const x = (i: number) => pad.l + slot * (i + 0.5);
  const y = (v: number) => pad.t + (1 - v / max) * (H - pad.t - pad.b);
  const colW = Math.min(28, (slot - 6) / t.series.length);
  const show = labelEvery(n, 60, W - pad.l - pad.r);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${t.id}-svg-title ${t.id}-desc`} dir="ltr" class="chart-svg">
      <title id={`${t.id}-svg-title`}>{plain(t.title, lang)}</title>
      <desc id={`${t.id}-desc`}>{summary}</desc>
      {ticks.map((v) => (
        <g>
          <line x1={pad.l} x2={W - pad.r} y1={y(v)} y2={y(v)} class="chart-grid" />
          <text x={pad.l - 6} y={y(v) + 4} text-anchor="end" class="chart-label">
            {t.unit === 'percent' ? `${formatNumber(lang, v)}${lang === 'fa' ? '٪' : '%'}` : formatNumber(lang, Math.round(v))}
          </text>
        </g>
      ))}
      {points.map((p, i) =>
        // labels at a size still readable when the chart is drawn 375 px wide; every other one when they would touch
        show(i) ? (
          <text x={x(i)} y={H - 12} text-anchor="middle" class="chart-label" font-size="15">
            {axisLabel(lang, p)}
          </text>
        ) : null,
      )}
      {t.unit === 'count'
        ? t.series.map((s, si) =>
            s.points.map((p, i) => {
              const v = valueOf(p.measure);
              if (v === null) return null;
              const left = x(i) - (colW * t.series.length) / 2 + si * colW;
              return (
                <rect
                  x={left}
                  y={y(v)}
                  width={colW - 2}
                  height={Math.max(0, y(0) - y(v))}
                  fill={COLOURS[si % 4]}
                  stroke="#000"
                  stroke-width={si % 2 ? 1 : 0}
                />
              );
            }),
          )
        : t.series.map((s, si) => {
            const pts = s.points.map((p, i) => ({ i, v: valueOf(p.measure) })).filter((p): p is { i: number; v: number } => p.v !== null);
            // a month with no figure is a gap: no point, and no line drawn across it
            return (
              <g>
                {runs(s.points.map((p, i) => ({ v: valueOf(p.measure), p: i }))).map((run) => (
                  <polyline
                    points={run.map((r) => `${x(r.p)},${y(r.v)}`).join(' ')}
                    fill="none"
                    stroke={COLOURS[si % 4]}
                    stroke-width="2.5"
                    stroke-dasharray={DASHES[si % 4] || undefined}
                  />
                ))}
                {pts.map((p) =>
                  si % 2 ? (
                    <rect x={x(p.i) - 3.5} y={y(p.v) - 3.5} width="7" height="7" fill={COLOURS[si % 4]} />
                  ) : (
                    <circle cx={x(p.i)} cy={y(p.v)} r="4" fill={COLOURS[si % 4]} />
                  ),
                )}
              </g>
            );
          })}
    </svg>
  );
}

/** One trend: its heading's figure (chart, legend, summary) and the table of its data, or "no data yet". */
export function TrendChart({ lang, t }: { lang: Lang; t: Trend }) {
  const title = plain(t.title, lang);
  const summary = summaryOf(lang, t);
  const pending = t.series.flatMap((s) => {
    const source = s.registered ? undefined : PENDING_METRICS[s.metric]?.source;
    return source ? [source] : [];
  });
  return (
    <section class="trend" aria-labelledby={`${t.id}-title`}>
      <h3 id={`${t.id}-title`}>{title}</h3>
      {t.empty ? (
        <p>
          <NoData lang={lang} />{' '}
          <span class="muted">
            {pending.length
              ? tr(
                  lang,
                  `منبع آن (${[...new Set(pending.map((p) => p.fa))].join('، ')}) هنوز به پنجره وصل نشده است.`,
                  `Its source (${[...new Set(pending.map((p) => p.en))].join(', ')}) is not connected to the window yet.`,
                )
              : tr(lang, 'منبع آن در این ۱۲ ماه رقمی نداده است.', 'Its source gave no figure in these 12 months.')}
          </span>
        </p>
      ) : (
        <figure class="chart" aria-labelledby={`${t.id}-caption`}>
          <figcaption id={`${t.id}-caption`} class="chart-title">
            {tr(lang, `${title}، ۱۲ ماه گذشته`, `${title}, last 12 months`)}
          </figcaption>
          <Svg lang={lang} t={t} summary={summary} />
          {t.series.length > 1 ? (
            <ul class="chart-legend">
              {t.series.map((s, i) => (
                <li>
                  <svg width="28" height="10" aria-hidden="true">
                    <line
                      x1="0"
                      x2="28"
                      y1="5"
                      y2="5"
                      stroke={COLOURS[i % 4]}
                      stroke-width="3"
                      stroke-dasharray={DASHES[i % 4] || undefined}
                    />
                  </svg>{' '}
                  {plain(s.label, lang)}
                  {s.registered ? '' : ` (${tr(lang, 'هنوز داده‌ای نیست', 'no data yet')})`}
                </li>
              ))}
            </ul>
          ) : null}
          <p class="chart-summary">{summary}</p>
        </figure>
      )}
      {t.empty ? null : (
        <DataTable
          caption={tr(lang, `${title}: داده‌های نمودار، ماه به ماه`, `${title}: the chart's data, month by month`)}
          head={[tr(lang, 'تا تاریخ', 'As of'), ...t.series.map((s) => plain(s.label, lang))]}
          rows={t.series[0].points.map((p, i) => [
            formatDate(lang, p.at) + (i === t.series[0].points.length - 1 ? tr(lang, ' (ماه جاری تا امروز)', ' (this month so far)') : ''),
            ...t.series.map((s) =>
              valueOf(s.points[i].measure) === null ? <NoData lang={lang} /> : trendValue(lang, t.unit, valueOf(s.points[i].measure)),
            ),
          ])}
        />
      )}
    </section>
  );
}
