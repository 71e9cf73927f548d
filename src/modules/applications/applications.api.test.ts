// The agency API on applications: scopes, listing with filters and cursors, reading one with its files,
// another agency's applications (404), bad input (400 with a code) and the OpenAPI document. The changes
// and messages are in applications.api.changes.test.ts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestApp } from '../../../test/helpers/app.ts';
import { PDF } from '../../../test/helpers/people.ts';
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
  assert.equal((await t.ctx.applications.backoffice.forAgency(app.id)).status, 'submitted', 'nothing changed');
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
  assert.equal((await t.ctx.applications.backoffice.forAgency(app.id)).status, 'submitted');
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
