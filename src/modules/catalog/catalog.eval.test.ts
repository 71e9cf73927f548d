// The search-quality evaluation (bench/search-eval.queries.json) as a test: catalogue search must keep
// success@5 at or above 0.9 on the queries people type, and the set must only expect published cards.
// `npm run eval:search` prints the same scores per kind of query and writes them into bench/RESULTS.md.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoCatalogueRows, loadQueries, runQueries, score } from '../../../bench/search-eval.ts';
import { SearchIndex } from './catalog.search.ts';

test('search quality: success@5 >= 0.9 on the evaluation set (colloquial, misspelt, Arabic keyboard, Finglish, English)', async () => {
  const { services, agencies } = await demoCatalogueRows();
  const queries = loadQueries();
  assert.ok(queries.length >= 150, `at least 150 queries (${queries.length})`);
  const published = new Set(services.map((s) => s.slug));
  for (const q of queries) for (const slug of q.expect) assert.ok(published.has(slug), `"${q.q}" expects ${slug}, a published card`);
  const outcomes = runQueries(await SearchIndex.build(1, services, agencies, 0), queries);
  const s = score(outcomes);
  const misses = outcomes.filter((o) => o.rank === 0 || o.rank > 5).map((o) => o.q);
  assert.ok(s.success5 >= 0.9, `success@5 ${s.success5.toFixed(3)} (missed: ${misses.join(', ')})`);
  assert.ok(s.mrr >= 0.85, `MRR ${s.mrr.toFixed(3)}`);
});
