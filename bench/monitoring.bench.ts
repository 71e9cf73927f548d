// npm run bench:monitoring [-- --db pglite|postgres] [--duration 5] [--connections 20]
// Loads 300 agencies and 10,000 service cards (synthetic, built from a demo card) plus a published
// monitoring round over every agency, starts the server (a child process) and measures in one run:
//   baseline  GET /api/v1/catalog/state                 one row by primary key
//   overview  GET /fa/monitoring                        national overview page (figures, charts, latest ranking)
//   results   GET /fa/monitoring/rounds/demo-1404-h1    a round's results: 336 agencies ranked, criterion scores
// and writes req/s, p50, p99 and the ratio to the baseline into bench/RESULTS.md (section "Monitoring").
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { arg, waitHealthy } from './lib.ts';
import { loadConfig } from '../src/config.ts';
import { DEMO_CATALOG, openPrepared } from '../src/bootstrap.ts';
import { CatalogService } from '../src/modules/catalog/catalog.service.ts';
import { parsePanjerehJson } from '../src/modules/catalog/importers/panjereh.ts';
import { seedMonitoringDemo } from '../src/modules/monitoring/monitoring.demo.ts';

const root = path.resolve(import.meta.dirname, '..');
const DURATION = Number(arg('duration', '5'));
const CONNECTIONS = Number(arg('connections', '20'));
const DB = arg('db', 'pglite') as 'pglite' | 'postgres';
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PORT = 3991;
const AGENCIES = 300;
const SERVICES = 10_000;

function syntheticCatalog(): string {
  const demo = JSON.parse(fs.readFileSync(DEMO_CATALOG, 'utf8'));
  const card = demo.services[0];
  const agencies = Array.from({ length: AGENCIES }, (_, i) => ({
    code: `bench-a${String(i).padStart(3, '0')}`,
    name: { fa: `دستگاه آزمایشی ${i}`, en: `Bench agency ${i}` },
    website: `https://a${i}.bench.example.ir`,
    contact: {},
    connected: i % 3 !== 0,
    connectedSince: i % 3 !== 0 ? `${2018 + (i % 8)}-03-21` : undefined,
  }));
  const services = Array.from({ length: SERVICES }, (_, i) => ({
    ...card,
    slug: `bench-s${String(i).padStart(5, '0')}`,
    agency: agencies[i % AGENCIES].code,
    name: { fa: `خدمت آزمایشی ${i}`, en: `Bench service ${i}` },
    maturity: 1 + (i % 5),
    summary: i % 4 ? card.summary : {},
  }));
  return JSON.stringify({ attribution: 'synthetic bench data', agencies: [...demo.agencies, ...agencies], services: [...demo.services, ...services] });
}

async function measure(name: string, base: string, paths: string[]) {
  const opts = { url: base, connections: CONNECTIONS, pipelining: 1, requests: paths.map((p) => ({ method: 'GET' as const, path: p })) };
  await autocannon({ ...opts, duration: 2 });
  const r = await autocannon({ ...opts, duration: DURATION });
  const row = { name, reqPerSec: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx + r.timeouts, bytes: Math.round(r.throughput.average / Math.max(1, r.requests.average)) };
  console.log(`${name.padEnd(10)} ${row.reqPerSec.toFixed(0).padStart(7)} req/s  p50 ${row.p50} ms  p99 ${row.p99} ms  errors ${row.errors}`);
  return row;
}

const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', RATE_LIMIT_MAX: '1000000', PORT: String(PORT), HOST: '127.0.0.1', NODE_ENV: 'production', SEED_DEMO: 'never', SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-0123', SMS_GATEWAY: 'file' };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'panjereh-bench-mon-'));
env.DATA_DIR = dir;
let dropDb = async () => {};
if (DB === 'postgres') {
  const name = `panjereh_bench_mon_${Date.now()}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  env.DATABASE_URL = u.toString();
  dropDb = async () => {
    const a = new pg.Client({ connectionString: PG_URL });
    await a.connect();
    await a.query(`drop database if exists ${name} with (force)`);
    await a.end();
  };
} else delete env.DATABASE_URL;

try {
  console.log(`${DB}: loading ${AGENCIES} agencies, ${SERVICES} services and a published round ...`);
  const t0 = Date.now();
  const handle = await openPrepared(loadConfig(env));
  const summary = await new CatalogService(handle.db).importBatch(parsePanjerehJson(syntheticCatalog()), 'bench');
  const round = await seedMonitoringDemo(handle.db);
  await handle.close();
  console.log(`loaded ${summary.created} services, a round over ${round.subjects} agencies in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const base = `http://127.0.0.1:${PORT}`;
  const server = spawn(process.execPath, [path.join(root, 'bin/panjereh.js'), 'serve'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const rows: Awaited<ReturnType<typeof measure>>[] = [];
  try {
    await waitHealthy(`${base}/healthz`, server);
    rows.push(await measure('baseline', base, ['/api/v1/catalog/state']));
    rows.push(await measure('overview', base, ['/fa/monitoring', '/en/monitoring']));
    rows.push(await measure('results', base, ['/fa/monitoring/rounds/demo-1404-h1', '/en/monitoring/rounds/demo-1404-h1']));
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
  const lines = [
    '## Monitoring (`npm run bench:monitoring`)',
    '',
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${os.cpus().length} cores, Node ${process.version}, ${DB}; autocannon, ${CONNECTIONS} connections, ${DURATION} s per route after a 2 s warm-up (one short run on a busy machine: indicative only). Data: ${AGENCIES + 36} agencies, ${summary.created} published services with their version history, one published round over every agency. Overview: \`/fa|en/monitoring\` (figures computed from the catalogue as of now, cached per catalogue revision and minute). Results: \`/fa|en/monitoring/rounds/demo-1404-h1\` (${round.subjects} agencies ranked; results cached per set of published rounds).`,
    '',
    '| route | req/s | p50 ms | p99 ms | ratio to baseline | errors | bytes/response |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.name} | ${r.reqPerSec.toFixed(0)} | ${r.p50} | ${r.p99} | ${(r.reqPerSec / rows[0].reqPerSec).toFixed(2)} | ${r.errors} | ${r.bytes} |`),
  ];
  const file = path.join(root, 'bench', 'RESULTS.md');
  const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const parts = previous.split(/\n(?=## )/).filter((s) => !s.startsWith('## Monitoring'));
  fs.writeFileSync(file, [...parts.map((p) => p.trimEnd()), lines.join('\n')].join('\n\n') + '\n');
  console.log(`\nWrote ${file}`);
} finally {
  await dropDb();
  fs.rmSync(dir, { recursive: true, force: true });
}
