// Accessible charts rendered on the server as SVG: each has a title and a text summary read by
// screen readers, distinguishes series by dash pattern and marker as well as colour, and comes with
// its data as a table. No JavaScript.
import type { ComponentChildren } from 'preact';
import { formatNumber, type Lang } from '../platform/i18n.ts';

export interface Series {
  name: string;
  points: { x: number; y: number | null }[];
}

const COLOURS = ['#0b4f6c', '#b3261e', '#00703c', '#6f3d92', '#8a5a00'];
const DASHES = ['', '6 4', '2 3', '10 3 2 3', '1 0'];

const fmt = (lang: Lang, n: number, digits = 2) =>
  new Intl.NumberFormat(lang === 'fa' ? 'fa-IR' : 'en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(n);

/** Runs of consecutive points with a value: a line is drawn through each run, never across a gap. */
export function runs<T>(points: { v: number | null; p: T }[]): { v: number; p: T }[][] {
  const out: { v: number; p: T }[][] = [];
  let cur: { v: number; p: T }[] = [];
  for (const pt of points) {
    if (pt.v === null) {
      if (cur.length) out.push(cur);
      cur = [];
    } else cur.push({ v: pt.v, p: pt.p });
  }
  if (cur.length) out.push(cur);
  return out;
}

/** Evenly spaced whole-number ticks from 0 to at least `max` (at most about five): a count axis never says 2.5. */
export function countTicks(max: number): number[] {
  const top = Math.max(1, Math.ceil(max));
  const rough = top / 4;
  const p = 10 ** Math.floor(Math.log10(Math.max(1, rough)));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * p).find((s) => s >= rough) ?? 10 * p);
  const ticks: number[] = [];
  for (let v = 0; v < top + step; v += step) ticks.push(v);
  return ticks;
}

/** Which x labels to write so neighbours never overlap: every k-th (and the last) when there are many. */
export function labelEvery(n: number, widthPerLabel: number, width: number): (i: number) => boolean {
  const k = Math.max(1, Math.ceil((n * widthPerLabel) / width));
  return (i) => i === n - 1 || (i % k === 0 && n - 1 - i >= k);
}

/** A line chart of values between 0 and 1 over years. */
export function LineChart({
  lang,
  id,
  title,
  summary,
  series,
  xLabel,
}: {
  lang: Lang;
  id: string;
  title: string;
  summary: string;
  series: Series[];
  /** How an x value is written (a year in the page's calendar); default: the number without grouping. */
  xLabel?: (x: number) => string;
}) {
  const W = 640;
  const H = 300;
  const pad = { l: 44, r: 16, t: 16, b: 36 };
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  const x = (v: number) => pad.l + ((v - xs[0]) / Math.max(1, xs[xs.length - 1] - xs[0])) * (W - pad.l - pad.r);
  const y = (v: number) => pad.t + (1 - v) * (H - pad.t - pad.b);
  const show = labelEvery(xs.length, 48, W - pad.l - pad.r);
  return (
    <figure class="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`} class="chart-title">
        {title}
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-svg-title ${id}-desc`} dir="ltr" class="chart-svg">
        <title id={`${id}-svg-title`}>{title}</title>
        <desc id={`${id}-desc`}>{summary}</desc>
        {[0, 0.25, 0.5, 0.75, 1].map((v) => (
          <g>
            <line x1={pad.l} x2={W - pad.r} y1={y(v)} y2={y(v)} class="chart-grid" />
            <text x={pad.l - 6} y={y(v) + 4} text-anchor="end" class="chart-label">
              {fmt(lang, v)}
            </text>
          </g>
        ))}
        {xs.map((v, i) => (
          <text x={x(v)} y={H - 12} text-anchor="middle" class="chart-label" display={show(i) ? undefined : 'none'}>
            {xLabel ? xLabel(v) : formatNumber(lang, v).replace(/[٬,]/g, '')}
          </text>
        ))}
        {series.map((s, i) => {
          const pts = s.points.flatMap((p) => (p.y === null ? [] : [{ x: p.x, y: p.y }]));
          return (
            <g>
              {runs(s.points.map((p) => ({ v: p.y, p: p.x }))).map((run) => (
                <polyline
                  points={run.map((r) => `${x(r.p)},${y(r.v)}`).join(' ')}
                  fill="none"
                  stroke={COLOURS[i % 5]}
                  stroke-width="2.5"
                  stroke-dasharray={DASHES[i % 5] || undefined}
                />
              ))}
              {pts.map((p) =>
                i % 2 ? (
                  <rect x={x(p.x) - 3.5} y={y(p.y) - 3.5} width="7" height="7" fill={COLOURS[i % 5]} />
                ) : (
                  <circle cx={x(p.x)} cy={y(p.y)} r="4" fill={COLOURS[i % 5]} />
                ),
              )}
            </g>
          );
        })}
      </svg>
      <ul class="chart-legend">
        {series.map((s, i) => (
          <li>
            <svg width="28" height="10" aria-hidden="true">
              <line x1="0" x2="28" y1="5" y2="5" stroke={COLOURS[i % 5]} stroke-width="3" stroke-dasharray={DASHES[i % 5] || undefined} />
            </svg>{' '}
            {s.name}
          </li>
        ))}
      </ul>
      <p class="chart-summary">{summary}</p>
    </figure>
  );
}

/**
 * Horizontal bars of values between 0 and 1, one per row, with the value written at its end. Each row is
 * text (so long names wrap and stay readable on a 375-px phone, where a scaled-down SVG would shrink its
 * labels) with a small SVG bar; on a narrow screen the label sits above its bar.
 */
export function BarChart({
  lang,
  id,
  title,
  summary,
  bars,
  highlight,
}: {
  lang: Lang;
  id: string;
  title: string;
  summary: string;
  bars: { label: string; value: number | null }[];
  highlight?: string;
}) {
  return (
    <figure class="chart bar-chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`} class="chart-title">
        {title}
      </figcaption>
      <ul class="bar-list">
        {bars.map((b) => {
          const strong = b.label === highlight;
          const w = Math.max(0, Math.min(1, b.value ?? 0)) * 100;
          return (
            <li class={`bar-row${strong ? ' bar-strong' : ''}`}>
              <span class="bar-label">{b.label}</span>
              <svg class="bar-track" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                {b.value !== null ? (
                  <rect x={lang === 'fa' ? 100 - w : 0} y="0" width={w} height="10" fill={strong ? '#b3261e' : '#0b4f6c'} />
                ) : null}
              </svg>
              <span class="bar-value">{b.value === null ? '–' : fmt(lang, b.value, 4)}</span>
            </li>
          );
        })}
      </ul>
      <p class="chart-summary">{summary}</p>
    </figure>
  );
}

/** A data table with a caption; numbers are right-aligned in their language's digits. */
export function DataTable({ caption, head, rows }: { caption: string; head: ComponentChildren[]; rows: ComponentChildren[][] }) {
  return (
    <div class="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {head.map((h) => (
              <th scope="col">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>{r.map((c, i) => (i === 0 ? <th scope="row">{c}</th> : <td>{c}</td>))}</tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
