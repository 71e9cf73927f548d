// Small pieces the monitoring pages share: number formats, names, the "no data yet" marker.
import type { LocalText } from '../../db/schema.ts';
import { formatDate, type Lang } from '../../platform/i18n.ts';
import { Tag } from '../../web/components.tsx';
import type { Measure } from './monitoring.metrics.ts';
import type { RoundRow } from './monitoring.repository.ts';

export const other = (lang: Lang): Lang => (lang === 'fa' ? 'en' : 'fa');
const formats = new Map<string, Intl.NumberFormat>();
/** Number formats are costly to build: one per language and precision, reused. */
const nf = (lang: Lang, min: number, max: number) => {
  const k = `${lang}${min}${max}`;
  let f = formats.get(k);
  if (!f)
    formats.set(
      k,
      (f = new Intl.NumberFormat(lang === 'fa' ? 'fa-IR' : 'en-GB', { minimumFractionDigits: min, maximumFractionDigits: max })),
    );
  return f;
};
/** A 0-1 score with two decimals. */
export const score = (lang: Lang, v: number | null | undefined) => (v === null || v === undefined ? '–' : nf(lang, 2, 2).format(v));
/** A share of 0-1 as a percentage. */
export const pct = (lang: Lang, v: number) => `${nf(lang, 0, 1).format(v * 100)}${lang === 'fa' ? '٪' : '%'}`;
export const num = (lang: Lang, v: number, d = 1) => nf(lang, 0, d).format(v);
export const change = (lang: Lang, v: number | null) =>
  v === null ? '–' : `${v > 0 ? '+' : v < 0 ? '−' : '±'}${nf(lang, 2, 2).format(Math.abs(v))}`;

/** Text in the page language when there is one, else the other language marked as such. */
export function L({ text, lang }: { text: LocalText; lang: Lang }) {
  const own = text[lang]?.trim();
  if (own) return <>{own}</>;
  const o = other(lang);
  return (
    <span lang={o} dir={o === 'fa' ? 'rtl' : 'ltr'}>
      {text[o] ?? ''}
    </span>
  );
}
export const plain = (t: LocalText, lang: Lang) => t[lang]?.trim() || t[other(lang)] || '';

export function NoData({ lang }: { lang: Lang }) {
  return <Tag tone="grey">{lang === 'fa' ? 'هنوز داده‌ای نیست' : 'No data yet'}</Tag>;
}

/** A measure's value in its unit (percentages for shares), or "no data yet" with the reason. */
export function MeasureValue({ lang, m, unit }: { lang: Lang; m: Measure; unit: 'percent' | 'number' | 'yesno' }) {
  if ('noData' in m)
    return (
      <>
        <NoData lang={lang} /> <span class="muted">{plain(m.reason, lang)}</span>
      </>
    );
  if (unit === 'yesno') return <>{m.value ? (lang === 'fa' ? 'بله' : 'Yes') : lang === 'fa' ? 'خیر' : 'No'}</>;
  return <>{unit === 'percent' ? pct(lang, m.value / 100) : num(lang, m.value)}</>;
}

export function roundStatus(lang: Lang, r: RoundRow) {
  const t = {
    open: ['در جریان', 'In progress'],
    published: ['منتشرشده', 'Published'],
    superseded: ['جایگزین‌شده با اصلاحیه', 'Superseded by a correction'],
  }[r.status];
  return <Tag tone={r.status === 'published' ? 'green' : r.status === 'open' ? 'blue' : 'grey'}>{lang === 'fa' ? t[0] : t[1]}</Tag>;
}

export const cutoffText = (lang: Lang, r: RoundRow) =>
  lang === 'fa' ? `تاریخ برش: ${formatDate(lang, r.cutoff)}` : `Cut-off date: ${formatDate(lang, r.cutoff)}`;
