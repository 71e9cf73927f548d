// The agency API on applications: the status changes and messages, bad input (400 with a code), and that
// a change made through the API leaves the same trail (timeline, e-box, notifications, webhooks) as the
// same change made in the back office.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { TestApp } from '../../../test/helpers/app.ts';
import { client, PNG, staffSession } from '../../../test/helpers/people.ts';
import { apiFixture, BASE, type ApiFixture } from './applications.api.testkit.ts';

let f: ApiFixture;
let t: TestApp;
let keys: ApiFixture['keys'];
before(async () => {
  f = await apiFixture();
  ({ t, keys } = f);
});
after(() => t.close());
const submitted = (opts?: { file?: boolean }) => f.submitted(opts);
const api = (...a: Parameters<ApiFixture['api']>) => f.api(...a);

test('changes: assign, request information, approve and reject follow the back-office rules; bad input is 400, wrong state 409', async () => {
  const op = await staffSession(t.ctx, 'operator', 'ir-nocr', 'Officer Karimi');
  const opEmail = (await t.ctx.staff.byId(op.id))!.email;
  const taxOp = await staffSession(t.ctx, 'operator', 'ir-tax');
  const editor = await staffSession(t.ctx, 'service-editor', 'ir-nocr');
  const { app } = await submitted();
  const url = `${BASE}/${app.id}`;

  for (const [action, body] of [
    ['assign', {}],
    ['assign', { operator: taxOp.id }],
    ['assign', { operator: editor.id }],
    ['assign', { operator: 42 }],
    ['request-info', {}],
    ['request-info', { text: '   ' }],
    ['request-info', { text: 'x'.repeat(2001) }],
    ['request-info', { text: { a: 1 } }],
    ['reject', { reason: '' }],
  ] as [string, unknown][]) {
    const r = await api(keys.write, 'POST', `${url}/${action}`, body);
    assert.equal(r.statusCode, 400, `${action} ${JSON.stringify(body)}`);
    assert.equal(r.json().code, 'VALIDATION_FAILED');
  }
  const text = await api(keys.write, 'POST', `${url}/reject`, 'not json');
  assert.equal(text.statusCode, 415);
  assert.equal(text.json().code, 'UNSUPPORTED_MEDIA_TYPE');
  const broken = await t.app.inject({
    method: 'POST',
    url: `${url}/reject`,
    payload: '{"reason":',
    headers: { authorization: `Bearer ${keys.write}`, 'content-type': 'application/json' },
  });
  assert.equal(broken.statusCode, 400);
  assert.equal((await t.ctx.applications.backoffice.forAgency(app.id)).status, 'submitted', 'nothing changed by bad input');

  const assigned = await api(keys.write, 'POST', `${url}/assign`, { operator: opEmail.toUpperCase() });
  assert.equal(assigned.statusCode, 200, assigned.body);
  assert.equal(assigned.json().application.status, 'in-review');
  assert.equal(assigned.json().application.assignedTo, op.id);

  const asked = await api(keys.write, 'POST', `${url}/request-info`, { text: 'تصویر شناسنامه را بفرستید.' });
  assert.equal(asked.json().application.status, 'info-requested');
  assert.equal((await api(keys.write, 'POST', `${url}/approve`, {})).json().code, 'APPLICATION_CLOSED', 'waiting for the citizen');

  const rej = await submitted();
  const done = await api(keys.write, 'POST', `${BASE}/${rej.app.id}/reject`, { reason: 'سن متقاضی کمتر از ۱۸ سال است.' });
  assert.equal(done.json().application.status, 'rejected');
  assert.equal(done.json().application.decisionReason, 'سن متقاضی کمتر از ۱۸ سال است.');
  const again = await api(keys.write, 'POST', `${BASE}/${rej.app.id}/reject`, { reason: 'دوباره' });
  assert.equal(again.statusCode, 409);
  assert.equal(again.json().code, 'APPLICATION_CLOSED');
  assert.equal((await api(keys.write, 'POST', `${BASE}/${rej.app.id}/assign`, { operator: op.id })).json().code, 'APPLICATION_CLOSED');

  const audit = await t.ctx.audit.search({ action: 'application.' });
  assert.ok(audit.some((e) => e.action === 'application.assign' && e.subject === app.id && e.actor.startsWith('apikey:')));
  assert.ok(audit.some((e) => e.action === 'application.reject' && e.subject === rej.app.id && e.actor.startsWith('apikey:')));
});

test('a change through the API leaves the same timeline, e-box messages, notifications and webhooks as in the back office', async () => {
  await t.ctx.webhooks.register(
    'ir-nocr',
    'http://127.0.0.1:9/hooks',
    ['application.submitted', 'application.status_changed', 'application.info_requested', 'application.rejected', 'message.sent'],
    'test',
  );
  const op = await staffSession(t.ctx, 'operator', 'ir-nocr', 'Officer Parity');
  const office = client(t.app, op.cookie);
  const viaOffice = await submitted();
  const viaApi = await submitted();
  const TEXT = { ask: 'گواهی محل سکونت را بفرستید.', msg: 'پرونده شما در حال بررسی است.', why: 'مدارک کافی نیست.' };

  const page = `/fa/staff/applications/${viaOffice.app.id}`;
  await office.get(page);
  assert.equal((await office.post(`${page}/assign`, { assignee: op.id })).statusCode, 303);
  assert.equal((await office.post(`${page}/message`, { text: TEXT.msg })).statusCode, 303);
  assert.equal((await office.post(`${page}/request-info`, { text: TEXT.ask })).statusCode, 303);

  const url = `${BASE}/${viaApi.app.id}`;
  assert.equal((await api(keys.all, 'POST', `${url}/assign`, { operator: op.id })).statusCode, 200);
  assert.equal((await api(keys.all, 'POST', `${url}/messages`, { text: TEXT.msg })).statusCode, 201);
  assert.equal((await api(keys.all, 'POST', `${url}/request-info`, { text: TEXT.ask })).statusCode, 200);

  // the citizen answers both, then each is rejected its own way
  for (const x of [viaOffice, viaApi]) await t.ctx.applications.respond(x.citizen, x.app.id, 'فرستادم.', []);
  await office.get(page);
  assert.equal((await office.post(`${page}/reject`, { text: TEXT.why, confirm: 'yes' })).statusCode, 303);
  assert.equal((await api(keys.all, 'POST', `${url}/reject`, { reason: TEXT.why })).statusCode, 200);

  const trail = async (x: { app: { id: string; reference: string } }) => {
    const db = t.ctx.database.db;
    const events = await db.selectFrom('application_events').selectAll().where('application_id', '=', x.app.id).orderBy('id').execute();
    const messages = await db.selectFrom('ebox_messages').selectAll().where('application_id', '=', x.app.id).orderBy('sent_at').execute();
    const hooks = await db
      .selectFrom('webhook_deliveries')
      .select(['event', 'payload'])
      .where(sql<string>`payload->>'applicationId'`, '=', x.app.id)
      .orderBy('created_at')
      .execute();
    const outbox = await db
      .selectFrom('notification_outbox')
      .select(['channel', 'dedupe_key', 'body'])
      .where('dedupe_key', 'in', events.map((e) => `event:${e.id}:sms`).concat(events.map((e) => `event:${e.id}:email`)))
      .execute();
    const final = await t.ctx.applications.backoffice.forAgency(x.app.id);
    const strip = (s: string) => s.split(x.app.reference).join('REF').split(x.app.id).join('ID');
    return {
      events: events.map((e) => [e.type, e.from_status, e.to_status, strip(JSON.stringify(e.data))]),
      messages: messages.map((m) => [m.sender, m.kind, strip(JSON.stringify(m.subject)), strip(JSON.stringify(m.body))]),
      hooks: hooks.map((h) => [h.event, (h.payload as { event: string; status: string }).event, (h.payload as { status: string }).status]),
      outbox: outbox.map((o) => [o.channel, strip(o.body)]).sort(),
      state: [final.status, final.assigned_to, final.decision_reason],
      actors: events.map((e) => e.actor.split(':')[0]),
    };
  };
  const a = await trail(viaOffice);
  const b = await trail(viaApi);
  assert.deepEqual(b.events, a.events, 'same timeline');
  assert.deepEqual(b.messages, a.messages, 'same e-box messages');
  assert.deepEqual(b.hooks, a.hooks, 'same webhook deliveries');
  assert.deepEqual(b.outbox, a.outbox, 'same SMS and email');
  assert.deepEqual(b.state, a.state);
  assert.ok(a.hooks.length >= 5 && a.outbox.length >= 4, 'the comparison is about something');
  assert.deepEqual(a.actors, ['citizen', 'staff', 'staff', 'staff', 'citizen', 'staff']);
  assert.deepEqual(b.actors, ['citizen', 'apikey', 'apikey', 'apikey', 'citizen', 'apikey']);
});

test('approval through the API issues the result document after the commit; an agency document links to an approved application', async () => {
  const { app, who } = await submitted();
  const url = `${BASE}/${app.id}`;
  const linkTooSoon = await api(keys.all, 'POST', '/api/agency/v1/documents', {
    kind: 'licence',
    lang: 'fa',
    title: 'پروانه',
    holderName: 'مریم احمدی',
    fields: [],
    applicationId: app.id,
  });
  assert.equal(linkTooSoon.statusCode, 409);
  assert.equal(linkTooSoon.json().code, 'APPLICATION_NOT_APPROVED');
  const ok = await api(keys.all, 'POST', `${url}/approve`, { note: 'مدارک کامل است' });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(ok.json().application.status, 'approved');
  let doc: { code: string } | undefined;
  for (let i = 0; i < 100 && !doc; i++) {
    doc = (await api(keys.read, 'GET', url)).json().documents[0];
    if (!doc) await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(doc, 'the decision certificate is issued');
  assert.equal((await t.app.inject(`/fa/verify/${doc.code}`)).statusCode, 200);

  const linked = await api(keys.all, 'POST', '/api/agency/v1/documents', {
    kind: 'licence',
    lang: 'fa',
    title: 'پروانه کسب',
    holderName: 'مریم احمدی',
    fields: [{ label: 'شماره', value: '۱۲۳' }],
    applicationRef: app.reference.toLowerCase(),
  });
  assert.equal(linked.statusCode, 201, linked.body);
  assert.equal(linked.json().applicationId, app.id);
  const detail = (await api(keys.read, 'GET', url)).json();
  assert.equal(detail.documents.length, 2);
  assert.ok(detail.timeline.some((e: { type: string; actor: string }) => e.type === 'document.issued' && e.actor.startsWith('apikey:')));
  const inbox = await client(t.app, who.cookie).get('/fa/ebox');
  assert.match(inbox.body, /سند/);
  const unknownRef = await api(keys.all, 'POST', '/api/agency/v1/documents', {
    kind: 'letter',
    lang: 'fa',
    title: 'نامه',
    holderName: 'مریم',
    fields: [],
    applicationRef: 'PJ-AAAA-BBBB',
  });
  assert.equal(unknownRef.json().code, 'APPLICATION_NOT_FOUND');
});

test("messages: text to the citizen's e-box with an optional attachment the citizen can download; bad attachments are 400", async () => {
  const { app, who } = await submitted();
  const url = `${BASE}/${app.id}/messages`;
  for (const body of [
    {},
    { text: '' },
    { text: 'x', attachment: { name: 'a.pdf', contentBase64: '!!!' } },
    { text: 'x', attachment: { name: 'a.exe', contentBase64: Buffer.from('MZ not a pdf').toString('base64') } },
    { text: 'x', attachment: 'a.pdf' },
  ]) {
    const r = await api(keys.all, 'POST', url, body);
    assert.equal(r.statusCode, 400, JSON.stringify(body));
    assert.equal(r.json().code, 'VALIDATION_FAILED');
  }
  const sent = await api(keys.all, 'POST', url, {
    text: 'پروانه پیوست است.',
    attachment: { name: '../../etc/passwd.png', contentBase64: PNG.toString('base64') },
  });
  assert.equal(sent.statusCode, 201, sent.body);
  const { messageId, fileId } = sent.json();
  assert.ok(messageId && fileId);
  const b = client(t.app, who.cookie);
  const page = await b.get(`/fa/ebox/${messageId}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /پروانه پیوست است/);
  assert.ok(page.body.includes(`/fa/applications/${app.id}/files/${fileId}`));
  assert.match(
    page.body,
    new RegExp(`id="message-${messageId}" aria-current="true"`),
    'the e-box page shows the thread with this message current',
  );
  // the application page shows the same thread (one component), linking to the e-box and the attachment
  const appPage = await b.get(`/fa/applications/${app.id}`);
  assert.match(appPage.body, /پروانه پیوست است/);
  assert.ok(appPage.body.includes(`/fa/ebox/${messageId}`));
  assert.ok(appPage.body.includes(`/fa/applications/${app.id}/files/${fileId}`));
  const download = await b.get(`/fa/applications/${app.id}/files/${fileId}`);
  assert.equal(download.statusCode, 200);
  assert.deepEqual(download.rawPayload, PNG);
  assert.doesNotMatch(String(download.headers['content-disposition']), /\.\.\//);
  const detail = (await api(keys.read, 'GET', `${BASE}/${app.id}`)).json();
  const m = detail.messages.find((x: { id: string }) => x.id === messageId);
  assert.ok(m.readAt, 'the agency sees that it was read');
  assert.deepEqual(m.fileIds, [fileId]);
});
