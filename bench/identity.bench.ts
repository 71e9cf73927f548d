// npm run bench:identity [-- --duration 10 --connections 50]
// On PostgreSQL (a fresh database), with the server as a child process, in one run:
//   baseline       GET /api/v1/catalog/state (one row by primary key)
//   code request   POST /en/sign-in: a fresh valid national ID and mobile each time (CSRF token,
//                  rate-limit checks, mobile ownership check, code HMAC, SMS to the file outbox, audit entry)
//   verification   POST /en/sign-in/code: each challenge from the run before, with its code read from
//                  the SMS outbox (HMAC compare, consume, citizen upsert, session, audit entry)
// Writes req/s, p50, p99 and the ratio to the baseline into bench/RESULTS.md.
import { spawn, type ChildProcess } from 'node:child_process';
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
const PORT = 3989;
const base = `http://127.0.0.1:${PORT}`;

function nationalId(seed: number): string {
  const nine = String(100_000_000 + seed).slice(-9);
  const r = [...nine].reduce((acc, d, i) => acc + Number(d) * (10 - i), 0) % 11;
  return nine + String(r < 2 ? r : 11 - r);
}

interface Row {
  name: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  requests: number;
}

function row(name: string, r: autocannon.Result, expected: number): Row {
  const wrong = Object.entries(r.statusCodeStats ?? {}).filter(([code]) => Number(code) !== expected).reduce((n, [, v]) => n + (v as { count: number }).count, 0);
  const out = { name, reqPerSec: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts + wrong, requests: r.requests.total };
  console.log(`${name.padEnd(14)} ${out.reqPerSec.toFixed(0).padStart(6)} req/s  p50 ${out.p50} ms  p99 ${out.p99} ms  unexpected ${out.errors} of ${out.requests}`);
  return out;
}

const name = `panjereh_bench_identity_${Date.now()}`;
const admin = new pg.Client({ connectionString: PG_URL });
await admin.connect();
await admin.query(`create database ${name}`);
await admin.end();
const dbUrl = new URL(PG_URL);
dbUrl.pathname = `/${name}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'panjereh-bench-id-'));
const env = { ...process.env, DATABASE_URL: dbUrl.toString(), DATA_DIR: dataDir, PORT: String(PORT), HOST: '127.0.0.1', LOG_LEVEL: 'warn', NODE_ENV: 'production', SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-0123', SMS_GATEWAY: 'file', RATE_LIMIT_MAX: '1000000', SIGN_IN_CODES_PER_ADDRESS_HOUR: '10000000' };
const server = spawn(process.execPath, [path.join(root, 'bin/panjereh.js'), 'serve'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
const rows: Row[] = [];
try {
  await waitHealthy(`${base}/healthz`, server);
  // One CSRF token and its cookie serve every form post of the run (tokens are not single-use).
  const page = await fetch(`${base}/en/sign-in`);
  const csrfCookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1];
  const opts = { url: base, connections: CONNECTIONS, duration: DURATION };

  rows.push(row('baseline', await autocannon({ ...opts, requests: [{ method: 'GET', path: '/api/v1/catalog/state' }] }), 200));

  let seq = 0;
  const challenges: { id: string; mobile: string }[] = [];
  const codeRequests = await autocannon({
    ...opts,
    requests: [
      {
        method: 'POST',
        path: '/en/sign-in',
        setupRequest: (req: Record<string, unknown>, context: Record<string, unknown>) => {
          const n = ++seq;
          const mobile = `09${String(100_000_000 + n).slice(-9)}`;
          context.mobile = mobile;
          return { ...req, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie }, body: `_csrf=${encodeURIComponent(token)}&nationalId=${nationalId(n)}&mobile=${mobile}` };
        },
        onResponse: (status: number, _body: string, context: Record<string, unknown>, headers: Record<string, string | string[]>) => {
          const set = ([] as string[]).concat(headers['set-cookie'] ?? []).find((c) => c.startsWith('signin='));
          if (status === 303 && set) challenges.push({ id: set.split(';')[0].slice('signin='.length), mobile: String(context.mobile) });
        },
      },
    ],
  } as unknown as autocannon.Options);
  rows.push(row('code request', codeRequests, 303));

  const codes = new Map<string, string>();
  for (const line of fs.readFileSync(path.join(dataDir, 'outbox', 'sms.jsonl'), 'utf8').trim().split('\n')) {
    const m = JSON.parse(line) as { to: string; text: string };
    codes.set(m.to, /\b(\d{6})\b/.exec(m.text)![1]);
  }
  let next = 0;
  const verifications = await autocannon({
    url: base,
    connections: CONNECTIONS,
    amount: challenges.length,
    requests: [
      {
        method: 'POST',
        path: '/en/sign-in/code',
        setupRequest: (req: Record<string, unknown>) => {
          const c = challenges[next++ % challenges.length];
          return { ...req, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${csrfCookie}; signin=${c.id}` }, body: `_csrf=${encodeURIComponent(token)}&code=${codes.get(c.mobile)}` };
        },
      },
    ],
  } as unknown as autocannon.Options);
  rows.push(row('verification', verifications, 303));
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  const a = new pg.Client({ connectionString: PG_URL });
  await a.connect();
  await a.query(`drop database if exists ${name} with (force)`);
  await a.end();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

const section = [
  '## Identity (`npm run bench:identity`)',
  '',
  `PostgreSQL 15, autocannon with ${CONNECTIONS} connections, ${DURATION} s per route (verification: one request per code issued in the run before), measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on the same machine. Code request: a fresh valid national ID and mobile each time, through CSRF check, rate-limit queries, the mobile-ownership check, code HMAC, the SMS file outbox and the audit log. Verification: HMAC compare, consume, citizen upsert, new session, audit entry. The audit log is one hash chain, so its appends are serialised cluster-wide.`,
  '',
  '| route | req/s | p50 ms | p99 ms | ratio to baseline | unexpected responses | requests |',
  '|---|---:|---:|---:|---:|---:|---:|',
  ...rows.map((r) => `| ${r.name} | ${r.reqPerSec.toFixed(0)} | ${r.p50} | ${r.p99} | ${(r.reqPerSec / rows[0].reqPerSec).toFixed(2)} | ${r.errors} | ${r.requests} |`),
].join('\n');
const file = path.join(root, 'bench', 'RESULTS.md');
const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmark results\n';
const kept = previous.split(/\n(?=## )/).filter((s) => !s.startsWith('## Identity'));
fs.writeFileSync(file, [...kept.map((s) => s.trimEnd()), section].join('\n\n') + '\n');
console.log(`\nWrote ${file}`);
