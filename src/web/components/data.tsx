// Showing records: summary list (key, value, optional change link) and table with a caption.
import type { ComponentChildren } from 'preact';

export interface SummaryRow {
  key: ComponentChildren;
  value: ComponentChildren;
  /** A "Change" link (check-your-answers pages); its text should name what changes, for screen readers. */
  action?: { href: string; label: ComponentChildren };
}

export function SummaryList({ rows }: { rows: SummaryRow[] }) {
  return (
    <dl class="summary-list">
      {rows.map((r) => (
        <div class={`summary-row${r.action ? ' summary-row-actions' : ''}`}>
          <dt>{r.key}</dt>
          <dd>{r.value}</dd>
          {r.action ? (
            <dd>
              <a href={r.action.href}>{r.action.label}</a>
            </dd>
          ) : null}
        </div>
      ))}
    </dl>
  );
}

/**
 * A data table with a caption (what it shows) and column headers (scope="col"); the first cell of each row
 * is its header when `rowHeaders`. Wide tables scroll inside their own box on a phone.
 */
export function Table({
  caption,
  head,
  rows,
  rowHeaders,
  numeric = [],
}: {
  caption: ComponentChildren;
  head: ComponentChildren[];
  rows: ComponentChildren[][];
  rowHeaders?: boolean;
  /** Column indexes holding numbers (aligned to the end). */
  numeric?: number[];
}) {
  return (
    <div class="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {head.map((h, i) => (
              <th scope="col" class={numeric.includes(i) ? 'numeric' : undefined}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              {r.map((c, i) =>
                i === 0 && rowHeaders ? <th scope="row">{c}</th> : <td class={numeric.includes(i) ? 'numeric' : undefined}>{c}</td>,
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
