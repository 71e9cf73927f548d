// The UN E-Government Survey benchmark: EGDI recomputed from its sub-indices, groups, ranks, peer
// groups and what-if scenarios. No HTTP and no SQL here.
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { BenchmarkRepository, type CountryRow, type ScoreRow } from './benchmark.repository.ts';
import { EDITIONS, parseCountries, parseSurvey } from './benchmark.loader.ts';

export type Group = 'very-high' | 'high' | 'middle' | 'low';

/**
 * EGDI is the mean of OSI, HCI and TII (UN DESA method since the 2014 edition). Kept to 6 decimals;
 * pages show 4. Recomputed from the published (rounded) sub-indices it can differ from the published
 * EGDI by less than 0.0001.
 */
export function egdiOf(osi: number, hci: number, tii: number): number {
  return Math.round(((osi + hci + tii) / 3) * 1_000_000) / 1_000_000;
}

/** Very High > 0.75, High 0.50-0.75, Middle 0.25-0.50, Low < 0.25. */
export function groupOf(egdi: number): Group {
  if (egdi > 0.75) return 'very-high';
  if (egdi >= 0.5) return 'high';
  if (egdi >= 0.25) return 'middle';
  return 'low';
}

export const PEER_GROUPS: Record<string, { name: { fa: string; en: string }; members: string[] }> = {
  d8: {
    name: { fa: 'گروه دی-۸', en: 'D-8 Organization for Economic Cooperation' },
    members: ['BGD', 'EGY', 'IDN', 'IRN', 'MYS', 'NGA', 'PAK', 'TUR'],
  },
  eco: {
    name: { fa: 'سازمان همکاری اقتصادی (اکو)', en: 'Economic Cooperation Organization (ECO)' },
    members: ['AFG', 'AZE', 'IRN', 'KAZ', 'KGZ', 'PAK', 'TJK', 'TKM', 'TUR', 'UZB'],
  },
  neighbours: {
    name: { fa: 'همسایگان ایران', en: "Iran's neighbours" },
    members: ['IRN', 'ARM', 'AZE', 'TKM', 'AFG', 'PAK', 'IRQ', 'TUR', 'KWT', 'SAU', 'BHR', 'QAT', 'ARE', 'OMN', 'KAZ', 'RUS'],
  },
};

export interface ScoredRow extends ScoreRow {
  /** EGDI as recomputed here (2014 on: mean of OSI, HCI, TII); null when a sub-index is missing. */
  egdiComputed: number | null;
  group: Group | null;
}

interface Dataset {
  countries: Map<string, CountryRow>;
  byCountry: Map<string, ScoredRow[]>;
  byYear: Map<number, ScoredRow[]>;
}

const DATA_DIR = path.resolve(import.meta.dirname, '../../../datasets/un-egov');

export class BenchmarkService {
  readonly repo: BenchmarkRepository;
  #data: Promise<Dataset> | null = null;
  #loadedAt = 0;

  constructor(db: Kysely<Database>) {
    this.repo = new BenchmarkRepository(db);
  }

  /** Loads the shipped survey file into the database (replacing what was there). */
  async loadShipped(): Promise<{ countries: number; scores: number }> {
    const countries = parseCountries(fs.readFileSync(path.join(DATA_DIR, 'countries.csv'), 'utf8'));
    const { scores, rejects } = parseSurvey(fs.readFileSync(path.join(DATA_DIR, 'un-egov-survey-2005-2024.csv'), 'utf8'), countries);
    if (rejects.length) throw new AppError('IMPORT_FAILED', rejects.map((r) => `line ${r.line}: ${r.reason}`).join('\n'));
    await this.repo.replaceAll(countries, scores);
    this.#data = null;
    return { countries: countries.length, scores: scores.length };
  }

  async loadIfEmpty(): Promise<boolean> {
    if ((await this.repo.count()) > 0) return false;
    await this.loadShipped();
    return true;
  }

  /** The whole survey in memory (about 1,900 rows), re-read at most once a minute. */
  data(): Promise<Dataset> {
    if (!this.#data || Date.now() - this.#loadedAt > 60_000) {
      this.#loadedAt = Date.now();
      this.#data = (async () => {
        const [countries, scores] = await Promise.all([this.repo.countries(), this.repo.scores()]);
        const byCountry = new Map<string, ScoredRow[]>();
        const byYear = new Map<number, ScoredRow[]>();
        for (const s of scores) {
          const egdiComputed = s.year >= 2014 && s.osi !== null && s.hci !== null && s.tii !== null ? egdiOf(s.osi, s.hci, s.tii) : null;
          const row: ScoredRow = { ...s, egdiComputed, group: s.egdi === null ? null : groupOf(s.egdi) };
          byCountry.set(s.iso3, [...(byCountry.get(s.iso3) ?? []), row]);
          byYear.set(s.year, [...(byYear.get(s.year) ?? []), row]);
        }
        return { countries: new Map(countries.map((c) => [c.iso3, c])), byCountry, byYear };
      })();
    }
    return this.#data;
  }

  editions(): readonly number[] {
    return EDITIONS;
  }

  /** The newest survey edition (the default year of every page and API answer). */
  latestEdition(): number {
    return EDITIONS[EDITIONS.length - 1];
  }

  async countries(): Promise<CountryRow[]> {
    return [...(await this.data()).countries.values()];
  }

  async country(iso3: string): Promise<{ country: CountryRow; scores: ScoredRow[] }> {
    const d = await this.data();
    const country = d.countries.get(iso3.toUpperCase());
    if (!country) throw new AppError('COUNTRY_NOT_FOUND', `There is no UN member state with the code "${iso3.slice(0, 10)}".`);
    return { country, scores: d.byCountry.get(country.iso3) ?? [] };
  }

  async edition(year: number): Promise<ScoredRow[]> {
    if (!EDITIONS.includes(year as (typeof EDITIONS)[number]))
      throw new AppError('EDITION_NOT_FOUND', `There is no ${year} edition; editions are ${EDITIONS.join(', ')}.`);
    return (await this.data()).byYear.get(year) ?? [];
  }

  async groupCounts(year: number): Promise<Record<Group, number>> {
    const counts: Record<Group, number> = { 'very-high': 0, high: 0, middle: 0, low: 0 };
    for (const r of await this.edition(year)) if (r.group) counts[r.group]++;
    return counts;
  }

  /** The members of a named peer group or of a list of codes, with their scores in one edition. */
  async compare(members: string[], year: number) {
    const d = await this.data();
    const found = members.map((iso3) => ({ iso3, country: d.countries.get(iso3) }));
    const unknown = found.filter((m) => !m.country).map((m) => m.iso3);
    if (unknown.length)
      throw new AppError('COUNTRY_NOT_FOUND', `Unknown country code(s): ${unknown.slice(0, 10).join(', ')}.`, { unknown });
    const rows = await this.edition(year);
    const byIso = new Map(rows.map((r) => [r.iso3, r]));
    const list = found
      .flatMap(({ iso3, country }) => (country ? [{ country, score: byIso.get(iso3) ?? null }] : []))
      .sort((a, b) => (b.score?.egdi ?? -1) - (a.score?.egdi ?? -1));
    const scored = list.flatMap((x) => (x.score?.egdi != null ? [x.score] : []));
    const mean = (k: 'egdi' | 'osi' | 'hci' | 'tii' | 'epi') => {
      const v = scored.map((s) => s[k]).filter((n): n is number => n !== null);
      return v.length ? Math.round((v.reduce((a, b) => a + b, 0) / v.length) * 10_000) / 10_000 : null;
    };
    return { year, members: list, average: { egdi: mean('egdi'), osi: mean('osi'), hci: mean('hci'), tii: mean('tii'), epi: mean('epi') } };
  }

  /**
   * What if a country's sub-indices were different: its EGDI (mean of the three), its group, and its
   * rank against the other countries' published EGDI in the same edition (ties share a rank).
   */
  async whatIf(input: { iso3: string; year: number; osi?: number; hci?: number; tii?: number }) {
    if (input.year < 2014)
      throw new AppError('EDITION_NOT_FOUND', 'What-if works on the 2014 edition and later, where EGDI is the mean of OSI, HCI and TII.');
    const { country } = await this.country(input.iso3);
    const rows = await this.edition(input.year);
    const current = rows.find((r) => r.iso3 === country.iso3);
    if (!current || current.osi === null || current.hci === null || current.tii === null || current.egdi === null) {
      throw new AppError('COUNTRY_NOT_FOUND', `${country.name_en} has no published scores in ${input.year}.`);
    }
    for (const k of ['osi', 'hci', 'tii'] as const) {
      const v = input[k];
      if (v !== undefined && !(Number.isFinite(v) && v >= 0 && v <= 1))
        throw new AppError('VALUE_OUT_OF_RANGE', `${k.toUpperCase()} must be a number from 0 to 1.`, { field: k });
    }
    const osi = input.osi ?? current.osi;
    const hci = input.hci ?? current.hci;
    const tii = input.tii ?? current.tii;
    const egdi = egdiOf(osi, hci, tii);
    const rank = 1 + rows.filter((r) => r.iso3 !== country.iso3 && r.egdi !== null && r.egdi > egdi).length;
    return {
      country,
      year: input.year,
      current: {
        osi: current.osi,
        hci: current.hci,
        tii: current.tii,
        egdi: current.egdi,
        rank: current.rank,
        group: groupOf(current.egdi),
      },
      scenario: { osi, hci, tii, egdi, rank, group: groupOf(egdi) },
    };
  }
}
