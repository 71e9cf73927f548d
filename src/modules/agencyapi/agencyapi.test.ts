import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { signedInStaff } from '../../../test/helpers/staff.ts';

let t: TestApp;
before(async () => (t = await testApp({ API_KEY_RATE_LIMIT: 15 })));
after(() => t.close());

const doc = {
  kind: 'licence',
  lang: 'en',
  title: 'Business licence',
  holderName: 'Reza Karimi',
  fields: [{ label: 'Licence number', value: 'BL-1405-0042' }],
};
const call = (key: string | null, body: unknown, url = '/api/agency/v1/documents') =>
  t.app.inject({ method: 'POST', url, payload: body as object, headers: key ? { authorization: `Bearer ${key}` } : {} });

test('POST /api/agency/v1/documents: 401 without or with a bad key, 403 without the scope or for another agency, 400 for bad bodies, 201 issues', async () => {
  const issuer = await t.ctx.agencyApi.create('ir-tax', 'Tax back office', ['documents:issue'], 'test');
  const reader = await t.ctx.agencyApi.create('ir-tax', 'Tax reports', ['applications:read'], 'test');
  assert.match(issuer.key, /^pjk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);

  const none = await call(null, doc);
  assert.equal(none.statusCode, 401);
  assert.equal(none.json().code, 'API_KEY_MISSING');
  assert.match(String(none.headers['www-authenticate']), /Bearer/);
  assert.equal((await call('pjk_nonsense', doc)).json().code, 'API_KEY_INVALID');
  assert.equal(
    (await call(issuer.key.slice(0, -1) + (issuer.key.endsWith('A') ? 'B' : 'A'), doc)).json().code,
    'API_KEY_INVALID',
    'right prefix, wrong secret',
  );
  const scope = await call(reader.key, doc);
  assert.equal(scope.statusCode, 403);
  assert.equal(scope.json().code, 'API_KEY_SCOPE');
  const other = await call(issuer.key, { ...doc, agencyId: 'ir-nocr' });
  assert.equal(other.statusCode, 403);
  assert.equal(other.json().code, 'OTHER_AGENCY');
  const svc = await t.ctx.database.db.selectFrom('services').select('id').where('agency_id', '=', 'ir-nocr').executeTakeFirstOrThrow();
  assert.equal((await call(issuer.key, { ...doc, serviceId: svc.id })).json().code, 'OTHER_AGENCY', "another agency's service");

  for (const bad of [
    { ...doc, kind: 'passport' },
    { ...doc, fields: 'x' },
    { ...doc, title: 'x'.repeat(201) },
    { ...doc, issuedAt: 'yesterday' },
    [1, 2],
  ]) {
    const r = await call(issuer.key, bad);
    assert.equal(r.statusCode, 400, JSON.stringify(bad).slice(0, 80));
    assert.equal(r.json().code, 'VALIDATION_FAILED');
  }
  const broken = await t.app.inject({
    method: 'POST',
    url: '/api/agency/v1/documents',
    payload: '{"kind":',
    headers: { authorization: `Bearer ${issuer.key}`, 'content-type': 'application/json' },
  });
  assert.equal(broken.statusCode, 400);
});

test('an issued document verifies; the key records its last use; a revoked key stops working', async () => {
  const k = await t.ctx.agencyApi.create('ir-tax', 'Tax back office 2', ['documents:issue', 'webhooks:manage'], 'test');
  const r = await call(k.key, { ...doc, applicationRef: 'APP-7K3M9' });
  assert.equal(r.statusCode, 201, r.body);
  const body = r.json();
  assert.match(body.code, /^[A-Z2-9]{10}$/);
  assert.ok(body.downloadUrl.includes('.pdf?t='));
  const page = await t.app.inject(`/en/verify/${body.code}`);
  assert.match(page.body, /Business licence/);
  assert.match(page.body, /Iranian National Tax Administration|Tax/);
  const listed = (await t.ctx.agencyApi.list('ir-tax')).find((x) => x.id === k.id)!;
  assert.ok(listed.last_used_at, 'last used is recorded');
  assert.equal((await t.ctx.audit.search({ action: 'documents.issued' }))[0].subject, body.code);
  const me = await t.app.inject({ url: '/api/agency/v1/me', headers: { authorization: `Bearer ${k.key}` } });
  assert.deepEqual(me.json(), { agencyId: 'ir-tax', scopes: ['documents:issue', 'webhooks:manage'] });

  await t.ctx.agencyApi.revoke(k.id, 'ir-tax', 'test');
  assert.equal((await call(k.key, doc)).json().code, 'API_KEY_INVALID');
  await assert.rejects(t.ctx.agencyApi.revoke(k.id, 'ir-tax', 'test'), { code: 'NOT_FOUND' });
});

test('each key has its own rate limit', async () => {
  const a = await t.ctx.agencyApi.create('ir-sso', 'A', ['documents:issue'], 'test');
  const b = await t.ctx.agencyApi.create('ir-sso', 'B', ['documents:issue'], 'test');
  const me = (key: string) => t.app.inject({ url: '/api/agency/v1/me', headers: { authorization: `Bearer ${key}` } });
  for (let i = 0; i < 15; i++) assert.equal((await me(a.key)).statusCode, 200);
  const limited = await me(a.key);
  assert.equal(limited.statusCode, 429);
  assert.equal(limited.json().code, 'RATE_LIMITED');
  assert.equal((await me(b.key)).statusCode, 200, 'another key is not limited');
});

test('admin pages: agency admins create keys (secret shown once) and revoke them; other agencies and operators are refused', async () => {
  const admin = await signedInStaff(t, 'admin@tax.example.ir', 'agency-admin', 'ir-tax');
  const page = await admin.client.get('/en/staff/agencies/ir-tax/integrations');
  assert.equal(page.statusCode, 200);
  const bad = await admin.client.post('/en/staff/agencies/ir-tax/api-keys', { name: '' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /Choose at least one scope/);
  assert.match(bad.body, /Give the key a name/);
  const made = await admin.client.post('/en/staff/agencies/ir-tax/api-keys', {
    name: 'Licensing system',
    scopes: ['documents:issue', 'applications:read'],
  });
  assert.equal(made.statusCode, 200);
  const key = /(pjk_[0-9a-f]{12}_[A-Za-z0-9_-]{43})/.exec(made.body)![1];
  assert.equal((await t.app.inject({ url: '/api/agency/v1/me', headers: { authorization: `Bearer ${key}` } })).statusCode, 200);
  const again = await admin.client.get('/en/staff/agencies/ir-tax/integrations');
  assert.ok(!again.body.includes(key), 'the secret is shown only once');
  const row = (await t.ctx.agencyApi.list('ir-tax')).find((k) => k.name === 'Licensing system')!;
  assert.notEqual(row.prefix, '');
  const stored = await t.ctx.database.db
    .selectFrom('agency_api_keys')
    .select('secret_hash')
    .where('id', '=', row.id)
    .executeTakeFirstOrThrow();
  assert.ok(!stored.secret_hash.includes(key.slice(17)), 'stored hashed');
  assert.equal((await admin.client.post(`/en/staff/agencies/ir-tax/api-keys/${row.id}/revoke`, {})).statusCode, 303);
  assert.equal((await t.app.inject({ url: '/api/agency/v1/me', headers: { authorization: `Bearer ${key}` } })).statusCode, 401);
  assert.equal((await t.ctx.audit.search({ action: 'apikeys.' })).length >= 2, true);

  assert.equal((await admin.client.get('/en/staff/agencies/ir-nocr/integrations')).statusCode, 403);
  const operator = await signedInStaff(t, 'op@tax.example.ir', 'operator', 'ir-tax');
  assert.equal((await operator.client.get('/en/staff/agencies/ir-tax/integrations')).statusCode, 403);
});
