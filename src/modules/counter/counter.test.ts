// Counter offices (issue 14): an operator applies for a walk-in citizen with the citizen's SMS code.
// The whole flow through app.inject, and each refusal: a wrong, expired or replayed code, too many tries,
// another office's operator, another service, another application, the citizen's account; each with its
// stable code, nothing submitted, and an audit entry.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { client, nationalId, staffSession } from '../../../test/helpers/people.ts';
import { DEMO_OFFICES } from './counter.demo.ts';

const SLUG = 'certificate-of-single-status';
const OTHER_SLUG = 'get-a-tax-clearance-certificate';
let t: TestApp;
let seed = 500;
before(async () => (t = await testApp({ NOTIFICATIONS_WORKER: false })));
after(() => t?.close());

/** A signed-in counter operator attached to the demo office `code`. */
async function operator(code = DEMO_OFFICES[0].code) {
  const s = await staffSession(t.ctx, 'counter-operator', null, `Operator ${code}`);
  await t.ctx.counter.service.attachOperator(s.id, code, 'test');
  return { id: s.id, b: client(t.app, s.cookie) };
}

const citizen = () => {
  const n = seed++;
  return { nid: nationalId(700000 + n), mobile: `0935${String(1000000 + n).padStart(7, '0')}` };
};

/** The last code texted to `mobile` (the development SMS gateway writes a JSON line per message). */
function smsTo(mobile: string): { text: string; code: string } {
  const file = path.join(t.ctx.config.DATA_DIR, 'outbox', 'sms.jsonl');
  const last = fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { to: string; text: string })
    .filter((m) => m.to === mobile)
    .at(-1)!;
  return { text: last.text, code: last.text.match(/#(\d{6})/)![1] };
}

async function startRequest(b: ReturnType<typeof client>, who: { nid: string; mobile: string }, service = SLUG) {
  await b.get('/en/staff/counter');
  const r = await b.post('/en/staff/counter/sessions', { nationalId: who.nid, mobile: who.mobile, service });
  assert.equal(r.statusCode, 303, r.body);
  const sessionPath = r.headers.location as string;
  assert.match(sessionPath, /^\/en\/staff\/counter\/sessions\/[0-9a-f-]{36}$/);
  return { sessionPath, id: sessionPath.split('/').pop()! };
}

async function enterCode(b: ReturnType<typeof client>, sessionPath: string, code: string) {
  await b.get(sessionPath);
  return b.post(`${sessionPath}/code`, { code });
}

const audits = async (action: string, subject?: string) =>
  (await t.ctx.database.db.selectFrom('audit_log').selectAll().where('action', '=', action).execute()).filter(
    (a) => !subject || a.subject === subject,
  );

test('an operator applies for a walk-in citizen with their SMS code; the citizen and the agency see who acted', async () => {
  const op = await operator();
  const who = citizen();
  const desk = await op.b.get('/fa/staff/counter');
  assert.equal(desk.statusCode, 200);
  assert.match(desk.body, /میدان ونک/);
  const { sessionPath, id } = await startRequest(op.b, who);
  const sms = smsTo(who.mobile);
  assert.match(sms.text, /Vanak Square government counter office/);
  assert.match(sms.text, /certificate of single status/i);
  assert.match(sms.text, /دفتر پیشخوان/);

  const ok = await enterCode(op.b, sessionPath, sms.code);
  assert.equal(ok.statusCode, 303);
  const appPath = ok.headers.location as string;
  assert.match(appPath, /^\/en\/applications\/[0-9a-f-]{36}$/);
  const appId = appPath.split('/').pop()!;

  // the assisted session drafts with the citizen's own journey pages
  const first = await op.b.get(appPath);
  assert.equal(first.statusCode, 303);
  assert.match(first.headers.location as string, new RegExp(`^${appPath}/questions/`));
  assert.equal((await op.b.get(first.headers.location as string)).statusCode, 200);
  const app = (await t.ctx.applications.repo.byId(appId))!;
  await t.ctx.applications.saveAnswers(app, { fullName: 'Sara Ahmadi', purpose: 'employment', email: 'sara@example.ir' });
  const check = await op.b.get(`${appPath}/check`);
  assert.equal(check.statusCode, 200);
  const token = check.body.match(/name="submissionToken" value="([^"]+)"/)![1];
  const submitted = await op.b.post(`${appPath}/submit`, { submissionToken: token });
  assert.equal(submitted.statusCode, 303);
  // the confirmation goes to the operator's page of this session, which shows both fees apart
  const confirm = await op.b.get(submitted.headers.location as string);
  assert.equal(confirm.statusCode, 303);
  assert.equal(confirm.headers.location, sessionPath);
  const done = await op.b.get(sessionPath);
  assert.equal(done.statusCode, 200);
  assert.match(done.body, /Government fee/);
  assert.match(done.body, /Counter office fee \(separate\)/);
  assert.match(done.body, /150,000/);
  const after = (await t.ctx.applications.repo.byId(appId))!;
  assert.equal(after.status, 'submitted');
  assert.match(done.body, new RegExp(after.reference!));

  // the session has ended: the cookie opens nothing of the citizen's any more
  const again = await op.b.get(appPath);
  assert.equal(again.statusCode, 303);
  assert.match(again.headers.location as string, new RegExp(`${sessionPath}|sign-in`));
  assert.notEqual((await op.b.get('/en/applications')).statusCode, 200);

  // recorded: on the session, the application's timeline (citizen and agency), the audit log
  const row = (await t.ctx.counter.service.repo.session(id))!;
  assert.equal(row.status, 'submitted');
  assert.equal(Number(row.counter_fee_rials), 150_000);
  const events = await t.ctx.applications.timeline(after);
  const ev = events.find((e) => e.type === 'counter.submitted')!;
  assert.match(String((ev.data.detail as { en: string }).en), /Vanak Square.*Operator 11020304.*national ID \d{10}/);
  const own = await client(t.app, `session=${await citizenToken(after.citizen_id)}`).get(`/en/applications/${appId}`);
  assert.equal(own.statusCode, 200);
  assert.match(own.body, /Submitted for you at a government counter office/);
  assert.match(own.body, /Vanak Square/);
  const officer = await staffSession(t.ctx, 'operator', after.agency_id);
  const back = await client(t.app, officer.cookie).get(`/en/staff/applications/${appId}`);
  assert.equal(back.statusCode, 200, back.body.slice(0, 300));
  assert.match(back.body, /Vanak Square/);
  assert.equal((await audits('counter.application-submitted', appId)).length, 1);
  // monitoring: the agency's share of applications made at counter offices counts it
  const { counterMetrics } = await import('./counter.metrics.ts');
  const share = (await counterMetrics(t.ctx.database.db)[0].measure([after.agency_id], new Date(), new Map())).get(after.agency_id)!;
  assert.ok('value' in share && share.value > 0 && share.detail?.numerator === 1, JSON.stringify(share));
  assert.equal((await audits('counter.session-started', id)).length, 1);
});

/** A session of the citizen's own (as if they signed in themselves). */
async function citizenToken(citizenId: string): Promise<string> {
  const c = await t.ctx.database.db.selectFrom('citizens').selectAll().where('id', '=', citizenId).executeTakeFirstOrThrow();
  const { sessionOf } = await import('../../../test/helpers/people.ts');
  return (await sessionOf(t.ctx, c.national_id, c.mobile)).token;
}

test('a wrong code says how many tries are left; the sixth try is refused even with the right code', async () => {
  const op = await operator();
  const who = citizen();
  const { sessionPath, id } = await startRequest(op.b, who);
  const { code } = smsTo(who.mobile);
  const wrong = code === '000000' ? '111111' : '000000';
  const first = await enterCode(op.b, sessionPath, wrong);
  assert.equal(first.statusCode, 422);
  assert.match(first.body, /The code is not right. You can try 4 more times/);
  for (let i = 0; i < 3; i++) assert.equal((await enterCode(op.b, sessionPath, wrong)).statusCode, 422);
  const fifth = await enterCode(op.b, sessionPath, wrong);
  assert.equal(fifth.statusCode, 429);
  assert.equal(fifth.headers['x-error-code'], 'COUNTER_TOO_MANY_TRIES');
  assert.match(fifth.body, /COUNTER_TOO_MANY_TRIES/);
  assert.equal((await t.ctx.counter.service.repo.session(id))!.status, 'refused');
  await op.b.get('/en/staff/counter');
  const right = await op.b.post(`${sessionPath}/code`, { code });
  assert.equal(right.statusCode, 409);
  assert.equal(right.headers['x-error-code'], 'COUNTER_CODE_USED');
  assert.ok((await audits('counter.refused', id)).length >= 5);
});

test('an expired code and a replayed code are refused with their codes; nothing is started', async () => {
  const op = await operator();
  const who = citizen();
  const { sessionPath, id } = await startRequest(op.b, who);
  const { code } = smsTo(who.mobile);
  const row = (await t.ctx.counter.service.repo.session(id))!;
  await t.ctx.database.db
    .updateTable('sign_in_challenges')
    .set({ expires_at: new Date(Date.now() - 1000) })
    .where('id', '=', row.challenge_id)
    .execute();
  const expired = await enterCode(op.b, sessionPath, code);
  assert.equal(expired.statusCode, 410);
  assert.equal(expired.headers['x-error-code'], 'COUNTER_CODE_EXPIRED');
  assert.equal((await t.ctx.counter.service.repo.session(id))!.status, 'refused');
  assert.equal((await t.ctx.counter.service.repo.session(id))!.application_id, null);

  const who2 = citizen();
  const second = await startRequest(op.b, who2);
  const code2 = smsTo(who2.mobile).code;
  assert.equal((await enterCode(op.b, second.sessionPath, code2)).statusCode, 303);
  const ended = await op.b.post(`${second.sessionPath}/end`, {});
  assert.equal(ended.statusCode, 303);
  const replay = await enterCode(op.b, second.sessionPath, code2);
  assert.equal(replay.statusCode, 409);
  assert.equal(replay.headers['x-error-code'], 'COUNTER_CODE_USED');
  assert.equal((await audits('counter.refused', second.id)).filter((a) => a.detail?.reason === 'replayed').length, 1);
});

test("another office's operator cannot see or continue the request", async () => {
  const op = await operator(DEMO_OFFICES[0].code);
  const other = await operator(DEMO_OFFICES[1].code);
  const who = citizen();
  const { sessionPath, id } = await startRequest(op.b, who);
  const { code } = smsTo(who.mobile);
  assert.equal((await other.b.get(sessionPath)).statusCode, 403);
  await other.b.get('/en/staff/counter');
  const r = await other.b.post(`${sessionPath}/code`, { code });
  assert.equal(r.statusCode, 403);
  assert.equal(r.headers['x-error-code'], 'COUNTER_OTHER_OFFICE');
  assert.equal((await t.ctx.counter.service.repo.session(id))!.status, 'code-sent');
  assert.ok((await audits('counter.refused', id)).some((a) => a.detail?.reason === 'other-office'));
  // an operator attached to no office is told so
  const loose = await staffSession(t.ctx, 'counter-operator', null);
  const desk = await client(t.app, loose.cookie).get('/en/staff/counter');
  assert.equal(desk.statusCode, 403);
  assert.equal(desk.headers['x-error-code'], 'COUNTER_NO_OFFICE');
});

test('the session opens one draft of one service: another service, application, the account or a second citizen are refused', async () => {
  const op = await operator();
  const who = citizen();
  const { sessionPath, id } = await startRequest(op.b, who);
  const ok = await enterCode(op.b, sessionPath, smsTo(who.mobile).code);
  const appPath = ok.headers.location as string;

  await op.b.get(`/en/services/${OTHER_SLUG}/apply`);
  const otherService = await op.b.post(`/en/services/${OTHER_SLUG}/apply`, {});
  assert.equal(otherService.statusCode, 403);
  assert.equal(otherService.headers['x-error-code'], 'COUNTER_OTHER_SERVICE');
  const same = await op.b.post(`/en/services/${SLUG}/apply`, {});
  assert.equal(same.statusCode, 303);
  assert.equal(same.headers.location, appPath);
  for (const url of ['/en/applications', '/en/ebox', '/en/account/sessions', '/en/account/representation']) {
    const r = await op.b.get(url);
    assert.equal(r.statusCode, 403, url);
    assert.equal(r.headers['x-error-code'], 'COUNTER_OUT_OF_SCOPE', url);
  }
  const otherApp = await op.b.get('/en/applications/00000000-0000-4000-8000-000000000000');
  assert.equal(otherApp.headers['x-error-code'], 'COUNTER_OTHER_APPLICATION');
  // another citizen while this session is open
  await op.b.get('/en/staff/counter');
  const second = await op.b.post('/en/staff/counter/sessions', {
    ...(() => {
      const c = citizen();
      return { nationalId: c.nid, mobile: c.mobile };
    })(),
    service: SLUG,
  });
  assert.equal(second.statusCode, 409);
  assert.equal(second.headers['x-error-code'], 'COUNTER_SESSION_ACTIVE');
  // none of it submitted anything; each refusal is audited
  const app = (await t.ctx.applications.repo.byId(appPath.split('/').pop()!))!;
  assert.equal(app.status, 'draft');
  const reasons = (await audits('counter.refused', id)).map((a) => a.detail?.reason);
  for (const r of ['COUNTER_OTHER_SERVICE', 'COUNTER_OUT_OF_SCOPE', 'COUNTER_OTHER_APPLICATION']) assert.ok(reasons.includes(r), r);
  // a public page is served as to anyone (no session), and the draft itself still opens
  assert.equal((await op.b.get('/en/help')).statusCode, 200);
  assert.equal((await op.b.get(`${appPath}/check`)).statusCode, 200);
});

test('an assisted session that timed out is closed and opens nothing', async () => {
  const op = await operator();
  const who = citizen();
  const { sessionPath, id } = await startRequest(op.b, who);
  const ok = await enterCode(op.b, sessionPath, smsTo(who.mobile).code);
  await t.ctx.counter.service.repo.update(t.ctx.database.db, id, { expires_at: new Date(Date.now() - 1000) });
  const r = await op.b.get(ok.headers.location as string);
  assert.equal(r.statusCode, 403);
  assert.equal(r.headers['x-error-code'], 'COUNTER_SESSION_EXPIRED');
  assert.equal((await t.ctx.counter.service.repo.session(id))!.status, 'ended');
});

test('bad input on the desk says what to fix and sends nothing; only platform admins manage offices', async () => {
  const op = await operator();
  await op.b.get('/en/staff/counter');
  const r = await op.b.post('/en/staff/counter/sessions', { nationalId: '1234567890', mobile: '021', service: 'nope' });
  assert.equal(r.statusCode, 400);
  assert.match(r.body, /check digit/);
  assert.match(r.body, /landline/);
  assert.match(r.body, /Select a service from the list/);
  assert.equal((await op.b.get('/en/staff/counter/offices')).statusCode, 403);

  const admin = client(t.app, (await staffSession(t.ctx, 'platform-admin', null)).cookie);
  const list = await admin.get('/en/staff/counter/offices');
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /Vanak Square/);
  assert.match(list.body, /were made at counter offices/);
  const bad = await admin.post('/en/staff/counter/offices', { code: '12', nameFa: '', fee: '-5' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /5 to 8 digits/);
  const added = await admin.post('/en/staff/counter/offices', {
    code: '71000001',
    nameFa: 'دفتر پیشخوان شیراز',
    nameEn: 'Shiraz counter office',
    province: 'فارس',
    city: 'شیراز',
    address: 'شیراز، خیابان زند',
    licence: 'PK-1403-0999',
    fee: '130000',
  });
  assert.equal(added.statusCode, 303);
  assert.match((await admin.get('/en/staff/counter/offices')).body, /Shiraz counter office/);
  assert.equal((await audits('counter.office-added')).length, 1);
  // the desk itself is for counter operators only
  assert.equal((await admin.get('/en/staff/counter')).statusCode, 403);
});

test('role matrix: the desk is for counter operators only, the offices for platform admins only; a counter operator opens no agency page', async () => {
  const op = await operator();
  const callers: [string, ReturnType<typeof client>][] = [
    ['counter-operator', op.b],
    ['admin', client(t.app, (await staffSession(t.ctx, 'platform-admin', null)).cookie)],
    ['analyst', client(t.app, (await staffSession(t.ctx, 'oversight-analyst', null)).cookie)],
    ['nocr-admin', client(t.app, (await staffSession(t.ctx, 'agency-admin', 'ir-nocr')).cookie)],
    ['nocr-operator', client(t.app, (await staffSession(t.ctx, 'operator', 'ir-nocr')).cookie)],
    ['finance', client(t.app, (await staffSession(t.ctx, 'finance-officer', 'ir-nocr')).cookie)],
    ['signed-out', client(t.app, '')],
  ];
  const expected: [string, Record<string, number>][] = [
    [
      '/en/staff/counter',
      { 'counter-operator': 200, admin: 403, analyst: 403, 'nocr-admin': 403, 'nocr-operator': 403, finance: 403, 'signed-out': 303 },
    ],
    [
      '/en/staff/counter/offices',
      { 'counter-operator': 403, admin: 200, analyst: 403, 'nocr-admin': 403, 'nocr-operator': 403, finance: 403, 'signed-out': 303 },
    ],
  ];
  for (const url of [
    '/en/staff/applications',
    '/en/staff/agencies/ir-nocr/services/new',
    '/en/staff/agencies/ir-nocr/people',
    '/en/staff/documents',
    '/en/staff/payments',
    '/en/staff/audit',
    '/en/staff/oversight',
  ])
    expected.push([url, { 'counter-operator': 403 }]);
  const problems: string[] = [];
  for (const [url, want] of expected)
    for (const [name, b] of callers) {
      if (want[name] === undefined) continue;
      const r = await b.get(url);
      if (r.statusCode !== want[name]) problems.push(`${url} as ${name}: ${r.statusCode}, expected ${want[name]}`);
    }
  assert.deepEqual(problems, []);
});

test('a timed-out assisted session does not take over the citizen submitting the same draft from home', async () => {
  const op = await operator();
  const who = citizen();
  const { sessionPath, id } = await startRequest(op.b, who);
  const ok = await enterCode(op.b, sessionPath, smsTo(who.mobile).code);
  const appPath = ok.headers.location as string;
  const appId = appPath.split('/').pop()!;
  await t.ctx.counter.service.repo.update(t.ctx.database.db, id, { expires_at: new Date(Date.now() - 1000) });
  const app = (await t.ctx.applications.repo.byId(appId))!;
  await t.ctx.applications.saveAnswers(app, { fullName: 'Sara Ahmadi', purpose: 'employment', email: 'sara@example.ir' });
  // the citizen signs in themselves, at home, and submits
  const home = client(t.app, `session=${await citizenToken(app.citizen_id)}`);
  const check = await home.get(`${appPath}/check`);
  assert.equal(check.statusCode, 200);
  const token = check.body.match(/name="submissionToken" value="([^"]+)"/)![1];
  const submitted = await home.post(`${appPath}/submit`, { submissionToken: token });
  assert.equal(submitted.statusCode, 303);
  const after = (await t.ctx.applications.repo.byId(appId))!;
  assert.equal(after.status, 'submitted');
  const events = await t.ctx.applications.timeline(after);
  assert.equal(events.filter((e) => e.type === 'counter.submitted').length, 0);
  const row = (await t.ctx.counter.service.repo.session(id))!;
  assert.notEqual(row.status, 'submitted');
  assert.equal(row.counter_fee_rials, null);
  assert.equal((await audits('counter.application-submitted', appId)).length, 0);
});

test('the assisted session ends with its operator: a deactivated operator, or one signed out, opens nothing with the citizen cookie', async () => {
  for (const how of ['deactivated', 'signed-out'] as const) {
    const op = await operator();
    const who = citizen();
    const { sessionPath, id } = await startRequest(op.b, who);
    const ok = await enterCode(op.b, sessionPath, smsTo(who.mobile).code);
    const appPath = ok.headers.location as string;
    const citizenCookie = op.b.jar.get('session')!;
    assert.ok(citizenCookie);
    if (how === 'deactivated')
      await t.ctx.database.db.updateTable('staff').set({ deactivated_at: new Date() }).where('id', '=', op.id).execute();
    else await t.ctx.database.db.updateTable('staff_sessions').set({ revoked_at: new Date() }).where('staff_id', '=', op.id).execute();
    // the citizen cookie alone, from another browser
    const elsewhere = await t.app.inject({ method: 'GET', url: appPath, headers: { cookie: `session=${citizenCookie}` } });
    assert.equal(elsewhere.statusCode, 403, how);
    assert.equal(elsewhere.headers['x-error-code'], 'COUNTER_OPERATOR_GONE', how);
    // the session is closed and the citizen session revoked: even with both cookies, nothing opens
    const r = await op.b.get(appPath);
    assert.notEqual(r.statusCode, 200, how);
    assert.equal((await t.ctx.counter.service.repo.session(id))!.status, 'ended', how);
    assert.ok(
      (await audits('counter.refused', id)).some((a) => a.detail?.reason === 'COUNTER_OPERATOR_GONE'),
      how,
    );
  }
  // the operator's own browser (both cookies) is refused too while the operator is deactivated
  const op = await operator();
  const who = citizen();
  const { sessionPath } = await startRequest(op.b, who);
  const ok = await enterCode(op.b, sessionPath, smsTo(who.mobile).code);
  await t.ctx.database.db.updateTable('staff').set({ deactivated_at: new Date() }).where('id', '=', op.id).execute();
  const r = await op.b.get(ok.headers.location as string);
  assert.equal(r.statusCode, 403);
  assert.equal(r.headers['x-error-code'], 'COUNTER_OPERATOR_GONE');
});

test('a timed-out assisted session does not block the operator starting the next one', async () => {
  const op = await operator();
  const who = citizen();
  const { sessionPath, id } = await startRequest(op.b, who);
  await enterCode(op.b, sessionPath, smsTo(who.mobile).code);
  await t.ctx.counter.service.repo.update(t.ctx.database.db, id, { expires_at: new Date(Date.now() - 1000) });
  const next = await op.b.post('/en/staff/counter/sessions', { nationalId: citizen().nid, mobile: citizen().mobile, service: SLUG });
  assert.equal(next.statusCode, 303, next.body.slice(0, 300));
  assert.equal((await t.ctx.counter.service.repo.session(id))!.status, 'ended');
});
