// The catalogue's search index: every published service card in memory, built from the database and
// rebuilt when the catalogue's revision changes. MiniSearch gives prefix matching, typo tolerance and
// field boosts (a name match ranks above a description match); Persian normalisation comes from
// platform/persian.ts and applies to the cards and the queries alike. Facets are counted here.
import MiniSearch, { type SearchOptions } from 'minisearch';
import { STOP_WORDS, tokenize } from '../../platform/persian.ts';
import type { LocalText } from '../../db/schema.ts';
import type { AgencyRow, ServiceRow } from './catalog.repository.ts';
import { pick } from './catalog.taxonomy.ts';

export type Lang = 'fa' | 'en';
export const FACETS = ['agency', 'category', 'lifeEvent', 'audience', 'channel', 'maturity'] as const;
export type Facet = (typeof FACETS)[number];
export type Filters = Partial<Record<Facet, string[]>>;

export interface SearchCard {
  id: string;
  slug: string;
  name: LocalText;
  summary: LocalText;
  agency: { id: string; name: LocalText };
  maturity: number;
  channels: string[];
  featured: boolean;
  facetValues: Record<Facet, string[]>;
}

export interface SearchQuery {
  q: string;
  lang: Lang;
  filters: Filters;
  page: number;
  pageSize: number;
}

export interface FacetCount {
  value: string;
  count: number;
}

export interface SearchResult {
  total: number;
  page: number;
  pageSize: number;
  items: SearchCard[];
  facets: Record<Facet, FacetCount[]>;
  /** 'all' when every word matched; 'any' when no card had every word and cards with some are shown. */
  match: 'all' | 'any' | 'browse';
}

const text = (t: LocalText | null | undefined) => [t?.fa, t?.en, t?.fr].filter(Boolean).join(' ');

const searchOptions: SearchOptions = {
  boost: { nameFa: 5, nameEn: 5, nameFr: 4, summary: 2, agency: 1.5, description: 1 },
  prefix: (term) => term.length >= 2,
  fuzzy: (term) => (term.length >= 8 ? 2 : term.length >= 4 ? 1 : false),
  weights: { fuzzy: 0.3, prefix: 0.6 },
};

export class SearchIndex {
  readonly revision: number;
  readonly size: number;
  readonly #cards = new Map<string, SearchCard>();
  readonly #byName: Record<Lang, SearchCard[]>;
  readonly #mini: MiniSearch;
  /** Every value each facet can take in this index, for refusing unknown filter values. */
  readonly agencyIds: Set<string>;
  readonly agencyNames: Map<string, LocalText>;

  constructor(revision: number, services: ServiceRow[], agencies: AgencyRow[]) {
    this.revision = revision;
    const agencyById = new Map(agencies.map((a) => [a.id, a]));
    this.agencyIds = new Set(agencies.map((a) => a.id));
    this.agencyNames = new Map(agencies.map((a) => [a.id, a.name]));
    this.#mini = new MiniSearch({
      fields: ['nameFa', 'nameEn', 'nameFr', 'summary', 'description', 'agency'],
      tokenize: (s) => tokenize(s),
      processTerm: (t) => (STOP_WORDS.has(t) ? null : t),
      searchOptions,
    });
    const docs = [];
    for (const s of services) {
      const agency = agencyById.get(s.agency_id);
      const card: SearchCard = {
        id: s.id,
        slug: s.slug,
        name: s.name,
        summary: s.summary,
        agency: { id: s.agency_id, name: agency?.name ?? {} },
        maturity: s.maturity,
        channels: [...new Set(s.channels.map((c) => c.type))],
        featured: s.extra?.featured === true,
        facetValues: {
          agency: [s.agency_id],
          category: s.categories,
          lifeEvent: s.life_events,
          audience: s.audience,
          channel: [...new Set(s.channels.map((c) => c.type))],
          maturity: [String(s.maturity)],
        },
      };
      this.#cards.set(s.id, card);
      docs.push({
        id: s.id,
        nameFa: s.name.fa ?? '',
        nameEn: s.name.en ?? '',
        nameFr: s.name.fr ?? '',
        summary: text(s.summary),
        description: text(s.description) + ' ' + s.documents.map(text).join(' '),
        agency: text(agency?.name) + ' ' + text(agency?.parent_ministry),
      });
    }
    this.#mini.addAll(docs);
    this.size = docs.length;
    const cards = [...this.#cards.values()];
    const sorted = (lang: Lang) => {
      const coll = new Intl.Collator(lang);
      return cards
        .map((c) => ({ c, k: pick(c.name, lang).text }))
        .sort((a, b) => coll.compare(a.k, b.k))
        .map((x) => x.c);
    };
    this.#byName = { fa: sorted('fa'), en: sorted('en') };
  }

  search(query: SearchQuery): SearchResult {
    let candidates: SearchCard[];
    let match: SearchResult['match'] = 'browse';
    const hasWords = tokenize(query.q).some((t) => !STOP_WORDS.has(t));
    if (hasWords) {
      match = 'all';
      let hits = this.#mini.search(query.q, { combineWith: 'AND' });
      if (hits.length === 0) {
        hits = this.#mini.search(query.q, { combineWith: 'OR' });
        match = 'any';
      }
      candidates = hits.map((h) => this.#cards.get(h.id as string)!);
    } else {
      candidates = this.#byName[query.lang];
    }

    const active = FACETS.filter((f) => query.filters[f]?.length);
    const wanted = Object.fromEntries(active.map((f) => [f, new Set(query.filters[f])])) as Record<Facet, Set<string>>;
    const counts = Object.fromEntries(FACETS.map((f) => [f, new Map<string, number>()])) as Record<Facet, Map<string, number>>;
    const passing: SearchCard[] = [];

    for (const card of candidates) {
      // Which active filters this card fails; a facet's counts ignore that facet's own filter.
      let failed: Facet | null = null;
      let failures = 0;
      for (const f of active) {
        if (!card.facetValues[f].some((v) => wanted[f].has(v))) {
          failures++;
          failed = f;
          if (failures > 1) break;
        }
      }
      if (failures > 1) continue;
      for (const f of FACETS) {
        if (failures === 1 && f !== failed) continue;
        const m = counts[f];
        for (const v of card.facetValues[f]) m.set(v, (m.get(v) ?? 0) + 1);
      }
      if (failures === 0) passing.push(card);
    }

    const facets = Object.fromEntries(
      FACETS.map((f) => {
        const m = counts[f];
        for (const v of query.filters[f] ?? []) if (!m.has(v)) m.set(v, 0);
        const list = [...m.entries()].map(([value, count]) => ({ value, count }));
        list.sort((a, b) => (f === 'maturity' ? Number(a.value) - Number(b.value) : b.count - a.count || a.value.localeCompare(b.value)));
        return [f, list];
      }),
    ) as Record<Facet, FacetCount[]>;

    const start = (query.page - 1) * query.pageSize;
    return {
      total: passing.length,
      page: query.page,
      pageSize: query.pageSize,
      items: passing.slice(start, start + query.pageSize),
      facets,
      match,
    };
  }

  /** Services the editors marked as popular (up to n), else the most mature ones. */
  featured(lang: Lang, n = 8): SearchCard[] {
    const marked = this.#byName[lang].filter((c) => c.featured);
    const rest = [...this.#byName[lang]].filter((c) => !c.featured).sort((a, b) => b.maturity - a.maturity);
    return [...marked, ...rest].slice(0, n);
  }

  /** Completions for a search box: names of the best matching services. */
  suggest(q: string, lang: Lang, limit = 8): { slug: string; name: string }[] {
    return this.search({ q, lang, filters: {}, page: 1, pageSize: limit }).items.map((c) => ({ slug: c.slug, name: pick(c.name, lang).text }));
  }
}
