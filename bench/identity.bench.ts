// npm run bench:identity [-- --duration 10 --connections 50]
// On PostgreSQL (a fresh database), with the server as a child process, in one run:
//   baseline       GET /api/v1/catalog/state (one row by primary key)
//   code request   POST /en/sign-in: a fresh valid national ID and mobile each time (CSRF token,
//                  rate-limit checks, mobile ownership check, code HMAC, SMS to the file outbox, audit entry)
//   verification   POST /en/sign-in/code: each challenge from the run before, with its code read from
//                  the SMS outbox (HMAC compare, consume, citizen upsert, session, audit entry)
// Writes req/s, p50, p99 and the ratio to the baseline into bench/RESULTS.md.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { arg, freshDatabase, row, type Row, waitHealthy, writeSection } from './lib.ts';

const root = path.resolve(import.meta.dirname, '..');
const DURATION = Number(arg('duration', '10'));
const CONNECTIONS = Number(arg('connections', '50'));
const PORT = 3989;
const base = `http://127.0.0.1:${PORT}`;

function nationalId(seed: number): string {
  const nine = String(100_000_000 + seed).slice(-9);
  const r = [...nine].reduce((acc, d, i) => acc + Number(d) * (10 - i), 0) % 11;
  return nine + String(r < 2 ? r : 11 - r);
}

const database = await freshDatabase('identity');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'panjereh-bench-id-'));
const env = {
  ...process.env,
  DATABASE_URL: database.url,
  DATA_DIR: dataDir,
  PORT: String(PORT),
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  NODE_ENV: 'development',
  SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
  SMS_GATEWAY: 'file',
  RATE_LIMIT_MAX: '1000000',
  SIGN_IN_CODES_PER_ADDRESS_HOUR: '10000000',
};
const server = spawn(process.execPath, [path.join(root, 'bin/panjereh.js'), 'serve'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
const rows: Row[] = [];
try {
  await waitHealthy(`${base}/healthz`, server);
  // One CSRF token and its cookie serve every form post of the run (tokens are not single-use).
  const page = await fetch(`${base}/en/sign-in`);
  const csrfCookie = page.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
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
          return {
            ...req,
            headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
            body: `_csrf=${encodeURIComponent(token)}&nationalId=${nationalId(n)}&mobile=${mobile}`,
          };
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
  for (const line of fs
    .readFileSync(path.join(dataDir, 'outbox', 'sms.jsonl'), 'utf8')
    .trim()
    .split('\n')) {
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
          return {
            ...req,
            headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${csrfCookie}; signin=${c.id}` },
            body: `_csrf=${encodeURIComponent(token)}&code=${codes.get(c.mobile)}`,
          };
        },
      },
    ],
  } as unknown as autocannon.Options);
  rows.push(row('verification', verifications, 303));
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  await database.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

writeSection('## Identity (`npm run bench:identity`)', [
  `PostgreSQL 15, autocannon with ${CONNECTIONS} connections, ${DURATION} s per route (verification: one request per code issued in the run before), measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on the same machine. Code request: a fresh valid national ID and mobile each time, through CSRF check, rate-limit queries, the mobile-ownership check, code HMAC, the SMS file outbox and the audit log. Verification: HMAC compare, consume, citizen upsert, new session, audit entry. The audit log is one hash chain, so its appends are serialised cluster-wide.`,
  '',
  '| route | req/s | p50 ms | p99 ms | ratio to baseline | unexpected responses | requests |',
  '|---|---:|---:|---:|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.name} | ${r.reqPerSec.toFixed(0)} | ${r.p50} | ${r.p99} | ${(r.reqPerSec / rows[0].reqPerSec).toFixed(2)} | ${r.errors} | ${r.requests} |`,
  ),
]);
