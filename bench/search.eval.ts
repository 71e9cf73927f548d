// npm run eval:search [-- --before DIR [--before-label TEXT]] [--show-failures]
// Scores catalogue search on the evaluation set (bench/search-eval.queries.json, see bench/search-eval.ts):
// success@1, success@5 and MRR, overall and per kind of query, and writes them into bench/RESULTS.md.
// --before DIR scores another checkout's search index (DIR/src/modules/catalog/catalog.search.ts) on the
// same catalogue rows in the same run, e.g. a `git worktree add` of the commit before a search change.
import path from 'node:path';
import { arg, writeSection } from './lib.ts';
import { demoCatalogueRows, loadQueries, runQueries, score, type QueryOutcome, type Scores, type Searchable } from './search-eval.ts';
import { SearchIndex } from '../src/modules/catalog/catalog.search.ts';

const AIM = 0.9;
const before = arg('before', '');
const queries = loadQueries();
const { services, agencies } = await demoCatalogueRows();

async function indexFrom(dir: string | null): Promise<Searchable> {
  if (!dir) return SearchIndex.build(1, services, agencies, 0);
  const mod = (await import(path.resolve(dir, 'src/modules/catalog/catalog.search.ts'))) as { SearchIndex: typeof SearchIndex };
  return mod.SearchIndex.build(1, services, agencies, 0);
}

const f = (x: number) => x.toFixed(3);
const kinds = [...new Set(queries.map((q) => q.kind))];
const rowsFor = (label: string, outcomes: QueryOutcome[]) => {
  const all = score(outcomes);
  const per = kinds.map((k) => [k, score(outcomes.filter((o) => o.kind === k))] as [string, Scores]);
  return [
    `| ${label} | all (${all.queries}) | ${f(all.success1)} | ${f(all.success5)} | ${f(all.mrr)} |`,
    ...per.map(([k, s]) => `| ${label} | ${k} (${s.queries}) | ${f(s.success1)} | ${f(s.success5)} | ${f(s.mrr)} |`),
  ];
};

const runs: [string, QueryOutcome[]][] = [];
const beforeLabel = arg('before-label', `before (${path.basename(path.resolve(before || '.'))})`);
if (before) runs.push([beforeLabel, runQueries(await indexFrom(before), queries)]);
const now = runQueries(await indexFrom(null), queries);
runs.push(['now', now]);

const table = [
  '| search | queries | success@1 | success@5 | MRR |',
  '|---|---|---:|---:|---:|',
  ...runs.flatMap(([l, o]) => rowsFor(l, o)),
];
console.log(table.join('\n'));
const failures = now.filter((o) => o.rank === 0 || o.rank > 5);
if (process.argv.includes('--show-failures'))
  for (const o of failures) console.log(`miss  [${o.kind}] ${o.q}  -> ${o.top.slice(0, 3).join(', ') || '(nothing)'}`);
const s5 = score(now).success5;
writeSection('Search quality (`npm run eval:search`)', [
  `${queries.length} queries people type (colloquial Persian, misspellings, Arabic-keyboard letters, Finglish, everyday`,
  'English) against the demo catalogue, each with the services that answer it (`bench/search-eval.queries.json`).',
  `success@k: an expected service among the first k results; MRR: mean of 1/rank (0 beyond 10). Aim: success@5 >= ${AIM}.`,
  `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
  '',
  ...table,
  '',
  `Missed at 5 now (${failures.length}): ${failures.map((o) => `\`${o.q}\``).join(', ') || 'none'}.`,
]);
process.exit(s5 >= AIM ? 0 : 1);
