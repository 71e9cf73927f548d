// Reliability of card payments: the real server process (`panjereh serve`) is killed with SIGKILL after
// the citizen paid at the bank and the bank's callback arrived, while the server is waiting for the
// gateway's verify answer (the sandbox bank is made slow, so the kill lands inside that call). The bank
// has the money; the platform has not recorded it. After a restart the inquiry job asks the gateway and
// finishes the payment: the application is paid exactly once (one successful payment, one confirmation
// in the ledger, one payment.succeeded event), the bank settles it once, and a replay of the bank's
// callback afterwards changes nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { adminQuery, withDatabase } from './helpers/db.ts';
import { citizenSession } from './helpers/people.ts';
import { freePort } from './helpers/cluster.ts';
import { openDatabase } from '../src/db/connect.ts';
import { loadConfig } from '../src/config.ts';
import { buildApp } from '../src/server.ts';
import { startSandboxBank, type SandboxBank } from '../src/modules/payments/sandbox/sandbox.server.ts';

const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'bin', 'panjereh.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'panjereh-paykill-'));
const SLUG = 'replace-birth-certificate';
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
  fee: { due: 'submission', rule: { kind: 'fixed', amount: 1000000 } },
};
let env: NodeJS.ProcessEnv = {};
let base = '';
let bank: SandboxBank;
let server: ChildProcess | null = null;
let stderr = '';
let dropDatabase = async () => {};
let applicationId = '';
let cookie = '';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alive = () => server !== null && server.exitCode === null && server.signalCode === null;

async function until<T>(what: string, ms: number, check: () => T | Promise<T>): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${stderr.slice(-2000)}`);
    await sleep(50);
  }
}

async function startServer(): Promise<void> {
  stderr = '';
  server = spawn(process.execPath, [bin, 'serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  server.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  await until('the server to answer', 60_000, async () => (await fetch(`${base}/healthz`).catch(() => null))?.ok);
}

async function stopServer(signal: NodeJS.Signals): Promise<void> {
  const s = server;
  if (!s || !alive()) return;
  const exited = new Promise((r) => s.once('exit', r));
  s.kill(signal);
  await exited;
}

before(async () => {
  bank = await startSandboxBank(0);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  env = {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    DATA_DIR: path.join(work, 'data'),
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: base,
    SESSION_SECRET: 'paykill-test-secret-paykill-test-secret-01',
    SMS_GATEWAY: 'file',
    RATE_LIMIT_MAX: '1000000',
    SEED_DEMO: 'never',
    REDIS_URL: '',
    EXCHANGE_PORT: '0',
    EXCHANGE_DEMO_REGISTRY_PORT: '0',
    NOTIFICATIONS_WORKER: 'false',
    WEBHOOK_WORKER: 'false',
    MONITORING_CHECK_WORKER: 'false',
    PAYMENTS_GATEWAY: 'sandbox',
    PAYMENTS_GATEWAY_URL: bank.url,
    PAYMENTS_SANDBOX_PORT: '0',
    PAYMENTS_JOBS: 'true',
    PAYMENTS_JOBS_INTERVAL_SECONDS: '1',
    PAYMENTS_INQUIRY_AFTER_SECONDS: '1',
  };
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `${new URL(url).pathname.slice(1)}_paykill_${crypto.randomBytes(3).toString('hex')}`;
    await adminQuery(url, `create database "${name}"`);
    env.DATABASE_URL = withDatabase(url, name);
    dropDatabase = () => adminQuery(url, `drop database if exists "${name}" with (force)`);
  } else delete env.DATABASE_URL;
  const seeded = spawnSync(process.execPath, [bin, 'seed', 'demo'], { env, encoding: 'utf8' });
  assert.equal(seeded.status, 0, seeded.stderr);
  // A fee on the form and a submitted application, made in this process before the server starts (an
  // embedded database has one process at a time).
  const h = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR! });
  try {
    const { app, ctx } = await buildApp(loadConfig({ ...env, LOG_LEVEL: 'silent' } as Record<string, string>), h);
    const published = await ctx.applications.publishForm(FORM, 'test');
    assert.ok(published.ok, JSON.stringify(published));
    const who = await citizenSession(ctx);
    cookie = who.cookie;
    const citizen = { id: who.id, national_id: who.nationalId, mobile: who.mobile };
    const d = await ctx.applications.startDraft(citizen, SLUG, 'fa');
    await ctx.applications.saveAnswers(d, { reason: 'lost' });
    const r = await ctx.applications.submit(citizen, d.id, d.submission_token);
    assert.ok('app' in r);
    applicationId = d.id;
    await app.close();
    await ctx.exchange.close();
  } finally {
    await h.close();
  }
});

after(async () => {
  if (alive()) server?.kill('SIGKILL');
  await bank?.close();
  await dropDatabase();
  fs.rmSync(work, { recursive: true, force: true });
});

/** A browser without JavaScript for the signed-in citizen: cookies and the latest CSRF token. */
function browser() {
  const jar = new Map<string, string>(cookie.split('; ').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  let token = '';
  const req = async (method: string, p: string, form?: Record<string, string>) => {
    const res = await fetch(p.startsWith('http') ? p : base + p, {
      method,
      redirect: 'manual',
      body: form ? new URLSearchParams(form).toString() : undefined,
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
    });
    for (const c of res.headers.getSetCookie()) {
      const [kv] = c.split(';');
      jar.set(kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1));
    }
    const text = await res.text();
    const m = /name="_csrf" value="([^"]+)"/.exec(text);
    if (m) token = m[1];
    return { status: res.status, location: res.headers.get('location') ?? '', text };
  };
  return { req, post: (p: string, o: Record<string, string>) => req('POST', p, { _csrf: token, ...o }) };
}

test(
  'the server is killed while verifying a paid card payment: after a restart the inquiry job finishes it, paid once, settled once',
  { timeout: 180_000 },
  async () => {
    await startServer();
    const b = browser();
    const payPath = `/fa/applications/${applicationId}/pay`;
    assert.equal((await b.req('GET', payPath)).status, 200);
    const handOver = await b.post(payPath, {});
    assert.equal(handOver.status, 200, handOver.text.slice(0, 500));
    const gatewayToken = /name="token" value="([^"]+)"/.exec(handOver.text)?.[1];
    assert.ok(gatewayToken, 'the hand-over page carries the gateway token');

    // The citizen pays at the bank; the bank will now answer its API slowly, so the server's verify call
    // is still waiting when the process is killed.
    const paid = bank.pay(gatewayToken, '6037990000000001');
    assert.ok(paid.fields, 'the success card sends the citizen back');
    bank.switches.slowMs = 3000;
    const verifiesBefore = bank.calls.filter((c) => c.op === 'verify').length;
    const callback = fetch(paid.callbackUrl, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams(paid.fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    }).catch(() => null);
    await until('the server to call verify', 10_000, () => bank.calls.filter((c) => c.op === 'verify').length > verifiesBefore);
    await stopServer('SIGKILL');
    assert.equal((await callback)?.status ?? 0, 0, 'the callback got no answer: the process died inside it');
    bank.switches.slowMs = 0;
    const txn = bank.transactions.get(gatewayToken);
    assert.ok(txn);
    await until('the bank to finish the verify it had received', 10_000, () => txn.state === 'verified');

    // Restart: nothing in the platform says "paid" yet; the inquiry job asks the bank and finishes it.
    await startServer();
    await until('the payment to be settled at the bank', 60_000, () => txn.state === 'settled');
    await sleep(1500); // two more job passes: nothing more may happen
    // The bank's callback replayed (the citizen pressing "return to the merchant" again) changes nothing.
    const replay = await fetch(paid.callbackUrl, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams(paid.fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(replay.status, 303, await replay.text());
    const outcome = await b.req('GET', new URL(replay.headers.get('location') ?? '', base).pathname);
    assert.equal(outcome.status, 200);
    await stopServer('SIGTERM');

    const h = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR! });
    try {
      const payments = await h.db.selectFrom('payments').selectAll().where('application_id', '=', applicationId).execute();
      assert.equal(payments.length, 1, 'one payment');
      const [p] = payments;
      assert.equal(p.status, 'success');
      assert.equal(p.reference, txn.reference);
      assert.ok(p.settled_at, 'settled');
      assert.equal(p.duplicate, false);
      const ledger = await h.db.selectFrom('payment_ledger').select(['kind', 'amount']).where('payment_id', '=', p.id).execute();
      assert.deepEqual(
        ledger.filter((l) => l.kind === 'confirmation').map((l) => Number(l.amount)),
        [1000000],
        'one confirmation of the whole fee',
      );
      assert.equal(ledger.filter((l) => l.kind === 'reversal' || l.kind === 'refund').length, 0, 'nothing reversed or refunded');
      const paidRows = await h.db.selectFrom('paid_applications').selectAll().where('application_id', '=', applicationId).execute();
      assert.equal(paidRows.length, 1);
      const events = await h.db
        .selectFrom('application_events')
        .select('type')
        .where('application_id', '=', applicationId)
        .where('type', '=', 'payment.succeeded')
        .execute();
      assert.equal(events.length, 1, 'one payment.succeeded event (timeline, e-box, SMS, webhook)');
    } finally {
      await h.close();
    }
    assert.equal(bank.calls.filter((c) => c.op === 'settle').length >= 1, true);
    assert.equal(bank.calls.filter((c) => c.op === 'reverse').length, 0, 'the paid money was never reversed');
  },
);
