// npm run bench:requests [-- --duration 10] [--connections 20] [--requests 100000] [--citizens 3000]
// On PostgreSQL (BENCH_PG_URL, a fresh database per run): seeds the demo catalogue, inserts --requests
// citizens' requests (40% to the tax administration, the rest over the other agencies, a tenth of them
// overdue), starts the server as a child process and measures in one run:
//   baseline             GET /healthz
//   agency queue         GET /fa/staff/requests as a tax officer (open requests, first page of 50)
//   queue, overdue only  GET /fa/staff/requests?overdue=1
//   filing               POST /fa/requests (an FOI request each, distinct texts; checks: agency, rate
//                        limit, duplicate; insert with its timeline event), from --connections citizens at once
// and writes the table into bench/RESULTS.md.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { arg, benchServerEnv, nationalId, pct, sha256, freshDatabase, measuredOn, waitHealthy, writeSection } from './lib.ts';

const root = path.resolve(import.meta.dirname, '..');
const DURATION = Number(arg('duration', '10'));
const CONNECTIONS = Number(arg('connections', '20'));
const REQUESTS = Number(arg('requests', '100000'));
const CITIZENS = Number(arg('citizens', '3000'));
const PORT = 3993;

const database = await freshDatabase('req');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'panjereh-bench-req-'));
const base = `http://127.0.0.1:${PORT}`;
const env = benchServerEnv({ port: PORT, databaseUrl: database.url, dataDir }, { APPLICATION_JOBS: 'false' });

type Out = { name: string; rate: number; p50: number; p99: number; errors: number; note: string };

async function main() {
  const rows: Out[] = [];
  try {
    const r = spawnSync(process.execPath, [path.join(root, 'bin/panjereh.js'), 'seed', 'demo'], { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    // citizens with sessions (the filers)
    const tokens = Array.from({ length: CITIZENS }, () => crypto.randomBytes(32).toString('base64url'));
    await db.query(
      `with c as (insert into citizens (national_id, mobile) select unnest($1::text[]), unnest($2::text[]) returning id, national_id)
       insert into sessions (token_hash, citizen_id, expires_at)
       select h, c.id, now() + interval '1 day' from c join unnest($1::text[], $3::text[]) as x(nid, h) on x.nid = c.national_id`,
      [
        tokens.map((_, i) => nationalId(400000000 + i * 7919)),
        tokens.map((_, i) => `0913${String(i).padStart(7, '0')}`),
        tokens.map(sha256),
      ],
    );
    // the owner of the preloaded requests is not one of the filers (their daily limit would refuse them)
    const owner = (
      await db.query(`insert into citizens (national_id, mobile) values ($1, '09139999999') returning id, national_id`, [
        nationalId(399999999),
      ])
    ).rows[0];
    const t0 = performance.now();
    await db.query(
      `with a as (select array_agg(id order by id) ids from agencies where id <> 'ir-tax')
       insert into citizen_requests (reference, kind, citizen_id, requester_national_id, agency_id, subject, body, body_hash, status,
         received_at, due_at, created_at)
       select 'RQ-B' || lpad(g::text, 7, '0'), (array['complaint','foi','demand'])[g % 3 + 1], $1, $2,
         case when g % 5 < 2 then 'ir-tax' else a.ids[g % array_length(a.ids, 1) + 1] end,
         'Bench request ' || g, 'Bench request text number ' || g, md5(g::text),
         case when g % 4 = 0 then 'answered' else 'open' end,
         now() - (g % 300) * interval '1 day', now() - (g % 300) * interval '1 day' + interval '20 days' - case when g % 10 = 0 then interval '400 days' else interval '0' end,
         now() - (g % 300) * interval '1 day'
       from generate_series(1, $3) g, a`,
      [owner.id, owner.national_id, REQUESTS],
    );
    await db.query(`analyze citizen_requests`);
    const loadMs = Math.round(performance.now() - t0);
    const tax = (
      await db.query(`select count(*) filter (where status = 'open') open, count(*) n from citizen_requests where agency_id = 'ir-tax'`)
    ).rows[0];
    const staffToken = crypto.randomBytes(32).toString('base64url');
    const s = await db.query(
      `insert into staff (email, name, role, agency_id, totp_enabled) values ('bench.tax@example.ir', 'Bench', 'operator', 'ir-tax', true) returning id`,
    );
    await db.query(
      `insert into staff_sessions (token_hash, staff_id, mfa_passed, expires_at) values ($1, $2, true, now() + interval '1 day')`,
      [sha256(staffToken), s.rows[0].id],
    );

    const server = spawn(process.execPath, [path.join(root, 'bin/panjereh.js'), 'serve'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    try {
      await waitHealthy(`${base}/healthz`, server);
      const cannon = async (name: string, opts: autocannon.Options, note: string) => {
        await autocannon({ ...opts, duration: 2 });
        const x = await autocannon({ ...opts, duration: DURATION });
        rows.push({
          name,
          rate: x.requests.average,
          p50: x.latency.p50,
          p99: x.latency.p99,
          errors: x.errors + x.non2xx + x.timeouts,
          note,
        });
        console.log(rows.at(-1));
      };
      await cannon('baseline GET /healthz', { url: `${base}/healthz`, connections: CONNECTIONS }, `${CONNECTIONS} connections`);
      const cookie = `staff=${staffToken}`;
      await cannon(
        'agency queue GET /fa/staff/requests',
        { url: `${base}/fa/staff/requests`, connections: CONNECTIONS, headers: { cookie } },
        `tax officer; ${tax.n} tax requests (${tax.open} open) of ${REQUESTS}; first page of 50 and the count`,
      );
      await cannon(
        'queue, overdue only',
        { url: `${base}/fa/staff/requests?overdue=1`, connections: CONNECTIONS, headers: { cookie } },
        `${CONNECTIONS} connections`,
      );

      // filing: each lane takes citizens from the pool; each citizen gets a CSRF token once and files up to 9
      let next = 0;
      const lat: number[] = [];
      let errors = 0;
      let seq = 0;
      const file = async (until: number, measure: boolean) => {
        while (performance.now() < until && next < tokens.length) {
          const token = tokens[next++];
          let jar = `session=${token}`;
          const page = await fetch(`${base}/fa/requests/new`, { headers: { cookie: jar } });
          for (const c of page.headers.getSetCookie()) jar += `; ${c.split(';')[0]}`;
          const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
          for (let k = 0; k < 9 && performance.now() < until; k++) {
            const n = seq++;
            const body = new URLSearchParams({
              _csrf: csrf,
              kind: 'foi',
              agencyId: n % 2 ? 'ir-tax' : 'ir-nocr',
              subject: `Bench filing ${n}`,
              body: `How many certificates were issued in month ${n} of 1404, by province?`,
            }).toString();
            const a = performance.now();
            const res = await fetch(`${base}/fa/requests`, {
              method: 'POST',
              body,
              redirect: 'manual',
              headers: { cookie: jar, 'content-type': 'application/x-www-form-urlencoded' },
            });
            await res.arrayBuffer();
            if (res.status !== 303) {
              errors++;
              if (errors < 3) console.error('filing', res.status);
            } else if (measure) lat.push(performance.now() - a);
          }
        }
      };
      await Promise.all(Array.from({ length: CONNECTIONS }, () => file(performance.now() + 2000, false)));
      const start = performance.now();
      await Promise.all(Array.from({ length: CONNECTIONS }, () => file(start + DURATION * 1000, true)));
      const secs = (performance.now() - start) / 1000;
      rows.push({
        name: 'filing POST /fa/requests',
        rate: lat.length / secs,
        p50: pct(lat, 50),
        p99: pct(lat, 99),
        errors,
        note: `${CONNECTIONS} citizens at once (plus one form GET per citizen per 9 filings, not timed); ${REQUESTS} requests already stored`,
      });
      console.log(rows.at(-1));
      await db.end();
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
    const baseline = rows[0].rate;
    writeSection('## Citizens’ requests (`npm run bench:requests`)', [
      `Measured ${measuredOn()}, PostgreSQL, ${DURATION} s per row after a 2 s warm-up; ${REQUESTS} stored requests (loaded in ${loadMs} ms), load generator and server on the same machine.`,
      '',
      '| measurement | req/s | p50 ms | p99 ms | ratio to baseline | errors | notes |',
      '|---|---:|---:|---:|---:|---:|---|',
      ...rows.map(
        (x) => `| ${x.name} | ${x.rate.toFixed(0)} | ${x.p50} | ${x.p99} | ${(x.rate / baseline).toFixed(3)} | ${x.errors} | ${x.note} |`,
      ),
    ]);
  } finally {
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
