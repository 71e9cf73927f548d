// Query parameters of the UN E-Government Survey pages and API (year, index values, the countries or
// peer group to compare), read and checked once for both: a bad value is a VALIDATION_FAILED naming it.
import { AppError } from '../../platform/errors.ts';
import { PEER_GROUPS } from './benchmark.service.ts';

export type Q = Record<string, string | undefined>;

export function yearParam(raw: string | undefined, def: number): number {
  if (raw === undefined || raw === '') return def;
  if (!/^\d{4}$/.test(raw)) throw new AppError('VALIDATION_FAILED', 'year must be a four-digit year such as 2024.', { field: 'year' });
  return Number(raw);
}

export function indexParam(raw: string | undefined, field: string): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const v = Number(
    raw
      .trim()
      .replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
      .replace('٫', '.'),
  );
  if (!Number.isFinite(v) || v < 0 || v > 1)
    throw new AppError('VALUE_OUT_OF_RANGE', `${field.toUpperCase()} must be a number from 0 to 1, like 0.72.`, { field });
  return v;
}

/** Members from ?group=d8 or ?countries=IRN,TUR (codes, any case, separated by commas or spaces). */
export function membersParam(q: Q): { members: string[]; group: string | null } {
  if (q.countries && q.countries.trim()) {
    const members = [
      ...new Set(
        q.countries
          .toUpperCase()
          .split(/[\s,،]+/)
          .filter(Boolean),
      ),
    ];
    if (members.length > 50) throw new AppError('VALIDATION_FAILED', 'Compare at most 50 countries.', { field: 'countries' });
    if (members.some((m) => !/^[A-Z]{3}$/.test(m)))
      throw new AppError('VALIDATION_FAILED', 'countries must be ISO 3166 alpha-3 codes such as IRN, TUR.', { field: 'countries' });
    return { members, group: null };
  }
  const group = q.group || 'd8';
  const g = PEER_GROUPS[group];
  if (!g) throw new AppError('VALIDATION_FAILED', `group must be one of ${Object.keys(PEER_GROUPS).join(', ')}.`, { field: 'group' });
  return { members: g.members, group };
}
