// npm run bench:applications [-- --duration 10] [--concurrency 20] [--connections 50] [--rows 100000]
// On PostgreSQL (BENCH_PG_URL, a fresh database per run), starts the server (a child process) and
// measures in one run:
//   baseline      GET /healthz through autocannon
//   submissions   complete online applications, each by its own signed-in citizen: start, three
//                 question pages, a small PNG upload (multipart), check your answers, submit; the
//                 rate of whole applications per second, with p50/p99 of the submit request and of
//                 the whole journey (7 requests)
//   queue page    GET /fa/staff/applications (an operator's queue, deadline order) with ROWS
//                 applications in the database
// and writes the table into bench/RESULTS.md.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { arg, freshDatabase, waitHealthy, writeSection } from './lib.ts';

const root = path.resolve(import.meta.dirname, '..');
const DURATION = Number(arg('duration', '10'));
const CONCURRENCY = Number(arg('concurrency', '20'));
const CONNECTIONS = Number(arg('connections', '50'));
const ROWS = Number(arg('rows', '100000'));
const PORT = 3991;
const SLUG = 'get-a-food-handler-health-card';
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4a20000000049454e44ae426082',
  'hex',
);
const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] * 10) / 10 : 0;
};
function nationalId(n: number): string {
  const body = String(100000000 + n).slice(0, 9);
  const sum = [...body].reduce((s, d, i) => s + Number(d) * (10 - i), 0) % 11;
  return body + String(sum < 2 ? sum : 11 - sum);
}

const database = await freshDatabase('apps');
const DB_URL = database.url;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'panjereh-bench-apps-'));
const env: NodeJS.ProcessEnv = {
  ...process.env,
  DATABASE_URL: DB_URL,
  DATA_DIR: dataDir,
  LOG_LEVEL: 'warn',
  RATE_LIMIT_MAX: '1000000',
  PORT: String(PORT),
  HOST: '127.0.0.1',
  NODE_ENV: 'development',
  SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
  SMS_GATEWAY: 'file',
  DATABASE_POOL_SIZE: '20',
};
const base = `http://127.0.0.1:${PORT}`;

/** One citizen's complete application over HTTP, like a browser without JavaScript. */
async function applyOnce(cookie: string): Promise<{ total: number; submit: number }> {
  const t0 = performance.now();
  let jar = cookie;
  let token = '';
  const req = async (method: string, p: string, body?: BodyInit, type?: string) => {
    const res = await fetch(base + p, {
      method,
      body,
      redirect: 'manual',
      headers: { cookie: jar, ...(type ? { 'content-type': type } : {}) },
    });
    const set = res.headers.getSetCookie();
    for (const c of set) {
      const [kv] = c.split(';');
      const k = kv.split('=')[0];
      jar = [...jar.split('; ').filter((x) => !x.startsWith(`${k}=`)), kv].join('; ');
    }
    const text = await res.text();
    const m = /name="_csrf" value="([^"]+)"/.exec(text);
    if (m) token = m[1];
    if (res.status >= 400) throw new Error(`${method} ${p}: ${res.status}`);
    return { res, text };
  };
  const form = (o: Record<string, string>) => new URLSearchParams({ _csrf: token, ...o }).toString();
  const urlenc = 'application/x-www-form-urlencoded';
  await req('GET', `/fa/services/${SLUG}/apply`);
  const started = await req('POST', `/fa/services/${SLUG}/apply`, form({}), urlenc);
  const app = started.res.headers.get('location')!;
  await req('POST', `${app}/questions/name`, form({ fullName: 'زهرا کریمی' }), urlenc);
  await req('POST', `${app}/questions/workplace`, form({ workplace: 'رستوران گلستان', workplacePostcode: '1317653718' }), urlenc);
  const fd = new FormData();
  fd.append('_csrf', token);
  fd.append('photo', new Blob([PNG], { type: 'image/png' }), 'photo.png');
  await req('POST', `${app}/questions/photo`, fd);
  const check = await req('GET', `${app}/check`);
  const submissionToken = /name="submissionToken" value="([^"]+)"/.exec(check.text)?.[1];
  if (!submissionToken) throw new Error('no submit form: ' + check.text.slice(0, 200));
  const s0 = performance.now();
  const done = await req('POST', `${app}/submit`, form({ submissionToken }), urlenc);
  const s1 = performance.now();
  if (!/confirmation$/.test(done.res.headers.get('location') ?? '')) throw new Error('not confirmed');
  return { total: s1 - t0, submit: s1 - s0 };
}

async function main() {
  const rows: { name: string; rate: string; p50: number; p99: number; errors: number; note: string }[] = [];
  try {
    const r = spawnSync(process.execPath, [path.join(root, 'bin/panjereh.js'), 'seed', 'demo'], { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    const db = new pg.Client({ connectionString: DB_URL });
    await db.connect();
    // citizens with sessions (sign-in itself is measured by bench:identity)
    const cookies: string[] = [];
    for (let i = 0; i < CONCURRENCY; i++) {
      const token = crypto.randomBytes(32).toString('base64url');
      const c = await db.query(`insert into citizens (national_id, mobile) values ($1, $2) returning id`, [
        nationalId(200000000 + i * 7919),
        `0912${String(1000000 + i).slice(-7)}`,
      ]);
      await db.query(`insert into sessions (token_hash, citizen_id, expires_at) values ($1, $2, now() + interval '1 day')`, [
        sha256(token),
        c.rows[0].id,
      ]);
      cookies.push(`session=${token}`);
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

      // complete submissions: CONCURRENCY citizens applying in a loop (warm-up 2 s)
      const run = async (seconds: number) => {
        const totals: number[] = [];
        const submits: number[] = [];
        let errors = 0;
        const until = performance.now() + seconds * 1000;
        await Promise.all(
          cookies.map(async (c) => {
            while (performance.now() < until) {
              try {
                const x = await applyOnce(c);
                totals.push(x.total);
                submits.push(x.submit);
              } catch (e) {
                errors++;
                if (errors < 3) console.error((e as Error).message);
              }
            }
          }),
        );
        return { totals, submits, errors };
      };
      await run(2);
      const m = await run(DURATION);
      const rate = m.totals.length / DURATION;
      rows.push({
        name: 'complete submissions (7 requests, 1 upload)',
        rate: `${rate.toFixed(0)} applications/s (${(rate * 7).toFixed(0)} req/s)`,
        p50: pct(m.submits, 50),
        p99: pct(m.submits, 99),
        errors: m.errors,
        note: `${CONCURRENCY} citizens at once; submit request latency; whole journey p50 ${pct(m.totals, 50)} ms, p99 ${pct(m.totals, 99)} ms`,
      });
      console.log(rows.at(-1));

      // the operator queue with ROWS applications
      const form = await db.query(
        `select f.service_id, f.version, s.agency_id from application_forms f join services s on s.id = f.service_id where s.slug = $1 order by version desc limit 1`,
        [SLUG],
      );
      const { service_id, version, agency_id } = form.rows[0];
      const citizen = (await db.query(`select id from citizens limit 1`)).rows[0].id;
      const alphabet = 'ABCDEFGHJKLMNPRSTUVWXY23456789';
      await db.query(
        `insert into applications (reference, service_id, form_version, agency_id, citizen_id, status, answers, submission_token, submitted_at, due_at)
         select 'PJ-' || substr($6, (g / 810000) % 30 + 1, 1) || substr($6, (g / 27000) % 30 + 1, 1) || substr($6, (g / 900) % 30 + 1, 1) || substr($6, (g / 30) % 30 + 1, 1) || '-' || substr($6, g % 30 + 1, 1) || 'B' || 'C' || substr($6, (g / 24300000) % 30 + 1, 1),
           $1, $2, $3, $4, (array['submitted','in-review','info-requested','resubmitted','approved','rejected'])[g % 6 + 1], '{}', 'bench-' || g,
           now() - (g % 60) * interval '1 day', now() - (g % 60) * interval '1 day' + interval '15 days'
         from generate_series(1, $5) g`,
        [service_id, version, agency_id, citizen, ROWS, alphabet],
      );
      await db.query('analyze applications');
      const total = Number((await db.query('select count(*) from applications')).rows[0].count);
      const token = crypto.randomBytes(32).toString('base64url');
      const st = await db.query(
        `insert into staff (email, name, role, agency_id, totp_enabled) values ('bench.operator@example.ir', 'Bench', 'operator', $1, true) returning id`,
        [agency_id],
      );
      await db.query(
        `insert into staff_sessions (token_hash, staff_id, mfa_passed, expires_at) values ($1, $2, true, now() + interval '1 day')`,
        [sha256(token), st.rows[0].id],
      );
      const headers = { cookie: `staff=${token}` };
      for (const [label, p] of [
        ['queue page (open, by deadline)', '/fa/staff/applications'],
        ['queue page (overdue, page 20)', '/fa/staff/applications?overdue=1&page=20'],
      ]) {
        const q = await autocannon({ url: base + p, connections: 10, duration: DURATION, headers });
        rows.push({
          name: label,
          rate: `${q.requests.average.toFixed(0)} req/s`,
          p50: q.latency.p50,
          p99: q.latency.p99,
          errors: q.errors + q.non2xx,
          note: `${total.toLocaleString('en')} applications in the database, 10 connections`,
        });
        console.log(rows.at(-1));
      }
      await db.end();
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
  } finally {
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  writeSection('## Online applications (`npm run bench:applications`)', [
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${os.cpus().length} cores, PostgreSQL, ${DURATION} s per row; load generator and server share the machine. A complete submission is one citizen's whole journey for "${SLUG}": start page, start, two question pages, a 100-byte PNG upload (multipart, streamed, sniffed, SHA-256, fsynced), check your answers, submit.`,
    '',
    '| measurement | rate | p50 ms | p99 ms | errors | notes |',
    '|---|---:|---:|---:|---:|---|',
    ...rows.map((r) => `| ${r.name} | ${r.rate} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.note} |`),
  ]);
}

await main();
