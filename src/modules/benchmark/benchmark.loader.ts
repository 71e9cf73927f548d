// Reads the UN E-Government Survey file (one row per country, six columns per edition) and the
// country table (ISO 3166 alpha-3 codes, Persian names, regions) shipped in datasets/un-egov/.
import type { UnEgovScoreTable } from '../../db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { readCsv } from '../catalog/importers/csv.ts';
import type { Reject } from '../catalog/catalog.schema.ts';

export const EDITIONS = [2005, 2008, 2010, 2012, 2014, 2016, 2018, 2020, 2022, 2024] as const;

export interface Country {
  iso3: string;
  nameEn: string;
  nameFa: string;
  region: string;
}

/** One country's results in one edition (the un_egov_scores row). */
export type Score = UnEgovScoreTable;

const COLUMNS = {
  rank: 'E-Government Rank',
  egdi: 'E-Government Index',
  epi: 'E-Participation Index',
  osi: 'Online Service Index',
  hci: 'Human Capital Index',
  tii: 'Telecommunication Infrastructure Index',
} as const;

export function parseCountries(content: string): Country[] {
  const { rows, rejects } = readCsv(content, ['name', 'iso3', 'name_fa', 'region']);
  if (rejects.length) throw new AppError('IMPORT_FAILED', `countries: line ${rejects[0].line}: ${rejects[0].reason}`);
  return rows.map((r) => ({ iso3: r.get('iso3'), nameEn: r.get('name'), nameFa: r.get('name_fa'), region: r.get('region') }));
}

/**
 * Scores per country and edition. In the 2005-2012 editions a 0 means "not assessed" and becomes
 * null; an empty cell is null. Values outside 0..1 and unknown countries are rejected with their line.
 */
export function parseSurvey(content: string, countries: Country[]): { scores: Score[]; rejects: Reject[] } {
  const required = ['Country Name', ...EDITIONS.flatMap((y) => Object.values(COLUMNS).map((c) => `${c} ${y}`))];
  const { rows, rejects } = readCsv(content, required);
  const byName = new Map(countries.map((c) => [c.nameEn, c.iso3]));
  const scores: Score[] = [];
  for (const r of rows) {
    const name = r.get('Country Name').trim();
    const iso3 = byName.get(name);
    if (!iso3) {
      rejects.push({ line: r.line, reason: `country "${name}" is not in countries.csv` });
      continue;
    }
    const problems: string[] = [];
    for (const year of EDITIONS) {
      const value = (key: keyof typeof COLUMNS) => {
        const raw = r.get(`${COLUMNS[key]} ${year}`);
        if (raw === '') return null;
        const n = Number(raw);
        if (!Number.isFinite(n)) {
          problems.push(`${COLUMNS[key]} ${year} "${raw}" is not a number`);
          return null;
        }
        if (key === 'rank')
          return n >= 1 ? Math.round(n) : year <= 2012 ? null : (problems.push(`rank ${year} "${raw}" must be 1 or more`), null);
        if (n < 0 || n > 1) problems.push(`${COLUMNS[key]} ${year} ${n} is outside 0..1`);
        return year <= 2012 && n === 0 ? null : n;
      };
      const s: Score = {
        iso3,
        year,
        egdi: value('egdi'),
        osi: value('osi'),
        hci: value('hci'),
        tii: value('tii'),
        epi: value('epi'),
        rank: value('rank'),
      };
      if (s.egdi !== null || s.osi !== null || s.rank !== null) scores.push(s);
    }
    if (problems.length) rejects.push({ line: r.line, reason: problems.join('; ') });
  }
  return { scores: rejects.length ? [] : scores, rejects };
}
