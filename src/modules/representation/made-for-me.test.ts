// The person acted for (issue 14): an application an attorney made in their name is on their own account
// ("made for you by X as your attorney"); they can object with a reason (required, once), which goes on
// the application's timeline for the agency's officer and into the audit log; nobody else can. The notice
// to them (e-box and SMS) is written through the applications service in the submission's transaction:
// when the submission rolls back, no notice is left behind.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { client, sessionOf, staffSession } from '../../../test/helpers/people.ts';
import { exchangeFixture } from '../exchange/exchange.fixture.ts';

const VEHICLE = 'transfer-vehicle-ownership';
const AMIR = { nid: '2288990015', mobile: '09141230000' }; // attorney of Mohammad (demo notary registry)
const REZA = { nid: '0012345679', mobile: '09351112233' }; // no power at all
const MOHAMMAD = '6789012346';
const MOHAMMAD_MOBILE = '09120000017';

let f: Awaited<ReturnType<typeof exchangeFixture>>;
let failSubmissions = false;
before(async () => {
  f = await exchangeFixture({ NOTIFICATIONS_WORKER: false });
  // a later sink that fails on demand: the whole submission, notices included, must roll back
  f.t.ctx.applications.addEventSink(async () => {
    if (failSubmissions) throw new Error('a later sink failed');
  });
});
after(() => f?.close());

async function attorneyApplies() {
  const { token } = await sessionOf(f.t.ctx, AMIR.nid, AMIR.mobile);
  const b = client(f.t.app, `session=${token}`);
  await b.get(`/fa/services/${VEHICLE}/apply`);
  const r = await b.post(`/fa/services/${VEHICLE}/apply`, {});
  assert.equal(r.statusCode, 303);
  const appId = /\/applications\/([0-9a-f-]{36})/.exec(r.headers.location as string)![1];
  const appPath = `/fa/applications/${appId}`;
  await b.get(`${appPath}/questions/applicant`);
  assert.equal((await b.post(`${appPath}/questions/applicant`, { nationalId: AMIR.nid, mobile: AMIR.mobile })).statusCode, 303);
  assert.equal((await b.post(`${appPath}/questions/owner`, { ownerNationalId: MOHAMMAD })).statusCode, 303);
  assert.equal((await b.post(`${appPath}/questions/vehicle`, { plate: '12ب345-67', buyerNationalId: '1122334451' })).statusCode, 303);
  assert.equal((await b.get(`${appPath}/check`)).statusCode, 200);
  const draft = (await f.t.ctx.applications.repo.byId(appId))!;
  const submitted = await b.post(`${appPath}/submit`, { submissionToken: draft.submission_token });
  return { appId, submitted };
}

const noticesTo = async (citizenId: string) => ({
  ebox: await f.t.ctx.database.db.selectFrom('ebox_messages').selectAll().where('citizen_id', '=', citizenId).execute(),
  sms: await f.t.ctx.database.db.selectFrom('notification_outbox').selectAll().where('recipient', '=', MOHAMMAD_MOBILE).execute(),
});

test('the notice to the principal is in the submission transaction: a failed submission leaves none', async () => {
  const principal = await sessionOf(f.t.ctx, MOHAMMAD, MOHAMMAD_MOBILE);
  failSubmissions = true;
  try {
    const { appId, submitted } = await attorneyApplies();
    assert.notEqual(submitted.statusCode, 303);
    assert.equal((await f.t.ctx.applications.repo.byId(appId))!.status, 'draft');
  } finally {
    failSubmissions = false;
  }
  const n = await noticesTo(principal.id);
  assert.equal(n.ebox.length, 0, 'no e-box notice from a rolled-back submission');
  assert.equal(n.sms.length, 0, 'no SMS from a rolled-back submission');
});

test('the principal sees the application made in their name and objects; the agency sees it; nobody else can', async () => {
  const principal = await sessionOf(f.t.ctx, MOHAMMAD, MOHAMMAD_MOBILE);
  const { appId, submitted } = await attorneyApplies();
  assert.equal(submitted.statusCode, 303);
  const n = await noticesTo(principal.id);
  assert.equal(n.ebox.length, 1);
  assert.match(n.ebox[0].body.en ?? '', /object on your Panjereh account/);
  assert.equal(n.sms.length, 1);

  const me = client(f.t.app, `session=${principal.token}`);
  const mine = await me.get('/en/applications');
  assert.match(mine.body, /href="\/en\/account\/representation\/made-for-me"/);
  const en = await me.get('/en/account/representation/made-for-me');
  assert.equal(en.statusCode, 200);
  assert.match(en.body, /Made for you by the holder of national ID <bdi>2288990015<\/bdi>, as your attorney/);
  assert.match(en.body, /Transfer vehicle ownership/);
  const fa = await me.get('/fa/account/representation/made-for-me');
  assert.match(fa.body, /ثبت‌شده برای شما به دست دارنده کد ملی <bdi>۲۲۸۸۹۹۰۰۱۵<\/bdi>/);

  // someone else: not found, on the page and the POST; nothing recorded
  const { token } = await sessionOf(f.t.ctx, REZA.nid, REZA.mobile);
  const stranger = client(f.t.app, `session=${token}`);
  assert.equal((await stranger.get(`/en/account/representation/made-for-me/${appId}/object`)).statusCode, 404);
  await stranger.get('/en/account/representation/made-for-me');
  assert.equal((await stranger.post(`/en/account/representation/made-for-me/${appId}/object`, { reason: 'no' })).statusCode, 404);
  // the attorney cannot object to their own application either
  const attorney = client(f.t.app, `session=${(await sessionOf(f.t.ctx, AMIR.nid, AMIR.mobile)).token}`);
  await attorney.get('/en/account/representation/made-for-me');
  assert.equal((await attorney.post(`/en/account/representation/made-for-me/${appId}/object`, { reason: 'x' })).statusCode, 404);

  // the reason is required (fa and en), then recorded once
  const page = `/en/account/representation/made-for-me/${appId}/object`;
  assert.equal((await me.get(page)).statusCode, 200);
  const empty = await me.post(page, { reason: '   ' });
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /<title>Error: /);
  assert.match(empty.body, /Enter why you object/);
  await me.get(`/fa/account/representation/made-for-me/${appId}/object`);
  assert.match((await me.post(`/fa/account/representation/made-for-me/${appId}/object`, { reason: '' })).body, /بنویسید چرا اعتراض دارید/);
  const ok = await me.post(page, { reason: 'I did not ask for this transfer' });
  assert.equal(ok.statusCode, 303);
  assert.match((await me.get(ok.headers.location as string)).body, /You objected to this application/);
  await me.get('/en/account/representation/made-for-me');
  const again = await me.post(page, { reason: 'again' });
  assert.equal(again.statusCode, 409);
  assert.match(again.body, /You have already objected to this application/);

  const app = (await f.t.ctx.applications.repo.byId(appId))!;
  const events = (await f.t.ctx.applications.timeline(app)).filter((e) => e.type === 'acting-for.objected');
  assert.equal(events.length, 1);
  const officer = await staffSession(f.t.ctx, 'operator', app.agency_id);
  const back = await client(f.t.app, officer.cookie).get(`/en/staff/applications/${appId}`);
  assert.equal(back.statusCode, 200);
  assert.match(back.body, /The person this application was made for objected to it/);
  assert.match(back.body, /I did not ask for this transfer/);
  // the attorney who made the application does not see the principal's reason (it is for the officer)
  for (const lang of ['fa', 'en']) {
    const own = await attorney.get(`/${lang}/applications/${appId}`);
    assert.equal(own.statusCode, 200);
    assert.doesNotMatch(own.body, /I did not ask for this transfer/);
  }
  const audit = await f.t.ctx.database.db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', 'representation.objected')
    .where('subject', '=', `application:${appId}`)
    .execute();
  assert.equal(audit.length, 1);
});
