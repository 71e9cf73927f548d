// Acting for others (issue 14, first slice): the school-transfer form names the child by national ID,
// and only the child's parent or legal guardian, while the child is under 18, may apply. Checked with the
// civil registry through the exchange when the child's page is saved and again at submission. A refusal
// says why and what to do (fa and en), submits nothing, and is in the audit log.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { client, sessionOf, staffSession } from '../../../test/helpers/people.ts';
import { exchangeFixture, setUpstream } from '../exchange/exchange.fixture.ts';
import { startJsonServer } from '../exchange/registries/registry-server.ts';
import { checkDefinition } from '../applications/forms.ts';
import { adultOn } from './representation.service.ts';
import { ApplicationsService } from '../applications/applications.service.ts';
import { AuditLog } from '../../platform/audit.ts';

const SLUG = 'transfer-your-child-to-another-school';
// the demo civil registry's families (src/modules/exchange/registries/demo-people.json)
const MARYAM = { nid: '0499370899', mobile: '09121234567' }; // mother of Sara (8) and Ali (18)
const REZA = { nid: '0012345679', mobile: '09351112233' }; // their father
const ZAHRA = { nid: '1122334451', mobile: '09131234500' }; // born 1999, no children
const FATEMEH = { nid: '3067543211', mobile: '09171112222' }; // legal guardian of Parisa
const SARA = '3715004101';
const ALI = '3808002115'; // born 2008-02-11: 18 since 2026-02-11
const PARISA = '3912009015';

let f: Awaited<ReturnType<typeof exchangeFixture>>;
let civilUrl: string;
before(async () => {
  f = await exchangeFixture({ NOTIFICATIONS_WORKER: false });
  civilUrl = (
    await f.t.ctx.database.db
      .selectFrom('exchange_services')
      .select('upstream_url')
      .where('id', '=', 'GOV/NOCR/REGISTRY/person')
      .executeTakeFirstOrThrow()
  ).upstream_url;
});
after(() => f?.close());

/** A signed-in demo citizen with a school-transfer draft, past the first page. */
async function applicant(p: { nid: string; mobile: string }) {
  const { token, ...c } = await sessionOf(f.t.ctx, p.nid, p.mobile);
  const b = client(f.t.app, `session=${token}`);
  await b.get(`/fa/services/${SLUG}/apply`);
  const r = await b.post(`/fa/services/${SLUG}/apply`, {});
  assert.equal(r.statusCode, 303);
  const appId = /\/applications\/([0-9a-f-]{36})/.exec(r.headers.location as string)![1];
  const appPath = `/fa/applications/${appId}`;
  await b.get(`${appPath}/questions/applicant`);
  assert.equal((await b.post(`${appPath}/questions/applicant`, { nationalId: p.nid, mobile: p.mobile })).statusCode, 303);
  return { b, citizenId: c.id, appId, appPath };
}

/** The rest of the form, then check your answers and submit. */
async function finish(b: ReturnType<typeof client>, appPath: string) {
  const appId = appPath.split('/').pop()!;
  await b.get(`${appPath}/questions/schools`);
  assert.equal((await b.post(`${appPath}/questions/schools`, { currentSchool: 'دبستان الف', newSchool: 'دبستان ب' })).statusCode, 303);
  await b.post(`${appPath}/questions/reason`, { reason: '' });
  await b.post(`${appPath}/questions/email`, { email: '' });
  assert.equal((await b.get(`${appPath}/check`)).statusCode, 200);
  const draft = await f.t.ctx.applications.repo.byId(appId);
  return b.post(`${appPath}/submit`, { submissionToken: draft!.submission_token });
}

const checks = (appId: string) =>
  f.t.ctx.database.db
    .selectFrom('application_representations')
    .selectAll()
    .where('application_id', '=', appId)
    .orderBy('checked_at')
    .execute();
const audits = (appId: string) =>
  f.t.ctx.database.db.selectFrom('audit_log').selectAll().where('subject', '=', `application:${appId}`).orderBy('seq').execute();
const statusOf = async (appId: string) =>
  (await f.t.ctx.database.db.selectFrom('applications').select('status').where('id', '=', appId).executeTakeFirstOrThrow()).status;

test('the form checker accepts "actingFor" on a typed national-id field and says what is wrong otherwise', () => {
  const def = (actingFor: unknown, field: Record<string, unknown> = {}) => ({
    service: 'x',
    actingFor,
    pages: [
      {
        id: 'a',
        title: { fa: 'الف', en: 'A' },
        fields: [{ name: 'childNationalId', type: 'national-id', label: { fa: 'ک', en: 'C' }, ...field }],
      },
    ],
  });
  assert.deepEqual(checkDefinition(def({ field: 'childNationalId', relation: 'parent-or-guardian-of-minor' })), []);
  const problem = (d: unknown) => checkDefinition(d).map((p) => `${p.path}: ${p.message}`);
  assert.match(problem(def({ field: 'nope', relation: 'parent-or-guardian-of-minor' }))[0], /^\/actingFor\/field: must name a field/);
  assert.match(
    problem(def({ field: 'childNationalId', relation: 'friend' }))[0],
    /^\/actingFor\/relation: must be one of parent-or-guardian-of-minor/,
  );
  assert.match(
    problem(def({ field: 'childNationalId', relation: 'parent-or-guardian-of-minor' }, { type: 'text' }))[0],
    /must name a national-id field/,
  );
  assert.match(
    problem(def({ field: 'childNationalId', relation: 'parent-or-guardian-of-minor' }, { prefill: 'nationalId' }))[0],
    /not prefilled/,
  );
  assert.match(
    problem(def({ field: 'childNationalId', relation: 'parent-or-guardian-of-minor', x: 1 }))[0],
    /^\/actingFor\/x: unknown key/,
  );
  assert.match(problem(def('childNationalId'))[0], /^\/actingFor: must be an object/);
});

test('18th birthdays: the same day 18 years on; 29 February turns 18 on 1 March of a common year', () => {
  assert.equal(adultOn('2008-02-11'), '2026-02-11');
  assert.equal(adultOn('2008-02-29'), '2026-03-01');
});

test('a parent applies for their child: accepted; the relation is stored, on the timeline, on the back-office page and in the audit log', async () => {
  const { b, appId, appPath, citizenId } = await applicant(MARYAM);
  await b.get(`${appPath}/questions/child`);
  assert.equal((await b.post(`${appPath}/questions/child`, { childNationalId: SARA })).statusCode, 303);
  const sent = await finish(b, appPath);
  assert.equal(sent.statusCode, 303);
  assert.match(sent.headers.location as string, /\/confirmation$/);
  assert.equal(await statusOf(appId), 'submitted');

  const rows = await checks(appId);
  assert.deepEqual(
    rows.map((r) => [r.stage, r.outcome, r.relation]),
    [
      ['page', 'confirmed', 'child'],
      ['submission', 'confirmed', 'child'],
    ],
  );
  const record = rows[1];
  assert.equal(record.citizen_id, citizenId);
  assert.equal(record.applicant_national_id, MARYAM.nid);
  assert.equal(record.subject_national_id, SARA);
  assert.equal(record.subject_birth_date, '2015-04-10');
  assert.deepEqual(record.subject_name, { fa: 'سارا محمدی', en: 'Sara Mohammadi' });
  assert.ok(record.exchange_request_id, 'the exchange request id is kept');

  // the citizen's application page: the panel and the timeline entry
  const mine = await b.get(`/en/applications/${appId}`);
  assert.equal(mine.statusCode, 200);
  assert.match(mine.body, /You made this application for <bdi>Sara Mohammadi<\/bdi>/);
  assert.match(mine.body, /Checked with the National Organization for Civil Registration on/);
  assert.match(mine.body, /The civil registry confirmed the application is for the applicant's child under 18 or ward/);
  const fa = await b.get(`/fa/applications/${appId}`);
  assert.match(fa.body, /شما این درخواست را برای <bdi>سارا محمدی<\/bdi>/);

  // the agency's operator
  const agency = (await f.t.ctx.catalog.getService(SLUG)).agency_id;
  const op = await staffSession(f.t.ctx, 'operator', agency);
  const back = await client(f.t.app, op.cookie).get(`/en/staff/applications/${appId}`);
  assert.equal(back.statusCode, 200);
  assert.match(back.body, /Applied by the holder of national ID <bdi>0499370899<\/bdi> for their child, <bdi>Sara Mohammadi<\/bdi>/);
  assert.match(back.body, new RegExp(`request ID <bdi dir="ltr">${record.exchange_request_id}</bdi>`));

  // the audit log, and the citizen's data-use page shows the registry request with its purpose
  assert.deepEqual(
    (await audits(appId)).map((a) => [a.action, a.detail.stage, a.detail.subjectNationalId]),
    [
      ['representation.confirmed', 'page', SARA],
      ['representation.confirmed', 'submission', SARA],
    ],
  );
  const use = await b.get('/en/account/data-use');
  assert.match(use.body, /Check that the applicant is the parent or legal guardian of the minor the application is for/);
});

test('someone who is not the child’s parent or guardian (the security finding): refused with the reason on the page, nothing submitted, audited', async () => {
  const { b, appId, appPath } = await applicant(ZAHRA);
  await b.get(`${appPath}/questions/child`);
  const refused = await b.post(`${appPath}/questions/child`, { childNationalId: PARISA });
  assert.equal(refused.statusCode, 400);
  assert.match(refused.body, /<title>خطا: /);
  assert.match(refused.body, /فردی با این کد ملی فرزند زیر ۱۸ سال شما یا فرزندی که سرپرستی قانونی‌اش با شماست ثبت نشده است/);
  assert.match(refused.body, /href="#childNationalId"/, 'the error summary links to the field');
  assert.match(refused.body, new RegExp(`value="${PARISA}"`), 'what they typed is kept on the page');
  const en = await b.post(`/en/applications/${appId}/questions/child`, { childNationalId: PARISA });
  assert.equal(en.statusCode, 400);
  assert.match(en.body, /does not list anyone with this national ID as your child under 18 or as a child in your legal guardianship/);
  assert.match(en.body, /Check the national ID on your child's birth certificate/);
  // not saved: the check page cannot be reached with it, and nothing is submitted
  assert.equal((await f.t.ctx.applications.repo.byId(appId))?.answers.childNationalId, undefined);
  assert.equal(await statusOf(appId), 'draft');
  const sent = await finish(b, appPath);
  assert.equal(sent.statusCode, 400, 'the child is still missing');
  assert.equal(await statusOf(appId), 'draft');
  const a = await audits(appId);
  assert.ok(a.length >= 2 && a.every((x) => x.action === 'representation.refused' && x.detail.outcome === 'not-related'));
  assert.equal(a[0].detail.subjectNationalId, PARISA);
  assert.equal(a[0].actor.startsWith('citizen:'), true);
});

test('a child who has turned 18: refused, saying so and what to do', async () => {
  const { b, appId, appPath } = await applicant(REZA);
  const refused = await b.post(`${appPath}/questions/child`, { childNationalId: ALI });
  assert.equal(refused.statusCode, 400);
  assert.match(refused.body, /علی محمدی در ۲۲ بهمن ۱۴۰۴ ۱۸ ساله شده است/);
  const en = await b.post(`/en/applications/${appId}/questions/child`, { childNationalId: ALI });
  assert.match(en.body, /Ali Mohammadi turned 18 on 11 February 2026\. People who are 18 or over apply for themselves/);
  assert.equal(await statusOf(appId), 'draft');
  assert.deepEqual(
    (await checks(appId)).map((r) => [r.outcome, r.relation]),
    [
      ['adult', 'child'],
      ['adult', 'child'],
    ],
  );
});

test('the registry’s answer changed after the page check: refused again at submission, nothing submitted', async () => {
  const { b, appId, appPath } = await applicant(REZA); // the same draft as above: now for his minor daughter
  assert.equal((await b.post(`${appPath}/questions/child`, { childNationalId: SARA })).statusCode, 303);
  // the registry now answers differently (for example a court moved the guardianship)
  const changed = await startJsonServer(0, '127.0.0.1', () => ({ status: 200, body: { children: [] } }));
  await setUpstream(f.t, 'GOV/NOCR/REGISTRY/person', `http://127.0.0.1:${changed.port}`);
  try {
    const sent = await finish(b, appPath);
    assert.equal(sent.statusCode, 400);
    assert.match(sent.body, /<title>خطا: /);
    assert.match(sent.body, /فردی با این کد ملی فرزند زیر ۱۸ سال شما/);
    assert.equal(await statusOf(appId), 'draft', 'nothing submitted');
    const events = await f.t.ctx.applications.repo.events(appId);
    assert.ok(!events.some((e) => e.type === 'submitted'));
    assert.deepEqual(
      (await checks(appId)).slice(-2).map((r) => [r.stage, r.outcome]),
      [
        ['page', 'confirmed'],
        ['submission', 'not-related'],
      ],
    );
    assert.equal((await audits(appId)).at(-1)?.action, 'representation.refused');
  } finally {
    await setUpstream(f.t, 'GOV/NOCR/REGISTRY/person', civilUrl);
    await changed.close();
  }
});

test('the registry is down: a clear message that says what to do, the draft kept, nothing submitted', async () => {
  const { b, appId, appPath } = await applicant(FATEMEH);
  await setUpstream(f.t, 'GOV/NOCR/REGISTRY/person', 'http://127.0.0.1:9'); // nothing listens there
  try {
    const r = await b.post(`${appPath}/questions/child`, { childNationalId: PARISA });
    assert.equal(r.statusCode, 400);
    assert.match(r.body, /اکنون نتوانستیم از سازمان ثبت احوال کشور بپرسیم که شما پدر، مادر یا سرپرست قانونی این فرزند هستید/);
    const en = await b.post(`/en/applications/${appId}/questions/child`, { childNationalId: PARISA });
    assert.match(en.body, /We could not check with the National Organization for Civil Registration just now.*Try again in a few minutes/s);
    const draft = await f.t.ctx.applications.repo.byId(appId);
    assert.equal(draft?.status, 'draft');
    assert.equal(draft?.answers.nationalId, FATEMEH.nid, 'the answers so far are kept');
    assert.equal((await checks(appId)).at(-1)?.outcome, 'unavailable');
    assert.equal((await audits(appId)).at(-1)?.detail.outcome, 'unavailable');
  } finally {
    await setUpstream(f.t, 'GOV/NOCR/REGISTRY/person', civilUrl);
  }
  // the registry is back: the guardian goes on and submits for her ward
  assert.equal((await b.post(`${appPath}/questions/child`, { childNationalId: PARISA })).statusCode, 303);
  assert.equal((await finish(b, appPath)).statusCode, 303);
  assert.equal(await statusOf(appId), 'submitted');
  assert.equal((await checks(appId)).at(-1)?.relation, 'ward');
});

test('the account page says what it will fetch, asks only on the button, and lists the minor children and wards (fa and en)', async () => {
  const { b } = await applicant(MARYAM);
  const page = await b.get('/fa/account/representation');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /برای چه کسانی می‌توانید درخواست بدهید/);
  assert.match(page.body, /سازمان ثبت احوال کشور/);
  assert.doesNotMatch(page.body, /سارا/, 'nothing fetched before the citizen asks');
  const shown = await b.post('/fa/account/representation', {});
  assert.equal(shown.statusCode, 200);
  assert.match(shown.body, /سارا محمدی/);
  assert.doesNotMatch(shown.body, /علی محمدی/, 'a child of 18 is not listed');
  const en = await b.post('/en/account/representation', {});
  assert.match(en.body, /Sara Mohammadi/);
  assert.match(en.body, /your child/);
  assert.match(en.body, /10 April 2033 \(when they turn 18\)/);
  const guardian = await applicant(FATEMEH);
  assert.match((await guardian.b.post('/en/account/representation', {})).body, /Parisa Karimi.*in your legal guardianship/s);
  const none = await applicant(ZAHRA);
  assert.match(
    (await none.b.post('/en/account/representation', {})).body,
    /has no child under 18 or child in your legal guardianship registered for you/,
  );
  assert.equal((await b.post('/en/account/representation', {}, { noCsrf: true })).statusCode, 403);
  const use = await b.get('/en/account/data-use');
  assert.match(use.body, /Show the citizen the minor children and wards they may apply for/);
});

test('fail closed: an applications service with no acting-for check wired refuses a form that declares "actingFor"', async () => {
  const { b, citizenId, appId, appPath } = await applicant(MARYAM);
  assert.equal((await b.post(`${appPath}/questions/child`, { childNationalId: SARA })).statusCode, 303);
  await b.get(`${appPath}/questions/schools`);
  await b.post(`${appPath}/questions/schools`, { currentSchool: 'دبستان الف', newSchool: 'دبستان ب' });
  await b.post(`${appPath}/questions/reason`, { reason: '' });
  await b.post(`${appPath}/questions/email`, { email: '' });
  const ctx = f.t.ctx;
  // built as a command or a new composition root might build it, forgetting setActingForCheck()
  const unwired = new ApplicationsService(ctx.database.db, ctx.catalog, ctx.applications.storage, new AuditLog(ctx.database.db));
  const draft = await ctx.applications.repo.byId(appId);
  const r = await unwired.submit({ id: citizenId, ...MARYAM, national_id: MARYAM.nid }, appId, draft?.submission_token ?? '');
  assert.ok('missing' in r && r.refused, JSON.stringify(r));
  assert.deepEqual(r.missing, ['childNationalId']);
  assert.equal(await statusOf(appId), 'draft', 'nothing submitted');
});
