// Participatory budgeting (issue 16, as CONSUL) through the routes: an editor sets a budget and lists
// projects; a citizen proposes one (pending until listed; the same text twice refused; rejection needs a
// reason); a ballot over the budget is refused with a clear error and records nothing; one ballot per
// person, also when two race; the ballot is secret (no per-ballot row, the voter row names no project,
// every listed project's counter row moves together); counts hidden until voting closes; at closing the
// winners are most votes first, skipping a project that does not fit what is left; open data has them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { client, sessionOf, staffSession } from '../../../test/helpers/people.ts';
import { exchangeFixture } from '../exchange/exchange.fixture.ts';
import { budgetWinners, parseRials } from './participation.budget.ts';

const PEOPLE = [
  { nid: '0499370899', mobile: '09121234567' },
  { nid: '0012345679', mobile: '09351112233' },
  { nid: '1122334451', mobile: '09131234500' },
  { nid: '3715004101', mobile: '09121234568' },
];

let f: Awaited<ReturnType<typeof exchangeFixture>>;
before(async () => {
  f = await exchangeFixture({ NOTIFICATIONS_WORKER: false });
});
after(() => f?.close());

const db = () => f.t.ctx.database.db;
const codeOf = (body: string) => /data-error-code="([A-Z_]+)"/.exec(body)?.[1];
const ymd = (d: Date) => d.toISOString().slice(0, 10);
const DAY = 86_400_000;
async function citizen(p: { nid: string; mobile: string }) {
  const s = await sessionOf(f.t.ctx, p.nid, p.mobile);
  return { id: s.id, b: client(f.t.app, `session=${s.token}`) };
}
async function editorOf(agency: string) {
  const s = await staffSession(f.t.ctx, 'participation-editor', agency);
  return client(f.t.app, s.cookie);
}

test('winners: most votes first, a project that does not fit what is left is skipped; amounts in Persian digits', () => {
  const w = budgetWinners(100, [
    { id: 'a', cost: 60, votes: 3 },
    { id: 'b', cost: 50, votes: 2 },
    { id: 'c', cost: 40, votes: 1 },
    { id: 'd', cost: 1, votes: 0 },
  ]);
  assert.deepEqual([...w].sort(), ['a', 'c']);
  assert.equal(parseRials('۵۰٬۰۰۰'), 50000);
  assert.throws(() => parseRials('-5'), /rials/);
  assert.throws(() => parseRials('0'), /rials/);
});

test('a budget: projects, moderation, a ballot within the budget, once and secret, winners at closing', async () => {
  const editor = await editorOf('ir-tax');
  await editor.get('/en/staff/participation');
  const made = await editor.post('/en/staff/participation', {
    titleFa: 'بودجه محله',
    titleEn: 'Neighbourhood budget',
    summaryFa: 'خلاصه',
    opens: ymd(new Date(Date.now() - DAY)),
    closes: ymd(new Date(Date.now() + 10 * DAY)),
  });
  const slug = /participation\/([a-z0-9-]+)$/.exec(String(made.headers.location))?.[1] ?? '';
  const base = `/en/staff/participation/${slug}/budget`;
  await editor.get(base);
  const badAmount = await editor.post(base, {
    amount: 'a lot',
    opens: ymd(new Date(Date.now() - DAY)),
    closes: ymd(new Date(Date.now() + 5 * DAY)),
  });
  assert.equal(badAmount.statusCode, 400);
  assert.equal(codeOf(badAmount.body), 'PARTICIPATION_AMOUNT_INVALID');
  assert.equal(
    (await editor.post(base, { amount: '100', opens: ymd(new Date(Date.now() - DAY)), closes: ymd(new Date(Date.now() + 5 * DAY)) }))
      .statusCode,
    303,
  );
  assert.equal(
    codeOf((await editor.post(base, { amount: '100', opens: ymd(new Date()), closes: ymd(new Date(Date.now() + DAY)) })).body),
    'PARTICIPATION_BUDGET_EXISTS',
  );
  for (const [title, cost] of [
    ['Park', '60'],
    ['Library', '50'],
  ])
    assert.equal((await editor.post(`${base}/projects`, { title, body: `${title} for everyone`, cost })).statusCode, 303);
  assert.equal(
    codeOf((await editor.post(`${base}/projects`, { title: 'Too big', body: 'x', cost: '101' })).body),
    'PARTICIPATION_OVER_BUDGET',
  );
  // another agency's editor: 403, nothing added
  const other = await editorOf('ir-nocr');
  await other.get('/en/staff/participation');
  assert.equal((await other.get(base)).statusCode, 403);
  assert.equal((await other.post(`${base}/projects`, { title: 'Intruder', body: 'x', cost: '1' })).statusCode, 403);

  // a citizen proposes a project: pending (not on the public page), the same text twice refused
  const [a, b, c, d] = await Promise.all(PEOPLE.map(citizen));
  const page = `/en/participation/${slug}/budget`;
  await a.b.get(page);
  assert.equal((await a.b.post(`${page}/projects`, { title: 'Fountain', body: 'A drinking fountain', cost: '۴۰' })).statusCode, 303);
  const dup = await a.b.post(`${page}/projects`, { title: 'Fountain', body: 'A drinking fountain', cost: '40' });
  assert.equal(codeOf(dup.body), 'PARTICIPATION_DUPLICATE');
  assert.doesNotMatch((await f.t.app.inject({ url: page })).body, /Fountain/);
  const budget = await db()
    .selectFrom('participation_budgets as b')
    .innerJoin('participation_processes as p', 'p.id', 'b.process_id')
    .select('b.id')
    .where('p.slug', '=', slug)
    .executeTakeFirstOrThrow();
  const projects = async () =>
    db().selectFrom('participation_budget_projects').selectAll().where('budget_id', '=', budget.id).orderBy('created_at').execute();
  const fountain = (await projects()).find((p) => p.title === 'Fountain');
  assert.equal(fountain?.status, 'pending');
  const noReason = await editor.post(`${base}/projects/${fountain?.id}/moderate`, { decision: 'rejected', reason: '' });
  assert.equal(codeOf(noReason.body), 'PARTICIPATION_REASON_REQUIRED');
  assert.equal((await editor.post(`${base}/projects/${fountain?.id}/moderate`, { decision: 'listed' })).statusCode, 303);
  assert.match((await f.t.app.inject({ url: page })).body, /Fountain/);
  const [park, library, fount] = await projects();

  // over the budget: refused with a clear error, nothing recorded
  await b.b.get(page);
  const over = await b.b.post(page + '/vote', { projects: [park.id, library.id] });
  assert.equal(over.statusCode, 422);
  assert.equal(codeOf(over.body), 'PARTICIPATION_OVER_BUDGET');
  assert.match(over.body, /cost more than the budget/);
  const none = await b.b.post(page + '/vote', {});
  assert.equal(codeOf(none.body), 'PARTICIPATION_CHOOSE_PROJECT');
  const voters = () => db().selectFrom('participation_budget_voters').selectAll().where('budget_id', '=', budget.id).execute();
  assert.equal((await voters()).length, 0);

  // ballots: a -> park; b -> park; c -> library + (nothing else fits); d -> fountain
  await Promise.all([c.b.get(page), d.b.get(page)]);
  assert.equal((await a.b.post(page + '/vote', { projects: park.id })).statusCode, 303);
  assert.equal((await b.b.post(page + '/vote', { projects: [park.id] })).statusCode, 303);
  assert.equal((await c.b.post(page + '/vote', { projects: library.id })).statusCode, 303);
  // d sends two ballots at once: exactly one counts
  const both = await Promise.all([d.b.post(page + '/vote', { projects: fount.id }), d.b.post(page + '/vote', { projects: fount.id })]);
  assert.deepEqual(both.map((r) => r.statusCode).sort(), [303, 409]);
  assert.equal(codeOf((await a.b.post(page + '/vote', { projects: library.id })).body), 'PARTICIPATION_ALREADY_VOTED');

  // secrecy: the voter row names no project and has no time; no per-ballot table; every listed counter moved together
  const cols = await sql<{ column_name: string }>`select column_name from information_schema.columns
      where table_schema = current_schema() and table_name = 'participation_budget_voters'`.execute(db());
  assert.deepEqual(cols.rows.map((x) => x.column_name).sort(), ['budget_id', 'citizen_id']);
  const linking = await sql<{ table_name: string }>`select table_name from information_schema.columns
      where table_schema = current_schema() and table_name like 'participation_budget%' and column_name in ('project_id', 'ballot_id')`.execute(
    db(),
  );
  assert.equal(linking.rows.length, 0);
  const xmins = await sql<{ x: string }>`select distinct xmin::text as x from participation_budget_projects
      where budget_id = ${budget.id} and status = 'listed'`.execute(db());
  assert.equal(xmins.rows.length, 1);
  const counted = await projects();
  assert.deepEqual(
    counted.map((p) => p.votes),
    [2, 1, 1],
  );
  assert.equal((await voters()).length, 4);

  // counts hidden until closing (page and open data)
  assert.doesNotMatch((await f.t.app.inject({ url: page })).body, /Funded/);
  const early = (await f.t.app.inject({ url: '/open-data/participation/budgets.json' })).json().items as {
    process: string;
    votes: unknown;
  }[];
  assert.ok(early.filter((r) => r.process === slug).every((r) => r.votes === ''));
  // a citizen cannot close it; the editor does, the winners publish: park (60), library (50) does not fit the 40 left, fountain (40) does
  const byCitizen = await a.b.post(`${base}/close`, {});
  assert.match(String(byCitizen.headers.location), /staff\/sign-in/);
  assert.equal((await editor.post(`${base}/close`, {})).statusCode, 303);
  const closed = (await f.t.app.inject({ url: page })).body;
  assert.match(closed, /Voters: <!-- -->4|Voters: 4/);
  const rows = (await f.t.app.inject({ url: '/open-data/participation/budgets.json' })).json().items as {
    process: string;
    title: string;
    votes: number;
    winner: boolean;
    voters: number;
  }[];
  const mine = rows.filter((r) => r.process === slug);
  assert.deepEqual(mine.map((r) => [r.title, r.votes, r.winner]).sort(), [
    ['Fountain', 1, true],
    ['Library', 1, false],
    ['Park', 2, true],
  ]);
  assert.ok(mine.every((r) => r.voters === 4));
  const late = await c.b.post(page + '/vote', { projects: fount.id });
  assert.equal(codeOf(late.body), 'PARTICIPATION_BUDGET_NOT_OPEN');
  const audit = await db().selectFrom('audit_log').select('action').where('action', 'like', 'participation.budget%').execute();
  assert.ok(audit.some((x) => x.action === 'participation.budget.close'));
  assert.ok(audit.some((x) => x.action === 'participation.budget.project.moderate'));
});

test('500 pending proposals hide nothing: a project the agency lists later is shown and can be voted for; proposing is capped', async () => {
  const editor = await editorOf('ir-tax');
  await editor.get('/en/staff/participation');
  const made = await editor.post('/en/staff/participation', {
    titleFa: 'بودجه انباشته',
    titleEn: 'Flooded budget',
    summaryFa: 'خلاصه',
    opens: ymd(new Date(Date.now() - DAY)),
    closes: ymd(new Date(Date.now() + 10 * DAY)),
  });
  const slug = /participation\/([a-z0-9-]+)$/.exec(String(made.headers.location))?.[1] ?? '';
  const base = `/en/staff/participation/${slug}/budget`;
  await editor.get(base);
  await editor.post(base, { amount: '100', opens: ymd(new Date(Date.now() - DAY)), closes: ymd(new Date(Date.now() + 5 * DAY)) });
  const budget = await db()
    .selectFrom('participation_budgets as b')
    .innerJoin('participation_processes as p', 'p.id', 'b.process_id')
    .select('b.id')
    .where('p.slug', '=', slug)
    .executeTakeFirstOrThrow();
  const [a, b] = await Promise.all(PEOPLE.slice(0, 2).map(citizen));
  // 500 pending rows, older than anything the agency lists next
  await db()
    .insertInto('participation_budget_projects')
    .values(
      Array.from({ length: 500 }, (_, i) => ({
        budget_id: budget.id,
        title: `Spam ${i}`,
        body: 'spam',
        cost_rials: 1,
        citizen_id: a.id,
        body_hash: `spam-${i}`,
        created_at: new Date(Date.now() - DAY),
      })),
    )
    .execute();
  assert.equal((await editor.post(`${base}/projects`, { title: 'Bridge', body: 'A footbridge', cost: '30' })).statusCode, 303);
  const page = `/en/participation/${slug}/budget`;
  assert.match((await f.t.app.inject({ url: page })).body, /Bridge/);
  const bridge = await db()
    .selectFrom('participation_budget_projects')
    .select('id')
    .where('budget_id', '=', budget.id)
    .where('title', '=', 'Bridge')
    .executeTakeFirstOrThrow();
  await b.b.get(page);
  assert.equal((await b.b.post(page + '/vote', { projects: bridge.id })).statusCode, 303);
  const counted = await db()
    .selectFrom('participation_budget_projects')
    .select('votes')
    .where('id', '=', bridge.id)
    .executeTakeFirstOrThrow();
  assert.equal(counted.votes, 1);
  // the staff page still shows it and pending ones (a page of them)
  assert.match((await editor.get(base)).body, /Bridge/);

  // a citizen with too many pending proposals in this budget is refused, nothing saved
  await a.b.get(page);
  const more = await a.b.post(`${page}/projects`, { title: 'One more', body: 'yet another', cost: '1' });
  assert.equal(codeOf(more.body), 'PARTICIPATION_TOO_MANY');
  // and proposals are rate limited: b proposes until refused
  let refused: string | undefined;
  for (let i = 0; i < 12 && !refused; i++) {
    const r = await b.b.post(`${page}/projects`, { title: `Idea ${i}`, body: `idea number ${i}`, cost: '1' });
    if (r.statusCode !== 303) refused = codeOf(r.body);
  }
  assert.equal(refused, 'PARTICIPATION_TOO_MANY');
  const bs = await db()
    .selectFrom('participation_budget_projects')
    .select('id')
    .where('budget_id', '=', budget.id)
    .where('citizen_id', '=', b.id)
    .execute();
  assert.ok(bs.length <= 10);
});
