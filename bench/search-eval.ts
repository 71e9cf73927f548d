// The search-quality evaluation (issue 17): every query of bench/search-eval.queries.json (colloquial Persian,
// misspellings, Arabic-keyboard letters, Finglish, everyday English; each with the services that answer it)
// is run against the search index built from the demo catalogue, exactly as /search runs it, and scored:
//   success@k  the share of queries with an expected service among the first k results
//   MRR        the mean of 1 / (rank of the first expected service), 0 when none is in the first 10
// Used by `npm run eval:search` (bench/search.eval.ts) and by src/modules/catalog/catalog.eval.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import type { AgencyRow, ServiceRow } from '../src/modules/catalog/catalog.repository.ts';

export interface EvalQuery {
  kind: string;
  lang: 'fa' | 'en';
  q: string;
  expect: string[];
}

export interface QueryOutcome extends EvalQuery {
  /** 1-based rank of the first expected service in the first 10 results; 0 when none. */
  rank: number;
  top: string[];
}

export interface Scores {
  queries: number;
  success1: number;
  success5: number;
  mrr: number;
}

/** What the evaluation needs of a search index (the current one, or another checkout's). */
export interface Searchable {
  search(q: { q: string; lang: 'fa' | 'en'; filters: Record<string, never>; page: number; pageSize: number }): {
    items: { slug: string }[];
  };
}

export const QUERIES_FILE = path.join(import.meta.dirname, 'search-eval.queries.json');

export function loadQueries(file = QUERIES_FILE): EvalQuery[] {
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { queries: EvalQuery[] }).queries;
}

export function runQueries(index: Searchable, queries: EvalQuery[]): QueryOutcome[] {
  return queries.map((query) => {
    const top = index.search({ q: query.q, lang: query.lang, filters: {}, page: 1, pageSize: 10 }).items.map((c) => c.slug);
    const i = top.findIndex((s) => query.expect.includes(s));
    return { ...query, rank: i + 1, top };
  });
}

export function score(outcomes: QueryOutcome[]): Scores {
  const n = outcomes.length || 1;
  return {
    queries: outcomes.length,
    success1: outcomes.filter((o) => o.rank === 1).length / n,
    success5: outcomes.filter((o) => o.rank >= 1 && o.rank <= 5).length / n,
    mrr: outcomes.reduce((s, o) => s + (o.rank ? 1 / o.rank : 0), 0) / n,
  };
}

/** The published demo catalogue's rows, as the catalogue service reads them (imported into a migrated in-memory PGlite). */
export async function demoCatalogueRows(): Promise<{ services: ServiceRow[]; agencies: AgencyRow[] }> {
  const { openDatabase } = await import('../src/db/connect.ts');
  const { migrateToLatest } = await import('../src/db/migrate.ts');
  const { DEMO_CATALOG } = await import('../src/bootstrap.ts');
  const { parsePanjerehJson } = await import('../src/modules/catalog/importers/panjereh.ts');
  const { CatalogService } = await import('../src/modules/catalog/catalog.service.ts');
  const h = await openDatabase({ dataDir: '', memory: true });
  try {
    await migrateToLatest(h.db);
    const catalog = new CatalogService(h.db);
    await catalog.importBatch(parsePanjerehJson(fs.readFileSync(DEMO_CATALOG, 'utf8')), 'eval:search');
    const [services, agencies] = await Promise.all([catalog.repo.publishedServices(), catalog.repo.agenciesWithCounts()]);
    return { services, agencies };
  } finally {
    await h.close();
  }
}
