// Participation (issue 16), the "Done when" flow through the routes: the tax administration's
// participation editor opens a consultation with three sections and a poll; citizens comment, reply,
// support (once), vote (once: a second vote is refused, also when two requests race; an 8-year-old is
// refused on an adults-only poll, by the civil registry's birth date through the exchange); a moderator
// hides a comment with a reason shown in place and the author is told; results stay hidden until the
// poll closes, then publish with counts that check; the outcome report and the proposals' status
// publish; open data has no author. Editors of another agency and citizens cannot manage or moderate.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { client, sessionOf, staffSession } from '../../../test/helpers/people.ts';
import { exchangeFixture } from '../exchange/exchange.fixture.ts';
import { DEMO_PROCESS } from './participation.demo.ts';
import { participationMetrics } from './participation.metrics.ts';
import { ParticipationPolls } from './participation.polls.ts';

// the demo civil registry's people (src/modules/exchange/registries/demo-people.json)
const MARYAM = { nid: '0499370899', mobile: '09121234567' }; // an adult
const REZA = { nid: '0012345679', mobile: '09351112233' }; // an adult
const ZAHRA = { nid: '1122334451', mobile: '09131234500' }; // born 1999
const SARA = { nid: '3715004101', mobile: '09121234568' }; // 8 years old

let f: Awaited<ReturnType<typeof exchangeFixture>>;
before(async () => {
  f = await exchangeFixture({ NOTIFICATIONS_WORKER: false });
});
after(() => f?.close());

const db = () => f.t.ctx.database.db;
async function citizen(p: { nid: string; mobile: string }) {
  const s = await sessionOf(f.t.ctx, p.nid, p.mobile);
  return { id: s.id, b: client(f.t.app, `session=${s.token}`) };
}
async function staff(role: 'participation-editor' | 'agency-admin' | 'operator', agency: string) {
  const s = await staffSession(f.t.ctx, role, agency);
  return client(f.t.app, s.cookie);
}
const codeOf = (body: string) => /data-error-code="([A-Z_]+)"/.exec(body)?.[1];
const ymd = (d: Date) => d.toISOString().slice(0, 10);
const DAY = 86_400_000;

test('an editor of the tax administration opens a consultation with three sections and a poll; others cannot manage it', async () => {
  const editor = await staff('participation-editor', 'ir-tax');
  await editor.get('/en/staff/participation');
  const made = await editor.post('/en/staff/participation', {
    titleFa: 'پیش‌نویس آزمایشی',
    titleEn: 'Test draft',
    summaryFa: 'خلاصه',
    opens: ymd(new Date(Date.now() - DAY)),
    closes: ymd(new Date(Date.now() + 10 * DAY)),
  });
  assert.equal(made.statusCode, 303);
  const slug = /participation\/([a-z0-9-]+)$/.exec(made.headers.location as string)![1];
  const base = `/en/staff/participation/${slug}`;
  await editor.get(base);
  for (const n of [1, 2, 3])
    assert.equal((await editor.post(`${base}/sections`, { titleFa: `ماده ${n}`, bodyFa: `متن ماده ${n}` })).statusCode, 303);
  const poll = await editor.post(`${base}/polls`, {
    questionFa: 'موافقید؟',
    options: 'بله | Yes\nنه | No',
    opens: ymd(new Date(Date.now() - DAY)),
    closes: ymd(new Date(Date.now() + 5 * DAY)),
  });
  assert.equal(poll.statusCode, 303);
  const page = await f.t.app.inject({ url: `/fa/participation/${slug}` });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /ماده 3/);
  assert.match(page.body, /موافقید؟/);
  // a bad date says what to fix, nothing is made
  const bad = await editor.post('/en/staff/participation', { titleFa: 'x', summaryFa: 'y', opens: 'tomorrow', closes: '' });
  assert.equal(bad.statusCode, 400);

  // an editor of another agency: 403 on the page and on every action, and nothing changes
  const other = await staff('participation-editor', 'ir-nocr');
  assert.equal((await other.get(base)).statusCode, 403);
  await other.get('/en/staff/participation');
  assert.equal((await other.post(`${base}/sections`, { titleFa: 'نفوذی', bodyFa: 'x' })).statusCode, 403);
  assert.equal((await other.post(`${base}/phase`, { phase: 'decision' })).statusCode, 403);
  const sections = await db()
    .selectFrom('participation_sections')
    .innerJoin('participation_processes as p', 'p.id', 'participation_sections.process_id')
    .select('participation_sections.id')
    .where('p.slug', '=', slug)
    .execute();
  assert.equal(sections.length, 3);
  // an operator of the same agency has no participation role
  const operator = await staff('operator', 'ir-tax');
  assert.equal((await operator.get(base)).statusCode, 403);
  // a citizen is sent to staff sign-in
  const { b } = await citizen(ZAHRA);
  const r = await b.get(base);
  assert.equal(r.statusCode, 303);
  assert.match(String(r.headers.location), /staff\/sign-in/);
});

const demoPath = `/en/participation/${DEMO_PROCESS}`;
const demo = () => db().selectFrom('participation_processes').selectAll().where('slug', '=', DEMO_PROCESS).executeTakeFirstOrThrow();

test('citizens comment on a section, reply, support once, add to their comment; duplicates are refused; paging and sorting', async () => {
  const p = await demo();
  const sections = await db().selectFrom('participation_sections').selectAll().where('process_id', '=', p.id).orderBy('position').execute();
  assert.equal(sections.length, 3);
  const maryam = await citizen(MARYAM);
  await maryam.b.get(demoPath);
  const c1 = await maryam.b.post(`${demoPath}/comments`, { sectionId: sections[1].id, body: 'شش ماه برای شهرهای کوچک کم است.' });
  assert.equal(c1.statusCode, 303);
  const dup = await maryam.b.post(`${demoPath}/comments`, { sectionId: sections[1].id, body: 'شش ماه برای شهرهاي کوچک کم است.' });
  assert.equal(dup.statusCode, 409);
  assert.equal(codeOf(dup.body), 'PARTICIPATION_DUPLICATE');
  const empty = await maryam.b.post(`${demoPath}/comments`, { body: '   ' });
  assert.equal(empty.statusCode, 400);
  assert.equal(codeOf(empty.body), 'PARTICIPATION_INVALID');
  const mine = await db().selectFrom('participation_comments').selectAll().where('process_id', '=', p.id).executeTakeFirstOrThrow();

  const reza = await citizen(REZA);
  await reza.b.get(demoPath);
  assert.equal((await reza.b.post(`${demoPath}/comments`, { parentId: mine.id, body: 'موافقم، یک سال بهتر است.' })).statusCode, 303);
  assert.equal((await reza.b.post(`${demoPath}/comments/${mine.id}/support`, {})).statusCode, 303);
  assert.equal((await reza.b.post(`${demoPath}/comments/${mine.id}/support`, {})).statusCode, 303);
  // only the author may add, and only by appending
  const notMine = await reza.b.post(`${demoPath}/comments/${mine.id}/append`, { text: 'تغییر' });
  assert.equal(codeOf(notMine.body), 'PARTICIPATION_NOT_YOURS');
  assert.equal((await maryam.b.post(`${demoPath}/comments/${mine.id}/append`, { text: 'به‌ویژه برای روستاها.' })).statusCode, 303);
  const after1 = await db().selectFrom('participation_comments').selectAll().where('id', '=', mine.id).executeTakeFirstOrThrow();
  assert.equal(after1.supports, 1);
  assert.equal(after1.replies, 1);
  assert.equal(after1.body, 'شش ماه برای شهرهای کوچک کم است.');
  assert.equal(after1.addenda.length, 1);

  // 25 more comments: two pages; "most supported" puts the supported one first
  for (let i = 0; i < 25; i++) {
    const s = await sessionOf(f.t.ctx, `00000000${String(i).padStart(2, '0')}`.slice(-10), `0912000${String(i).padStart(4, '0')}`);
    await db()
      .insertInto('participation_comments')
      .values({ process_id: p.id, citizen_id: s.id, author_kind: 'citizen', body: `نظر ${i}`, body_hash: `h${i}` })
      .execute();
  }
  await db()
    .updateTable('participation_processes')
    .set((eb) => ({ top_comments: eb('top_comments', '+', 25) }))
    .where('id', '=', p.id)
    .execute();
  // keyset paging: following "Next comments" walks every top-level comment once, in order, in both sorts
  const all = await db()
    .selectFrom('participation_comments')
    .select('id')
    .where('process_id', '=', p.id)
    .where('parent_id', 'is', null)
    .execute();
  for (const sort of ['newest', 'supported']) {
    const seen: string[] = [];
    let url: string | undefined = `${demoPath}?sort=${sort}`;
    let pages = 0;
    while (url && pages++ < 10) {
      const r: { statusCode: number; body: string } = await f.t.app.inject({ url });
      assert.equal(r.statusCode, 200);
      assert.match(r.body, new RegExp(`Comments \\(<!-- -->${all.length}|Comments \\(${all.length}`));
      seen.push(...[...r.body.matchAll(/<li[^>]* id="c-([0-9a-f-]{36})"/g)].map((m) => m[1]).filter((id) => all.some((a) => a.id === id)));
      url = /href="([^"]+)"[^>]*>Next comments</
        .exec(r.body)?.[1]
        ?.replace(/&amp;/g, '&')
        .replace(/#comments$/, '');
    }
    assert.equal(pages, 2, sort);
    assert.equal(seen.length, all.length, sort);
    assert.equal(new Set(seen).size, all.length, sort);
  }
  const top = await f.t.app.inject({ url: `${demoPath}?sort=supported` });
  assert.ok(top.body.indexOf('شش ماه برای شهرهای کوچک') < top.body.indexOf('نظر 24'));
  const newest = await f.t.app.inject({ url: `${demoPath}?sort=newest` });
  assert.ok(newest.body.indexOf('نظر 24') < newest.body.indexOf('نظر 5'));
  assert.equal((await f.t.app.inject({ url: `${demoPath}?sort=zzz&after=not-an-id` })).statusCode, 200);
  assert.equal((await f.t.app.inject({ url: `${demoPath}?sort=newest&after=${crypto.randomUUID()}` })).statusCode, 200);
  // signed out: the page works and offers sign-in, and posting is refused
  assert.match((await f.t.app.inject({ url: demoPath })).body, /Sign in to comment/);
});

test('one vote per person: a second vote and a racing pair are refused; an 8-year-old is refused on an adults-only poll; results hidden until close', async () => {
  const p = await demo();
  const poll = await db().selectFrom('participation_polls').selectAll().where('process_id', '=', p.id).executeTakeFirstOrThrow();
  assert.equal(poll.adults_only, true);
  const votePath = `${demoPath}/polls/${poll.id}/vote`;

  const maryam = await citizen(MARYAM);
  await maryam.b.get(demoPath);
  assert.equal((await maryam.b.post(votePath, { option: 'o2' })).statusCode, 303);
  const again = await maryam.b.post(votePath, { option: 'o1' });
  assert.equal(again.statusCode, 409);
  assert.equal(codeOf(again.body), 'PARTICIPATION_ALREADY_VOTED');

  // two requests at once from one person: exactly one counts
  const reza = await citizen(REZA);
  await reza.b.get(demoPath);
  const both = await Promise.all([reza.b.post(votePath, { option: 'o1' }), reza.b.post(votePath, { option: 'o1' })]);
  assert.deepEqual(both.map((r) => r.statusCode).sort(), [303, 409]);

  // the civil registry says Sara is 8: refused, nothing recorded
  const sara = await citizen(SARA);
  await sara.b.get(demoPath);
  const child = await sara.b.post(votePath, { option: 'o1' });
  assert.equal(child.statusCode, 403);
  assert.equal(codeOf(child.body), 'PARTICIPATION_ADULTS_ONLY');
  const zahra = await citizen(ZAHRA);
  await zahra.b.get(demoPath);
  const noOption = await zahra.b.post(votePath, { option: 'o9' });
  assert.equal(codeOf(noOption.body), 'PARTICIPATION_CHOOSE_OPTION');

  const voters = await db().selectFrom('participation_poll_voters').selectAll().where('poll_id', '=', poll.id).execute();
  assert.equal(voters.length, 2);
  assert.ok(!voters.some((v) => v.citizen_id === sara.id));
  // ballot secrecy: no per-ballot row at all, only a counter per option; the voter row has no time; a vote
  // moves every option's counter row (so at rest their transaction id is the same and says nothing of the
  // choice; the voter row shares it, so a live reader of the database could still link them: see polls.ts)
  const columnsOf = async (table: string) =>
    (
      await sql<{
        column_name: string;
      }>`select column_name from information_schema.columns where table_schema = current_schema() and table_name = ${table}`.execute(db())
    ).rows
      .map((c) => c.column_name)
      .sort();
  assert.deepEqual(await columnsOf('participation_poll_ballots'), []);
  assert.deepEqual(await columnsOf('participation_poll_voters'), ['citizen_id', 'poll_id']);
  assert.deepEqual(await columnsOf('participation_poll_tallies'), ['option_key', 'poll_id', 'votes']);
  const choiceTables = await sql<{ table_name: string }>`select distinct table_name from information_schema.columns
      where table_schema = current_schema() and table_name like 'participation%' and column_name = 'option_key'`.execute(db());
  assert.deepEqual(
    choiceTables.rows.map((r) => r.table_name),
    ['participation_poll_tallies'],
  );
  const tallies = await sql<{ option_key: string; votes: number; x: string }>`select option_key, votes, xmin::text as x
      from participation_poll_tallies where poll_id = ${poll.id} order by option_key`.execute(db());
  assert.deepEqual(
    tallies.rows.map((t) => t.option_key),
    ['o1', 'o2', 'o3'],
  );
  assert.equal(new Set(tallies.rows.map((t) => t.x)).size, 1);
  assert.equal(
    tallies.rows.reduce((a, t) => a + t.votes, 0),
    voters.length,
  );
  // before closing: no counts on the page nor in open data
  assert.doesNotMatch((await f.t.app.inject({ url: demoPath })).body, /Ballots:/);
  assert.equal((await f.t.app.inject({ url: '/open-data/participation/polls.json' })).json().items.length, 0);
  // a citizen cannot close it; another agency's editor cannot either
  assert.equal((await maryam.b.post(`/en/staff/participation/${DEMO_PROCESS}/polls/${poll.id}/close`, {})).statusCode, 303);
  const nocr = await staff('participation-editor', 'ir-nocr');
  await nocr.get('/en/staff/participation');
  assert.equal((await nocr.post(`/en/staff/participation/${DEMO_PROCESS}/polls/${poll.id}/close`, {})).statusCode, 403);
  assert.doesNotMatch((await f.t.app.inject({ url: demoPath })).body, /Ballots:/);

  const editor = await staff('participation-editor', 'ir-tax');
  await editor.get(`/en/staff/participation/${DEMO_PROCESS}`);
  assert.equal((await editor.post(`/en/staff/participation/${DEMO_PROCESS}/polls/${poll.id}/close`, {})).statusCode, 303);
  const closed = await f.t.app.inject({ url: demoPath });
  assert.match(closed.body, /Ballots: 2 · Voters: 2 · The counts match/);
  const results = (await f.t.app.inject({ url: '/open-data/participation/polls.json' })).json().items as {
    option: string;
    votes: number;
  }[];
  assert.deepEqual(
    results.map((r) => [r.option, r.votes]),
    [
      ['o1', 1],
      ['o2', 1],
      ['o3', 0],
    ],
  );
  await zahra.b.get(demoPath);
  const late = await zahra.b.post(votePath, { option: 'o1' });
  assert.equal(codeOf(late.body), 'PARTICIPATION_POLL_NOT_OPEN');
});

test('a moderator hides a comment with a reason shown in place; the author is told; a citizen cannot moderate', async () => {
  const p = await demo();
  const zahra = await citizen(ZAHRA);
  await zahra.b.get(demoPath);
  assert.equal((await zahra.b.post(`${demoPath}/comments`, { body: 'نویسنده این قاعده نادان است.' })).statusCode, 303);
  const c = await db()
    .selectFrom('participation_comments')
    .selectAll()
    .where('citizen_id', '=', zahra.id)
    .where('process_id', '=', p.id)
    .executeTakeFirstOrThrow();
  const reza = await citizen(REZA);
  await reza.b.get(demoPath);
  assert.equal((await reza.b.post(`${demoPath}/comments/${c.id}/flag`, { reason: 'توهین' })).statusCode, 303);
  // a citizen posting to the moderation route is sent to staff sign-in; nothing hidden
  const tried = await reza.b.post(`/en/staff/participation/${DEMO_PROCESS}/comments/${c.id}/hide`, { reason: 'x' });
  assert.equal(tried.statusCode, 303);
  assert.equal(
    (await db().selectFrom('participation_comments').select('hidden_at').where('id', '=', c.id).executeTakeFirstOrThrow()).hidden_at,
    null,
  );

  const mod = await staff('participation-editor', 'ir-tax');
  const q = await mod.get(`/en/staff/participation/${DEMO_PROCESS}`);
  assert.match(q.body, /نادان/); // in the reported list
  const noReason = await mod.post(`/en/staff/participation/${DEMO_PROCESS}/comments/${c.id}/hide`, { reason: '' });
  assert.equal(noReason.statusCode, 400);
  assert.equal(
    (await mod.post(`/en/staff/participation/${DEMO_PROCESS}/comments/${c.id}/hide`, { reason: 'personal attack' })).statusCode,
    303,
  );
  const page = await f.t.app.inject({ url: `${demoPath}?sort=newest` });
  assert.match(page.body, /Hidden: <!-- -->personal attack|Hidden: personal attack/);
  assert.doesNotMatch(page.body, /نادان/);
  const box = await db().selectFrom('ebox_messages').selectAll().where('citizen_id', '=', zahra.id).execute();
  assert.equal(box.length, 1);
  assert.match(box[0].body.en ?? '', /personal attack/);
  const audit = await db().selectFrom('audit_log').selectAll().where('subject', '=', `participation-comment:${c.id}`).execute();
  assert.deepEqual(
    audit.map((a) => a.action),
    ['participation.comment.hide'],
  );
  // the agency answers a comment: shown as the agency's answer
  assert.equal(
    (await mod.post(`/en/staff/participation/${DEMO_PROCESS}/comments/${c.id}/answer`, { body: 'پاسخ دستگاه به شما' })).statusCode,
    303,
  );
  // open data: no author, the hidden text gone, the reason kept
  const csv = (await f.t.app.inject({ url: '/open-data/participation/comments.csv' })).body;
  assert.doesNotMatch(csv, /نادان/);
  assert.match(csv, /personal attack/);
  assert.doesNotMatch(csv, new RegExp(zahra.id));
});

test('proposals with supports and status; the outcome report publishes ("you said, we did")', async () => {
  const maryam = await citizen(MARYAM);
  await maryam.b.get(demoPath);
  assert.equal(
    (await maryam.b.post(`${demoPath}/proposals`, { title: 'آموزش در مساجد محل', body: 'کلاس‌های آموزشی در محله برگزار شود.' })).statusCode,
    303,
  );
  const pr = await db().selectFrom('participation_proposals').selectAll().where('citizen_id', '=', maryam.id).executeTakeFirstOrThrow();
  const reza = await citizen(REZA);
  await reza.b.get(demoPath);
  await reza.b.post(`${demoPath}/proposals/${pr.id}/support`, {});
  await reza.b.post(`${demoPath}/proposals/${pr.id}/support`, {});
  assert.equal(
    (await db().selectFrom('participation_proposals').select('supports').where('id', '=', pr.id).executeTakeFirstOrThrow()).supports,
    1,
  );

  const editor = await staff('participation-editor', 'ir-tax');
  const base = `/en/staff/participation/${DEMO_PROCESS}`;
  await editor.get(base);
  const noReason = await editor.post(`${base}/proposals/${pr.id}/status`, { status: 'rejected', reason: '' });
  assert.equal(codeOf(noReason.body), 'PARTICIPATION_REASON_REQUIRED');
  assert.equal(
    (await editor.post(`${base}/proposals/${pr.id}/status`, { status: 'in-progress', reason: 'با وزارت آموزش هماهنگ می‌شود.' })).statusCode,
    303,
  );
  assert.equal(
    (
      await editor.post(`${base}/outcome`, {
        receivedFa: '۳۰ نظر و ۱ پیشنهاد',
        receivedEn: '30 comments and 1 proposal',
        changedFa: 'مهلت به یک سال رسید',
        changedEn: 'The deadline became a year',
        notChangedFa: 'دامنه تغییر نکرد',
        notChangedEn: 'The scope stayed, because...',
      })
    ).statusCode,
    303,
  );
  const page = await f.t.app.inject({ url: demoPath });
  assert.match(page.body, /You said, we did/);
  assert.match(page.body, /The deadline became a year/);
  assert.match(page.body, /In progress/);
  const processes = (await f.t.app.inject({ url: '/open-data/participation/processes.json' })).json().items as {
    slug: string;
    phase: string;
  }[];
  assert.equal(processes.find((x) => x.slug === DEMO_PROCESS)?.phase, 'follow-up');
  assert.equal((await f.t.app.inject({ url: '/open-data/participation/nothing.json' })).statusCode, 404);
  const list = await f.t.app.inject({ url: '/fa/participation?agency=ir-tax' });
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /صورت‌حساب الکترونیکی/);

  // monitoring: per agency, processes held, participants, share of proposals answered, days to the outcome
  const values = new Map<string, unknown>();
  for (const m of participationMetrics(db()))
    values.set(m.metric, (await m.measure(['ir-tax', 'ir-nocr'], new Date(), new Map())).get('ir-tax'));
  assert.deepEqual(values.get('participation.processes'), { value: 2 });
  assert.deepEqual(values.get('participation.proposals-answered-share'), { value: 100, detail: { numerator: 1, denominator: 1 } });
  assert.ok((values.get('participation.participants') as { value: number }).value >= 4);
  assert.equal(typeof (values.get('participation.outcome-days') as { value: number }).value, 'number');
  const nocr = await participationMetrics(db())[0].measure(['ir-nocr'], new Date(), new Map());
  assert.ok('noData' in (nocr.get('ir-nocr') as object));
});

test('limits: a taken address is a 409, a comment takes at most five additions, a closed process takes no supports or flags', async () => {
  const editor = await staff('participation-editor', 'ir-tax');
  await editor.get('/en/staff/participation');
  const taken = await editor.post('/en/staff/participation', {
    slug: DEMO_PROCESS,
    titleFa: 'نشانی تکراری',
    titleEn: 'Taken address',
    summaryFa: 'خلاصه',
    opens: ymd(new Date(Date.now() - DAY)),
    closes: ymd(new Date(Date.now() + 10 * DAY)),
  });
  assert.equal(taken.statusCode, 409);
  assert.equal(codeOf(taken.body), 'PARTICIPATION_SLUG_TAKEN');

  const p = await demo();
  const zahra = await citizen(ZAHRA);
  await zahra.b.get(demoPath);
  assert.equal((await zahra.b.post(`${demoPath}/comments`, { body: 'یک نظر برای افزودن پیاپی.' })).statusCode, 303);
  const mine = await db()
    .selectFrom('participation_comments')
    .selectAll()
    .where('process_id', '=', p.id)
    .where('citizen_id', '=', zahra.id)
    .executeTakeFirstOrThrow();
  for (let i = 1; i <= 5; i++)
    assert.equal((await zahra.b.post(`${demoPath}/comments/${mine.id}/append`, { text: `افزوده ${i}` })).statusCode, 303);
  const sixth = await zahra.b.post(`${demoPath}/comments/${mine.id}/append`, { text: 'افزوده ۶' });
  assert.equal(sixth.statusCode, 409);
  assert.equal(codeOf(sixth.body), 'PARTICIPATION_APPEND_LIMIT');

  const reza = await citizen(REZA);
  await reza.b.get(demoPath);
  await db()
    .updateTable('participation_processes')
    .set({ closes_at: new Date(Date.now() - 60_000) })
    .where('id', '=', p.id)
    .execute();
  try {
    const late = await reza.b.post(`${demoPath}/comments/${mine.id}/support`, {});
    assert.equal(codeOf(late.body), 'PARTICIPATION_CLOSED');
    const flag = await reza.b.post(`${demoPath}/comments/${mine.id}/flag`, { reason: 'spam' });
    assert.equal(codeOf(flag.body), 'PARTICIPATION_CLOSED');
    assert.equal(
      (await db().selectFrom('participation_comments').select('supports').where('id', '=', mine.id).executeTakeFirstOrThrow()).supports,
      0,
    );
  } finally {
    await db().updateTable('participation_processes').set({ closes_at: p.closes_at }).where('id', '=', p.id).execute();
  }
});

test('an adults-only vote asks the civil registry once per citizen, not once per poll (no per-vote registry entry)', async () => {
  const p = await demo();
  const first = await db().selectFrom('participation_polls').selectAll().where('process_id', '=', p.id).executeTakeFirstOrThrow();
  const second = await db()
    .insertInto('participation_polls')
    .values({
      process_id: p.id,
      question: first.question,
      options: JSON.stringify(first.options),
      opens_at: new Date(Date.now() - DAY),
      closes_at: new Date(Date.now() + DAY),
      adults_only: true,
    } as never)
    .returningAll()
    .executeTakeFirstOrThrow();
  const zahra = await citizen(ZAHRA);
  let asked = 0;
  const polls = new ParticipationPolls(f.t.ctx.participation.service, f.t.ctx.audit, () => {
    asked++;
    return Promise.resolve({ outcome: 'ok', birthDate: '1999-01-01' });
  });
  const ref = { id: zahra.id, national_id: ZAHRA.nid };
  await polls.vote(ref, DEMO_PROCESS, second.id, first.options[0].key);
  const third = await db()
    .insertInto('participation_polls')
    .values({
      process_id: p.id,
      question: first.question,
      options: JSON.stringify(first.options),
      opens_at: new Date(Date.now() - DAY),
      closes_at: new Date(Date.now() + DAY),
      adults_only: true,
    } as never)
    .returningAll()
    .executeTakeFirstOrThrow();
  await polls.vote(ref, DEMO_PROCESS, third.id, first.options[0].key);
  assert.equal(asked, 1);
});
