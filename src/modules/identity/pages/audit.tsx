// The audit log page: local times (Solar Hijri on Persian pages), actors by name ("Zahra Karimi", "a
// citizen", "API key abcd…") instead of raw ids, each entry's detail as a short readable list instead of
// raw JSON, and a date filter that takes Solar Hijri dates on Persian pages (Gregorian ones too).
import { AppError } from '../../../platform/errors.ts';
import { digits, formatDate, formatTime, tr, type Lang } from '../../../platform/i18n.ts';
import { toAsciiDigits } from '../../../platform/persian.ts';
import { DataTable } from '../../../web/charts.tsx';
import { Layout } from '../../../web/layout.tsx';
import { gregorianToJalali, jalaliToGregorian } from '../../applications/jalali.ts';

export interface AuditEntry {
  seq: number | string;
  at: Date | string;
  actor: string;
  action: string;
  subject?: string | null;
  detail: unknown;
}

/**
 * A filter date: Solar Hijri (1405/09/02, Persian or Latin digits) or Gregorian (2026-11-23); years
 * below 1700 are Solar Hijri. Returns the start of that day in Iran, or a 400 that says what to type.
 */
export function parseAuditDate(v: string | undefined, field: string, lang: Lang): Date | undefined {
  if (!v) return undefined;
  const m = /^\s*(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})\s*$/.exec(toAsciiDigits(v));
  const iso = m
    ? Number(m[1]) < 1700
      ? jalaliToGregorian(Number(m[1]), Number(m[2]), Number(m[3]))
      : `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`
    : null;
  if (!iso || Number.isNaN(Date.parse(`${iso}T00:00:00Z`)))
    throw new AppError('VALIDATION_FAILED', tr(lang, 'تاریخ را مانند ۱۴۰۵/۰۹/۰۲ بنویسید', 'Enter the date like 2026-11-23 or 1405/09/02'), {
      field,
    });
  return new Date(`${iso}T00:00:00+03:30`); // a day in Iran (no daylight saving since 2022)
}

/** A Gregorian day in the page's calendar and digits, for the filter field after a search. */
export function showFilterDate(lang: Lang, v: string | undefined): string {
  if (!v) return '';
  try {
    const d = parseAuditDate(v, 'x', lang);
    if (!d) return '';
    const iso = new Date(d.getTime() + 3.5 * 3600_000).toISOString().slice(0, 10);
    if (lang === 'en') return iso;
    const j = gregorianToJalali(iso);
    return digits('fa', `${j.year}/${String(j.month).padStart(2, '0')}/${String(j.day).padStart(2, '0')}`);
  } catch {
    return v;
  }
}

/** Who did it, in words: a staff member by name, a citizen (no personal data), an API key, the system. */
export function actorLabel(lang: Lang, actor: string, names: Map<string, string>) {
  const [kind, id = ''] = actor.split(/:(.*)/s);
  switch (kind) {
    case 'staff':
      return names.get(id) ?? tr(lang, 'کارمند (حذف‌شده)', 'A staff member (removed)');
    case 'citizen':
      return tr(lang, 'یک شهروند', 'A citizen');
    case 'apikey':
      return (
        <>
          {tr(lang, 'کلید API', 'API key')} <bdi dir="ltr">{id.slice(0, 12)}</bdi>
        </>
      );
    case 'anonymous':
      return tr(lang, 'بازدیدکننده واردنشده', 'Someone not signed in');
    case 'platform':
    case 'cli':
      return tr(lang, 'خود سامانه', 'The platform');
    default:
      return <bdi dir="ltr">{actor}</bdi>;
  }
}

const show = (v: unknown): string =>
  v === null || v === undefined
    ? '–'
    : Array.isArray(v)
      ? v.map(show).join('، ')
      : typeof v === 'object'
        ? 'from' in v && 'to' in v
          ? `${show((v as { from: unknown }).from)} → ${show((v as { to: unknown }).to)}`
          : 'before' in v && 'after' in v
            ? `${show((v as { before: unknown }).before)} → ${show((v as { after: unknown }).after)}`
            : Object.entries(v)
                .map(([k, x]) => `${k}: ${show(x)}`)
                .join('; ')
        : String(v);

/** An entry's detail as "key: value" lines (changes as "old → new"), not raw JSON. */
export function ChangeSummary({ detail }: { detail: unknown }) {
  if (detail === null || detail === undefined || (typeof detail === 'object' && !Object.keys(detail).length)) return <>–</>;
  if (typeof detail !== 'object' || Array.isArray(detail)) return <bdi>{show(detail)}</bdi>;
  return (
    <ul class="plain-list">
      {Object.entries(detail).map(([k, v]) => (
        <li>
          <bdi dir="ltr">{k}</bdi>: <bdi>{show(v)}</bdi>
        </li>
      ))}
    </ul>
  );
}

export function AuditPage({
  lang,
  rows,
  names,
  query,
  csvHref,
}: {
  lang: Lang;
  rows: AuditEntry[];
  names: Map<string, string>;
  query: Record<string, string | undefined>;
  csvHref: string;
}) {
  const fa = lang === 'fa';
  return (
    <Layout lang={lang} title={tr(lang, 'گزارش رخدادها', 'Audit log')} altPath={`/${fa ? 'en' : 'fa'}/staff/audit`}>
      <h1>{tr(lang, 'گزارش رخدادها', 'Audit log')}</h1>
      <form method="get" action={`/${lang}/staff/audit`} class="panel">
        <label class="label" for="action">
          {tr(lang, 'رخداد (آغاز نام، مانند sign-in)', 'Action (start of its name, like sign-in)')}
        </label>
        <input class="input input-wide" id="action" name="action" value={query.action ?? ''} dir="ltr" />
        <p class="hint" id="dates-hint">
          {fa ? 'تاریخ خورشیدی، مانند ۱۴۰۵/۰۹/۰۲' : 'For example 2026-11-23'}
        </p>
        <label class="label" for="from">
          {tr(lang, 'از تاریخ', 'From (date)')}
        </label>
        {fa ? (
          <input
            class="input input-narrow"
            id="from"
            name="from"
            inputMode="numeric"
            aria-describedby="dates-hint"
            value={showFilterDate(lang, query.from)}
          />
        ) : (
          <input class="input input-narrow" id="from" name="from" type="date" value={showFilterDate(lang, query.from)} />
        )}
        <label class="label" for="to">
          {tr(lang, 'تا تاریخ', 'To (date)')}
        </label>
        {fa ? (
          <input
            class="input input-narrow"
            id="to"
            name="to"
            inputMode="numeric"
            aria-describedby="dates-hint"
            value={showFilterDate(lang, query.to)}
          />
        ) : (
          <input class="input input-narrow" id="to" name="to" type="date" value={showFilterDate(lang, query.to)} />
        )}
        <button class="button" type="submit">
          {tr(lang, 'جست‌وجو', 'Search')}
        </button>
      </form>
      <p>
        <a href={csvHref}>{tr(lang, 'دریافت CSV', 'Download as CSV')}</a>
      </p>
      <DataTable
        caption={tr(lang, 'تازه‌ترین رخدادها', 'Latest entries')}
        head={['#', tr(lang, 'زمان', 'Time'), tr(lang, 'کنشگر', 'Actor'), tr(lang, 'رخداد', 'Action'), tr(lang, 'جزئیات', 'Detail')]}
        rows={rows.map((r) => [
          digits(lang, String(r.seq)),
          `${formatDate(lang, new Date(r.at))}${fa ? '، ' : ', '}${formatTime(lang, new Date(r.at))}`,
          actorLabel(lang, r.actor, names),
          <code>{r.action}</code>,
          <ChangeSummary detail={r.detail} />,
        ])}
      />
    </Layout>
  );
}
