// Card payments through the routes against the real sandbox bank (its own HTTP server on port 0): the
// happy path, and every fault the issue lists — declined, cancelled, verify timing out (reversed), a
// callback that never comes (inquiry job), the server gone between the bank's success and verify,
// tampered amount / order id, forged reference, replayed and concurrent duplicate callbacks, another
// citizen's payment, the gateway down at token time, and a second successful payment (refunded).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { citizenSession, client } from '../../../test/helpers/people.ts';
import { startSandboxBank, type SandboxBank } from './sandbox/sandbox.server.ts';

let t: TestApp;
let bank: SandboxBank;
const SLUG = 'replace-birth-certificate'; // ir-nocr; card fees 1,000,000 / 2,500,000 / 350,000
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
  fee: { due: 'submission', rule: { kind: 'bands', field: 'reason', bands: [{ equals: 'lost', amount: 2500000 }, { amount: 1000000 }] } },
};

before(async () => {
  bank = await startSandboxBank(0, { hangMs: 6000 });
  t = await testApp({
    NOTIFICATIONS_WORKER: false,
    APPLICATION_JOBS: false,
    PAYMENTS_JOBS: false,
    PUBLIC_URL: PUBLIC,
    PAYMENTS_GATEWAY_URL: bank.url,
    PAYMENTS_GATEWAY_TIMEOUT_MS: 2000, // generous for a loaded CI machine; the hanging bank answers after 6 s
    PAYMENTS_VERIFY_ATTEMPTS: 2,
    PAYMENTS_INQUIRY_AFTER_SECONDS: 60,
  });
  const r = await t.ctx.applications.publishForm(FORM, 'test');
  assert.ok(r.ok, JSON.stringify(r));
});
after(async () => {
  await t.close();
  await bank.close();
});

const svc = () => t.ctx.payments.payments;

async function submitted(reason = 'damaged') {
  const who = await citizenSession(t.ctx);
  const citizen = { id: who.id, national_id: who.nationalId, mobile: who.mobile };
  const d = await t.ctx.applications.startDraft(citizen, SLUG, 'fa');
  await t.ctx.applications.saveAnswers(d, { reason });
  const r = await t.ctx.applications.submit(citizen, d.id, d.submission_token);
  assert.ok('app' in r);
  // the pay page may be the first page this browser opens (no CSRF cookie yet): its form must work
  const b = client(t.app, who.cookie);
  return { who, app: r.app, b, base: `/fa/applications/${r.app.id}` };
}

/** Starts a card payment through the pages; returns the bank token and our payment id. */
async function startPay(b: ReturnType<typeof client>, base: string) {
  const page = await b.get(`${base}/pay`);
  assert.equal(page.statusCode, 200);
  const res = await b.post(`${base}/pay`, {});
  assert.equal(res.statusCode, 200, res.body);
  assert.match(res.body, new RegExp(`action="${bank.url}/ipg/v1/pay"`));
  assert.match(String(res.headers['content-security-policy']), new RegExp(`form-action 'self' ${bank.url}`));
  const token = /name="token" value="([0-9a-f]+)"/.exec(res.body)![1];
  return { token };
}

/** The bank's callback as the citizen's browser posts it: cross-site, without the session cookie. */
async function callback(callbackUrl: string, fields: Record<string, string>) {
  return t.app.inject({
    method: 'POST',
    url: callbackUrl.replace(PUBLIC, ''),
    payload: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}
const ledgerKinds = async (paymentId: string) => (await svc().ledgerOf(paymentId)).map((l) => `${l.kind}:${l.amount}`);
const paymentOf = async (appId: string) => (await svc().repo.ofApplication(appId))[0];

test('a card payment: pay page, hand-over to the bank, callback, verify, settle; paid once with the ledger to show', async () => {
  const { app, b, base } = await submitted();
  const page = await b.get(`${base}/pay`);
  assert.match(page.body, /۱٬۰۰۰٬۰۰۰ ریال/);
  assert.match(page.body, /شناسه قبض/);
  const { token } = await startPay(b, base);
  const paid = bank.pay(token, '6037990000000001');
  assert.match(paid.callbackUrl, new RegExp(`^${PUBLIC}/payments/ipg/callback/[0-9a-f-]{36}$`));
  const res = await callback(paid.callbackUrl, paid.fields!);
  assert.equal(res.statusCode, 303);
  const p = await paymentOf(app.id);
  assert.equal(res.headers.location, `${base}/payments/${p.id}`);
  assert.equal(p.status, 'success');
  assert.equal(p.reference, paid.fields!.refNum);
  assert.ok(p.settled_at, 'settled');
  assert.equal(bank.transactions.get(token)!.state, 'settled');
  assert.deepEqual(await ledgerKinds(p.id), ['attempt:0', 'confirmation:1000000']);
  assert.equal(await svc().balance(app.id), 1000000);
  const ret = await b.get(res.headers.location as string);
  assert.equal(ret.statusCode, 200);
  assert.match(ret.body, /پرداخت انجام شد/);
  assert.match(ret.body, new RegExp(p.reference!));
  // the application page shows it paid, with the reference, and the timeline has the event
  const detail = await b.get(base);
  assert.match(detail.body, /پرداخت‌شده/);
  assert.ok((await t.ctx.applications.timeline(app)).some((e) => e.type === 'payment.succeeded'));
  // paying again is refused: the pay page says it is paid, the POST goes back to it
  assert.match((await b.get(`${base}/pay`)).body, /پرداخت شده است/);
  assert.equal((await b.post(`${base}/pay`, {})).statusCode, 303);
});

test('a declined card and a cancelled payment take no money; the citizen can pay again', async () => {
  const { app, b, base } = await submitted('lost');
  const first = await startPay(b, base);
  const declined = bank.pay(first.token, '6037990000000002');
  const r1 = await callback(declined.callbackUrl, declined.fields!);
  assert.equal(r1.statusCode, 303);
  const p1 = await paymentOf(app.id);
  assert.equal(p1.status, 'failed');
  assert.deepEqual(await ledgerKinds(p1.id), ['attempt:0', 'failure:0']);
  assert.match((await b.get(r1.headers.location as string)).body, /پرداخت انجام نشد/);
  // cancel on the bank's page
  const second = await startPay(b, base);
  const html = await fetch(`${bank.url}/ipg/v1/pay/submit`, {
    method: 'POST',
    body: new URLSearchParams({ token: second.token, action: 'cancel' }),
  }).then((r) => r.text());
  const fields = Object.fromEntries([...html.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]));
  const url = /<form method="post" action="([^"]+)"/.exec(html)![1];
  assert.equal((await callback(url, fields)).statusCode, 303);
  assert.equal((await paymentOf(app.id)).status, 'cancelled');
  // and then pays
  const third = await startPay(b, base);
  const ok = bank.pay(third.token, '6037990000000001');
  await callback(ok.callbackUrl, ok.fields!);
  assert.equal((await paymentOf(app.id)).status, 'success');
  assert.equal(await svc().balance(app.id), 2500000);
});

test('verify that never answers is retried, then reversed: not paid, the bank gives the money back', async () => {
  const { app, b, base } = await submitted();
  const { token } = await startPay(b, base);
  const paid = bank.pay(token, '6037990000000003');
  const before = bank.calls.filter((c) => c.op === 'verify').length;
  const res = await callback(paid.callbackUrl, paid.fields!);
  assert.equal(res.statusCode, 303);
  assert.equal(bank.calls.filter((c) => c.op === 'verify').length - before, 2, 'PAYMENTS_VERIFY_ATTEMPTS verify calls');
  const p = await paymentOf(app.id);
  assert.equal(p.status, 'error');
  assert.equal(p.failure, 'verify-failed');
  assert.equal(bank.transactions.get(token)!.state, 'reversed');
  assert.deepEqual(await ledgerKinds(p.id), ['attempt:0', 'reversal:0']);
  assert.equal(await svc().balance(app.id), 0);
  assert.match((await b.get(res.headers.location as string)).body, /برگرداند/);
});

test('a callback that never comes: the inquiry job finds the payment at the bank, verifies it, once', async () => {
  const { app, b, base } = await submitted();
  const { token } = await startPay(b, base);
  assert.equal(bank.pay(token, '6037990000000004').fields, null);
  const p = await paymentOf(app.id);
  assert.equal(await svc().inquiryPass(), 0, 'not yet: younger than PAYMENTS_INQUIRY_AFTER_SECONDS');
  await t.ctx.database.db
    .updateTable('payments')
    .set({ updated_at: new Date(Date.now() - 3600_000) })
    .where('id', '=', p.id)
    .execute();
  assert.equal(await svc().inquiryPass(), 1);
  const after = await paymentOf(app.id);
  assert.equal(after.status, 'success');
  assert.equal(bank.transactions.get(token)!.state, 'settled');
  assert.equal(await svc().inquiryPass(), 0, 'nothing left');
  assert.deepEqual(await ledgerKinds(p.id), ['attempt:0', 'confirmation:1000000']);
});

test("the server gone between the bank's success and verify: inquiry finishes it, and the late callback does not pay twice", async () => {
  const { app, b, base } = await submitted();
  const { token } = await startPay(b, base);
  const paid = bank.pay(token, '6037990000000001'); // the citizen paid; our process died before the callback was handled
  const p = await paymentOf(app.id);
  await t.ctx.database.db
    .updateTable('payments')
    .set({ updated_at: new Date(Date.now() - 3600_000) })
    .where('id', '=', p.id)
    .execute();
  assert.equal(await svc().inquiryPass(), 1);
  assert.equal((await paymentOf(app.id)).status, 'success');
  const late = await callback(paid.callbackUrl, paid.fields!);
  assert.equal(late.statusCode, 303);
  assert.deepEqual(await ledgerKinds(p.id), ['attempt:0', 'confirmation:1000000']);
  assert.equal(await svc().balance(app.id), 1000000);
});

test('tampered callbacks: a changed amount is ignored (the verified amount counts), a changed order id or forged reference is refused and changes nothing', async () => {
  const { app, b, base } = await submitted();
  const { token } = await startPay(b, base);
  const paid = bank.pay(token, '6037990000000001');
  const p = await paymentOf(app.id);
  const order = await callback(paid.callbackUrl, { ...paid.fields!, orderId: String(Number(paid.fields!.orderId) + 1) });
  assert.equal(order.statusCode, 400);
  assert.equal(JSON.parse(order.body).code ?? 'PAYMENT_CALLBACK_MISMATCH', 'PAYMENT_CALLBACK_MISMATCH');
  const forged = await callback(paid.callbackUrl, { ...paid.fields!, refNum: '999999999999' });
  assert.equal(forged.statusCode, 400);
  assert.equal((await paymentOf(app.id)).status, 'started', 'nothing changed');
  assert.deepEqual(await ledgerKinds(p.id), ['attempt:0']);
  const cheap = await callback(paid.callbackUrl, { ...paid.fields!, amount: '1000' });
  assert.equal(cheap.statusCode, 303);
  assert.equal((await paymentOf(app.id)).status, 'success');
  assert.deepEqual(await ledgerKinds(p.id), ['attempt:0', 'confirmation:1000000']);
});

test('a forged "declined" callback does not fail a payment the bank says is paid', async () => {
  const { app, b, base } = await submitted();
  const { token } = await startPay(b, base);
  const paid = bank.pay(token, '6037990000000001');
  const res = await callback(paid.callbackUrl, { token, orderId: paid.fields!.orderId, amount: paid.fields!.amount, state: 'DECLINED' });
  assert.equal(res.statusCode, 303);
  assert.equal((await paymentOf(app.id)).status, 'success');
});

test('replayed and concurrent duplicate callbacks confirm the payment once', async () => {
  const { app, b, base } = await submitted();
  const { token } = await startPay(b, base);
  const paid = bank.pay(token, '6037990000000001');
  const all = await Promise.all(Array.from({ length: 5 }, () => callback(paid.callbackUrl, paid.fields!)));
  assert.deepEqual(
    all.map((r) => r.statusCode),
    [303, 303, 303, 303, 303],
  );
  assert.equal((await callback(paid.callbackUrl, paid.fields!)).statusCode, 303);
  const p = await paymentOf(app.id);
  assert.deepEqual(await ledgerKinds(p.id), ['attempt:0', 'confirmation:1000000']);
  assert.equal((await t.ctx.applications.timeline(app)).filter((e) => e.type === 'payment.succeeded').length, 1);
});

test("another citizen cannot see or complete someone else's payment", async () => {
  const a = await submitted();
  const other = await submitted();
  const { token } = await startPay(a.b, a.base);
  const paid = bank.pay(token, '6037990000000001');
  const pa = await paymentOf(a.app.id);
  assert.equal((await other.b.get(`${a.base}/payments/${pa.id}`)).statusCode, 404);
  assert.equal((await other.b.get(`${other.base}/payments/${pa.id}`)).statusCode, 404);
  // A's callback fields against B's payment: refused
  const { token: tokenB } = await startPay(other.b, other.base);
  void tokenB;
  const pb = await paymentOf(other.app.id);
  assert.equal((await callback(`${PUBLIC}/payments/ipg/callback/${pb.id}`, paid.fields!)).statusCode, 400);
  assert.equal((await paymentOf(other.app.id)).status, 'started');
});

test('the gateway down at token time: the page says so (503), the application is kept, and a retry works', async () => {
  const { app, b, base } = await submitted();
  bank.switches.down = true;
  try {
    await b.get(`${base}/pay`);
    const res = await b.post(`${base}/pay`, {});
    assert.equal(res.statusCode, 503);
    assert.match(res.body, /درگاه پرداخت بانک پاسخ نمی‌دهد/);
  } finally {
    bank.switches.down = false;
  }
  assert.equal((await t.ctx.applications.own(app.citizen_id, app.id)).status, 'submitted');
  const failed = await paymentOf(app.id);
  assert.equal(failed.status, 'error');
  const { token } = await startPay(b, base);
  const paid = bank.pay(token, '6037990000000001');
  await callback(paid.callbackUrl, paid.fields!);
  assert.equal((await paymentOf(app.id)).status, 'success');
});

test('a second successful payment (two tabs) is marked duplicate and listed for an automatic refund', async () => {
  const { app, b, base } = await submitted();
  const one = await startPay(b, base);
  const two = await startPay(b, base);
  const p1 = bank.pay(one.token, '6037990000000001');
  const p2 = bank.pay(two.token, '6037990000000001');
  await callback(p1.callbackUrl, p1.fields!);
  const res = await callback(p2.callbackUrl, p2.fields!);
  const payments = await svc().repo.ofApplication(app.id);
  const dup = payments.find((p) => p.duplicate)!;
  assert.ok(dup, 'one payment is the duplicate');
  assert.equal(payments.filter((p) => p.status === 'success').length, 2);
  assert.equal((await svc().repo.paidFor(app.id))!.id, payments.find((p) => !p.duplicate && p.status === 'success')!.id);
  const refunds = await svc().repo.refundsOf(dup.id);
  assert.deepEqual(
    refunds.map((r) => [r.reason, Number(r.amount)]),
    [['duplicate', 1000000]],
  );
  assert.match((await b.get(res.headers.location as string)).body, /پیش‌تر پرداخت شده بود/);
});
