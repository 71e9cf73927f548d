// Money after the payment, against the sandbox bank: refunds (duplicate, rejection, finance officer,
// audited, only the finance officer of the agency), the signed receipt (verifiable at /verify/{code}),
// reconciliation (a match, and mismatches listed, never fixed), the report and its CSV (formula cells
// escaped), and the monitoring metric "share of fees payable online".
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { citizenSession, client, staffSession } from '../../../test/helpers/people.ts';
import { startSandboxBank, type SandboxBank } from './sandbox/sandbox.server.ts';
import { csvCell, paymentMetrics } from './payments.finance.ts';

let t: TestApp;
let bank: SandboxBank;
const SLUG = 'replace-birth-certificate';
const PUBLIC = 'http://panjereh.test';
const FORM = {
  service: SLUG,
  pages: [
    {
      id: 'reason',
      title: { fa: 'علت', en: 'Reason' },
      fields: [
        {
          name: 'reason',
          type: 'radio',
          label: { fa: 'علت', en: 'Reason' },
          options: [
            { value: 'lost', label: { fa: 'گم شده', en: 'Lost' } },
            { value: 'damaged', label: { fa: 'آسیب دیده', en: 'Damaged' } },
          ],
        },
      ],
    },
  ],
  fee: {
    due: 'submission',
    refundOnRejection: true,
    rule: { kind: 'bands', field: 'reason', bands: [{ equals: 'lost', amount: 2500000 }, { amount: 1000000 }] },
  },
};
const today = () => new Date().toISOString().slice(0, 10);

before(async () => {
  bank = await startSandboxBank(0);
  t = await testApp({
    NOTIFICATIONS_WORKER: false,
    APPLICATION_JOBS: false,
    PAYMENTS_JOBS: false,
    WEBHOOK_WORKER: false,
    PUBLIC_URL: PUBLIC,
    PAYMENTS_GATEWAY_URL: bank.url,
  });
  assert.ok((await t.ctx.applications.publishForm(FORM, 'test')).ok);
});
after(async () => {
  await t.close();
  await bank.close();
});

async function paidApplication() {
  const who = await citizenSession(t.ctx);
  const citizen = { id: who.id, national_id: who.nationalId, mobile: who.mobile };
  const d = await t.ctx.applications.startDraft(citizen, SLUG, 'fa');
  await t.ctx.applications.saveAnswers(d, { reason: 'damaged' });
  const r = await t.ctx.applications.submit(citizen, d.id, d.submission_token);
  assert.ok('app' in r);
  const b = client(t.app, who.cookie);
  await b.get('/fa/applications');
  const started = await t.ctx.payments.payments.startCard(who.id, r.app.id);
  const paid = bank.pay(started.redirect.fields.token, '6037990000000001');
  const cb = await t.app.inject({
    method: 'POST',
    url: paid.callbackUrl.replace(PUBLIC, ''),
    payload: new URLSearchParams(paid.fields!).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(cb.statusCode, 303);
  const payment = (await t.ctx.payments.payments.repo.byId(started.payment.id))!;
  assert.equal(payment.status, 'success');
  return { app: r.app, b, payment, who };
}
const fin = () => t.ctx.payments.finance;

test('a finance officer refunds part of a payment through the gateway; audited; others may not', async () => {
  const { app, payment } = await paidApplication();
  const officer = await staffSession(t.ctx, 'finance-officer', 'ir-nocr');
  const f = client(t.app, officer.cookie);
  const page = await f.get('/fa/staff/payments');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, new RegExp(payment.reference!));
  // another agency's finance officer and an operator cannot refund
  const otherFinance = client(t.app, (await staffSession(t.ctx, 'finance-officer', 'ir-tax')).cookie);
  await otherFinance.get('/fa/staff/payments');
  assert.equal((await otherFinance.post(`/fa/staff/payments/${payment.id}/refund`, { amount: '1000' })).statusCode, 404);
  const operator = client(t.app, (await staffSession(t.ctx, 'operator', 'ir-nocr')).cookie);
  await operator.get('/fa/staff');
  assert.equal((await operator.post(`/fa/staff/payments/${payment.id}/refund`, { amount: '1000' })).statusCode, 403);
  // too much is refused with a message, nothing stored
  const tooMuch = await f.post(`/fa/staff/payments/${payment.id}/refund`, { amount: '1000001' });
  assert.equal(tooMuch.statusCode, 400);
  assert.match(tooMuch.body, /مبلغ بازپرداخت/);
  assert.equal((await t.ctx.payments.payments.repo.refundsOf(payment.id)).length, 0);
  const ok = await f.post(`/fa/staff/payments/${payment.id}/refund`, { amount: '۴۰۰٬۰۰۰', note: 'partial' });
  assert.equal(ok.statusCode, 303);
  const after = (await t.ctx.payments.payments.repo.byId(payment.id))!;
  assert.equal(Number(after.refunded_amount), 400000);
  assert.equal(bank.transactions.get(payment.token!)!.refunded, 400000);
  assert.equal(await t.ctx.payments.payments.balance(app.id), 600000);
  const audit = await t.ctx.database.db.selectFrom('audit_log').select(['action', 'actor']).where('subject', '=', payment.id).execute();
  assert.deepEqual(
    audit.map((a) => a.action),
    ['payment.refund'],
  );
  assert.ok((await t.ctx.applications.timeline(app)).some((e) => e.type === 'payment.refunded'));
  // the queue's refunded filter finds it
  const queue = await operator.get('/fa/staff/applications?payment=refunded&status=all');
  assert.match(queue.body, new RegExp(app.reference!));
});

test('a rejection refunds the fee when the form says so; a duplicate payment is refunded by the jobs', async () => {
  const { app, payment } = await paidApplication();
  const staff = client(t.app, (await staffSession(t.ctx, 'operator', 'ir-nocr')).cookie);
  await staff.get(`/fa/staff/applications/${app.id}`);
  assert.equal((await staff.post(`/fa/staff/applications/${app.id}/reject`, { text: 'not eligible', confirm: 'yes' })).statusCode, 303);
  for (let i = 0; i < 50 && Number((await t.ctx.payments.payments.repo.byId(payment.id))!.refunded_amount) === 0; i++)
    await new Promise((r) => setImmediate(r));
  await fin().refundPass();
  assert.equal(Number((await t.ctx.payments.payments.repo.byId(payment.id))!.refunded_amount), 1000000);
  // a duplicate: two tabs, both paid; the jobs' refund pass refunds the second through the gateway
  const who = await citizenSession(t.ctx);
  const citizen = { id: who.id, national_id: who.nationalId, mobile: who.mobile };
  const d = await t.ctx.applications.startDraft(citizen, SLUG, 'fa');
  await t.ctx.applications.saveAnswers(d, { reason: 'damaged' });
  const sub = await t.ctx.applications.submit(citizen, d.id, d.submission_token);
  assert.ok('app' in sub);
  const tabs = [await t.ctx.payments.payments.startCard(who.id, sub.app.id), await t.ctx.payments.payments.startCard(who.id, sub.app.id)];
  for (const s of tabs) {
    const paid = bank.pay(s.redirect.fields.token, '6037990000000001');
    await t.app.inject({
      method: 'POST',
      url: paid.callbackUrl.replace(PUBLIC, ''),
      payload: new URLSearchParams(paid.fields!).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }
  assert.equal(await fin().refundPass(), 1);
  assert.equal(await fin().refundPass(), 0, 'sent once');
  const dup = (await t.ctx.payments.payments.repo.ofApplication(sub.app.id)).find((p) => p.duplicate)!;
  assert.equal(Number(dup.refunded_amount), 1000000);
  assert.equal(bank.transactions.get(dup.token!)!.refunded, 1000000);
  assert.equal(await t.ctx.payments.payments.balance(sub.app.id), 1000000, 'paid once, net');
});

test('the signed receipt: a PDF from the documents module, verifiable at /verify/{code}', async () => {
  const { b, app, payment } = await paidApplication();
  const res = await b.get(`/fa/applications/${app.id}/payments/${payment.id}/receipt`);
  assert.equal(res.statusCode, 303);
  const pdf = await t.app.inject({ url: res.headers.location as string });
  assert.equal(pdf.statusCode, 200);
  assert.equal(pdf.headers['content-type'], 'application/pdf');
  const code = (await t.ctx.payments.payments.repo.byId(payment.id))!.receipt_code!;
  const verify = await t.app.inject({ url: `/en/verify/${code}` });
  assert.equal(verify.statusCode, 200);
  assert.match(verify.body, /genuine|Genuine|valid/);
  // the same receipt the second time
  assert.equal((await b.get(`/fa/applications/${app.id}/payments/${payment.id}/receipt`)).headers.location, res.headers.location);
  const stranger = client(t.app, (await citizenSession(t.ctx)).cookie);
  assert.equal((await stranger.get(`/fa/applications/${app.id}/payments/${payment.id}/receipt`)).statusCode, 404);
});

test('reconciliation: the ledger matches the settlement report; a line only at the gateway is listed, not fixed', async () => {
  await paidApplication();
  const clean = await fin().reconcile(today());
  assert.deepEqual(clean.mismatches, []);
  assert.ok(clean.matched >= 1);
  const { payment } = await paidApplication();
  bank.addReportLine({ day: today(), orderId: '999999999', reference: '123456789012', amount: 5000, kind: 'settlement' });
  const before = await t.ctx.payments.payments.balance(payment.application_id);
  const r = await fin().reconcile(today());
  assert.deepEqual(
    (r.mismatches as { kind: string; orderId: string }[]).map((m) => [m.kind, m.orderId]),
    [['missing-in-ledger', '999999999']],
  );
  assert.equal(await t.ctx.payments.payments.balance(payment.application_id), before, 'never silently fixed');
  const officer = client(t.app, (await staffSession(t.ctx, 'finance-officer', 'ir-nocr')).cookie);
  const page = await officer.get(`/en/staff/payments?to=${today()}`);
  assert.match(page.body, /in the gateway report, not in the ledger/);
  await officer.get('/en/staff/payments');
  assert.equal((await officer.post('/en/staff/payments/reconcile', { day: 'yesterday' })).statusCode, 400);
});

test('the report: collected and refunded per day, service and channel; CSV with formula cells escaped; oversight sees all', async () => {
  await paidApplication();
  const officer = client(t.app, (await staffSession(t.ctx, 'finance-officer', 'ir-nocr')).cookie);
  const csv = await officer.get(`/en/staff/payments/report.csv?to=${today()}`);
  assert.equal(csv.statusCode, 200);
  assert.match(String(csv.headers['content-type']), /text\/csv/);
  const lines = csv.body.trim().split('\r\n');
  assert.equal(lines[0], 'day,agency,service,channel,payments,collected_rials,refunded_rials,pending_rials');
  assert.ok(
    lines.slice(1).every((l) => l.split(',')[1] === 'ir-nocr'),
    'own agency only',
  );
  assert.ok(lines.some((l) => l.startsWith(`${today()},ir-nocr,`) && l.split(',')[3] === 'card'));
  assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  assert.equal(csvCell('+1'), "'+1");
  assert.equal(csvCell('@x'), "'@x");
  assert.equal(csvCell(-5), '-5');
  const analyst = client(t.app, (await staffSession(t.ctx, 'oversight-analyst', null)).cookie);
  assert.equal((await analyst.get('/en/staff/payments')).statusCode, 200);
  const operator = client(t.app, (await staffSession(t.ctx, 'operator', 'ir-nocr')).cookie);
  assert.equal((await operator.get('/en/staff/payments')).statusCode, 403);
});

test('monitoring: share of fees payable online, per agency', async () => {
  const [source] = paymentMetrics(t.ctx.database.db);
  assert.equal(source.metric, 'payments.online-share');
  const m = (await source.measure(['ir-nocr'], new Date(), new Map())).get('ir-nocr')!;
  assert.ok('value' in m && m.value > 0 && m.value <= 100, JSON.stringify(m));
});
