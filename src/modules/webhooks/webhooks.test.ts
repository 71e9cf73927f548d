import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { signedInStaff } from '../../../test/helpers/staff.ts';
import { backoffMs } from './webhooks.worker.ts';
import { checkWebhookUrl, guardedLookup, isPrivateAddress } from './webhooks.url.ts';
import { verifySignature } from './webhooks.service.ts';

/** A real receiver on 127.0.0.1 that checks each signature and answers with the next planned status. */
class Receiver {
  server = http.createServer((req, res) => this.#handle(req, res));
  received: { event: string; delivery: string; body: Record<string, unknown>; signatureOk: boolean }[] = [];
  plan: (number | 'redirect' | 'hang' | 'big')[] = [];
  secret = '';
  url = '';
  async start(path = '/hooks') {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }
  #handle(req: http.IncomingMessage, res: http.ServerResponse) {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      this.received.push({
        event: String(req.headers['panjereh-event']),
        delivery: String(req.headers['panjereh-delivery']),
        body: JSON.parse(body),
        signatureOk: verifySignature(this.secret, body, String(req.headers['panjereh-signature'] ?? '')),
      });
      const next = this.plan.shift() ?? 200;
      if (next === 'hang') return; // never answers: the sender's timeout must fire
      if (next === 'redirect') return res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' }).end();
      if (next === 'big') return res.writeHead(500).end('x'.repeat(100_000));
      res.writeHead(next, { 'content-type': 'text/plain' }).end(next === 200 ? 'ok' : 'try later');
    });
  }
  close() {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(r));
  }
}

let t: TestApp;
const rx = new Receiver();
before(async () => {
  t = await testApp({ WEBHOOK_WORKER: false, WEBHOOK_RETRY_BASE_MS: 1, WEBHOOK_MAX_ATTEMPTS: 3, WEBHOOK_TIMEOUT_MS: 2000 });
  await rx.start();
});
after(async () => {
  await rx.close();
  await t.close();
});

/** Runs worker passes until nothing is due (retries are due at once with a 1 ms base). */
async function drain(maxPasses = 20) {
  for (let i = 0; i < maxPasses; i++) {
    if ((await t.ctx.webhookWorker.runOnce()) === 0) {
      const pending = await t.ctx.database.db.selectFrom('webhook_deliveries').select('id').where('status', '=', 'pending').execute();
      if (!pending.length) return;
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}
const db = () => t.ctx.database.db;

test('URLs: only http(s); private and loopback targets refused when not allowed, also after DNS', async () => {
  assert.throws(() => checkWebhookUrl('ftp://example.ir/x', true), { code: 'WEBHOOK_URL_INVALID' });
  assert.throws(() => checkWebhookUrl('not a url', true), { code: 'WEBHOOK_URL_INVALID' });
  assert.throws(() => checkWebhookUrl('https://user:pw@example.ir/x', true), { code: 'WEBHOOK_URL_INVALID' });
  for (const u of [
    'http://127.0.0.1:8080/',
    'http://10.1.2.3/',
    'http://192.168.1.1/',
    'http://[::1]/',
    'http://169.254.169.254/',
    'http://localhost/',
    'http://[::ffff:10.0.0.1]/',
  ]) {
    assert.throws(() => checkWebhookUrl(u, false), { code: 'WEBHOOK_URL_PRIVATE' }, u);
  }
  assert.equal(checkWebhookUrl('https://hooks.agency.example.ir/panjereh', false).hostname, 'hooks.agency.example.ir');
  assert.ok(isPrivateAddress('172.20.0.1') && !isPrivateAddress('8.8.8.8') && !isPrivateAddress('2001:4860:4860::8888'));
  const err = await new Promise<NodeJS.ErrnoException | null>((r) => guardedLookup(false)('localhost', {}, (e) => r(e)));
  assert.equal(err?.code, 'EPRIVATE', 'a name that resolves to loopback is refused at connect time');
});

test('back-off doubles per attempt, with jitter between half and all of it, capped at an hour', () => {
  assert.equal(
    backoffMs(1000, 1, () => 1),
    1000,
  );
  assert.equal(
    backoffMs(1000, 1, () => 0),
    500,
  );
  assert.equal(
    backoffMs(1000, 4, () => 1),
    8000,
  );
  assert.equal(
    backoffMs(1000, 30, () => 1),
    3_600_000,
  );
});

test('emit writes deliveries in the caller transaction: a rolled-back event is never sent, a committed one is, signed', async () => {
  const ep = await t.ctx.webhooks.register('ir-nocr', rx.url, ['application.approved'], 'test');
  rx.secret = ep.secret;
  assert.match(ep.secret, /^whsec_/);
  await assert.rejects(
    db()
      .transaction()
      .execute(async (trx) => {
        await t.ctx.webhooks.emit(trx, 'ir-nocr', 'application.approved', { ref: 'ROLLED-BACK' });
        throw new Error('the approval failed');
      }),
  );
  const queued = await db()
    .transaction()
    .execute((trx) => t.ctx.webhooks.emit(trx, 'ir-nocr', 'application.approved', { ref: 'APP-2345' }));
  assert.equal(queued, 1);
  assert.equal(
    await db()
      .transaction()
      .execute((trx) => t.ctx.webhooks.emit(trx, 'ir-nocr', 'application.rejected', { ref: 'x' })),
    0,
    'not subscribed',
  );
  await drain();
  assert.equal(rx.received.length, 1);
  const got = rx.received[0];
  assert.equal(got.event, 'application.approved');
  assert.ok(got.signatureOk, 'the receiver verifies the HMAC signature');
  assert.deepEqual(got.body.data, { ref: 'APP-2345' });
  assert.equal(got.body.id, got.delivery);
  assert.ok(!verifySignature('whsec_wrong', JSON.stringify(got.body), 't=1,v1=00'));
  await t.ctx.webhooks.disable(ep.id, 'ir-nocr', 'test');
});

test('failures are retried with back-off until delivered; every attempt is logged with status, duration and a truncated response', async () => {
  rx.received = [];
  const ep = await t.ctx.webhooks.register('ir-tax', rx.url, ['document.issued'], 'test');
  rx.secret = ep.secret;
  rx.plan = ['big', 503, 200];
  await db()
    .transaction()
    .execute((trx) => t.ctx.webhooks.emit(trx, 'ir-tax', 'document.issued', { code: 'K7MRT4XHPA' }));
  await drain();
  assert.equal(rx.received.length, 3);
  assert.ok(rx.received.every((r) => r.signatureOk));
  assert.equal(new Set(rx.received.map((r) => r.delivery)).size, 1, 'the same delivery id on every attempt');
  const d = (await t.ctx.webhooks.deliveries('ir-tax'))[0];
  assert.equal(d.status, 'delivered');
  const { attempts } = await t.ctx.webhooks.delivery(d.id, 'ir-tax');
  assert.deepEqual(
    attempts.map((a) => a.status_code),
    [500, 503, 200],
  );
  assert.ok(attempts[0].response_excerpt!.length <= 501, 'response truncated in the log');
  assert.ok(attempts.every((a) => a.duration_ms >= 0));
  await t.ctx.webhooks.disable(ep.id, 'ir-tax', 'test');
});

test('after the last attempt a delivery is dead-lettered; redirects are not followed; timeouts count; replay sends it again', async () => {
  rx.received = [];
  const ep = await t.ctx.webhooks.register('ir-sso', rx.url, ['application.submitted'], 'test');
  rx.secret = ep.secret;
  rx.plan = ['redirect', 'hang', 500];
  await db()
    .transaction()
    .execute((trx) => t.ctx.webhooks.emit(trx, 'ir-sso', 'application.submitted', { ref: 'APP-DEAD' }));
  await drain();
  const dead = await t.ctx.webhooks.deliveries('ir-sso', 'dead');
  assert.equal(dead.length, 1);
  const { attempts } = await t.ctx.webhooks.delivery(dead[0].id, 'ir-sso');
  assert.equal(attempts.length, 3);
  assert.match(attempts[0].error!, /302.*redirects are not followed/);
  assert.match(attempts[1].error!, /timed out/);
  assert.equal(rx.received.length, 3, 'the redirect target was never called');

  // The replay is from the admin page (audited), and is refused for another agency's staff.
  const other = await signedInStaff(t, 'admin@nocr.example.ir', 'agency-admin', 'ir-nocr');
  await other.client.get('/en/staff/agencies/ir-nocr/integrations');
  assert.equal((await other.client.post(`/en/staff/agencies/ir-sso/webhooks/deliveries/${dead[0].id}/replay`, {})).statusCode, 403);
  assert.equal(
    (await other.client.post(`/en/staff/agencies/ir-nocr/webhooks/deliveries/${dead[0].id}/replay`, {})).statusCode,
    403,
    'OTHER_AGENCY',
  );
  const admin = await signedInStaff(t, 'admin@sso.example.ir', 'agency-admin', 'ir-sso');
  const page = await admin.client.get('/en/staff/agencies/ir-sso/integrations');
  assert.match(page.body, /Dead letters/);
  assert.match(page.body, /APP-DEAD|application.submitted/);
  const detail = await admin.client.get(`/en/staff/agencies/ir-sso/webhooks/deliveries/${dead[0].id}`);
  assert.match(detail.body, /redirects are not followed/);
  const replay = await admin.client.post(`/en/staff/agencies/ir-sso/webhooks/deliveries/${dead[0].id}/replay`, {});
  assert.equal(replay.statusCode, 303);
  await drain();
  assert.equal((await t.ctx.webhooks.delivery(dead[0].id, 'ir-sso')).delivery.status, 'delivered');
  assert.equal((await t.ctx.audit.search({ action: 'webhooks.replayed' }))[0].subject, dead[0].id);
  await t.ctx.webhooks.disable(ep.id, 'ir-sso', 'test');
});

test('the API registers endpoints (secret once) and lists dead letters; bad input gets stable codes', async () => {
  const k = await t.ctx.agencyApi.create('ir-nocr', 'hooks', ['webhooks:manage'], 'test');
  const auth = { authorization: `Bearer ${k.key}` };
  const bad = async (payload: object, code: string) => {
    const r = await t.app.inject({ method: 'POST', url: '/api/agency/v1/webhooks', payload, headers: auth });
    assert.equal(r.statusCode, 400);
    assert.equal(r.json().code, code);
  };
  await bad({ url: 'ftp://x.example.ir', events: ['document.issued'] }, 'WEBHOOK_URL_INVALID');
  await bad({ url: rx.url, events: ['nope'] }, 'WEBHOOK_EVENT_UNKNOWN');
  await bad({ url: rx.url, events: [] }, 'WEBHOOK_EVENT_UNKNOWN');
  await bad({ url: rx.url }, 'WEBHOOK_EVENT_UNKNOWN');
  const ok = await t.app.inject({
    method: 'POST',
    url: '/api/agency/v1/webhooks',
    payload: { url: rx.url, events: ['document.issued', 'document.revoked'] },
    headers: auth,
  });
  assert.equal(ok.statusCode, 201);
  assert.match(ok.json().secret, /^whsec_/);
  const list = await t.app.inject({ url: '/api/agency/v1/webhooks', headers: auth });
  assert.ok(list.json().endpoints.some((e: { id: string; secret?: string }) => e.id === ok.json().id && e.secret === undefined));
  assert.equal((await t.app.inject({ url: '/api/agency/v1/webhooks/deliveries?status=bogus', headers: auth })).statusCode, 400);
  assert.equal(
    (await t.app.inject({ method: 'DELETE', url: '/api/agency/v1/webhooks/not-an-id', headers: auth })).json().code,
    'WEBHOOK_NOT_FOUND',
  );
  const foreign = (await t.ctx.webhooks.endpoints('ir-tax'))[0];
  assert.equal(
    (await t.app.inject({ method: 'DELETE', url: `/api/agency/v1/webhooks/${foreign.id}`, headers: auth })).statusCode,
    404,
    'already disabled',
  );

  // Issuing a document emits document.issued to this endpoint.
  rx.received = [];
  rx.secret = ok.json().secret;
  const d = await t.ctx.documents.issue({
    agencyId: 'ir-nocr',
    kind: 'letter',
    lang: 'en',
    title: 'Letter',
    holderName: 'A B',
    fields: [],
  });
  await drain();
  assert.equal(rx.received.length, 1);
  assert.equal(rx.received[0].event, 'document.issued');
  assert.equal(rx.received[0].body.data && (rx.received[0].body.data as { code: string }).code, d.code);
  assert.ok(rx.received[0].signatureOk);
  assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/agency/v1/webhooks/${ok.json().id}`, headers: auth })).statusCode, 204);
});

test('in production mode private targets are refused at registration and at delivery', async () => {
  const p = await testApp({ WEBHOOK_WORKER: false, WEBHOOK_ALLOW_PRIVATE_TARGETS: false });
  try {
    await assert.rejects(p.ctx.webhooks.register('ir-nocr', rx.url, ['document.issued'], 'test'), { code: 'WEBHOOK_URL_PRIVATE' });
    // A row that slipped in (say, from before the rule) is still not delivered to a private address.
    const ep = await p.ctx.webhooks.register('ir-nocr', 'https://hooks.example.invalid/x', ['document.issued'], 'test');
    await p.ctx.database.db.updateTable('webhook_endpoints').set({ url: rx.url }).where('id', '=', ep.id).execute();
    rx.received = [];
    await p.ctx.database.db.transaction().execute((trx) => p.ctx.webhooks.emit(trx, 'ir-nocr', 'document.issued', { x: 1 }));
    await p.ctx.webhookWorker.runOnce();
    const d = (await p.ctx.webhooks.deliveries('ir-nocr'))[0];
    assert.match(d.last_error!, /refused: private/);
    assert.equal(rx.received.length, 0);
  } finally {
    await p.close();
  }
});

test('the worker started with the server delivers on its own, and stops', async () => {
  const w = await testApp({ WEBHOOK_POLL_MS: 20, WEBHOOK_RETRY_BASE_MS: 1 });
  try {
    const ep = await w.ctx.webhooks.register('ir-tax', rx.url, ['message.sent'], 'test');
    rx.secret = ep.secret;
    rx.received = [];
    await w.ctx.database.db.transaction().execute((trx) => w.ctx.webhooks.emit(trx, 'ir-tax', 'message.sent', { n: 1 }));
    for (let i = 0; i < 200 && !rx.received.length; i++) await new Promise((r) => setTimeout(r, 25));
    assert.equal(rx.received.length, 1);
  } finally {
    await w.close();
  }
});
