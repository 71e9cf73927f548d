// npm run bench:catalog [-- --db pglite|postgres|both] [--duration 10] [--connections 50]
// Starts the server (a child process) on each database with the demo catalogue plus Kenya's and
// Canada's catalogues (~6,900 services), then measures with autocannon, in one run:
//   baseline  GET /api/v1/catalog/state           one row by primary key
//   search    GET /api/v1/services?...            a mix of Persian and English queries, facets, typos
//   card page GET /fa|en/services/{slug}          the service card page
// and writes req/s, p50, p99 and the ratio to the baseline into bench/RESULTS.md.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';

const root = path.resolve(import.meta.dirname, '..');
const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const DURATION = Number(arg('duration', '10'));
const CONNECTIONS = Number(arg('connections', '50'));
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PORT = 3990;

const SEARCHES = [
  'q=%DA%AF%D8%B0%D8%B1%D9%86%D8%A7%D9%85%D9%87', // گذرنامه
  'q=%D9%83%D8%A7%D8%B1%D8%AA%20%D9%85%D9%84%D9%8A', // كارت ملي (Arabic letters)
  'q=%D9%85%D8%A7%D9%84%DB%8C%D8%A7%D8%AA&category=tax-finance', // مالیات + facet
  'q=%D8%AF%D8%B1%D8%AE%D9%88%D8%A7%D8%B3%D8%AA%20%D9%87%D8%A7', // درخواست ها (space instead of ZWNJ)
  'q=%D8%B4%D9%86%D8%A7%D8%B3', // شناس (prefix while typing)
  'lang=en&q=pasport', // typo
  'lang=en&q=business%20licence&audience=businesses',
  'lang=en&q=fishing%20permit',
  'lang=en&q=tax&maturity=3&maturity=4',
  'lang=en&q=complaint',
  'lang=en&channel=online&page=3', // browse with a facet, page 3
  'lang=en&q=student%20loan&pageSize=50',
];

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

async function waitHealthy(url: string, child: ChildProcess) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error('server exited');
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not become healthy');
}

async function measure(db: string, name: string, base: string, paths: string[]): Promise<Row> {
  const opts = { url: base, connections: CONNECTIONS, pipelining: 1, requests: paths.map((p) => ({ method: 'GET' as const, path: p })) };
  await autocannon({ ...opts, duration: 2 }); // warm-up
  const r = await autocannon({ ...opts, duration: DURATION });
  const row = { db, name, reqPerSec: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx + r.timeouts, bytes: Math.round(r.throughput.average / Math.max(1, r.requests.average)) };
  console.log(`${db.padEnd(9)} ${name.padEnd(10)} ${row.reqPerSec.toFixed(0).padStart(7)} req/s  p50 ${row.p50} ms  p99 ${row.p99} ms  errors ${row.errors}`);
  return row;
}

async function benchDatabase(db: 'pglite' | 'postgres'): Promise<{ rows: Row[]; services: number }> {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', RATE_LIMIT_MAX: '100000000', PORT: String(PORT), HOST: '127.0.0.1', NODE_ENV: 'production', SEED_DEMO: 'auto' };
  let cleanup = async () => {};
  if (db === 'pglite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'panjereh-bench-'));
    env.DATA_DIR = dir;
    delete env.DATABASE_URL;
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else {
    const name = `panjereh_bench_${Date.now()}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(PG_URL);
    u.pathname = `/${name}`;
    env.DATABASE_URL = u.toString();
    cleanup = async () => {
      const a = new pg.Client({ connectionString: PG_URL });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    };
  }
  try {
    console.log(`${db}: loading demo + Kenya + Canada catalogues ...`);
    cli(['seed', 'demo'], env);
    cli(['catalog', 'import', path.join(root, 'datasets/catalogues/kenya-ecitizen-services-2026-02.csv'), '--format', 'kenya-ecitizen'], env);
    cli(['catalog', 'import', path.join(root, 'datasets/catalogues/canada-gc-service-inventory-2016-2019.csv'), '--format', 'canada-gc'], env);
    const server = spawn(process.execPath, [path.join(root, 'bin/panjereh.js'), 'serve'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    const base = `http://127.0.0.1:${PORT}`;
    try {
      await waitHealthy(`${base}/healthz`, server);
      const all = (await (await fetch(`${base}/api/v1/services?pageSize=100&lang=en`)).json()) as { total: number; items: { slug: string }[] };
      const slugs = [
        ...all.items.slice(0, 10).map((i) => `/en/services/${i.slug}`),
        ...((await (await fetch(`${base}/api/v1/services?pageSize=10&agency=ir-nocr`)).json()) as { items: { slug: string }[] }).items.map((i) => `/fa/services/${i.slug}`),
      ];
      const rows = [
        await measure(db, 'baseline', base, ['/api/v1/catalog/state']),
        await measure(db, 'search', base, SEARCHES.map((q) => `/api/v1/services?${q}`)),
        await measure(db, 'card page', base, slugs),
      ];
      return { rows, services: all.total };
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
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
  'Baseline: `GET /api/v1/catalog/state`, one row read by primary key. Search: a rotating mix of 12 Persian and English queries (Arabic-keyboard letters, ZWNJ variants, prefixes, a typo, facets, paging). Card page: rotating server-rendered service card pages in fa and en.',
  '',
  '| database | published services | route | req/s | p50 ms | p99 ms | ratio to baseline | errors | bytes/response |',
  '|---|---:|---|---:|---:|---:|---:|---:|---:|',
];
for (const r of results) {
  const base = r.rows[0].reqPerSec;
  for (const row of r.rows) {
    lines.push(`| ${r.db} | ${r.services} | ${row.name} | ${row.reqPerSec.toFixed(0)} | ${row.p50} | ${row.p99} | ${(row.reqPerSec / base).toFixed(2)} | ${row.errors} | ${row.bytes} |`);
  }
}
const file = path.join(root, 'bench', 'RESULTS.md');
const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
const otherSections = previous.split(/\n(?=## )/).filter((s) => s.startsWith('## ') && !s.startsWith('## Catalogue'));
fs.writeFileSync(file, [lines.join('\n'), ...otherSections].join('\n\n') + '\n');
console.log(`\nWrote ${file}`);
