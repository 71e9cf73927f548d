// Citizens' requests, the second part (issue 15): the per-citizen rate limit and the duplicate check hold
// under parallel filings; attachments on filing and on the agency's answer (who may download, never in
// the public register unless the moderator publishes the agency's file); the officer-redacted title;
// a split request and a transfer (each with its own clock, the agency's own deadline); the citizen's
// e-box message and SMS on escalation and answer; complaints on the service card; the monitoring set.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { citizenSession, client, PDF, PNG, staffSession } from '../../../test/helpers/people.ts';
import { AppError } from '../../platform/errors.ts';

let t: TestApp;
let now = new Date('2026-11-02T08:00:00Z'); // a Monday in Tehran
before(async () => {
  t = await testApp({ NOTIFICATIONS_WORKER: false });
  t.ctx.requests.clock.now = () => now;
});
after(() => t.close());

const idOf = (location: unknown) => /\/requests\/([0-9a-f-]{36})$/.exec(String(location))?.[1] ?? '';
async function staff(role: 'operator' | 'agency-admin' | 'oversight-analyst', agency: string | null) {
  const s = await staffSession(t.ctx, role, agency);
  return { b: client(t.app, s.cookie), id: s.id };
}
const codeOf = (r: PromiseSettledResult<unknown>) =>
  r.status === 'fulfilled' ? 'ok' : r.reason instanceof AppError ? r.reason.code : String(r.reason);

test('the rate limit and the duplicate check hold when one citizen files in parallel', async () => {
  now = new Date('2026-11-02T08:00:00Z');
  const me = await citizenSession(t.ctx);
  const citizen = { id: me.id, national_id: me.nationalId };
  const file = (i: number, body = `Please tell me about the budget line number ${i}, thank you.`) =>
    t.ctx.requests.service.file(citizen, { kind: 'foi', agencyId: 'ir-tax', subject: `Budget line ${i}`, body });
  // the same text four times at once: one is filed, the others are duplicates
  const same = await Promise.allSettled([1, 2, 3, 4].map(() => file(0, 'The same words sent four times at once, please.')));
  assert.deepEqual(same.map(codeOf).sort(), ['REQUEST_DUPLICATE', 'REQUEST_DUPLICATE', 'REQUEST_DUPLICATE', 'ok']);
  // fourteen different ones at once: the other nine of the ten a day, never more
  const many = await Promise.allSettled(Array.from({ length: 14 }, (_, i) => file(i + 1)));
  assert.equal(many.filter((r) => r.status === 'fulfilled').length, 9);
  assert.ok(many.filter((r) => r.status === 'rejected').every((r) => codeOf(r) === 'RATE_LIMITED'));
  assert.equal((await t.ctx.requests.service.mine(me.id)).length, 10);
});

test('attachments: on filing and on the answer; who may download; public only when the moderator publishes the agency’s file', async () => {
  now = new Date('2026-11-02T08:00:00Z');
  const me = await citizenSession(t.ctx);
  const b = client(t.app, me.cookie);
  await b.get('/en/requests/new');
  const fields = [
    { name: 'kind', value: 'foi' },
    { name: 'agencyId', value: 'ir-tax' },
    { name: 'subject', value: 'My tax file 1234 (Sara Ahmadi)' },
    { name: 'body', value: 'Which documents does the tax office hold about the attached receipt?' },
  ];
  // a file that is not a PDF, PNG or JPEG: the form again, nothing filed
  let res = await b.postMultipart('/en/requests', [
    ...fields,
    { name: 'attachment', filename: 'x.pdf', content: Buffer.from('MZ not a pdf'), type: 'application/pdf' },
  ]);
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /must be a PDF, PNG or JPEG/);
  assert.equal((await t.ctx.requests.service.mine(me.id)).length, 0);
  await b.get('/en/requests/new');
  res = await b.postMultipart('/en/requests', [
    ...fields,
    { name: 'attachment', filename: 'receipt.pdf', content: PDF, type: 'application/pdf' },
  ]);
  assert.equal(res.statusCode, 303, res.body);
  const id = idOf(res.headers.location);
  const [mine] = await t.ctx.requests.service.files.files(id);
  assert.equal(mine?.original_name, 'receipt.pdf');
  assert.equal(mine?.side, 'citizen');
  assert.match((await b.get(`/en/requests/${id}`)).body, /receipt\.pdf/);
  assert.equal((await b.get(`/en/requests/${id}/files/${mine?.id}`)).statusCode, 200);
  // another citizen, another agency's officer: not found; the agency's officer: the file
  const stranger = client(t.app, (await citizenSession(t.ctx)).cookie);
  assert.equal((await stranger.get(`/en/requests/${id}/files/${mine?.id}`)).statusCode, 404);
  const nocr = await staff('operator', 'ir-nocr');
  assert.equal((await nocr.b.get(`/en/staff/requests/${id}/files/${mine?.id}`)).statusCode, 404);
  const officer = await staff('operator', 'ir-tax');
  assert.equal((await officer.b.get(`/en/staff/requests/${id}/files/${mine?.id}`)).statusCode, 200);

  // the answer carries a file; the register gets the officer's title, not the citizen's
  await officer.b.get(`/en/staff/requests/${id}`);
  res = await officer.b.postMultipart(`/en/staff/requests/${id}/answer`, [
    { name: 'answer-text', value: 'Dear Sara Ahmadi, we hold the attached ledger.' },
    { name: 'answer-outcome', value: 'info-given' },
    { name: 'answer-publicSubject', value: 'Documents held about a receipt' },
    { name: 'answer-publicText', value: 'The office holds a ledger entry.' },
    { name: 'attachment', filename: 'ledger.png', content: PNG, type: 'image/png' },
  ]);
  assert.equal(res.statusCode, 303, res.body);
  const ledger = (await t.ctx.requests.service.files.files(id)).find((f) => f.side === 'agency');
  assert.ok(ledger);
  assert.equal((await b.get(`/en/requests/${id}/files/${ledger.id}`)).statusCode, 200, 'the requester has the answer’s file');

  // published without ticking the file: the answer is public, the files are not
  const oversight = await staff('oversight-analyst', null);
  await oversight.b.get(`/en/staff/requests/${id}`);
  assert.equal((await oversight.b.post(`/en/staff/requests/${id}/publish`, {})).statusCode, 303);
  const anon = client(t.app, '');
  let register = (await anon.get('/en/foi')).body;
  assert.match(register, /Documents held about a receipt/);
  assert.doesNotMatch(register, /Sara Ahmadi|1234|receipt\.pdf|ledger\.png/);
  assert.equal((await anon.get(`/en/foi/${id}/files/${ledger.id}`)).statusCode, 404);
  assert.equal((await anon.get(`/en/foi/${id}/files/${mine?.id}`)).statusCode, 404);
  // the moderator publishes the agency's file (the citizen's own file cannot be published)
  await oversight.b.get(`/en/staff/requests/${id}`);
  await oversight.b.post(`/en/staff/requests/${id}/unpublish`, {});
  await t.ctx.database.db.updateTable('citizen_requests').set({ publication: 'pending' }).where('id', '=', id).execute();
  await oversight.b.get(`/en/staff/requests/${id}`);
  res = await oversight.b.post(`/en/staff/requests/${id}/publish`, { 'publish-publishFiles': [ledger.id, mine?.id ?? ''] } as never);
  assert.equal(res.statusCode, 303, res.body);
  register = (await anon.get('/en/foi')).body;
  assert.match(register, /ledger\.png/);
  assert.equal((await anon.get(`/en/foi/${id}/files/${ledger.id}`)).statusCode, 200);
  assert.equal((await anon.get(`/en/foi/${id}/files/${mine?.id}`)).statusCode, 404, 'the citizen’s own file is never public');
  // taken down: the file goes with it
  await oversight.b.get(`/en/staff/requests/${id}`);
  await oversight.b.post(`/en/staff/requests/${id}/unpublish`, {});
  assert.equal((await anon.get(`/en/foi/${id}/files/${ledger.id}`)).statusCode, 404);
});

test('split and transfer: each part its own clock, the agency’s own deadline; notices on escalation and answer; stats of the receiving agency', async () => {
  now = new Date('2026-11-02T08:00:00Z');
  // the national registry's admin sets 12 working days for complaints (shorter than the default 15); an operator may not
  const admin = await staff('agency-admin', 'ir-nocr');
  const operator = await staff('operator', 'ir-nocr');
  await operator.b.get('/en/staff/requests');
  assert.equal((await operator.b.post('/en/staff/requests/deadlines', { 'days-complaint': '12' })).statusCode, 403);
  await admin.b.get('/en/staff/requests/deadlines');
  let res = await admin.b.post('/en/staff/requests/deadlines', { 'days-complaint': '500' });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /from 1 to 15 working days/);
  // a repeated field (two values): the form again with what to fix, never a 500
  res = await admin.b.post('/en/staff/requests/deadlines', { 'days-foi': ['1', '2'] });
  assert.equal(res.statusCode, 400);
  // an agency may only shorten the platform's deadline (FOI: 10 working days by law), never lengthen it
  res = await admin.b.post('/en/staff/requests/deadlines', { 'days-foi': '120' });
  assert.equal(res.statusCode, 400);
  assert.equal((await t.ctx.requests.service.files.deadlines('ir-nocr')).foi.own, false);
  res = await admin.b.post('/en/staff/requests/deadlines', { 'days-complaint': '12' });
  assert.equal(res.statusCode, 303);
  assert.deepEqual((await t.ctx.requests.service.files.deadlines('ir-nocr')).complaint, { days: 12, own: true });

  const me = await citizenSession(t.ctx);
  const b = client(t.app, me.cookie);
  await b.get('/en/requests/new');
  res = await b.post('/en/requests', {
    kind: 'complaint',
    agencyId: 'ir-tax',
    subject: 'Two problems at once',
    body: 'The tax office lost my file, and my ID card renewal is stuck.',
  });
  assert.equal(res.statusCode, 303, res.body);
  const id = idOf(res.headers.location);
  const filed = (await t.ctx.requests.service.own(me.id, id)).request;

  // it runs overdue: escalated, and the citizen hears of it by e-box and SMS
  now = new Date(filed.due_at.getTime() + 3600_000);
  assert.ok((await t.ctx.requests.jobs.runOnce(now)) >= 1); // with the other tests' requests
  const ebox = () => t.ctx.database.db.selectFrom('ebox_messages').select(['subject']).where('citizen_id', '=', me.id).execute();
  const sms = () =>
    t.ctx.database.db.selectFrom('notification_outbox').select(['dedupe_key', 'body']).where('recipient', '=', me.mobile).execute();
  assert.match(JSON.stringify(await ebox()), /head of complaints/);
  assert.equal((await sms()).length, 1, JSON.stringify(await sms()));
  assert.doesNotMatch((await sms())[0]?.body ?? '', /lost my file/, 'the SMS never carries the request’s text');

  // the tax officer splits off the ID card part to the national registry: its own clock there (12 days)
  const tax = await staff('operator', 'ir-tax');
  const smsBeforeSplit = (await sms()).length;
  await tax.b.get(`/en/staff/requests/${id}`);
  res = await tax.b.post(`/en/staff/requests/${id}/split`, {
    'split-agencyId': 'ir-nocr',
    'split-partSubject': 'ID card renewal stuck',
    'split-partBody': 'My ID card renewal is stuck.',
  });
  assert.equal(res.statusCode, 303, res.body);
  const parts = (await t.ctx.requests.service.mine(me.id)).filter((r) => r.parent_id === id);
  assert.equal(parts.length, 1);
  assert.equal((await sms()).length, smsBeforeSplit + 1, 'the citizen is told of the part sent to another agency');
  const part = parts[0];
  assert.ok(part);
  assert.equal(part.agency_id, 'ir-nocr');
  assert.equal(part.escalation, 0);
  assert.equal(
    part.due_at.getTime(),
    (await t.ctx.calendar.addWorkingDays(now, 12)).getTime(),
    'the receiving agency’s own deadline, from the split',
  );
  const parent = (await t.ctx.requests.service.own(me.id, id)).request;
  assert.equal(parent.due_at.getTime(), filed.due_at.getTime(), 'the original keeps its clock');
  assert.equal(parent.escalation, 1);
  assert.match((await b.get(`/en/requests/${part.id}`)).body, /Split off another request/);

  // a transfer of an escalated request keeps its escalation and its deadline (no clearing by passing it on)
  await tax.b.get(`/en/staff/requests/${id}`);
  res = await tax.b.post(`/en/staff/requests/${id}/transfer`, { 'transfer-agencyId': 'ir-nocr', 'transfer-text': 'This is theirs.' });
  assert.equal(res.statusCode, 303, res.body);
  const moved = (await t.ctx.requests.service.own(me.id, id)).request;
  assert.equal(moved.agency_id, 'ir-nocr');
  assert.equal(moved.escalation, 1);
  assert.equal(moved.due_at.getTime(), filed.due_at.getTime());
  const nocrStats = await t.ctx.requests.stats.agency('ir-nocr');
  assert.equal(nocrStats.totals.received, 2, 'both parts count for the receiving agency');

  // the answer: e-box and SMS again
  await operator.b.get(`/en/staff/requests/${id}`);
  res = await operator.b.post(`/en/staff/requests/${id}/answer`, { 'answer-text': 'Your file is found.', 'answer-outcome': 'resolved' });
  assert.equal(res.statusCode, 303, res.body);
  assert.match(JSON.stringify(await ebox()), /has been answered/);
  assert.ok((await sms()).length >= 3, 'escalation, transfer and answer each sent an SMS');
});

test('complaints about a service show on its card; the monitoring set of requests indicators is there', async () => {
  now = new Date('2026-11-02T08:00:00Z');
  const svc = await t.ctx.database.db
    .selectFrom('services')
    .select(['id', 'slug'])
    .where('status', '=', 'published')
    .executeTakeFirstOrThrow();
  const anon = client(t.app, '');
  let card = (await anon.get(`/en/services/${svc.slug}`)).body;
  assert.match(card, /Complaints about this service/);
  assert.match(card, new RegExp(`/en/requests/new\\?kind=complaint&amp;service=${svc.slug}`));
  const me = await citizenSession(t.ctx);
  const b = client(t.app, me.cookie);
  const form = (await b.get(`/en/requests/new?kind=complaint&service=${svc.slug}`)).body;
  assert.match(form, /Complaint about the service/);
  const res = await b.post('/en/requests', {
    kind: 'complaint',
    service: svc.slug,
    subject: 'The service page is wrong',
    body: 'The fee shown on the page is not what I was asked to pay.',
  });
  assert.equal(res.statusCode, 303, res.body);
  card = (await anon.get(`/en/services/${svc.slug}`)).body;
  assert.match(card, /1 complaints; 0% answered on time/);
  assert.equal((await anon.get(`/fa/services/${svc.slug}`)).statusCode, 200);

  const set = await t.ctx.monitoring.set('requests-e-participation');
  assert.deepEqual(
    set.indicators.map((i) => i.metric),
    ['requests.on-time-share', 'requests.median-days', 'requests.rating', 'requests.overdue-share'],
  );
  for (const m of ['requests.median-days', 'requests.rating', 'requests.overdue-share']) assert.ok(t.ctx.monitoring.metrics.get(m), m);
});

test('a transfer does not clear an escalation: A→B→A keeps it in the oversight queue and overdue for A', async () => {
  now = new Date('2026-11-02T08:00:00Z');
  const me = await citizenSession(t.ctx);
  const filed = await t.ctx.requests.service.file(
    { id: me.id, national_id: me.nationalId },
    { kind: 'foi', agencyId: 'ir-tax', subject: 'Fuel subsidy payments', body: 'How much was paid in fuel subsidies in 1404, by month?' },
  );
  now = new Date(filed.due_at.getTime() + 3600_000);
  assert.ok((await t.ctx.requests.jobs.runOnce(now)) >= 1);
  now = new Date(now.getTime() + 20 * 86_400_000);
  assert.ok((await t.ctx.requests.jobs.runOnce(now)) >= 1);
  const oversight = await staff('oversight-analyst', null);
  assert.match((await oversight.b.get('/en/staff/requests')).body, new RegExp(filed.reference));
  const tax = await staff('operator', 'ir-tax');
  const nocr = await staff('operator', 'ir-nocr');
  await tax.b.get(`/en/staff/requests/${filed.id}`);
  let res = await tax.b.post(`/en/staff/requests/${filed.id}/transfer`, { 'transfer-agencyId': 'ir-nocr', 'transfer-text': 'Not ours.' });
  assert.equal(res.statusCode, 303, res.body);
  await nocr.b.get(`/en/staff/requests/${filed.id}`);
  res = await nocr.b.post(`/en/staff/requests/${filed.id}/transfer`, { 'transfer-agencyId': 'ir-tax', 'transfer-text': 'Back to you.' });
  assert.equal(res.statusCode, 303, res.body);
  const back = (await t.ctx.requests.service.own(me.id, filed.id)).request;
  assert.equal(back.escalation, 2, 'still escalated to oversight');
  assert.equal(back.received_at.getTime(), filed.received_at.getTime(), 'the original receipt for the statistics');
  assert.match((await oversight.b.get('/en/staff/requests')).body, new RegExp(filed.reference), 'still in the oversight queue');
  const months = await t.ctx.requests.service.repo.monthly(now, 'ir-tax');
  assert.ok(months.reduce((n, m) => n + m.overdue, 0) >= 1, 'still counted overdue for the tax administration');
});

test('split parts do not count against the citizen’s daily limit', async () => {
  now = new Date('2026-11-02T08:00:00Z');
  const me = await citizenSession(t.ctx);
  const citizen = { id: me.id, national_id: me.nationalId };
  const first = await t.ctx.requests.service.file(citizen, {
    kind: 'foi',
    agencyId: 'ir-tax',
    subject: 'Many questions at once',
    body: 'Several questions that the agency will split into parts.',
  });
  // the agency splits it into ten parts: the agency's doing, not the citizen's filings
  const { id: _id, reference: _ref, ...rest } = first;
  await t.ctx.requests.service.repo.transaction(async (tx) => {
    for (let i = 0; i < 10; i++)
      await t.ctx.requests.service.insertWithReference(tx, { ...rest, body_hash: `split:${first.id}:${i}`, parent_id: first.id });
  });
  const next = await t.ctx.requests.service.file(citizen, {
    kind: 'foi',
    agencyId: 'ir-tax',
    subject: 'Another question',
    body: 'A question of my own, filed the same day after the split.',
  });
  assert.ok(next.id);
});
