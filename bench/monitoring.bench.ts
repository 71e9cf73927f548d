// npm run bench:monitoring [-- --db pglite|postgres] [--duration 5] [--connections 20]
// Loads 300 agencies and 10,000 service cards (synthetic, built from a demo card) plus a published
// monitoring round over every agency, starts the server (a child process) and measures in one run:
//   baseline  GET /api/v1/catalog/state                 one row by primary key
//   overview  GET /fa/monitoring                        national overview page (figures, charts, latest ranking)
//   results   GET /fa/monitoring/rounds/demo-1404-h1    a round's results, first page (50 of 336 agencies ranked)
//             and every page in turn (?page=1..7)
// and writes req/s, p50, p99 and the ratio to the baseline into bench/RESULTS.md (section "Monitoring").
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { arg, benchDatabase, measureRoute, routeTable, startServer, writeSection, type RouteRow } from './lib.ts';
import { loadConfig } from '../src/config.ts';
import { DEMO_CATALOG, openPrepared } from '../src/bootstrap.ts';
import { CatalogService } from '../src/modules/catalog/catalog.service.ts';
import { parsePanjerehJson } from '../src/modules/catalog/importers/panjereh.ts';
import { seedMonitoringDemo } from '../src/modules/monitoring/monitoring.demo.ts';

const DURATION = Number(arg('duration', '5'));
const CONNECTIONS = Number(arg('connections', '20'));
const DB = arg('db', 'pglite') as 'pglite' | 'postgres';
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
  return JSON.stringify({
    attribution: 'synthetic bench data',
    agencies: [...demo.agencies, ...agencies],
    services: [...demo.services, ...services],
  });
}

const env: NodeJS.ProcessEnv = {
  ...process.env,
  LOG_LEVEL: 'warn',
  RATE_LIMIT_MAX: '1000000',
  PORT: String(PORT),
  HOST: '127.0.0.1',
  NODE_ENV: 'development',
  SEED_DEMO: 'never',
  SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
  SMS_GATEWAY: 'file',
};
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'panjereh-bench-mon-'));
env.DATA_DIR = dir;
const dropDb = await benchDatabase(DB, env, 'panjereh_bench_mon');

try {
  console.log(`${DB}: loading ${AGENCIES} agencies, ${SERVICES} services and a published round ...`);
  const t0 = Date.now();
  const handle = await openPrepared(loadConfig(env));
  const summary = await new CatalogService(handle.db).importBatch(parsePanjerehJson(syntheticCatalog()), 'bench');
  const round = await seedMonitoringDemo(handle.db);
  await handle.close();
  console.log(`loaded ${summary.created} services, a round over ${round.subjects} agencies in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const base = `http://127.0.0.1:${PORT}`;
  const stop = await startServer(env, base);
  const o = { connections: CONNECTIONS, duration: DURATION };
  const rows: RouteRow[] = [];
  try {
    rows.push(await measureRoute('baseline', base, ['/api/v1/catalog/state'], o));
    rows.push(await measureRoute('overview', base, ['/fa/monitoring', '/en/monitoring'], o));
    rows.push(await measureRoute('results p1', base, ['/fa/monitoring/rounds/demo-1404-h1', '/en/monitoring/rounds/demo-1404-h1'], o));
    rows.push(
      await measureRoute(
        'results p1-7',
        base,
        Array.from({ length: 7 }, (_, i) => `/${i % 2 ? 'en' : 'fa'}/monitoring/rounds/demo-1404-h1?page=${i + 1}`),
        o,
      ),
    );
  } finally {
    await stop();
  }
  const file = writeSection('## Monitoring (`npm run bench:monitoring`)', [
    '',
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${os.cpus().length} cores, Node ${process.version}, ${DB}; autocannon, ${CONNECTIONS} connections, ${DURATION} s per route after a 2 s warm-up (one short run on a busy machine: indicative only). Data: ${AGENCIES + 36} agencies, ${summary.created} published services with their version history, one published round over every agency. Overview: \`/fa|en/monitoring\` (figures and monthly trends computed from the metric registry, cached per catalogue revision and minute). Results: \`/fa|en/monitoring/rounds/demo-1404-h1\` (${round.subjects} agencies ranked, ${50} a page; results computed once per round revision); "p1-7" walks every page.`,
    '',
    ...routeTable(rows),
  ]);
  console.log(`\nWrote ${file}`);
} finally {
  await dropDb();
  fs.rmSync(dir, { recursive: true, force: true });
}
