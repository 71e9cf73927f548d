// The catalogue's search index: every published service card in memory, built from the database and
// rebuilt when the catalogue's revision changes. MiniSearch gives prefix matching, typo tolerance and
// field boosts (a name match ranks above a description match); Persian normalisation comes from
// platform/persian.ts and applies to the cards and the queries alike. Facets are counted here.
import MiniSearch, { type SearchOptions } from 'minisearch';
import { present } from '../../platform/invariant.ts';
import { STOP_WORDS, tokenize } from '../../platform/persian.ts';
import type { LocalText } from '../../db/schema.ts';
import type { AgencyRow, ServiceRow } from './catalog.repository.ts';
import { pick } from './catalog.taxonomy.ts';
import { dictionaryWords, didYouMean, expandQuery, type Dictionary } from './catalog.synonyms.ts';

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
  /** The card's value ids per facet (in FACETS order), for counting with typed arrays. */
  facetIds: number[][];
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
  /** A closer wording of the query when it found nothing or only partial matches. */
  suggestion?: string | null;
}

const text = (t: LocalText | null | undefined) => [t?.fa, t?.en, t?.fr].filter(Boolean).join(' ');
/** Persian and English only: French names are indexed, French prose is not (it doubles the vocabulary
 * that typo tolerance has to walk, for little gain in a Persian/English window). */
const faEn = (t: LocalText | null | undefined) => [t?.fa, t?.en].filter(Boolean).join(' ');

const searchOptions: SearchOptions = {
  boost: { nameFa: 5, nameEn: 5, nameFr: 4, summary: 2, agency: 1.5, description: 1 },
  prefix: (term) => term.length >= 2,
  fuzzy: (term) => (term.length >= 8 ? 2 : term.length >= 4 ? 1 : false),
  weights: { fuzzy: 0.3, prefix: 0.6 },
};

/** A facet lists at most this many values (most frequent first); selected values are always listed. */
export const FACET_LIMIT = 50;

/** The values one facet takes in this index, numbered. */
class FacetDictionary {
  readonly ids = new Map<string, number>();
  readonly values: string[] = [];
  id(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(value, id);
      this.values.push(value);
    }
    return id;
  }
}

export class SearchIndex {
  readonly revision: number;
  readonly size: number;
  readonly #cards = new Map<string, SearchCard>();
  readonly #byName: Record<Lang, SearchCard[]>;
  readonly #mini: MiniSearch;
  readonly #dict = FACETS.map(() => new FacetDictionary());
  readonly #cache = new Map<string, SearchResult>();
  readonly #cacheSize: number;
  /** Every value each facet can take in this index, for refusing unknown filter values. */
  readonly agencyIds: Set<string>;
  readonly agencyNames: Map<string, LocalText>;

  /** Builds an index in chunks, yielding to the event loop so requests keep being served meanwhile. */
  static async build(
    revision: number,
    services: ServiceRow[],
    agencies: AgencyRow[],
    cacheSize = 1000,
    synonyms?: Dictionary,
  ): Promise<SearchIndex> {
    const index = new SearchIndex(revision, services, agencies, cacheSize, synonyms);
    await index.#mini.addAllAsync(index.#docs, { chunkSize: 250 });
    index.#docs = [];
    return index;
  }

  #docs: Record<string, string>[] = [];

  /** The search dictionary this index expands queries with (the starter set when none is given). */
  readonly #synonyms: Dictionary | undefined;

  private constructor(revision: number, services: ServiceRow[], agencies: AgencyRow[], cacheSize: number, synonyms?: Dictionary) {
    this.revision = revision;
    this.#synonyms = synonyms;
    this.#cacheSize = cacheSize;
    const agencyById = new Map(agencies.map((a) => [a.id, a]));
    this.agencyIds = new Set(agencies.map((a) => a.id));
    this.agencyNames = new Map(agencies.map((a) => [a.id, a.name]));
    this.#mini = new MiniSearch({
      fields: ['nameFa', 'nameEn', 'nameFr', 'summary', 'description', 'agency'],
      tokenize: (s) => tokenize(s),
      processTerm: (t) => (STOP_WORDS.has(t) ? null : t),
      searchOptions,
    });
    const docs: Record<string, string>[] = [];
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
        facetIds: [],
      };
      const values: Record<Facet, string[]> = {
        agency: [s.agency_id],
        category: s.categories,
        lifeEvent: s.life_events,
        audience: s.audience,
        channel: card.channels,
        maturity: [String(s.maturity)],
      };
      card.facetIds = FACETS.map((f, i) => values[f].map((v) => this.#dict[i].id(v)));
      this.#cards.set(s.id, card);
      docs.push({
        id: s.id,
        nameFa: s.name.fa ?? '',
        nameEn: s.name.en ?? '',
        nameFr: s.name.fr ?? '',
        summary: faEn(s.summary) || text(s.summary),
        description: faEn(s.description) + ' ' + s.documents.map(faEn).join(' '),
        agency: text(agency?.name),
      });
    }
    this.#docs = docs;
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
    for (const c of cards) for (const w of tokenize(text(c.name))) if (!STOP_WORDS.has(w)) this.#vocabulary.add(w);
    for (const w of dictionaryWords(synonyms)) this.#vocabulary.add(w);
  }

  /** Words of the service names and the dictionary, for "did you mean". */
  readonly #vocabulary = new Set<string>();

  /** Cards matching the words, best first: prefixes first; typo tolerance only when they find nothing. */
  #match(query: SearchQuery): { candidates: SearchCard[]; match: SearchResult['match'] } {
    const hasWords = tokenize(query.q).some((t) => !STOP_WORDS.has(t));
    if (!hasWords) return { candidates: this.#byName[query.lang], match: 'browse' };
    let match: SearchResult['match'] = 'all';
    // The query and its alternative wordings (synonyms, Finglish), each needing all its words.
    const variants = expandQuery(query.q, 12, this.#synonyms);
    const q =
      variants.length > 1
        ? { combineWith: 'OR' as const, queries: variants.map((v) => ({ combineWith: 'AND' as const, queries: [v] })) }
        : query.q;
    let hits = this.#mini.search(q, { combineWith: 'AND', fuzzy: false });
    if (hits.length === 0) hits = this.#mini.search(q, { combineWith: 'AND' });
    if (hits.length === 0) {
      // No wording has every word. First the cards with all words but one of some wording (a word the
      // catalogue does not use, such as "check" in "criminal record check"), then any of the words.
      const allButOne = variants.flatMap((v) => {
        const words = v.split(' ');
        return words.length < 2
          ? []
          : words.map((_, i) => ({ combineWith: 'AND' as const, queries: [words.filter((_w, j) => j !== i).join(' ')] }));
      });
      if (allButOne.length) hits = this.#mini.search({ combineWith: 'OR', queries: allButOne }, { fuzzy: false });
      if (hits.length === 0)
        hits = this.#mini.search({ combineWith: 'OR', queries: variants.length ? variants : [query.q] }, { combineWith: 'OR' });
      match = 'any';
    }
    // the index and the cards are built from the same list, so every hit has its card
    return { candidates: hits.map((h) => present(this.#cards.get(h.id as string), `catalog card ${String(h.id)}`)), match };
  }

  search(query: SearchQuery): SearchResult {
    const key = JSON.stringify([
      tokenize(query.q),
      query.lang,
      FACETS.map((f) => [...(query.filters[f] ?? [])].sort()),
      query.page,
      query.pageSize,
    ]);
    const hit = this.#cache.get(key);
    if (hit) {
      this.#cache.delete(key);
      this.#cache.set(key, hit);
      return hit;
    }
    const result = this.#search(query);
    if (this.#cacheSize > 0) {
      this.#cache.set(key, result);
      if (this.#cache.size > this.#cacheSize) {
        const oldest = this.#cache.keys().next(); // a Map iterates in insertion order: the least recently used
        if (!oldest.done) this.#cache.delete(oldest.value);
      }
    }
    return result;
  }

  #search(query: SearchQuery): SearchResult {
    const { candidates, match } = this.#match(query);
    const F = FACETS.length;
    // One mask per filtered facet: which value ids are wanted.
    const masks = FACETS.map((f, i) => {
      const wanted = query.filters[f];
      if (!wanted?.length) return null;
      const mask = new Uint8Array(this.#dict[i].values.length);
      for (const v of wanted) {
        const id = this.#dict[i].ids.get(v);
        if (id !== undefined) mask[id] = 1;
      }
      return mask;
    });
    const counts = this.#dict.map((d) => new Int32Array(d.values.length));
    const passing: SearchCard[] = [];

    for (const card of candidates) {
      // A facet's counts ignore that facet's own filter, so a card failing exactly one filter
      // still counts towards that facet (a user can widen the choice).
      let failed = -1;
      let failures = 0;
      for (let i = 0; i < F && failures < 2; i++) {
        const mask = masks[i];
        if (!mask) continue;
        const ids = card.facetIds[i];
        let ok = false;
        for (let j = 0; j < ids.length; j++) {
          if (mask[ids[j]]) {
            ok = true;
            break;
          }
        }
        if (!ok) {
          failures++;
          failed = i;
        }
      }
      if (failures > 1) continue;
      if (failures === 1) {
        const ids = card.facetIds[failed];
        for (let j = 0; j < ids.length; j++) counts[failed][ids[j]]++;
        continue;
      }
      for (let i = 0; i < F; i++) {
        const ids = card.facetIds[i];
        for (let j = 0; j < ids.length; j++) counts[i][ids[j]]++;
      }
      passing.push(card);
    }

    const facets = Object.fromEntries(
      FACETS.map((f, i) => {
        const selected = new Set(query.filters[f] ?? []);
        const list: FacetCount[] = [];
        this.#dict[i].values.forEach((value, id) => {
          if (counts[i][id] > 0 && !selected.has(value)) list.push({ value, count: counts[i][id] });
        });
        list.sort((a, b) => (f === 'maturity' ? Number(a.value) - Number(b.value) : b.count - a.count || a.value.localeCompare(b.value)));
        const chosen = [...selected].map((value) => ({ value, count: counts[i][this.#dict[i].ids.get(value) ?? -1] ?? 0 }));
        const merged = [...chosen, ...list.slice(0, Math.max(0, FACET_LIMIT - chosen.length))];
        if (f === 'maturity') merged.sort((a, b) => Number(a.value) - Number(b.value));
        return [f, merged];
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
      suggestion: match === 'any' || passing.length === 0 ? didYouMean(query.q, this.#vocabulary) : null,
    };
  }

  /** Services the editors marked as popular (up to n), else the most mature ones. */
  featured(lang: Lang, n = 8): SearchCard[] {
    const marked = this.#byName[lang].filter((c) => c.featured);
    const rest = [...this.#byName[lang]].filter((c) => !c.featured).sort((a, b) => b.maturity - a.maturity);
    return [...marked, ...rest].slice(0, n);
  }
}
