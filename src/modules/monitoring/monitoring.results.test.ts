import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { client } from './monitoring.testkit.ts';
import { rank, RESULTS_PAGE_SIZE } from './monitoring.results.ts';

let t: TestApp;
before(async () => (t = await testApp()));
after(() => t.close());

const scores = (total: number | null) => JSON.stringify({ total, assessed: 1, noData: 0, of: 1, criteria: {} });

/** A published round over 120 portals with stored scores (two tie at the top). */
async function bigRound(slug: string) {
  const repo = t.ctx.monitoring.repo;
  const set = (await repo.latestSet('portal-checklist'))!;
  const round = await repo.insertRound(repo.db, {
    slug,
    title: JSON.stringify({ fa: 'دوره بزرگ', en: 'Big round' }),
    set_id: set.id,
    cutoff: '2025-01-01',
    status: 'published',
    created_by: 'test',
    published_at: new Date(),
    published_by: 'test',
  });
  await repo.insertSubjects(
    repo.db,
    Array.from({ length: 120 }, (_, i) => ({
      round_id: round.id,
      subject: `portal-p${String(i).padStart(3, '0')}`,
      agency_id: null,
      name: JSON.stringify({ fa: `درگاه ${i}`, en: `Portal ${i}` }),
      url: null,
      status: 'approved' as const,
      scores: scores(i === 119 ? null : i >= 117 ? 0.99 : i / 120),
    })),
  );
  return round;
}

test('ranking: competition ranks (1, 2, 2, 4), unassessed last without a rank', () => {
  const r = rank([{ total: 0.5 }, { total: 0.9 }, { total: null }, { total: 0.5 }, { total: 0.1 }]);
  assert.deepEqual(
    r.map((x) => [x.total, x.rank]),
    [
      [0.9, 1],
      [0.5, 2],
      [0.5, 2],
      [0.1, 4],
      [null, null],
    ],
  );
});

test('round results are paginated with links that work without JavaScript; ranks stay global', async () => {
  await bigRound('big-round');
  const c = client(t);
  const p1 = await c.get('/en/monitoring/rounds/big-round');
  assert.equal(p1.statusCode, 200);
  assert.equal(RESULTS_PAGE_SIZE, 50);
  const rows = (body: string) =>
    [
      ...body.matchAll(
        /<tr><th scope="row">([^<]+)<\/th><td><a href="\/(?:en|fa)\/monitoring\/rounds\/big-round\/subjects\/([a-z0-9-]+)"/g,
      ),
    ].map((m) => [m[1], m[2]]);
  const r1 = rows(p1.body);
  assert.equal(r1.length, 50);
  assert.deepEqual(
    r1.slice(0, 3).map((x) => x[0]),
    ['1', '1', '3'],
    'a tie shares rank 1, the next is 3',
  );
  assert.deepEqual(
    r1
      .slice(0, 2)
      .map((x) => x[1])
      .sort(),
    ['portal-p117', 'portal-p118'],
  );
  assert.match(p1.body, /<a href="\/en\/monitoring\/rounds\/big-round\?page=2" rel="next">Next page<\/a>/);
  assert.match(p1.body, /<span aria-current="page">1<\/span>/);
  assert.match(p1.body, /Places 1 to 50 of 120/);
  const p3 = await c.get('/en/monitoring/rounds/big-round?page=3');
  assert.equal(p3.statusCode, 200);
  const r3 = rows(p3.body);
  assert.equal(r3.length, 20);
  assert.equal(r3[0][0], '101', 'the rank continues from page 2');
  assert.equal(r3.at(-1)![0], '–', 'nothing assessed: no rank, listed last');
  assert.match(p3.body, /rel="prev"/);
  assert.doesNotMatch(p3.body, /rel="next"/);
  assert.doesNotMatch(p3.body, /id="totals-title"/, 'the top-20 chart is on the first page only');
  const fa = await c.get('/fa/monitoring/rounds/big-round?page=۲');
  assert.equal(fa.statusCode, 200, 'Persian digits in the page number work');
  assert.match(fa.body, /رتبه‌های ۵۱ تا ۱۰۰ از ۱۲۰/);
  for (const bad of ['0', '4', 'abc', '-1', '1.5']) {
    const r = await c.get(`/en/monitoring/rounds/big-round?page=${bad}`);
    assert.equal(r.statusCode, 400, `page=${bad}`);
    assert.match(r.body, /page/i);
  }
  assert.ok(p1.body.length < 60_000, `page 1 is ${p1.body.length} bytes`);
});

test("a published round's results are computed once; an open round's cache is dropped when an answer changes", async () => {
  const res = t.ctx.monitoringResults;
  await bigRound('cached-round');
  const n0 = res.computed;
  const a = await res.results('cached-round');
  const b = await res.results('cached-round');
  await client(t).get('/en/monitoring/rounds/cached-round?page=2');
  assert.equal(res.computed, n0 + 1, 'computed once for three reads');
  assert.equal(a, b);

  // an open round: live scores from the answers; a new answer invalidates the cached results
  const repo = t.ctx.monitoring.repo;
  const set = (await repo.latestSet('portal-checklist'))!;
  const open = await repo.insertRound(repo.db, {
    slug: 'open-round',
    title: JSON.stringify({ fa: 'باز', en: 'Open' }),
    set_id: set.id,
    cutoff: '2025-01-01',
    status: 'open',
    created_by: 'test',
  });
  await repo.insertSubjects(repo.db, [
    { round_id: open.id, subject: 'portal-a', agency_id: null, name: JSON.stringify({ en: 'A' }), url: null },
  ]);
  const before = await res.results('open-round');
  assert.equal(before.rows[0].scores.total, null);
  const n1 = res.computed;
  assert.equal((await res.results('open-round')).rows[0].scores.total, null);
  assert.equal(res.computed, n1, 'unchanged round: served from the cache');
  await repo.upsertAnswers(repo.db, [
    {
      round_id: open.id,
      subject: 'portal-a',
      code: 'PC-SEC-1',
      value: 1,
      state: 'answered',
      origin: 'assessor',
      detail: '{}',
      answered_by: 'test',
    },
  ]);
  const after = await res.results('open-round');
  assert.equal(res.computed, n1 + 1, 'an answer change invalidates');
  assert.equal(after.rows[0].scores.total, 1);
});
