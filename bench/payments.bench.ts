// npm run bench:payments [-- --duration 10] [--concurrency 10] [--connections 50]
// On PostgreSQL (BENCH_PG_URL, a fresh database per run): starts the sandbox bank in this process and the
// server as a child process, and measures in one run:
//   baseline            GET /healthz through autocannon
//   complete payments   card payments of submitted applications (fee 1,000,000 rials), each: POST /pay (the
//                       server asks the sandbox for a token), the citizen pays at the sandbox, the callback
//                       POST (the server verifies and settles with the sandbox, records the ledger and the
//                       timeline event), GET the outcome page; payments per second, p50/p99 of the callback
//                       request and of the whole payment
// and writes the table into bench/RESULTS.md.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { arg, benchServerEnv, nationalId, pct, sha256, freshDatabase, waitHealthy, writeSection } from './lib.ts';
import { startSandboxBank } from '../src/modules/payments/sandbox/sandbox.server.ts';

const root = path.resolve(import.meta.dirname, '..');
const DURATION = Number(arg('duration', '10'));
const CONCURRENCY = Number(arg('concurrency', '10'));
const CONNECTIONS = Number(arg('connections', '50'));
const APPS = Number(arg('applications', '20000'));
const PORT = 3992;
const SLUG = 'replace-birth-certificate'; // demo form with a fee (bands; "damaged" pays 1,000,000 rials)

const bank = await startSandboxBank(0);
const database = await freshDatabase('pay');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'panjereh-bench-pay-'));
const base = `http://127.0.0.1:${PORT}`;
// development mode: the sandbox gateway is refused in production (that is the point of it)
const env = benchServerEnv({ port: PORT, databaseUrl: database.url, dataDir }, { PAYMENTS_GATEWAY_URL: bank.url });

/** One citizen paying for one application, like a browser without JavaScript. */
async function payOnce(cookie: string, appId: string): Promise<{ total: number; callback: number }> {
  const t0 = performance.now();
  let jar = cookie;
  let token = '';
  const req = async (method: string, p: string, body?: string, withCookies = true) => {
    const res = await fetch(p.startsWith('http') ? p : base + p, {
      method,
      body,
      redirect: 'manual',
      headers: { ...(withCookies ? { cookie: jar } : {}), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    });
    for (const c of res.headers.getSetCookie()) {
      const [kv] = c.split(';');
      const k = kv.split('=')[0];
      jar = [...jar.split('; ').filter((x) => !x.startsWith(`${k}=`)), kv].join('; ');
    }
    const text = await res.text();
    const m = /name="_csrf" value="([^"]+)"/.exec(text);
    if (m) token = m[1];
    if (res.status >= 400) throw new Error(`${method} ${p}: ${res.status} ${text.slice(0, 120)}`);
    return { res, text };
  };
  await req('GET', `/fa/applications/${appId}/pay`);
  const handover = await req('POST', `/fa/applications/${appId}/pay`, new URLSearchParams({ _csrf: token }).toString());
  const gatewayToken = /name="token" value="([0-9a-f]+)"/.exec(handover.text)?.[1];
  if (!gatewayToken) throw new Error('no hand-over form');
  const paid = bank.pay(gatewayToken, '6037990000000001');
  const c0 = performance.now();
  const cb = await req('POST', paid.callbackUrl, new URLSearchParams(paid.fields!).toString(), false); // cross-site: no cookies
  const c1 = performance.now();
  const outcome = await req('GET', cb.res.headers.get('location')!);
  if (!outcome.text.includes('پرداخت انجام شد')) throw new Error('not paid');
  return { total: performance.now() - t0, callback: c1 - c0 };
}

async function main() {
  const rows: { name: string; rate: string; p50: number; p99: number; errors: number; note: string }[] = [];
  try {
    const r = spawnSync(process.execPath, [path.join(root, 'bin/panjereh.js'), 'seed', 'demo'], { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    const form = (
      await db.query(
        `select f.service_id, f.version, s.agency_id from application_forms f join services s on s.id = f.service_id where s.slug = $1 order by version desc limit 1`,
        [SLUG],
      )
    ).rows[0];
    // CONCURRENCY citizens with sessions, each owning APPS / CONCURRENCY submitted, unpaid applications
    const lanes: { cookie: string; apps: string[] }[] = [];
    const alphabet = 'ABCDEFGHJKLMNPRSTUVWXY23456789';
    for (let i = 0; i < CONCURRENCY; i++) {
      const session = crypto.randomBytes(32).toString('base64url');
      const c = await db.query(`insert into citizens (national_id, mobile) values ($1, $2) returning id`, [
        nationalId(300000000 + i * 7919),
        `0912${String(2000000 + i).slice(-7)}`,
      ]);
      await db.query(`insert into sessions (token_hash, citizen_id, expires_at) values ($1, $2, now() + interval '1 day')`, [
        sha256(session),
        c.rows[0].id,
      ]);
      const per = Math.ceil(APPS / CONCURRENCY);
      const ids = await db.query(
        `insert into applications (reference, service_id, form_version, agency_id, citizen_id, status, answers, submission_token, submitted_at, due_at)
         select 'PJ-' || substr($7, ($6 + g) / 27000 % 30 + 1, 1) || substr($7, ($6 + g) / 900 % 30 + 1, 1) || substr($7, ($6 + g) / 30 % 30 + 1, 1) || substr($7, ($6 + g) % 30 + 1, 1) || '-' || substr($7, $8 + 1, 1) || 'PAY',
                $1, $2, $3, $4, 'submitted', '{"reason": "damaged"}', 'bench-pay-' || $6 + g, now(), now() + interval '15 days'
         from generate_series(1, $5) g returning id`,
        [form.service_id, form.version, form.agency_id, c.rows[0].id, per, i * per, alphabet, i % 30],
      );
      lanes.push({ cookie: `session=${session}`, apps: ids.rows.map((x) => x.id) });
    }
    const server = spawn(process.execPath, [path.join(root, 'bin/panjereh.js'), 'serve'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    try {
      await waitHealthy(`${base}/healthz`, server);
      const b = await autocannon({ url: `${base}/healthz`, connections: CONNECTIONS, duration: DURATION });
      rows.push({
        name: 'baseline GET /healthz',
        rate: `${b.requests.average.toFixed(0)} req/s`,
        p50: b.latency.p50,
        p99: b.latency.p99,
        errors: b.errors + b.non2xx,
        note: `${CONNECTIONS} connections`,
      });
      console.log(rows.at(-1));
      const run = async (seconds: number) => {
        const totals: number[] = [];
        const callbacks: number[] = [];
        let errors = 0;
        const until = performance.now() + seconds * 1000;
        await Promise.all(
          lanes.map(async (lane) => {
            while (performance.now() < until && lane.apps.length) {
              try {
                const x = await payOnce(lane.cookie, lane.apps.pop()!);
                totals.push(x.total);
                callbacks.push(x.callback);
              } catch (e) {
                errors++;
                if (errors < 3) console.error((e as Error).message);
              }
            }
          }),
        );
        return { totals, callbacks, errors };
      };
      await run(2);
      const m = await run(DURATION);
      const rate = m.totals.length / DURATION;
      const paid = Number((await db.query(`select count(*) from paid_applications`)).rows[0].count);
      const ledger = Number((await db.query(`select count(*) from payment_ledger where kind = 'confirmation'`)).rows[0].count);
      rows.push({
        name: 'complete card payments (4 requests + 3 gateway calls)',
        rate: `${rate.toFixed(1)} payments/s (${(rate * 4).toFixed(0)} req/s)`,
        p50: pct(m.callbacks, 50),
        p99: pct(m.callbacks, 99),
        errors: m.errors,
        note: `${CONCURRENCY} citizens at once; callback request (verify + settle + ledger) latency; whole payment p50 ${pct(m.totals, 50)} ms, p99 ${pct(m.totals, 99)} ms; ${paid} paid applications = ${ledger} confirmations`,
      });
      console.log(rows.at(-1));
      await db.end();
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
  } finally {
    await database.drop();
    await bank.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  writeSection('## Payments (`npm run bench:payments`)', [
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${os.cpus().length} cores, PostgreSQL, ${DURATION} s per row; the sandbox bank runs in the load generator's process, the server in its own; all share the machine. A complete payment: the pay page, POST pay (token from the sandbox), the citizen pays at the sandbox, the callback (verify, settle, ledger, timeline), the outcome page.`,
    '',
    '| measurement | rate | p50 ms | p99 ms | errors | notes |',
    '|---|---:|---:|---:|---:|---|',
    ...rows.map((r) => `| ${r.name} | ${r.rate} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.note} |`),
  ]);
}

await main();
