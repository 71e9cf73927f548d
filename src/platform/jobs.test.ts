// The job primitive on a real database: a table of its own with the standard job columns.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { freshDatabase } from '../../test/helpers/db.ts';
import type { DatabaseHandle } from '../db/connect.ts';
import { backoffMs, JobRunner, type HandlerResult, type JobRunnerOptions, type JobTable } from './jobs.ts';

interface Row {
  id: string;
  attempts: number;
  status: string;
  last_error: string | null;
  next_attempt_at: Date;
  done_at: Date | null;
  finished_at: Date | null;
}

const TABLE: JobTable = {
  table: 'test_jobs',
  claimable: ['queued', 'running'],
  running: 'running',
  waiting: 'queued',
  done: 'done',
  dead: 'dead',
  orderBy: 'created_at',
  doneAt: 'done_at',
  endedAt: 'finished_at',
  startedAt: 'started_at',
};

let h: DatabaseHandle;
before(async () => {
  h = await freshDatabase();
  await sql`create table test_jobs (
    id text primary key, status text not null default 'queued', attempts int not null default 0,
    next_attempt_at timestamptz not null default now(), last_error text, created_at timestamptz not null default clock_timestamp(),
    started_at timestamptz, done_at timestamptz, finished_at timestamptz, result text)`.execute(h.db);
});
after(() => h.close());
beforeEach(() => sql`delete from test_jobs`.execute(h.db));

const add = async (n: number) => {
  for (let i = 0; i < n; i++) await sql`insert into test_jobs (id) values (${`j${String(i).padStart(3, '0')}`})`.execute(h.db);
};
const rows = async () => (await sql<Row>`select * from test_jobs order by id`.execute(h.db)).rows;
const makeDue = () => sql`update test_jobs set next_attempt_at = now() where status <> 'running'`.execute(h.db);
const runner = (handler: (j: Row) => Promise<HandlerResult>, o: Partial<JobRunnerOptions<Row>> = {}) =>
  new JobRunner<Row>(h.db, {
    name: 'test',
    table: TABLE,
    handler,
    maxAttempts: 4,
    backoff: { baseMs: 1000, capMs: 60_000 },
    leaseSeconds: 60,
    batch: 3,
    pollMs: 10,
    ...o,
  });
const tick = () => new Promise((r) => setTimeout(r, 2));

test('the one back-off: doubles from the base, capped, with jitter between half and all of it', () => {
  assert.equal(
    backoffMs(1000, 60_000, 1, () => 1),
    1000,
  );
  assert.equal(
    backoffMs(1000, 60_000, 1, () => 0),
    500,
  );
  assert.equal(
    backoffMs(1000, 60_000, 4, () => 1),
    8000,
  );
  assert.equal(
    backoffMs(1000, 60_000, 30, () => 1),
    60_000,
  );
});

test('two runners passing at the same time never run the same job at once, and each job runs once', async () => {
  await add(20);
  const running = new Set<string>();
  const runs = new Map<string, number>();
  let overlaps = 0;
  const handler = async (j: Row): Promise<HandlerResult> => {
    if (running.has(j.id)) overlaps++;
    running.add(j.id);
    runs.set(j.id, (runs.get(j.id) ?? 0) + 1);
    await tick();
    running.delete(j.id);
    return { ok: true };
  };
  const a = runner(handler);
  const b = runner(handler);
  const passes = await Promise.all([a.runOnce(), b.runOnce(), a.runOnce(), b.runOnce()]);
  assert.equal(overlaps, 0, 'no job ran twice at once');
  assert.equal(
    passes.reduce((n, p) => n + p.claimed, 0),
    20,
    'the passes shared the jobs out',
  );
  assert.deepEqual([...runs.values()], Array(20).fill(1), 'each job ran exactly once');
  assert.ok((await rows()).every((r) => r.status === 'done' && r.attempts === 1));
});

test('a job whose lease ran out (its node died) is claimed again; one under a live lease is not', async () => {
  await add(2);
  const crashed = runner(async () => ({ ok: true }));
  const [held] = await crashed.claim(1, 600); // claimed by a live node
  const [dead] = await crashed.claim(1, 0); // claimed, then the node died: lease 0 s
  assert.equal(dead.status, 'running');
  const ran: string[] = [];
  const other = runner(async (j) => (ran.push(j.id), { ok: true }));
  await tick();
  assert.deepEqual(await other.runOnce(), { claimed: 1, finished: 1, done: 1 });
  assert.deepEqual(ran, [dead.id], 'the expired one only');
  const [hd, d] = await rows();
  assert.equal(d.id, dead.id);
  assert.equal(d.status, 'done');
  assert.equal(d.attempts, 2, 'the lost attempt counts');
  assert.equal(hd.id, held.id);
  assert.equal(hd.status, 'running');
});

test('a failing job retries with growing delays and lands in dead-letter with its last error after N attempts', async () => {
  await add(1);
  let calls = 0;
  const r = runner(async () => {
    calls++;
    throw new Error(`boom ${calls}`);
  });
  const delays: number[] = [];
  for (let i = 1; i <= 3; i++) {
    assert.deepEqual(await r.runOnce(), { claimed: 1, finished: 0, done: 0 });
    const [j] = await rows();
    assert.equal(j.status, 'queued');
    assert.equal(j.last_error, `boom ${i}`);
    delays.push(new Date(j.next_attempt_at).getTime() - Date.now());
    assert.equal((await r.runOnce()).claimed, 0, 'not due before its delay');
    await makeDue();
  }
  // attempt n waits between half and all of 1 s * 2^(n-1)
  delays.forEach((d, i) => assert.ok(d > 1000 * 2 ** i * 0.5 - 200 && d <= 1000 * 2 ** i + 50, `delay ${i + 1} was ${d} ms`));
  assert.ok(delays[2] > delays[0], 'the delays grow');
  assert.deepEqual(await r.runOnce(), { claimed: 1, finished: 1, done: 0 });
  const [j] = await rows();
  assert.equal(j.status, 'dead');
  assert.equal(j.attempts, 4);
  assert.equal(j.last_error, 'boom 4');
  assert.ok(j.finished_at);
  await makeDue();
  assert.equal((await r.runOnce()).claimed, 0, 'a dead job is not claimed again');
  assert.equal(calls, 4);
});

test('a final failure goes to dead-letter at once; success is recorded once with its own columns', async () => {
  await add(2);
  let calls = 0;
  const r = runner(
    async (j) => (calls++, j.id === 'j000' ? { ok: false, error: 'gone', final: true } : { ok: true, set: { result: 'fine' } }),
  );
  assert.deepEqual(await r.runOnce(), { claimed: 2, finished: 2, done: 1 });
  await makeDue();
  assert.equal((await r.runOnce()).claimed, 0, 'nothing runs twice');
  assert.equal(calls, 2);
  const [bad, good] = (await sql<Row & { result: string | null }>`select * from test_jobs order by id`.execute(h.db)).rows;
  assert.equal(bad.status, 'dead');
  assert.equal(bad.attempts, 1);
  assert.equal(bad.last_error, 'gone');
  assert.equal(good.status, 'done');
  assert.equal(good.attempts, 1);
  assert.equal(good.result, 'fine');
  assert.equal(good.last_error, null);
  assert.ok(good.done_at);
});
