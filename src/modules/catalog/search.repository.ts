// SQL of the search dictionary (search_synonyms) and the anonymous search counts (search_query_counts).
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, SearchSynonymTable } from '../../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;
export type SynonymRow = Selectable<SearchSynonymTable>;

export interface QueryCount {
  query: string;
  lang: string;
  searches: number;
  zero_results: number;
}

export class SearchRepository {
  constructor(private readonly db: Kysely<Database>) {}

  transaction<T>(fn: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  synonyms(db: Db = this.db): Promise<SynonymRow[]> {
    return db.selectFrom('search_synonyms').selectAll().orderBy('term').execute();
  }

  findSynonym(id: string, db: Db = this.db): Promise<SynonymRow | undefined> {
    return db.selectFrom('search_synonyms').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  }

  findTerm(db: Db, term: string): Promise<SynonymRow | undefined> {
    return db.selectFrom('search_synonyms').selectAll().where('term', '=', term).executeTakeFirst();
  }

  insertSynonym(db: Db, term: string, expansions: string[], author: string): Promise<SynonymRow> {
    return db
      .insertInto('search_synonyms')
      .values({ term, expansions: sql<string[]>`${expansions}::text[]`, author })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  updateSynonym(db: Db, id: string, term: string, expansions: string[], author: string): Promise<SynonymRow> {
    return db
      .updateTable('search_synonyms')
      .set({ term, expansions: sql<string[]>`${expansions}::text[]`, author, updated_at: sql`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async deleteSynonym(db: Db, id: string): Promise<void> {
    await db.deleteFrom('search_synonyms').where('id', '=', id).execute();
  }

  /** Adds counted searches to their day's rows (one statement per flush). */
  async addCounts(rows: { day: string; lang: string; query: string; searches: number; zero_results: number }[]): Promise<void> {
    if (!rows.length) return;
    await this.db
      .insertInto('search_query_counts')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['day', 'lang', 'query']).doUpdateSet({
          searches: sql`search_query_counts.searches + excluded.searches`,
          zero_results: sql`search_query_counts.zero_results + excluded.zero_results`,
        }),
      )
      .execute();
  }

  /** The most searched queries since a day; with zeroOnly, those that most often found nothing. */
  topQueries(since: string, zeroOnly: boolean, limit: number): Promise<QueryCount[]> {
    const searches = sql<number>`sum(searches)::int`;
    const zero = sql<number>`sum(zero_results)::int`;
    let q = this.db
      .selectFrom('search_query_counts')
      .select(['query', 'lang', searches.as('searches'), zero.as('zero_results')])
      .where('day', '>=', since)
      .groupBy(['query', 'lang']);
    if (zeroOnly) q = q.having(sql<boolean>`sum(zero_results) > 0`);
    return q
      .orderBy(zeroOnly ? zero : searches, 'desc')
      .orderBy('query')
      .limit(limit)
      .execute();
  }
}
