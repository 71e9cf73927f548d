// npm run bench:exchange [-- --duration 10 --connections 50]
// On PostgreSQL (a fresh database), with `panjereh serve` as a child process (exchange port and the
// demo registries on), in one run:
//   direct      GET http://127.0.0.1:<civil registry>/persons/0499370899 (the upstream, no exchange)
//   exchange    the same request through the exchange: mutual TLS (keep-alive), X-Road-Client check,
//               grant check, streaming proxy, message log (metadata + encrypted bodies, hash chain,
//               group commit before the last byte is sent), signed batches every 5 s
// Then verifies the message log with the CLI. Writes req/s, p50, p99 and the ratio into bench/RESULTS.md.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { arg, waitHealthy } from './lib.ts';

const root = path.resolve(import.meta.dirname, '..');
const DURATION = Number(arg('duration', '10'));
const CONNECTIONS = Number(arg('connections', '50'));
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PORT = 3979;
const EXCHANGE_PORT = 3980;
const REGISTRY_PORT = 3981;

interface Row {
  name: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  requests: number;
}

function row(name: string, r: autocannon.Result): Row {
  const wrong = Object.entries(r.statusCodeStats ?? {}).filter(([code]) => Number(code) !== 200).reduce((n, [, v]) => n + (v as { count: number }).count, 0);
  const out = { name, reqPerSec: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts + wrong, requests: r.requests.total };
  console.log(`${name.padEnd(10)} ${out.reqPerSec.toFixed(0).padStart(6)} req/s  p50 ${out.p50} ms  p99 ${out.p99} ms  unexpected ${out.errors} of ${out.requests}`);
  return out;
}

const name = `panjereh_bench_exchange_${Date.now()}`;
const admin = new pg.Client({ connectionString: PG_URL });
await admin.connect();
await admin.query(`create database ${name}`);
await admin.end();
const dbUrl = new URL(PG_URL);
dbUrl.pathname = `/${name}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'panjereh-bench-ex-'));
const env = {
  ...process.env,
  DATABASE_URL: dbUrl.toString(),
  DATA_DIR: dataDir,
  PORT: String(PORT),
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  NODE_ENV: 'development',
  SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
  EXCHANGE_PORT: String(EXCHANGE_PORT),
  EXCHANGE_HOST: '127.0.0.1',
  EXCHANGE_DEMO_REGISTRY_PORT: String(REGISTRY_PORT),
  RATE_LIMIT_MAX: '1000000',
};
const server = spawn(process.execPath, [path.join(root, 'bin/panjereh.js'), 'serve'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
const rows: Row[] = [];
let records = '';
try {
  await waitHealthy(`http://127.0.0.1:${PORT}/healthz`, server);
  const certDir = path.join(dataDir, 'cert');
  const issued = spawnSync(process.execPath, [path.join(root, 'bin/panjereh.js'), 'exchange', 'cert', 'issue', '--subsystem', 'GOV/TAX/PORTAL', '--out', certDir], { env, encoding: 'utf8' });
  if (issued.status !== 0) throw new Error(issued.stderr);
  await new Promise((r) => setTimeout(r, 1500)); // the server's registry copy refreshes every second
  const tlsOptions = { key: fs.readFileSync(path.join(certDir, 'key.pem')), cert: fs.readFileSync(path.join(certDir, 'cert.pem')), ca: fs.readFileSync(path.join(certDir, 'ca.pem')) };
  const headers = { 'x-road-client': 'IR/GOV/TAX/PORTAL', 'x-road-issue': 'bench' };
  const targets = [
    { name: 'direct', url: `http://127.0.0.1:${REGISTRY_PORT}/persons/0499370899` },
    { name: 'exchange', url: `https://127.0.0.1:${EXCHANGE_PORT}/r1/IR/GOV/NOCR/REGISTRY/person/persons/0499370899`, headers, tlsOptions },
  ];
  for (const t of targets) {
    await autocannon({ ...t, connections: CONNECTIONS, duration: 2 } as autocannon.Options); // warm-up
    rows.push(row(t.name, await autocannon({ ...t, connections: CONNECTIONS, duration: DURATION } as autocannon.Options)));
  }
  const verify = spawnSync(process.execPath, [path.join(root, 'bin/panjereh.js'), 'exchange', 'verify-log'], { env, encoding: 'utf8' });
  records = verify.stdout.trim();
  console.log(records);
  if (verify.status !== 0) throw new Error('the message log did not verify');
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  const a = new pg.Client({ connectionString: PG_URL });
  await a.connect();
  await a.query(`drop database if exists ${name} with (force)`);
  await a.end();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

const [direct, through] = rows;
const section = [
  '## Exchange (`npm run bench:exchange`)',
  '',
  `PostgreSQL 15, autocannon with ${CONNECTIONS} connections, ${DURATION} s per row after a 2 s warm-up, measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on the same machine (server, demo registry and load generator share its 2 cores). Direct: the demo civil registry (a separate HTTP service) called over plain HTTP. Exchange: the same request through the exchange's TLS port with a client certificate (keep-alive connections), X-Road-Client and grant checks, streaming to the registry, and a message-log record per request (metadata, encrypted bodies, hash chain; the last bytes of each answer wait for its commit). ${records}`,
  '',
  '| route | req/s | p50 ms | p99 ms | ratio to direct | added p99 ms | unexpected responses | requests |',
  '|---|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map((r) => `| ${r.name} | ${r.reqPerSec.toFixed(0)} | ${r.p50} | ${r.p99} | ${(r.reqPerSec / direct.reqPerSec).toFixed(2)} | ${r === direct ? '–' : r.p99 - direct.p99} | ${r.errors} | ${r.requests} |`),
].join('\n');
const file = path.join(root, 'bench', 'RESULTS.md');
const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmark results\n';
const kept = previous.split(/\n(?=## )/).filter((s) => !s.startsWith('## Exchange'));
fs.writeFileSync(file, [...kept.map((s) => s.trimEnd()), section].join('\n\n') + '\n');
console.log(`\nratio ${(through.reqPerSec / direct.reqPerSec).toFixed(2)}; wrote ${file}`);
