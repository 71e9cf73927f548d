// The search dictionary editors maintain, and anonymous counts of what people search for.
// No HTTP and no SQL here (search.repository.ts holds it).
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { InTx } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { normalizeText } from '../../platform/persian.ts';
import { SearchRepository, type QueryCount, type SynonymRow } from './search.repository.ts';
import { normalizeTerm, toDictionary, type Dictionary } from './catalog.synonyms.ts';

export const TERM_MAX = 60;
export const EXPANSION_MAX = 100;
export const EXPANSIONS_MAX = 10;

/** What an editor typed: a term, and expansions one per line (or separated by commas). */
export interface EntryInput {
  term: string;
  expansions: string;
}

export type EntryField = 'term' | 'expansions';
export type EntryProblem = { field: EntryField; code: 'empty' | 'too-long' | 'same-as-term' | 'duplicate' | 'too-many' };

export interface Entry {
  term: string;
  expansions: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const entryOf = (r: SynonymRow): Entry => ({ term: r.term, expansions: r.expansions });

/** The entry as it will be stored (normalised), or what is wrong with it (duplicates are checked on save). */
export function checkEntry(input: EntryInput): { entry: Entry; problems: EntryProblem[] } {
  const rawTerm = String(input.term ?? '').trim();
  const term = normalizeTerm(rawTerm.slice(0, 1000));
  const expansions = [
    ...new Set(
      String(input.expansions ?? '')
        .split(/[\n,،]/)
        .map((e) => normalizeTerm(e.slice(0, 1000)))
        .filter(Boolean),
    ),
  ];
  const problems: EntryProblem[] = [];
  if (!term) problems.push({ field: 'term', code: 'empty' });
  else if (term.length > TERM_MAX) problems.push({ field: 'term', code: 'too-long' });
  if (!expansions.length) problems.push({ field: 'expansions', code: 'empty' });
  else if (expansions.length > EXPANSIONS_MAX) problems.push({ field: 'expansions', code: 'too-many' });
  else if (expansions.some((e) => e.length > EXPANSION_MAX)) problems.push({ field: 'expansions', code: 'too-long' });
  else if (term && expansions.includes(term)) problems.push({ field: 'expansions', code: 'same-as-term' });
  return { entry: { term, expansions }, problems };
}

export type SaveResult = { ok: true; entry: Entry } | { ok: false; problems: EntryProblem[] };

export class SearchDictionaryService {
  readonly repo: SearchRepository;

  /** changed: called after each committed change, so this node's next search uses the new dictionary. */
  constructor(
    db: Kysely<Database>,
    private readonly bumpRevision: (tx: Transaction<Database>) => Promise<void>,
    private readonly changed: () => void,
  ) {
    this.repo = new SearchRepository(db);
  }

  entries(): Promise<SynonymRow[]> {
    return this.repo.synonyms();
  }

  /** The dictionary as search uses it. */
  async dictionary(): Promise<Dictionary> {
    return toDictionary(await this.repo.synonyms());
  }

  async entry(id: string): Promise<SynonymRow> {
    const row = UUID.test(id) ? await this.repo.findSynonym(id.toLowerCase()) : undefined;
    if (!row) throw new AppError('NOT_FOUND', 'There is no such dictionary entry.');
    return row;
  }

  /** Adds an entry (id null) or changes one; audited by `then` with before and after in the same transaction. */
  async save(id: string | null, input: EntryInput, author: string, then?: InTx<{ id: string; before: Entry | null; after: Entry }>) {
    const { entry, problems } = checkEntry(input);
    if (problems.length) return { ok: false, problems } satisfies SaveResult;
    const result = await this.repo.transaction(async (tx): Promise<SaveResult> => {
      const old = id && UUID.test(id) ? await this.repo.findSynonym(id, tx) : undefined;
      if (id && !old) throw new AppError('NOT_FOUND', 'There is no such dictionary entry.');
      const same = await this.repo.findTerm(tx, entry.term);
      if (same && same.id !== old?.id) return { ok: false, problems: [{ field: 'term', code: 'duplicate' }] };
      const row = old
        ? await this.repo.updateSynonym(tx, old.id, entry.term, entry.expansions, author)
        : await this.repo.insertSynonym(tx, entry.term, entry.expansions, author);
      await this.bumpRevision(tx);
      await then?.(tx, { id: row.id, before: old ? entryOf(old) : null, after: entryOf(row) });
      return { ok: true, entry: entryOf(row) };
    });
    if (result.ok) this.changed();
    return result;
  }

  async remove(id: string, then?: InTx<{ id: string; before: Entry }>): Promise<void> {
    await this.entry(id);
    await this.repo.transaction(async (tx) => {
      const old = await this.repo.findSynonym(id.toLowerCase(), tx);
      if (!old) throw new AppError('NOT_FOUND', 'There is no such dictionary entry.');
      await this.repo.deleteSynonym(tx, old.id);
      await this.bumpRevision(tx);
      await then?.(tx, { id: old.id, before: entryOf(old) });
    });
    this.changed();
  }
}

/** A query that looks like a national ID, a mobile, postal or card number (8+ digits, spaces and dashes between them ignored) or an email: never stored. */
export function looksPersonal(query: string): boolean {
  const text = normalizeText(query);
  return /\d{8,}/.test(text.replace(/(\d)[\s\-+().]+(?=\d)/g, '$1')) || text.includes('@');
}

/**
 * Counts searches in memory (normalised query, language, found anything, per day; never who searched) and
 * adds them to search_query_counts at most every flushMs, from the search path, without waiting.
 */
export class SearchLog {
  #pending = new Map<string, { day: string; lang: string; query: string; searches: number; zero_results: number }>();
  #lastFlush = Date.now();
  #flushing: Promise<void> | null = null;

  constructor(
    private readonly repo: SearchRepository,
    private readonly flushMs = 10_000,
    private readonly maxPending = 5000,
  ) {}

  record(q: string, lang: string, found: boolean, now = new Date()): void {
    if (looksPersonal(q)) return;
    const query = normalizeTerm(q).slice(0, 200);
    if (!query) return;
    const day = now.toISOString().slice(0, 10);
    const key = `${day}\u0000${lang}\u0000${query}`;
    let row = this.#pending.get(key);
    if (!row) {
      if (this.#pending.size >= this.maxPending) return; // a flood of distinct queries waits for the next flush
      row = { day, lang, query, searches: 0, zero_results: 0 };
      this.#pending.set(key, row);
    }
    row.searches++;
    if (!found) row.zero_results++;
    if (Date.now() - this.#lastFlush >= this.flushMs) void this.flush().catch(() => {});
  }

  /** Writes what was counted since the last flush (one statement); counts that fail to write are kept. */
  flush(): Promise<void> {
    this.#flushing ??= (async () => {
      this.#lastFlush = Date.now();
      const rows = [...this.#pending.values()];
      this.#pending = new Map();
      try {
        await this.repo.addCounts(rows);
      } catch (e) {
        for (const r of rows) {
          const key = `${r.day}\u0000${r.lang}\u0000${r.query}`;
          const cur = this.#pending.get(key);
          if (cur) {
            cur.searches += r.searches;
            cur.zero_results += r.zero_results;
          } else this.#pending.set(key, r);
        }
        throw e;
      }
    })().finally(() => (this.#flushing = null));
    return this.#flushing;
  }

  /** Top searches and top zero-result searches of the last `days` days (counts pending on this node included). */
  async top(days = 30, limit = 50): Promise<{ top: QueryCount[]; zero: QueryCount[] }> {
    await this.flush();
    const since = new Date(Date.now() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
    const [top, zero] = await Promise.all([this.repo.topQueries(since, false, limit), this.repo.topQueries(since, true, limit)]);
    return { top, zero };
  }
}
