// npm run bench:catalog [-- --db pglite|postgres|both] [--duration 10] [--connections 50]
// Starts the server (a child process) on each database with the demo catalogue plus Kenya's and
// Canada's catalogues (~6,900 services), then measures with autocannon, in one run:
//   baseline  GET /api/v1/catalog/state           one row by primary key
//   search    GET /api/v1/services?...            a mix of Persian and English queries, facets, typos
//   card page GET /fa|en/services/{slug}          the service card page
// and writes req/s, p50, p99 and the ratio to the baseline into bench/RESULTS.md.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { arg, freshDatabase, waitHealthy } from './lib.ts';
import { diverseQueries, SEARCHES } from './queries.ts';

const root = path.resolve(import.meta.dirname, '..');
const DURATION = Number(arg('duration', '10'));
const CONNECTIONS = Number(arg('connections', '50'));
const PORT = 3990;

interface Row {
  db: string;
  name: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  bytes: number;
}

function cli(args: string[], env: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/panjereh.js'), ...args], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`panjereh ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim().split('\n').pop();
}

async function measure(db: string, name: string, base: string, paths: string[]): Promise<Row> {
  const opts = { url: base, connections: CONNECTIONS, pipelining: 1, requests: paths.map((p) => ({ method: 'GET' as const, path: p })) };
  await autocannon({ ...opts, duration: 2 }); // warm-up
  const r = await autocannon({ ...opts, duration: DURATION });
  const row = {
    db,
    name,
    reqPerSec: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.non2xx + r.timeouts,
    bytes: Math.round(r.throughput.average / Math.max(1, r.requests.average)),
  };
  console.log(
    `${db.padEnd(9)} ${name.padEnd(18)} ${row.reqPerSec.toFixed(0).padStart(7)} req/s  p50 ${row.p50} ms  p99 ${row.p99} ms  errors ${row.errors}`,
  );
  return row;
}

async function benchDatabase(db: 'pglite' | 'postgres'): Promise<{ rows: Row[]; services: number }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_MAX: '1000000',
    PORT: String(PORT),
    HOST: '127.0.0.1',
    NODE_ENV: 'development',
    SEED_DEMO: 'auto',
    SEARCH_CACHE_SIZE: '0',
    SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
    SMS_GATEWAY: 'file',
  };
  let cleanup: () => Promise<void>;
  if (db === 'pglite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'panjereh-bench-'));
    env.DATA_DIR = dir;
    delete env.DATABASE_URL;
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else {
    const database = await freshDatabase('catalog');
    env.DATABASE_URL = database.url;
    cleanup = database.drop;
  }
  try {
    console.log(`${db}: loading demo + Kenya + Canada catalogues ...`);
    cli(['seed', 'demo'], env);
    cli(
      ['catalog', 'import', path.join(root, 'datasets/catalogues/kenya-ecitizen-services-2026-02.csv'), '--format', 'kenya-ecitizen'],
      env,
    );
    cli(
      ['catalog', 'import', path.join(root, 'datasets/catalogues/canada-gc-service-inventory-2016-2019.csv'), '--format', 'canada-gc'],
      env,
    );
    const base = `http://127.0.0.1:${PORT}`;
    const searchPaths = [...SEARCHES, ...diverseQueries(400)].map((q) => `/api/v1/services?${q}`);
    const rows: Row[] = [];
    let services = 0;
    // First run: every search computed (cache off). Second run: the production default cache.
    for (const cache of ['0', '1000']) {
      const server = spawn(process.execPath, [path.join(root, 'bin/panjereh.js'), 'serve'], {
        env: { ...env, SEARCH_CACHE_SIZE: cache },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      try {
        await waitHealthy(`${base}/healthz`, server);
        if (cache === '0') {
          const all = (await (await fetch(`${base}/api/v1/services?pageSize=100&lang=en`)).json()) as {
            total: number;
            items: { slug: string }[];
          };
          services = all.total;
          const slugs = [
            ...all.items.slice(0, 10).map((i) => `/en/services/${i.slug}`),
            ...(
              (await (await fetch(`${base}/api/v1/services?pageSize=10&agency=ir-nocr`)).json()) as { items: { slug: string }[] }
            ).items.map((i) => `/fa/services/${i.slug}`),
          ];
          rows.push(await measure(db, 'baseline', base, ['/api/v1/catalog/state']));
          rows.push(await measure(db, 'search (cache off)', base, searchPaths));
          rows.push(await measure(db, 'card page', base, slugs));
        } else {
          rows.push(await measure(db, 'search (cache on)', base, searchPaths));
        }
      } finally {
        server.kill('SIGTERM');
        await new Promise((r) => server.once('exit', r));
      }
    }
    return { rows, services };
  } finally {
    await cleanup();
  }
}

const which = arg('db', 'both');
const dbs = (which === 'both' ? ['pglite', 'postgres'] : [which]) as ('pglite' | 'postgres')[];
const results: { db: string; rows: Row[]; services: number }[] = [];
for (const db of dbs) results.push({ db, ...(await benchDatabase(db)) });

const lines = [
  '# Benchmark results',
  '',
  `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
  `autocannon, ${CONNECTIONS} connections, ${DURATION} s per route after a 2 s warm-up; server and load generator share the machine.`,
  '',
  '## Catalogue (`npm run bench:catalog`)',
  '',
  "Baseline: `GET /api/v1/catalog/state`, one row read by primary key. Search: a rotating mix of 412 distinct Persian and English queries (12 written by hand: Arabic-keyboard letters, ZWNJ variants, a prefix, a typo, facets, paging; 400 generated from the catalogue's own words: whole words, words typed halfway, swapped letters, facets), measured twice: with the result cache turned off (`SEARCH_CACHE_SIZE=0`), so every request is searched, and with the default cache of 1,000 results per node (after the warm-up every query of the mix is cached: this row shows repeated, popular queries). Card page: rotating server-rendered service card pages in fa and en.",
  '',
  '| database | published services | route | req/s | p50 ms | p99 ms | ratio to baseline | errors | bytes/response |',
  '|---|---:|---|---:|---:|---:|---:|---:|---:|',
];
for (const r of results) {
  const base = r.rows[0].reqPerSec;
  for (const row of r.rows) {
    lines.push(
      `| ${r.db} | ${r.services} | ${row.name} | ${row.reqPerSec.toFixed(0)} | ${row.p50} | ${row.p99} | ${(row.reqPerSec / base).toFixed(2)} | ${row.errors} | ${row.bytes} |`,
    );
  }
}
const file = path.join(root, 'bench', 'RESULTS.md');
const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
const otherSections = previous.split(/\n(?=## )/).filter((s) => s.startsWith('## ') && !s.startsWith('## Catalogue'));
fs.writeFileSync(file, [lines.join('\n'), ...otherSections].join('\n\n') + '\n');
console.log(`\nWrote ${file}`);
