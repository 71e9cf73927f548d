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
        {xs.map((v) => (
          <text x={x(v)} y={H - 12} text-anchor="middle" class="chart-label">
            {xLabel ? xLabel(v) : formatNumber(lang, v).replace(/[٬,]/g, '')}
          </text>
        ))}
        {series.map((s, i) => {
          const pts = s.points.flatMap((p) => (p.y === null ? [] : [{ x: p.x, y: p.y }]));
          return (
            <g>
              <polyline
                points={pts.map((p) => `${x(p.x)},${y(p.y)}`).join(' ')}
                fill="none"
                stroke={COLOURS[i % 5]}
                stroke-width="2.5"
                stroke-dasharray={DASHES[i % 5] || undefined}
              />
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

/** Horizontal bars of values between 0 and 1, one per row, with the value written at its end. */
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
  const W = 640;
  const row = 28;
  const labelW = 190;
  const H = bars.length * row + 8;
  const scale = (v: number) => v * (W - labelW - 70);
  return (
    <figure class="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`} class="chart-title">
        {title}
      </figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby={`${id}-svg-title ${id}-desc`}
        class="chart-svg"
        dir={lang === 'fa' ? 'rtl' : 'ltr'}
      >
        <title id={`${id}-svg-title`}>{title}</title>
        <desc id={`${id}-desc`}>{summary}</desc>
        {bars.map((b, i) => {
          const yTop = 4 + i * row;
          const strong = b.label === highlight;
          const bx = lang === 'fa' ? W - labelW - scale(b.value ?? 0) : labelW;
          return (
            <g>
              <text x={lang === 'fa' ? W - 4 : 4} y={yTop + 18} class={`chart-label${strong ? ' chart-strong' : ''}`} text-anchor="start">
                {b.label}
              </text>
              {b.value !== null ? (
                <rect x={bx} y={yTop + 4} width={scale(b.value)} height={row - 10} fill={strong ? '#b3261e' : '#0b4f6c'} />
              ) : null}
              <text x={lang === 'fa' ? bx - 6 : labelW + scale(b.value ?? 0) + 6} y={yTop + 18} class="chart-label" text-anchor="start">
                {b.value === null ? '–' : fmt(lang, b.value, 4)}
              </text>
            </g>
          );
        })}
      </svg>
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
