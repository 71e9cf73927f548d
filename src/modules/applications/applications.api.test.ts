// The agency API on applications: scopes, listing with filters and cursors, reading one with its files,
// the status changes and messages, another agency's applications (404), bad input (400 with a code), and
// that a change made through the API leaves the same trail (timeline, e-box, notifications, webhooks)
// as the same change made in the back office.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { citizenSession, client, PDF, PNG, staffSession } from '../../../test/helpers/people.ts';
import { RESPONSE_FILE } from './applications.types.ts';

let t: TestApp;
after(() => t.close());

const SLUG = 'certificate-of-single-status'; // ir-nocr
const BASE = '/api/agency/v1/applications';

async function submitted(opts: { file?: boolean } = {}) {
  const who = await citizenSession(t.ctx);
  const citizen = { id: who.id, national_id: who.nationalId, mobile: who.mobile };
  const draft = await t.ctx.applications.startDraft(citizen, SLUG, 'fa');
  await t.ctx.applications.saveAnswers(draft, { fullName: 'مریم احمدی', purpose: 'employment', email: 'maryam@example.ir' });
  let fileId: string | undefined;
  if (opts.file) {
    const r = await t.ctx.applications.storeFile(draft, RESPONSE_FILE, Readable.from([PDF]), 'گواهی.pdf', 'citizen');
    assert.ok(r.ok);
    fileId = r.answer.fileId;
  }
  const r = await t.ctx.applications.submit(citizen, draft.id, draft.submission_token);
  assert.ok('app' in r);
  return { who, citizen, app: r.app as { id: string; reference: string; service_id: string }, fileId };
}

const api = (key: string | null, method: 'GET' | 'POST', url: string, body?: unknown) =>
  t.app.inject({
    method,
    url,
    ...(body !== undefined ? { payload: body as object } : {}),
    headers: key ? { authorization: `Bearer ${key}` } : {},
  });

let keys: { read: string; write: string; all: string; tax: string };
before(async () => {
  t = await testApp({ NOTIFICATIONS_WORKER: false, WEBHOOK_WORKER: false, APPLICATION_JOBS: false, WEBHOOK_ALLOW_PRIVATE_TARGETS: true });
  keys = {
    read: (await t.ctx.agencyApi.create('ir-nocr', 'Registry reader', ['applications:read'], 'test')).key,
    write: (await t.ctx.agencyApi.create('ir-nocr', 'Registry writer', ['applications:write'], 'test')).key,
    all: (
      await t.ctx.agencyApi.create(
        'ir-nocr',
        'Registry system',
        ['applications:read', 'applications:write', 'messages:write', 'documents:issue'],
        'test',
      )
    ).key,
    tax: (
      await t.ctx.agencyApi.create(
        'ir-tax',
        'Tax system',
        ['applications:read', 'applications:write', 'messages:write', 'documents:issue'],
        'test',
      )
    ).key,
  };
});

test('scopes: no key 401, a key without the scope 403, and each endpoint asks for its own scope', async () => {
  const { app } = await submitted();
  const none = await api(null, 'GET', BASE);
  assert.equal(none.statusCode, 401);
  assert.equal(none.json().code, 'API_KEY_MISSING');
  assert.equal((await api('pjk_000000000000_' + 'A'.repeat(43), 'GET', BASE)).json().code, 'API_KEY_INVALID');
  assert.equal(
    (await api(null, 'POST', `${BASE}/${app.id}/reject`, { reason: 42, extra: [] })).statusCode,
    401,
    'the key is checked before the body',
  );
  assert.equal((await api(null, 'GET', `${BASE}?status=lost`)).statusCode, 401);
  assert.equal((await api(keys.write, 'GET', BASE)).json().code, 'API_KEY_SCOPE');
  assert.equal((await api(keys.write, 'GET', `${BASE}/${app.id}`)).statusCode, 403);
  for (const action of ['assign', 'request-info', 'approve', 'reject']) {
    const r = await api(keys.read, 'POST', `${BASE}/${app.id}/${action}`, { text: 'x', reason: 'x', operator: 'x' });
    assert.equal(r.statusCode, 403, action);
    assert.equal(r.json().code, 'API_KEY_SCOPE');
  }
  const msg = await api(keys.write, 'POST', `${BASE}/${app.id}/messages`, { text: 'سلام' });
  assert.equal(msg.statusCode, 403, 'messages need messages:write');
  assert.equal((await api(keys.read, 'GET', BASE)).statusCode, 200);
  assert.equal((await t.ctx.applications.forAgency(app.id)).status, 'submitted', 'nothing changed');
});

test("another agency's application is 404 for every endpoint, like one that does not exist; it is never listed", async () => {
  const { app, fileId } = await submitted({ file: true });
  const calls: [string, 'GET' | 'POST', unknown?][] = [
    [`${BASE}/${app.id}`, 'GET'],
    [`${BASE}/${app.id}/files/${fileId}`, 'GET'],
    [`${BASE}/${app.id}/assign`, 'POST', { operator: 'someone@example.ir' }],
    [`${BASE}/${app.id}/request-info`, 'POST', { text: 'بفرستید' }],
    [`${BASE}/${app.id}/approve`, 'POST', {}],
    [`${BASE}/${app.id}/reject`, 'POST', { reason: 'نه' }],
    [`${BASE}/${app.id}/messages`, 'POST', { text: 'سلام' }],
  ];
  for (const [url, method, body] of calls) {
    const r = await api(keys.tax, method, url, body);
    assert.equal(r.statusCode, 404, url);
    assert.equal(r.json().code, 'APPLICATION_NOT_FOUND', url);
  }
  const missing = await api(keys.all, 'GET', `${BASE}/00000000-0000-4000-8000-000000000000`);
  assert.equal(missing.json().code, 'APPLICATION_NOT_FOUND');
  assert.equal((await api(keys.all, 'GET', `${BASE}/not-an-id`)).statusCode, 404);
  const taxList = (await api(keys.tax, 'GET', `${BASE}?status=all`.replace('status=all', 'limit=100'))).json();
  assert.ok(!taxList.items.some((a: { id: string }) => a.id === app.id));
  const doc = await api(keys.tax, 'POST', '/api/agency/v1/documents', {
    kind: 'letter',
    lang: 'fa',
    title: 'نامه',
    holderName: 'مریم',
    fields: [],
    applicationId: app.id,
  });
  assert.equal(doc.json().code, 'APPLICATION_NOT_FOUND');
  const byRef = await api(keys.tax, 'POST', '/api/agency/v1/documents', {
    kind: 'letter',
    lang: 'fa',
    title: 'نامه',
    holderName: 'مریم',
    fields: [],
    applicationRef: app.reference,
  });
  assert.equal(byRef.json().code, 'APPLICATION_NOT_FOUND');
  assert.equal((await t.ctx.applications.forAgency(app.id)).status, 'submitted');
});

test('list: filters, sorts and a cursor that walks every application once; bad parameters are 400 VALIDATION_FAILED', async () => {
  const start = new Date(Date.now() - 1000).toISOString();
  const made: { id: string; reference: string; service_id: string }[] = [];
  for (let i = 0; i < 5; i++) made.push((await submitted()).app);
  // all of this agency's, page by page: no repeats, none missing, in the asked order
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const r = await api(
      keys.read,
      'GET',
      `${BASE}?sort=updated&limit=2&updatedSince=${encodeURIComponent(start)}${cursor ? `&cursor=${cursor}` : ''}`,
    );
    assert.equal(r.statusCode, 200, r.body);
    const body = r.json();
    assert.ok(body.items.length <= 2);
    seen.push(...body.items.map((a: { id: string }) => a.id));
    cursor = body.nextCursor;
    pages++;
  } while (cursor && pages < 20);
  assert.equal(new Set(seen).size, seen.length, 'no application twice');
  for (const a of made) assert.ok(seen.includes(a.id), 'every new application listed');
  const item = (await api(keys.read, 'GET', `${BASE}?limit=1&sort=-submitted`)).json().items[0];
  assert.equal(item.id, made.at(-1)!.id, 'newest first');
  assert.equal(item.status, 'submitted');
  assert.equal(item.reference, made.at(-1)!.reference);
  assert.ok(item.dueAt && item.submittedAt && item.updatedAt);
  assert.equal(item.answers, undefined, 'the list has no personal data');

  // filters
  await api(keys.all, 'POST', `${BASE}/${made[0].id}/reject`, { reason: 'مدرک ناقص است' });
  const rejected = (await api(keys.read, 'GET', `${BASE}?status=rejected&limit=100`)).json().items;
  assert.ok(rejected.some((a: { id: string }) => a.id === made[0].id));
  assert.ok(rejected.every((a: { status: string }) => a.status === 'rejected'));
  const open = (await api(keys.read, 'GET', `${BASE}?status=open&limit=100`)).json().items;
  assert.ok(!open.some((a: { id: string }) => a.id === made[0].id));
  const byService = (await api(keys.read, 'GET', `${BASE}?service=${made[1].service_id}&limit=100`)).json().items;
  assert.ok(byService.length >= 5 && byService.every((a: { serviceId: string }) => a.serviceId === made[1].service_id));
  assert.deepEqual((await api(keys.read, 'GET', `${BASE}?service=00000000-0000-4000-8000-000000000000`)).json().items, []);
  const later = (await api(keys.read, 'GET', `${BASE}?updatedSince=2999-01-01T00:00:00Z`)).json();
  assert.deepEqual(later, { items: [], nextCursor: null });

  for (const bad of [
    'status=lost',
    'sort=name',
    'limit=0',
    'limit=101',
    'limit=ten',
    'updatedSince=yesterday',
    'updatedSince=2026-13-45',
    'service=../../etc',
    'cursor=bm9wZQ',
    'cursor=' + 'x'.repeat(400),
    'colour=red',
  ]) {
    const r = await api(keys.read, 'GET', `${BASE}?${bad}`);
    assert.equal(r.statusCode, 400, bad);
    assert.equal(r.json().code, 'VALIDATION_FAILED', bad);
  }
  // a cursor from one sort is refused for another
  const c = (await api(keys.read, 'GET', `${BASE}?sort=due&limit=1`)).json().nextCursor;
  assert.ok(c);
  assert.equal((await api(keys.read, 'GET', `${BASE}?sort=updated&cursor=${c}`)).statusCode, 400);
  assert.equal((await api(keys.read, 'GET', `${BASE}?sort=due&cursor=${c}`)).statusCode, 200);
});

test('list: a cursor whose time Date.parse takes but PostgreSQL refuses is 400 on the cursor, not 500; a repeated parameter keeps its last value', async () => {
  await submitted();
  const id = '6f1c1d1e-0000-4000-8000-000000000001';
  for (const value of [
    '2026-02-30 00:00:00+00',
    '2026-06-31 10:00:00+00',
    '2026-01-01 24:00:00+00',
    '+275760-09-13 00:00:00+00',
    '2026-1-1',
    '1',
    'March 7 2026',
    '2026-01-01 00:00:00+99',
  ]) {
    const cursor = Buffer.from(JSON.stringify(['updated', value, id])).toString('base64url');
    const r = await api(keys.read, 'GET', `${BASE}?sort=updated&cursor=${cursor}`);
    assert.equal(r.statusCode, 400, `${value}: ${r.body}`);
    assert.equal(r.json().code, 'VALIDATION_FAILED', value);
    assert.equal(r.json().details?.field, 'cursor', value);
  }
  const good = Buffer.from(JSON.stringify(['updated', '2026-01-31 12:00:00.123456+00', id])).toString('base64url');
  assert.equal((await api(keys.read, 'GET', `${BASE}?sort=updated&cursor=${good}`)).statusCode, 200);
  // as common gateways do: the last value wins
  const twice = await api(keys.read, 'GET', `${BASE}?status=approved&status=submitted&limit=100&limit=1&sort=name&sort=-submitted`);
  assert.equal(twice.statusCode, 200, twice.body);
  assert.equal(twice.json().items.length, 1);
  assert.equal(twice.json().items[0].status, 'submitted');
});

test('read one: answers, files with a download, timeline and messages; the download is audited', async () => {
  const { app, fileId, who } = await submitted({ file: true });
  const r = await api(keys.read, 'GET', `${BASE}/${app.id}`);
  assert.equal(r.statusCode, 200, r.body);
  const a = r.json();
  assert.equal(a.reference, app.reference);
  assert.equal(a.applicant.nationalId, who.nationalId);
  assert.equal(a.answers.fullName, 'مریم احمدی');
  assert.equal(a.files.length, 1);
  assert.equal(a.files[0].name, 'گواهی.pdf');
  assert.equal(a.files[0].contentType, 'application/pdf');
  assert.match(a.files[0].sha256, /^[0-9a-f]{64}$/);
  assert.deepEqual(
    a.timeline.map((e: { type: string }) => e.type),
    ['submitted'],
  );
  assert.equal(a.messages[0].sender, 'platform');
  assert.equal(a.messages[0].readAt, null);

  const file = await api(keys.read, 'GET', a.files[0].downloadUrl);
  assert.equal(file.statusCode, 200);
  assert.equal(file.headers['content-type'], 'application/pdf');
  assert.deepEqual(file.rawPayload, PDF);
  assert.equal((await api(keys.read, 'GET', `${BASE}/${app.id}/files/00000000-0000-4000-8000-000000000000`)).statusCode, 404);
  const other = await submitted({ file: true });
  assert.equal((await api(keys.read, 'GET', `${BASE}/${app.id}/files/${other.fileId}`)).statusCode, 404, "another application's file");
  const audit = await t.ctx.audit.search({ action: 'application.file-download' });
  assert.ok(audit.some((e) => e.subject === app.id && e.actor.startsWith('apikey:') && (e.detail as { file?: string }).file === fileId));
});

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
  assert.equal((await t.ctx.applications.forAgency(app.id)).status, 'submitted', 'nothing changed by bad input');

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
  assert.equal((await office.post(`${page}/reject`, { text: TEXT.why })).statusCode, 303);
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
    const final = await t.ctx.applications.forAgency(x.app.id);
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

test('the OpenAPI document describes every agency API route on applications', async () => {
  const doc = (await t.app.inject('/api/openapi.json')).json();
  for (const p of [
    '/api/agency/v1/applications',
    '/api/agency/v1/applications/{id}',
    '/api/agency/v1/applications/{id}/files/{file}',
    '/api/agency/v1/applications/{id}/assign',
    '/api/agency/v1/applications/{id}/request-info',
    '/api/agency/v1/applications/{id}/approve',
    '/api/agency/v1/applications/{id}/reject',
    '/api/agency/v1/applications/{id}/messages',
  ]) {
    assert.ok(doc.paths[p], p);
    for (const op of Object.values(doc.paths[p]) as { tags: string[]; summary: string }[]) {
      assert.deepEqual(op.tags, ['Agency API']);
      assert.match(op.summary, /scope|officer|Approve|Reject|Ask/);
    }
  }
  assert.ok(doc.paths['/api/agency/v1/applications'].get.parameters.some((x: { name: string }) => x.name === 'cursor'));
});
