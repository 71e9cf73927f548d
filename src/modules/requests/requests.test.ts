// Citizens' requests (issue 15), the "Done when" flow through the routes: a complaint about an
// application is answered; an FOI request to the tax administration runs overdue (fake clock), escalates
// to the agency's head of complaints and then to oversight, is answered with a partial refusal citing an
// exemption, is appealed, appears redacted in the public register after moderation, and the agency's
// statistics (page, open data, monitoring indicator) count it. And the refusals: another citizen, an
// officer of another agency, bad input, a duplicate; the clarification pause and a transfer.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { citizenSession, client, staffSession } from '../../../test/helpers/people.ts';

let t: TestApp;
const DAY = 86_400_000;
let now = new Date('2026-11-02T08:00:00Z'); // a Monday in Tehran
before(async () => {
  t = await testApp({ NOTIFICATIONS_WORKER: false });
  t.ctx.requests.clock.now = () => now;
});
after(() => t.close());

const idOf = (location: unknown) => /\/requests\/([0-9a-f-]{36})$/.exec(String(location))![1];

async function staff(role: 'operator' | 'agency-admin' | 'oversight-analyst', agency: string | null) {
  const s = await staffSession(t.ctx, role, agency);
  const b = client(t.app, s.cookie);
  return { b, id: s.id };
}

async function file(b: ReturnType<typeof client>, form: Record<string, string>) {
  await b.get('/en/requests/new');
  return b.post('/en/requests', form);
}

test('done when: complaint answered; FOI overdue, escalated, partly refused, appealed, published redacted, counted', async () => {
  const me = await citizenSession(t.ctx);
  const b = client(t.app, me.cookie);
  const svc = await t.ctx.database.db
    .selectFrom('application_forms')
    .innerJoin('services', 'services.id', 'application_forms.service_id')
    .select(['services.slug'])
    .executeTakeFirstOrThrow();
  const app = await t.ctx.applications.startDraft({ id: me.id, national_id: me.nationalId, mobile: me.mobile } as never, svc.slug, 'fa');

  // 1. a complaint about the application goes to the application's agency
  let res = await file(b, {
    kind: 'complaint',
    applicationId: app.id,
    subject: 'Nobody answers my application',
    body: 'I applied three weeks ago and nobody has looked at it.',
    withhold: 'yes',
  });
  assert.equal(res.statusCode, 303, res.body);
  const complaint = idOf(res.headers.location);
  const c = await t.ctx.requests.service.own(me.id, complaint);
  assert.equal(c.request.agency_id, app.agency_id);
  assert.equal(c.request.application_id, app.id);

  const officer = await staff('operator', app.agency_id);
  let page = await officer.b.get(`/en/staff/requests/${complaint}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Withheld at the citizen/);
  assert.doesNotMatch(page.body, new RegExp(me.nationalId), 'the withheld identity is not shown to the agency');
  const oversight = await staff('oversight-analyst', null);
  assert.match((await oversight.b.get(`/en/staff/requests/${complaint}`)).body, new RegExp(me.nationalId), 'oversight sees who complained');
  res = await officer.b.post(`/en/staff/requests/${complaint}/claim`, {});
  assert.equal(res.statusCode, 303);
  await officer.b.get(`/en/staff/requests/${complaint}`);
  res = await officer.b.post(`/en/staff/requests/${complaint}/answer`, {
    'answer-text': 'Your application is now with an officer.',
    'answer-outcome': 'resolved',
  });
  assert.equal(res.statusCode, 303, res.body);
  page = await b.get(`/en/requests/${complaint}`);
  assert.match(page.body, /Your application is now with an officer/);
  assert.match(page.body, /An officer took it on/);
  res = await b.post(`/en/requests/${complaint}/rate`, { score: '4' });
  assert.equal(res.statusCode, 303);

  // 2. an FOI request to the tax administration, 10 working days
  res = await file(b, {
    kind: 'foi',
    agencyId: 'ir-tax',
    subject: 'Tax audits in 1404 (Ali Rezaei, audited twice)',
    body: 'How many tax audits did the administration carry out in 1404, by province?',
  });
  assert.equal(res.statusCode, 303, res.body);
  const foi = idOf(res.headers.location);
  const filed = (await t.ctx.requests.service.own(me.id, foi)).request;
  assert.ok(filed.due_at.getTime() >= now.getTime() + 12 * DAY, 'ten working days are at least 12 calendar days (two weekends)');

  // nothing is due yet; then the fake clock runs past the deadline: the head of complaints, later oversight
  assert.equal(await t.ctx.requests.jobs.runOnce(now), 0);
  now = new Date(filed.due_at.getTime() + 3600_000);
  assert.equal(await t.ctx.requests.jobs.runOnce(now), 1);
  page = await b.get(`/en/requests/${foi}`);
  assert.match(page.body, /escalated to the agency’s head of complaints/);
  assert.match(page.body, /Appeal to the FOI commission/, 'an overdue FOI request may be appealed');
  const taxHead = await staff('agency-admin', 'ir-tax');
  assert.match((await taxHead.b.get('/en/staff/requests?overdue=1')).body, new RegExp(filed.reference));
  now = new Date(now.getTime() + 9 * DAY);
  assert.equal(await t.ctx.requests.jobs.runOnce(now), 1);
  assert.match((await oversight.b.get('/en/staff/requests')).body, new RegExp(filed.reference), 'oversight sees the escalated request');
  assert.match((await b.get(`/en/requests/${foi}`)).body, /escalated to the oversight office/);

  // 3. a partial refusal must cite an exemption ground and give a redacted text for the register
  const taxOfficer = await staff('operator', 'ir-tax');
  await taxOfficer.b.get(`/en/staff/requests/${foi}`);
  res = await taxOfficer.b.post(`/en/staff/requests/${foi}/partial`, { 'partial-text': 'Totals below.' });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /Choose the legal exemption ground/);
  assert.match(res.body, /Write the answer for the public register/);
  assert.match(res.body, /Write a title for the public register/, 'the citizen’s own title is never published: the officer writes one');
  res = await taxOfficer.b.post(`/en/staff/requests/${foi}/partial`, {
    'partial-text': `Dear ${me.nationalId}: 12,400 audits in total; figures by province are withheld.`,
    'partial-exemption': 'art17-commercial',
    'partial-publicText': '12,400 audits in total; figures by province are withheld.',
    'partial-publicSubject': 'Tax audits in 1404',
  });
  assert.equal(res.statusCode, 303, res.body);
  assert.equal((await t.ctx.requests.service.own(me.id, foi)).request.status, 'partial');

  // 4. the citizen appeals to the FOI commission, with its own clock
  await b.get(`/en/requests/${foi}`);
  res = await b.post(`/en/requests/${foi}/appeal`, { appeal: 'The figures by province are not commercial secrets.' });
  assert.equal(res.statusCode, 303, res.body);
  const appealed = (await t.ctx.requests.service.own(me.id, foi)).request;
  assert.equal(appealed.appeal_status, 'open');
  assert.ok(appealed.appeal_due_at! > now);

  // 5. not in the register until the oversight office publishes it; then redacted, no requester
  assert.doesNotMatch((await b.get('/en/foi')).body, /Tax audits in 1404/);
  await oversight.b.get(`/en/staff/requests/${foi}`);
  res = await oversight.b.post(`/en/staff/requests/${foi}/publish`, {
    'publish-publicText': '12,400 audits in total; figures by province are withheld.',
  });
  assert.equal(res.statusCode, 303, res.body);
  const register = (await client(t.app, '').get('/en/foi')).body;
  assert.match(register, /Tax audits in 1404/);
  assert.match(register, /12,400 audits in total/);
  assert.match(register, /Commercial secrets/);
  assert.doesNotMatch(register, new RegExp(me.nationalId));
  assert.doesNotMatch(register, /Dear/);
  assert.doesNotMatch(register, /Ali Rezaei|audited twice/, 'the citizen’s own title is not in the register');
  assert.doesNotMatch(register, /How many tax audits/, 'nor the citizen’s text');

  // 6. statistics: the public page, open data and the monitoring indicator
  const stats = (await client(t.app, '').get('/en/agencies/ir-tax/requests')).body;
  assert.match(stats, /Appeals \(upheld\)<\/dt>\s*<dd[^>]*>1 \(0\)/);
  const json = JSON.parse((await t.app.inject({ method: 'GET', url: '/open-data/requests.json' })).body) as {
    rows: { agency_id: string; received: number; answered: number; on_time: number; appeals: number }[];
  };
  const tax = json.rows.filter((r) => r.agency_id === 'ir-tax');
  assert.deepEqual(
    tax.reduce((s, r) => [s[0] + r.received, s[1] + r.answered, s[2] + r.on_time, s[3] + r.appeals], [0, 0, 0, 0]),
    [1, 1, 0, 1],
  );
  const csv = (await t.app.inject({ method: 'GET', url: '/open-data/requests.csv' })).body;
  assert.match(csv, /^agency_id,month,received/);
  const metric = t.ctx.monitoring.metrics.get('requests.on-time-share')!;
  const measured = await metric.measure(['ir-tax', app.agency_id], now, new Map());
  assert.deepEqual(measured.get('ir-tax'), { value: 0, detail: { received: 1, onTime: 0 } });
  assert.equal((measured.get(app.agency_id) as { value: number }).value, 100);
});

test('refused: another citizen, an officer of another agency, the wrong role, bad input and a duplicate', async () => {
  now = new Date('2026-11-02T08:00:00Z');
  const me = await citizenSession(t.ctx);
  const b = client(t.app, me.cookie);
  const body = 'Please publish the list of tax offices and their opening hours.';
  let res = await file(b, { kind: 'foi', agencyId: 'ir-tax', subject: 'Office hours', body });
  assert.equal(res.statusCode, 303);
  const id = idOf(res.headers.location);

  const other = client(t.app, (await citizenSession(t.ctx)).cookie);
  assert.equal((await other.get(`/en/requests/${id}`)).statusCode, 404);
  await other.get('/en/requests');
  assert.equal((await other.post(`/en/requests/${id}/reply`, { text: 'let me in' })).statusCode, 404);

  const nocr = await staff('operator', 'ir-nocr');
  assert.equal((await nocr.b.get(`/en/staff/requests/${id}`)).statusCode, 404);
  await nocr.b.get('/en/staff'); // a page with a form: a CSRF token
  res = await nocr.b.post(`/en/staff/requests/${id}/answer`, { 'answer-text': 'x', 'answer-outcome': 'resolved' });
  assert.equal(res.statusCode, 404);
  assert.doesNotMatch((await nocr.b.get('/en/staff/requests?status=all')).body, /Office hours/);
  const editor = await staff('service-editor' as never, 'ir-tax');
  assert.equal((await editor.b.get('/en/staff/requests')).statusCode, 403, 'a service editor does not work requests');
  const oversight = await staff('oversight-analyst', null);
  await oversight.b.get(`/en/staff/requests/${id}`);
  res = await oversight.b.post(`/en/staff/requests/${id}/answer`, { 'answer-text': 'x', 'answer-outcome': 'resolved' });
  assert.equal(res.statusCode, 403, 'oversight does not answer for the agency');
  assert.equal((await client(t.app, '').get(`/en/requests/${id}`)).statusCode, 303, 'signed out: to sign in');

  // bad input: the form again with what to fix, nothing filed
  res = await file(b, { kind: 'demand', subject: 'x', body: 'short' });
  assert.equal(res.statusCode, 400);
  for (const msg of ['Choose the agency', 'Choose a category', 'Enter a title of 3 to 200 characters', 'Describe your request in 10'])
    assert.match(res.body, new RegExp(msg));
  assert.match(res.body, /<title>Error:/);
  res = await file(b, { kind: 'nonsense', agencyId: 'no-such-agency', subject: 'abc', body });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /Choose what kind of request/);
  // the same text to the same agency within a day
  res = await file(b, { kind: 'foi', agencyId: 'ir-tax', subject: 'Office hours again', body: `  ${body}  ` });
  assert.equal(res.statusCode, 409);
  assert.match(res.body, /same text to this agency/);
  now = new Date(now.getTime() + 2 * DAY);
  res = await file(b, { kind: 'foi', agencyId: 'ir-tax', subject: 'Office hours again', body });
  assert.equal(res.statusCode, 303, 'a day later it is a new request');
  assert.equal((await t.ctx.requests.service.mine(me.id)).length, 2);
});

test('clarification pauses the clock; a transfer restarts it with a note; vexatious goes to oversight', async () => {
  now = new Date('2026-11-02T08:00:00Z');
  const me = await citizenSession(t.ctx);
  const b = client(t.app, me.cookie);
  let res = await file(b, {
    kind: 'demand',
    agencyId: 'ir-tax',
    category: 'services',
    subject: 'Online receipts',
    body: 'Send tax receipts by e-mail too.',
  });
  assert.equal(res.statusCode, 303);
  const id = idOf(res.headers.location);
  const officer = await staff('operator', 'ir-tax');
  await officer.b.get(`/en/staff/requests/${id}`);
  res = await officer.b.post(`/en/staff/requests/${id}/clarify`, { 'clarify-text': 'Which receipts do you mean?' });
  assert.equal(res.statusCode, 303);
  const paused = (await t.ctx.requests.service.own(me.id, id)).request;
  assert.equal(paused.status, 'clarification');
  const left = paused.days_left!;
  assert.ok(left >= 10 && left <= 15, String(left));

  now = new Date(now.getTime() + 40 * DAY); // long after the original deadline: no escalation while paused
  await t.ctx.requests.jobs.runOnce(now);
  assert.equal((await t.ctx.requests.service.own(me.id, id)).request.escalation, 0);
  await b.get(`/en/requests/${id}`);
  res = await b.post(`/en/requests/${id}/reply`, { text: 'The quarterly VAT receipts.' });
  assert.equal(res.statusCode, 303);
  const resumed = (await t.ctx.requests.service.own(me.id, id)).request;
  assert.equal(resumed.status, 'open');
  assert.equal(resumed.due_at.getTime(), (await t.ctx.calendar.addWorkingDays(now, left)).getTime());

  await officer.b.get(`/en/staff/requests/${id}`);
  res = await officer.b.post(`/en/staff/requests/${id}/transfer`, { 'transfer-agencyId': 'ir-tax', 'transfer-text': 'x' });
  assert.equal(res.statusCode, 400, 'to the same agency: refused with what to fix');
  res = await officer.b.post(`/en/staff/requests/${id}/transfer`, {
    'transfer-agencyId': 'ir-nocr',
    'transfer-text': 'The civil registry issues these.',
  });
  assert.equal(res.statusCode, 303);
  const moved = await t.ctx.requests.service.own(me.id, id);
  assert.equal(moved.request.agency_id, 'ir-nocr');
  assert.equal(moved.request.due_at.getTime(), (await t.ctx.calendar.addWorkingDays(now, 15)).getTime());
  assert.ok(moved.events.some((e) => e.kind === 'transferred' && e.note === 'The civil registry issues these.'));
  assert.equal((await officer.b.get(`/en/staff/requests/${id}`)).statusCode, 404, 'no longer the tax administration’s');

  const nocr = await staff('operator', 'ir-nocr');
  await nocr.b.get(`/en/staff/requests/${id}`);
  res = await nocr.b.post(`/en/staff/requests/${id}/vexatious`, { 'vexatious-text': 'Sent forty times.' });
  assert.equal(res.statusCode, 303);
  const oversight = await staff('oversight-analyst', null);
  await oversight.b.get(`/en/staff/requests/${id}`);
  res = await oversight.b.post(`/en/staff/requests/${id}/vexatious-reject`, { 'vexatious-reject-text': 'A fair question.' });
  assert.equal(res.statusCode, 303);
  assert.equal((await t.ctx.requests.service.own(me.id, id)).request.status, 'open');
  const audit = await t.ctx.database.db.selectFrom('audit_log').select('action').where('subject', '=', id).execute();
  assert.deepEqual(
    audit.map((a) => a.action).sort(),
    ['requests.clarify', 'requests.transfer', 'requests.vexatious', 'requests.vexatious-reject'].sort(),
  );
});

test('an FOI request is not closed without an answer; junk outcome codes are refused; a published answer can be taken down; two citizens may send the same text', async () => {
  now = new Date('2026-11-02T08:00:00Z');
  const me = await citizenSession(t.ctx);
  const b = client(t.app, me.cookie);
  const body = 'How many staff does the tax office in Yazd have, by grade?';
  let res = await file(b, { kind: 'foi', agencyId: 'ir-tax', subject: 'Staff in Yazd', body });
  assert.equal(res.statusCode, 303);
  const id = idOf(res.headers.location);
  // another citizen, the same words (a campaign): both are filed
  const other = client(t.app, (await citizenSession(t.ctx)).cookie);
  assert.equal((await file(other, { kind: 'foi', agencyId: 'ir-tax', subject: 'Staff in Yazd', body })).statusCode, 303);

  const officer = await staff('operator', 'ir-tax');
  await officer.b.get(`/en/staff/requests/${id}`);
  // closing an FOI request would escape the legal answer, the appeal and the register
  res = await officer.b.post(`/en/staff/requests/${id}/close`, { 'close-outcome': 'info-given' });
  assert.equal(res.statusCode, 409);
  assert.equal((await t.ctx.requests.service.own(me.id, id)).request.status, 'open');
  res = await officer.b.post(`/en/staff/requests/${id}/answer`, {
    'answer-text': 'There are 41 staff.',
    'answer-outcome': 'constructor',
    'answer-publicText': 'There are 41 staff.',
  });
  assert.equal(res.statusCode, 400, 'an inherited object key is not an outcome');
  res = await officer.b.post(`/en/staff/requests/${id}/answer`, {
    'answer-text': 'There are 41 staff.',
    'answer-outcome': 'info-given',
    'answer-publicText': 'There are 41 staff.',
    'answer-publicSubject': 'Staff in Yazd',
  });
  assert.equal(res.statusCode, 303);
  const oversight = await staff('oversight-analyst', null);
  await oversight.b.get(`/en/staff/requests/${id}`);
  assert.equal((await oversight.b.post(`/en/staff/requests/${id}/publish`, {})).statusCode, 303);
  assert.match((await client(t.app, '').get('/en/foi')).body, /There are 41 staff/);
  await oversight.b.get(`/en/staff/requests/${id}`);
  assert.equal((await oversight.b.post(`/en/staff/requests/${id}/unpublish`, {})).statusCode, 303, 'taken down after publishing');
  assert.doesNotMatch((await client(t.app, '').get('/en/foi')).body, /There are 41 staff/);
});
