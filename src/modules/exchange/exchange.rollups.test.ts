import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { exchangeFixture } from './exchange.fixture.ts';
import type { LogInput } from './exchange.log.ts';
import { ExchangeRollups, bucketOf, bucketValue, percentile, type Histogram } from './exchange.rollups.ts';
import { ExchangeStats } from './exchange.stats.ts';

let f: Awaited<ReturnType<typeof exchangeFixture>>;
before(async () => (f = await exchangeFixture()));
after(() => f.close());

const db = () => f.t.ctx.database.db;
const DAY = 86_400_000;

function entry(at: Date, serviceId: string, clientId: string | null, status: number, durationMs: number): LogInput {
  return {
    at,
    xRoadId: crypto.randomUUID(),
    requestId: crypto.randomUUID(),
    clientId,
    serviceId,
    method: 'GET',
    status,
    errorType: status >= 400 ? 'Server.ServerProxy.ServiceFailed' : null,
    durationMs,
    requestBytes: 0,
    responseBytes: 10,
    requestHash: 'x',
    responseHash: 'y',
    subjectHash: null,
    issue: null,
    detail: { path: '/', query: '', userId: null },
  };
}

/** The roll-up table recomputed from scratch from the raw log, in plain code. */
async function recompute() {
  const raw = await db().selectFrom('exchange_log').select(['at', 'service_id', 'client_id', 'status', 'duration_ms']).execute();
  const out = new Map<string, { transactions: number; errors: number; duration_sum: number; histogram: Histogram; durations: number[] }>();
  for (const r of raw) {
    const k = [new Date(r.at).toISOString().slice(0, 10), r.service_id, r.client_id ?? ''].join(' | ');
    let a = out.get(k);
    if (!a) out.set(k, (a = { transactions: 0, errors: 0, duration_sum: 0, histogram: {}, durations: [] }));
    a.transactions++;
    if (r.status >= 400) a.errors++;
    a.duration_sum += r.duration_ms;
    const b = String(bucketOf(r.duration_ms));
    a.histogram[b] = (a.histogram[b] ?? 0) + 1;
    a.durations.push(r.duration_ms);
  }
  return out;
}

async function stored() {
  const rows = await db().selectFrom('exchange_stats_daily').selectAll().execute();
  return new Map(
    rows.map((r) => [
      [String(r.day), r.service_id, r.client_id].join(' | '),
      {
        transactions: Number(r.transactions),
        errors: Number(r.errors),
        duration_sum: Number(r.duration_sum),
        histogram: Object.fromEntries(Object.entries(r.histogram).map(([k, v]) => [k, Number(v)])),
      },
    ]),
  );
}

async function assertEqualToRecomputation() {
  const want = await recompute();
  const got = await stored();
  assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort());
  for (const [k, w] of want)
    assert.deepEqual(
      got.get(k),
      { transactions: w.transactions, errors: w.errors, duration_sum: w.duration_sum, histogram: w.histogram },
      k,
    );
  return want;
}

const nearestRank = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.max(1, Math.ceil(p * xs.length)) - 1];

test('histogram buckets: exact below 50 ms, within 5% above', () => {
  for (let ms = 0; ms < 50; ms++) assert.equal(bucketValue(bucketOf(ms)), ms);
  for (const ms of [50, 51, 77, 99, 100, 250, 1000, 4321, 29_999, 300_000]) {
    const v = bucketValue(bucketOf(ms));
    assert.ok(Math.abs(v - ms) <= ms * 0.05 + 1, `${ms} ms -> ${v}`);
  }
  assert.equal(percentile({}, 0.5), 0);
  assert.equal(percentile({ 3: 1, 10: 98, 40: 1 }, 0.5), 10);
  assert.equal(percentile({ 3: 1, 10: 98, 40: 1 }, 0.99), 10);
  assert.equal(percentile({ 3: 1, 10: 98, 40: 1 }, 1), 40);
});

test('roll-ups of real exchange traffic and of older records equal a recomputation from the raw log; stats and open data read them', async () => {
  // Real traffic: answered requests, a refusal (no grant) and an unknown service.
  for (let i = 0; i < 6; i++) assert.equal((await f.call('/r1/IR/GOV/NOCR/REGISTRY/person/persons/0499370899')).status, 200);
  assert.equal((await f.call('/r1/IR/GOV/NOCR/REGISTRY/person/persons/0499370899', { method: 'DELETE' })).status, 403);
  assert.equal((await f.call('/r1/IR/GOV/NOCR/REGISTRY/nothing')).status, 404);
  // Records from earlier days, several services and consumers, fast and slow.
  const now = Date.now();
  const older: LogInput[] = [];
  for (let i = 0; i < 300; i++) {
    older.push(
      entry(
        new Date(now - (1 + (i % 40)) * DAY),
        i % 3 ? 'GOV/NOCR/REGISTRY/person' : 'GOV/CRA/SHAHKAR/mobile-ownership',
        i % 5 ? 'GOV/TAX/PORTAL' : i % 7 ? 'GOV/ITO/PANJEREH' : null,
        i % 11 ? 200 : 502,
        (i * 37) % 900,
      ),
    );
  }
  await Promise.all(older.slice(0, 150).map((e) => f.ex.log.append(e)));
  const small = new ExchangeRollups(db(), 25); // small chunks: many transactions, each moving the watermark
  assert.equal(await small.rollUp(), 150 + 8);
  await assertEqualToRecomputation();

  // More records, rolled up by two "nodes" at once: each record is counted once.
  await Promise.all(older.slice(150).map((e) => f.ex.log.append(e)));
  const [a, b] = await Promise.all([f.ex.rollups.rollUp(), new ExchangeRollups(db(), 40).rollUp()]);
  assert.equal(a + b, 150);
  assert.equal(await f.ex.rollups.rollUp(), 0, 'nothing left');
  const want = await assertEqualToRecomputation();
  const state = await db().selectFrom('exchange_stats_state').selectAll().executeTakeFirstOrThrow();
  assert.equal(
    Number(state.rolled_seq),
    Number(
      (
        await db()
          .selectFrom('exchange_log')
          .select((eb) => eb.fn.max('seq').as('m'))
          .executeTakeFirstOrThrow()
      ).m,
    ),
  );

  // Statistics from the roll-ups agree with the raw log: counts exactly, percentiles within the bucket.
  const stats = new ExchangeStats(db(), f.ex.rollups);
  const today = new Date(now).toISOString().slice(0, 10);
  const detail = await stats.detailed('day', new Date(now - 60 * DAY));
  const row = detail.find((r) => r.period === today && r.service === 'GOV/NOCR/REGISTRY/person' && r.consumer === 'GOV/TAX');
  const raw = want.get(`${today} | GOV/NOCR/REGISTRY/person | GOV/TAX/PORTAL`)!;
  assert.ok(row && raw);
  assert.equal(row.transactions, raw.transactions);
  const totals = await stats.totals('month', new Date(now - 60 * DAY));
  assert.equal(
    totals.reduce((s, r) => s + r.transactions, 0),
    [...want.values()].reduce((s, r) => s + r.transactions, 0),
  );
  const bySvc = await stats.byService(new Date(now - 60 * DAY));
  const shahkar = bySvc.find((r) => r.service === 'GOV/CRA/SHAHKAR/mobile-ownership')!;
  const shahkarRaw = [...want].filter(([k]) => k.includes('SHAHKAR')).flatMap(([, v]) => v.durations);
  const shahkarErrors = [...want].filter(([k]) => k.includes('SHAHKAR')).reduce((s, [, v]) => s + v.errors, 0);
  assert.equal(shahkar.transactions, shahkarRaw.length);
  assert.equal(shahkar.errors, shahkarErrors);
  for (const [p, got] of [
    [0.5, shahkar.p50],
    [0.95, shahkar.p95],
    [0.99, shahkar.p99],
  ] as const) {
    const exact = nearestRank(shahkarRaw, p);
    assert.ok(exact < 50 ? got === exact : Math.abs(got - exact) <= exact * 0.05 + 1, `p${p * 100}: ${got} vs ${exact}`);
  }

  // The open data reads the roll-ups (a row only the roll-up table has shows up), not the raw log.
  await db()
    .insertInto('exchange_stats_daily')
    .values({
      day: today,
      service_id: 'GOV/ROLLUP/ONLY/svc',
      client_id: 'GOV/TAX/PORTAL',
      transactions: 7,
      errors: 1,
      duration_sum: 70,
      histogram: JSON.stringify({ 10: 7 }) as unknown as Histogram,
    })
    .execute();
  const csv = await f.t.app.inject({ method: 'GET', url: '/open-data/exchange-statistics.csv' });
  assert.equal(csv.statusCode, 200);
  assert.match(csv.body, new RegExp(`${today},GOV/ROLLUP,GOV/TAX,GOV/ROLLUP/ONLY/svc,7,1,0.1429,10.0,10.0,10.0`));
  assert.match(csv.body, new RegExp(`${today},GOV/NOCR,GOV/TAX,GOV/NOCR/REGISTRY/person,${raw.transactions},`));
});
