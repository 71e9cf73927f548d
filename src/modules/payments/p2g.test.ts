// Paying by bill through the P2G API (banks' bill inquiry and payment notification), and what paying
// changes for the agency: approval refused while unpaid, the queue's payment filter, the webhook events,
// the agency API's payment state, and the result document waiting for a fee due before issue.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { citizenSession, client, staffSession } from '../../../test/helpers/people.ts';
import { Bill } from '@persian-tools/persian-tools';
import { DEMO_BANK_KEY } from './payments.demo.ts';
import { makeBill, parseIban } from './bills.ts';

let t: TestApp;
const SLUG = 'replace-birth-certificate'; // ir-nocr
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
  fee: { due: 'submission', rule: { kind: 'bands', field: 'reason', bands: [{ equals: 'lost', amount: 2500000 }, { amount: 1000000 }] } },
};
const auth = { authorization: `Bearer ${DEMO_BANK_KEY}` };

before(async () => {
  t = await testApp({ NOTIFICATIONS_WORKER: false, APPLICATION_JOBS: false, PAYMENTS_JOBS: false, WEBHOOK_WORKER: false });
  const r = await t.ctx.applications.publishForm(FORM, 'test');
  assert.ok(r.ok, JSON.stringify(r));
});
after(() => t.close());

async function submitted(reason = 'damaged') {
  const who = await citizenSession(t.ctx);
  const citizen = { id: who.id, national_id: who.nationalId, mobile: who.mobile };
  const d = await t.ctx.applications.startDraft(citizen, SLUG, 'fa');
  await t.ctx.applications.saveAnswers(d, { reason });
  const r = await t.ctx.applications.submit(citizen, d.id, d.submission_token);
  assert.ok('app' in r);
  const b = client(t.app, who.cookie);
  await b.get('/fa/applications');
  const bill = (await t.ctx.payments.bills.billFor(r.app))!;
  return { app: r.app, b, bill };
}
const inquiry = (billId: string, headers: Record<string, string> = auth) =>
  t.app.inject({ url: `/api/p2g/v1/bills/${billId}?fields=inquiry`, headers });
const notify = (body: Record<string, unknown>, headers: Record<string, string> = auth) =>
  t.app.inject({ method: 'POST', url: '/api/p2g/v1/billTransferRequests', payload: body, headers });
const flip = (s: string) => s.slice(0, -1) + String((Number(s.at(-1)) + 1) % 10);

test("bill IDs follow the banks' structure: check digits verified by persian-tools, amount encoded; IBANs checked", () => {
  const b = makeBill({ serial: '1234', companyCode: '101', amount: 2500000 });
  const lib = new Bill({ billId: Number(b.billId), paymentId: Number(b.paymentId), currency: 'rial' });
  assert.equal(lib.verificationBill(), true);
  assert.equal(lib.getAmount(), 2500000);
  assert.equal(new Bill({ billId: Number(flip(b.billId)), paymentId: Number(b.paymentId), currency: 'rial' }).verificationBillId(), false);
  assert.throws(() => makeBill({ serial: '1', companyCode: '101', amount: 1500 }), RangeError);
  assert.equal(parseIban('IR390101234567890123456789'), 'IR390101234567890123456789');
  assert.equal(parseIban('IR۳۹۰۱۰۱۲۳۴۵۶۷۸۹۰۱۲۳۴۵۶۷۸۹'), 'IR390101234567890123456789');
  assert.equal(parseIban('IR390101234567890123456780'), null);
});

test('the citizen sees the bill ID, payment ID and barcode on the pay page and the application page', async () => {
  const { app, b, bill } = await submitted();
  for (const url of [`/fa/applications/${app.id}/pay`, `/fa/applications/${app.id}`, `/en/applications/${app.id}`]) {
    const page = await b.get(url);
    assert.equal(page.statusCode, 200, url);
    assert.ok(page.body.includes(bill.billId) && page.body.includes(bill.paymentId) && page.body.includes(bill.barcode), url);
  }
  const inbox = await t.ctx.applications.inbox(app.citizen_id);
  assert.ok(
    inbox.some((m) => (m.body.fa ?? '').includes(bill.billId) && (m.body.fa ?? '').includes(bill.paymentId)),
    'the bill is in the e-box',
  );
});

test('P2G inquiry and payment: amount and status, marked paid exactly once; wrong check digits 400 with their own codes, unknown 404, wrong amount refused, keys required', async () => {
  const { app, b, bill } = await submitted();
  assert.equal((await inquiry(bill.billId, {})).statusCode, 401);
  assert.equal(
    JSON.parse((await inquiry(bill.billId, { authorization: 'Bearer p2g_not-a-real-key-at-all-000' })).body).code,
    'BANK_KEY_INVALID',
  );
  const q = await inquiry(bill.billId);
  assert.equal(q.statusCode, 200);
  assert.equal(JSON.parse(q.body).billDetails.amountonDueDate, 1000000);
  assert.equal(JSON.parse(q.body).billDetails.billStatus, 'UNPAID');
  const bad = await inquiry(flip(bill.billId));
  assert.equal(bad.statusCode, 400);
  assert.equal(JSON.parse(bad.body).code, 'BILL_ID_CHECK_DIGIT');
  assert.equal(JSON.parse((await inquiry('12ab')).body).code, 'BILL_ID_INVALID');
  const unknown = makeBill({ serial: '99999999', companyCode: '101', amount: 1000000 });
  const u = await inquiry(unknown.billId);
  assert.equal(u.statusCode, 404);
  assert.equal(JSON.parse(u.body).code, 'BILL_NOT_FOUND');
  const base = {
    requestId: 'r1',
    billInquiryRequestId: 'q1',
    billId: bill.billId,
    paymentId: bill.paymentId,
    paymentReferenceID: 'BANKREF0001',
    amount: 1000000,
  };
  const pidBad = await notify({ ...base, paymentId: flip(bill.paymentId) });
  assert.equal(pidBad.statusCode, 400);
  assert.equal(JSON.parse(pidBad.body).code, 'BILL_PAYMENT_ID_CHECK_DIGIT');
  const wrong = await notify({ ...base, amount: 999000 });
  assert.equal(wrong.statusCode, 409);
  assert.equal(JSON.parse(wrong.body).code, 'BILL_AMOUNT_MISMATCH');
  assert.equal((await notify({ ...base, billId: unknown.billId, paymentId: unknown.paymentId })).statusCode, 404);
  assert.equal((await t.ctx.payments.payments.repo.ofApplication(app.id)).length, 0, 'nothing stored by refused notifications');
  // concurrent duplicate notifications: one payment
  const all = await Promise.all(Array.from({ length: 5 }, () => notify(base)));
  assert.deepEqual(all.map((r) => r.statusCode).sort(), [200, 200, 200, 200, 202]);
  const payments = await t.ctx.payments.payments.repo.ofApplication(app.id);
  assert.equal(payments.length, 1);
  assert.equal(payments[0].channel, 'bill');
  assert.equal(await t.ctx.payments.payments.balance(app.id), 1000000);
  // a different payment for the paid bill is refused
  const again = await notify({ ...base, paymentReferenceID: 'BANKREF0002' });
  assert.equal(again.statusCode, 409);
  assert.equal(JSON.parse(again.body).code, 'BILL_ALREADY_PAID');
  assert.equal(JSON.parse((await inquiry(bill.billId)).body).billDetails.billStatus, 'PAID');
  // the citizen sees it paid
  assert.match((await b.get(`/fa/applications/${app.id}`)).body, /پرداخت‌شده/);
});

test('the agency: approval refused while unpaid, then allowed; queue filter; webhook events; agency API payment state', async () => {
  const { app, bill } = await submitted('lost');
  const staff = client(t.app, (await staffSession(t.ctx, 'operator', 'ir-nocr')).cookie);
  const url = `/fa/staff/applications/${app.id}`;
  const page = await staff.get(url);
  assert.match(page.body, /پرداخت‌نشده/);
  const refused = await staff.post(`${url}/approve`, { text: '', confirm: 'yes' });
  assert.equal(refused.statusCode, 400);
  assert.match(refused.body, /هنوز پرداخت نشده است/);
  assert.equal((await t.ctx.applications.backoffice.forAgency(app.id)).status, 'submitted');
  const unpaid = await staff.get('/fa/staff/applications?payment=unpaid&status=all');
  assert.match(unpaid.body, new RegExp(app.reference!));
  assert.doesNotMatch((await staff.get('/fa/staff/applications?payment=paid&status=all')).body, new RegExp(app.reference!));
  const key = await t.ctx.agencyApi.create('ir-nocr', 'test', ['applications:read'], 'test');
  const api = async () =>
    JSON.parse(
      (await t.app.inject({ url: `/api/agency/v1/applications/${app.id}/payment`, headers: { authorization: `Bearer ${key.key}` } })).body,
    );
  assert.equal((await api()).status, 'unpaid');
  assert.equal((await api()).fee.amount, 2500000);
  const other = await t.ctx.agencyApi.create('ir-tax', 'test', ['applications:read'], 'test');
  assert.equal(
    (await t.app.inject({ url: `/api/agency/v1/applications/${app.id}/payment`, headers: { authorization: `Bearer ${other.key}` } }))
      .statusCode,
    404,
  );
  await t.ctx.webhooks.register('ir-nocr', 'http://127.0.0.1:9/hook', ['payment.succeeded', 'payment.refunded'], 'test');
  // pay by bill
  assert.equal(
    (await notify({ billId: bill.billId, paymentId: bill.paymentId, paymentReferenceID: 'BANKREF9', amount: 2500000 })).statusCode,
    202,
  );
  assert.equal((await api()).status, 'paid');
  assert.match((await staff.get('/fa/staff/applications?payment=paid&status=all')).body, new RegExp(app.reference!));
  assert.match((await staff.get(url)).body, /پرداخت‌شده/);
  await staff.get(url);
  const ok = await staff.post(`${url}/approve`, { text: '', confirm: 'yes' });
  assert.equal(ok.statusCode, 303);
  assert.equal((await t.ctx.applications.backoffice.forAgency(app.id)).status, 'approved');
  const deliveries = await t.ctx.database.db
    .selectFrom('webhook_deliveries')
    .select(['event', 'payload'])
    .where('agency_id', '=', 'ir-nocr')
    .where('event', '=', 'payment.succeeded')
    .execute();
  assert.ok(
    deliveries.some((d) => d.payload.applicationId === app.id),
    'payment.succeeded webhook queued with the payment',
  );
  const events = (await t.ctx.applications.timeline(app)).map((e) => e.type);
  assert.ok(events.includes('payment.succeeded'));
});

test('a fee due before issue: payable only once approved, and the result document waits for it', async () => {
  const form = { ...FORM, fee: { due: 'before-issue', rule: { kind: 'fixed', amount: 1000000 } } };
  assert.ok((await t.ctx.applications.publishForm(form, 'test')).ok);
  try {
    const { app, b } = await submitted();
    const before = await t.ctx.payments.payments.stateOf(app);
    assert.equal(before!.payable, false);
    assert.equal(before!.waitingForApproval, true);
    assert.match((await b.get(`/en/applications/${app.id}/pay`)).body, /paid after the application is approved/);
    const staff = client(t.app, (await staffSession(t.ctx, 'operator', 'ir-nocr')).cookie);
    await staff.get(`/fa/staff/applications/${app.id}`);
    assert.equal(
      (await staff.post(`/fa/staff/applications/${app.id}/approve`, { text: '', confirm: 'yes' })).statusCode,
      303,
      'approval does not wait',
    );
    const approved = await t.ctx.applications.backoffice.forAgency(app.id);
    const req = (await t.ctx.applications.timeline(approved)).find((e) => e.type === 'document.requested')!;
    const issue = async () =>
      t.ctx.applications.backoffice.issueRequested(app.id, Number(req.id), async () => ({ code: 'TESTCODE', url: '/x' }));
    assert.equal(await issue(), 'busy', 'no document while unpaid');
    assert.equal((await t.ctx.payments.payments.stateOf(approved))!.payable, true);
    const bill = (await t.ctx.payments.bills.billFor(approved))!;
    assert.equal(
      (await notify({ billId: bill.billId, paymentId: bill.paymentId, paymentReferenceID: 'BANKREF77', amount: 1000000 })).statusCode,
      202,
    );
    assert.equal(await issue(), 'issued');
  } finally {
    assert.ok((await t.ctx.applications.publishForm(FORM, 'test')).ok);
  }
});

test('publishing a form whose fee the service card does not declare is refused, naming /fee', async () => {
  const r = await t.ctx.applications.publishForm({ ...FORM, fee: { due: 'submission', rule: { kind: 'fixed', amount: 5000000 } } }, 'test');
  assert.equal(r.ok, false);
  assert.deepEqual(!r.ok && r.problems.map((p) => p.path), ['/fee']);
  assert.match(!r.ok ? r.problems[0].message : '', /does not declare/);
});
