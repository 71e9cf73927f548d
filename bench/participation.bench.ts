// npm run bench:participation [-- --duration 10] [--concurrency 20] [--connections 50] [--comments 10000]
// On PostgreSQL (BENCH_PG_URL, a fresh database per run), the server as a child process; in one run:
//   baseline             GET /healthz through autocannon
//   process page         GET /fa/participation/{slug} of a process with 10,000 comments (first page, newest)
//   deep page            GET ...?sort=supported&after={id} (the last page, most supported, by keyset)
//   votes under load     CONCURRENCY citizens at once, each: GET the page (CSRF token), POST the vote
//                        (one transaction: voter row + the option counters); p50/p99 of the vote request; then
//                        every voter votes again and each second vote must be refused (409); voters = counted
// and writes the table into bench/RESULTS.md.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { arg, benchServerEnv, freePort, nationalId, pct, sha256, freshDatabase, waitHealthy, writeSection } from './lib.ts';

const root = path.resolve(import.meta.dirname, '..');
const DURATION = Number(arg('duration', '10'));
const CONCURRENCY = Number(arg('concurrency', '20'));
const CONNECTIONS = Number(arg('connections', '50'));
const COMMENTS = Number(arg('comments', '10000'));
const VOTERS = Number(arg('voters', '20000'));
const PORT = await freePort();
const SLUG = 'bench-consultation';

const database = await freshDatabase('part');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'panjereh-bench-part-'));
const base = `http://127.0.0.1:${PORT}`;
const env = benchServerEnv({ port: PORT, databaseUrl: database.url, dataDir });

/** A citizen's vote like a browser without JavaScript: the page (CSRF token), then the POST; its status and latency. */
async function vote(cookie: string, pollId: string): Promise<{ status: number; ms: number }> {
  let jar = cookie;
  const res0 = await fetch(`${base}/fa/participation/${SLUG}`, { headers: { cookie: jar } });
  for (const c of res0.headers.getSetCookie()) jar += `; ${c.split(';')[0]}`;
  const token = /name="_csrf" value="([^"]+)"/.exec(await res0.text())?.[1] ?? '';
  const t0 = performance.now();
  const res = await fetch(`${base}/fa/participation/${SLUG}/polls/${pollId}/vote`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({ _csrf: token, option: Math.random() < 0.6 ? 'o1' : 'o2' }).toString(),
    headers: { cookie: jar, 'content-type': 'application/x-www-form-urlencoded' },
  });
  await res.text();
  return { status: res.status, ms: performance.now() - t0 };
}

async function main() {
  const rows: { name: string; rate: string; p50: number; p99: number; errors: number; note: string }[] = [];
  try {
    const r = spawnSync(process.execPath, [path.join(root, 'bin/panjereh.js'), 'migrate'], { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    const p = await db.query(
      `insert into participation_processes (slug, agency_id, title, summary, phase, opens_at, closes_at)
       values ($1, 'ir-tax', '{"fa":"نظرخواهی آزمایشی","en":"Bench consultation"}', '{"fa":"خلاصه","en":"Summary"}', 'consultation',
               now() - interval '1 day', now() + interval '30 days') returning id`,
      [SLUG],
    );
    const processId = p.rows[0].id;
    await db.query(
      `insert into participation_sections (process_id, position, title, body)
       select $1, g, jsonb_build_object('fa', 'ماده ' || g, 'en', 'Article ' || g), '{"fa":"متن","en":"Text"}' from generate_series(1, 3) g`,
      [processId],
    );
    const poll = await db.query(
      `insert into participation_polls (process_id, question, options, opens_at, closes_at)
       values ($1, '{"fa":"موافقید؟","en":"Agree?"}', '[{"key":"o1","label":{"fa":"بله","en":"Yes"}},{"key":"o2","label":{"fa":"نه","en":"No"}}]',
               now() - interval '1 day', now() + interval '10 days') returning id`,
      [processId],
    );
    const pollId = poll.rows[0].id;
    // the citizens: COMMENTS authors and VOTERS voters (one session each)
    const ids = Array.from({ length: Math.max(VOTERS, 1000) }, (_, i) => nationalId(400000000 + i * 7));
    const citizens = await db.query(
      `insert into citizens (national_id, mobile) select n, '0912' || lpad(i::text, 7, '0') from unnest($1::text[]) with ordinality as x(n, i) returning id`,
      [ids],
    );
    const citizenIds: string[] = citizens.rows.map((x) => x.id);
    await db.query(
      `insert into participation_comments (process_id, citizen_id, author_kind, body, body_hash, supports, created_at)
       select $1, ($2::uuid[])[1 + g % array_length($2::uuid[], 1)], 'citizen', 'نظر شماره ' || g || ' درباره این پیش‌نویس؛ متنی به اندازه یک نظر معمولی با چند جمله.',
              md5(g::text), (g * 7919) % 50, now() - (g || ' seconds')::interval
       from generate_series(1, $3) g`,
      [processId, citizenIds.slice(0, 1000), COMMENTS],
    );
    await db.query(
      `update participation_processes set top_comments = (select count(*) from participation_comments where process_id = $1 and parent_id is null) where id = $1`,
      [processId],
    );
    const sessions = citizenIds.slice(0, VOTERS).map(() => crypto.randomBytes(24).toString('base64url'));
    await db.query(
      `insert into sessions (token_hash, citizen_id, expires_at) select h, c, now() + interval '1 day' from unnest($1::text[], $2::uuid[]) as x(h, c)`,
      [sessions.map(sha256), citizenIds.slice(0, VOTERS)],
    );
    await db.query('analyze');
    const server = spawn(process.execPath, [path.join(root, 'bin/panjereh.js'), 'serve'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    try {
      await waitHealthy(`${base}/healthz`, server);
      const ac = async (name: string, url: string, note: string) => {
        await autocannon({ url, connections: CONNECTIONS, duration: 2 });
        const b = await autocannon({ url, connections: CONNECTIONS, duration: DURATION });
        rows.push({
          name,
          rate: `${b.requests.average.toFixed(0)} req/s`,
          p50: b.latency.p50,
          p99: b.latency.p99,
          errors: b.errors + b.non2xx,
          note,
        });
        console.log(rows.at(-1));
        return b.requests.average;
      };
      const baseline = await ac('baseline GET /healthz', `${base}/healthz`, `${CONNECTIONS} connections`);
      const page = await ac(
        `process page, ${COMMENTS.toLocaleString('en')} comments (page 1, newest)`,
        `${base}/fa/participation/${SLUG}`,
        `${CONNECTIONS} connections; 20 comments a page with their replies, 3 sections, the poll`,
      );
      rows.at(-1)!.note += `; ${(baseline / page).toFixed(1)}× the baseline's time per request`;
      // the last page of "most supported": the page after the comment at position (last - 1) * 20 (keyset)
      const last = Math.ceil(COMMENTS / 20);
      const cursor = (
        await db.query(
          `select id from participation_comments where process_id = $1 and parent_id is null
           order by supports desc, created_at desc, id desc offset $2 limit 1`,
          [processId, (last - 1) * 20 - 1],
        )
      ).rows[0]?.id;
      const deep = await ac(
        `process page, most supported, page ${last}`,
        `${base}/fa/participation/${SLUG}?sort=supported&after=${cursor}`,
        `${CONNECTIONS} connections; the last page (keyset: after the comment at position ${(last - 1) * 20})`,
      );
      rows.at(-1)!.note += `; ${(baseline / deep).toFixed(1)}× the baseline's time per request`;

      // votes: CONCURRENCY lanes over the voters, each voter once
      const queue = sessions.map((s) => `session=${s}`);
      const voted: string[] = [];
      const lat: number[] = [];
      let errors = 0;
      const until = performance.now() + DURATION * 1000;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (performance.now() < until && queue.length) {
            const cookie = queue.pop()!;
            const v = await vote(cookie, pollId).catch(() => ({ status: 0, ms: 0 }));
            if (v.status === 303) {
              voted.push(cookie);
              lat.push(v.ms);
            } else errors++;
          }
        }),
      );
      const rate = voted.length / DURATION;
      // everyone votes again, all at once in CONCURRENCY lanes: each must be refused
      const again = [...voted];
      let refused = 0;
      let accepted = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (again.length) {
            const v = await vote(again.pop()!, pollId).catch(() => ({ status: 0, ms: 0 }));
            if (v.status === 409) refused++;
            else if (v.status === 303) accepted++;
          }
        }),
      );
      const counts = (
        await db.query(
          `select (select count(*) from participation_poll_voters where poll_id = $1) as voters, (select coalesce(sum(votes), 0) from participation_poll_tallies where poll_id = $1) as ballots`,
          [pollId],
        )
      ).rows[0];
      rows.push({
        name: 'votes under load (GET page + POST vote)',
        rate: `${rate.toFixed(1)} votes/s (${(rate * 2).toFixed(0)} req/s)`,
        p50: pct(lat, 50),
        p99: pct(lat, 99),
        errors,
        note: `${CONCURRENCY} citizens at once; POST vote latency; second votes: ${refused} refused (409), ${accepted} accepted; voters ${counts.voters} = ballots ${counts.ballots}`,
      });
      console.log(rows.at(-1));
      await db.end();
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
  } finally {
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  writeSection('## Participation (`npm run bench:participation`)', [
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${os.cpus().length} cores (shared with other work), PostgreSQL, ${DURATION} s per row after a 2 s warm-up; the load generator and the server share the machine.`,
    '',
    '| measurement | rate | p50 ms | p99 ms | errors | notes |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.name} | ${r.rate} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.note} |`),
  ]);
}

await main();
