// Treasury accounts: the agency's finance officer (or administrator) sets where its fees are paid into,
// for the agency or one of its services. A wrong IBAN (format or check digits), a missing holder name or
// another agency's service is a 400 page that says what to fix and changes nothing; a good one replaces
// the account (keeping the bill company code printed in issued bills), is audited with the IBAN before
// and after, and new payments go into it. Other roles and other agencies' staff cannot.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { client, staffSession } from '../../../test/helpers/people.ts';
import { makeIban } from './bills.ts';

let t: TestApp;
before(async () => {
  t = await testApp({ NOTIFICATIONS_WORKER: false, APPLICATION_JOBS: false, PAYMENTS_JOBS: false, WEBHOOK_WORKER: false });
});
after(() => t.close());

const accounts = (agencyId: string) => t.ctx.payments.payments.repo.treasuries(agencyId);

test('a finance officer sets the agency account; bad input is a 400 page naming the field; it is audited and used', async () => {
  const officer = await staffSession(t.ctx, 'finance-officer', 'ir-nocr');
  const f = client(t.app, officer.cookie);
  const page = await f.get('/fa/staff/payments/accounts');
  assert.equal(page.statusCode, 200);
  const [before] = await accounts('ir-nocr');
  assert.ok(before, 'the demo gives every agency an account');
  assert.match(page.body, new RegExp(before.iban.slice(0, 4)));

  const good = makeIban('017', '0000000123456789001');
  const wrongDigit = good.slice(0, -1) + String((Number(good.at(-1)) + 1) % 10);
  const cases: [Record<string, string>, string, RegExp][] = [
    [{ iban: wrongDigit, holderFa: 'خزانه', holderEn: 'Treasury' }, 'iban', /رقم‌های کنترل/],
    [{ iban: 'IR12 34', holderFa: 'خزانه', holderEn: 'Treasury' }, 'iban', /۲۴ رقم/],
    [{ iban: good, holderFa: '', holderEn: 'Treasury' }, 'holderFa', /به فارسی/],
    [{ iban: good, holderFa: 'خزانه', holderEn: 'Treasury', serviceId: '00000000-0000-0000-0000-000000000000' }, 'serviceId', /از فهرست/],
  ];
  for (const [body, field, message] of cases) {
    const r = await f.post('/fa/staff/payments/accounts', body);
    assert.equal(r.statusCode, 400, `${field}: ${r.body.slice(0, 200)}`);
    assert.match(r.body, new RegExp(`href="#${field}"`));
    assert.match(r.body, message);
    assert.match(r.body, /<title>خطا: /);
  }
  assert.deepEqual(
    (await accounts('ir-nocr')).map((a) => a.iban),
    [before.iban],
    'nothing changed',
  );

  // spaces, Persian digits and a bidi override in the holder's name are all handled
  const spaced = good.replace(/(.{4})/g, '$1 ').replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]);
  const ok = await f.post('/fa/staff/payments/accounts', { iban: spaced, holderFa: 'خزانه‌داری\u202e کل', holderEn: 'Treasury' });
  assert.equal(ok.statusCode, 303, ok.body.slice(0, 300));
  const [after] = await accounts('ir-nocr');
  assert.equal(after.iban, good);
  assert.equal(after.holder.fa, 'خزانه‌داری کل', 'the override is removed, the ZWNJ kept');
  assert.equal(after.bill_company_code, before.bill_company_code, 'bills already issued keep their company code');
  const shown = await f.get('/fa/staff/payments/accounts?saved=1');
  assert.match(shown.body, /حساب ثبت شد/);
  const audit = await t.ctx.database.db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', 'payment.treasury-set')
    .where('actor', '=', `staff:${officer.id}`)
    .execute();
  assert.equal(audit.length, 1);
  assert.deepEqual([audit[0].detail.before, audit[0].detail.after], [before.iban, good]);
  const service = await t.ctx.database.db
    .selectFrom('services')
    .select(['id'])
    .where('agency_id', '=', 'ir-nocr')
    .executeTakeFirstOrThrow();
  assert.equal((await t.ctx.payments.payments.repo.treasuryFor('ir-nocr', service.id))?.iban, good, 'new payments go into it');

  // one service of the agency gets its own account; the others keep the agency's
  const own = makeIban('010', '0000000999999999001');
  assert.equal(
    (await f.post('/en/staff/payments/accounts', { serviceId: service.id, iban: own, holderFa: 'حساب خدمت', holderEn: 'Service account' }))
      .statusCode,
    303,
  );
  assert.equal((await t.ctx.payments.payments.repo.treasuryFor('ir-nocr', service.id))?.iban, own);
  assert.equal((await accounts('ir-nocr')).length, 2);
});

test('only the agency finance officer and administrator may set accounts, and only their own agency', async () => {
  const iban = makeIban('017', '0000000123456789002');
  const admin = client(t.app, (await staffSession(t.ctx, 'agency-admin', 'ir-tax')).cookie);
  assert.equal((await admin.get('/en/staff/payments/accounts')).statusCode, 200);
  for (const role of ['operator', 'service-editor'] as const) {
    const c = client(t.app, (await staffSession(t.ctx, role, 'ir-nocr')).cookie);
    assert.equal((await c.get('/fa/staff/payments/accounts')).statusCode, 403, role);
    assert.equal((await c.post('/fa/staff/payments/accounts', { iban, holderFa: 'x', holderEn: 'x' })).statusCode, 403, role);
  }
  for (const role of ['platform-admin', 'oversight-analyst'] as const) {
    const c = client(t.app, (await staffSession(t.ctx, role, null)).cookie);
    assert.equal((await c.get('/fa/staff/payments/accounts')).statusCode, 403, role);
  }
  // the tax administration's finance officer cannot point the civil registry's service at their account
  const nocrService = await t.ctx.database.db
    .selectFrom('services')
    .select(['id'])
    .where('agency_id', '=', 'ir-nocr')
    .executeTakeFirstOrThrow();
  const taxFinance = client(t.app, (await staffSession(t.ctx, 'finance-officer', 'ir-tax')).cookie);
  await taxFinance.get('/fa/staff/payments/accounts');
  assert.equal(
    (await taxFinance.post('/fa/staff/payments/accounts', { serviceId: nocrService.id, iban, holderFa: 'x', holderEn: 'x' })).statusCode,
    400,
  );
  assert.notEqual((await t.ctx.payments.payments.repo.treasuryFor('ir-nocr', nocrService.id))?.iban, iban);
});
