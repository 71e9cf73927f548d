// Reads search parameters from a query string, for the API and the search page alike, refusing bad
// values with a specific error code.
import { AppError } from '../../platform/errors.ts';
import { isLang, type Lang } from '../../platform/i18n.ts';
import { FACETS, type Filters, type SearchQuery } from './catalog.search.ts';

export const MAX_QUERY = 200;
export const MAX_PAGE_SIZE = 100;
export const MAX_PAGE = 10_000;

type Raw = Record<string, unknown>;

function strings(v: unknown): string[] {
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list
    .flatMap((x) => String(x).split(','))
    .map((x) => x.trim())
    .filter(Boolean);
}

function wholeNumber(v: unknown, def: number): number {
  if (v === undefined || v === '') return def;
  const s = Array.isArray(v) ? String(v[0]) : String(v);
  return /^\d{1,9}$/.test(s.trim()) ? Number(s) : NaN;
}

export function parseSearchParams(raw: Raw, defaults: { lang: Lang; pageSize: number }): SearchQuery {
  const q = Array.isArray(raw.q) ? String(raw.q[0] ?? '') : String(raw.q ?? '');
  if (q.length > MAX_QUERY)
    throw new AppError('QUERY_TOO_LONG', `q has ${q.length} characters; use at most ${MAX_QUERY}.`, { max: MAX_QUERY, length: q.length });
  const lang = raw.lang === undefined || raw.lang === '' ? defaults.lang : raw.lang;
  if (!isLang(lang)) throw new AppError('UNKNOWN_LANGUAGE', `lang "${String(lang).slice(0, 20)}" must be fa or en.`);
  const pageSize = wholeNumber(raw.pageSize, defaults.pageSize);
  if (!(pageSize >= 1 && pageSize <= MAX_PAGE_SIZE))
    throw new AppError('PAGE_SIZE_OUT_OF_RANGE', `pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}.`, {
      min: 1,
      max: MAX_PAGE_SIZE,
    });
  const page = wholeNumber(raw.page, 1);
  if (!(page >= 1 && page <= MAX_PAGE))
    throw new AppError('PAGE_OUT_OF_RANGE', `page must be a whole number from 1 to ${MAX_PAGE}.`, { min: 1, max: MAX_PAGE });
  const filters: Filters = {};
  for (const f of FACETS) {
    const values = strings(raw[f]);
    if (values.length > 50) throw new AppError('VALIDATION_FAILED', `Too many ${f} values; use at most 50.`, { facet: f });
    if (values.length) filters[f] = [...new Set(values)];
  }
  return { q: q.trim(), lang, filters, page, pageSize };
}
