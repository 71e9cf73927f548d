// Reliability: the real server process (`panjereh serve`) is killed with SIGKILL while a citizen is
// submitting applications with uploads and the notification worker is sending. After a restart:
// every submission that was confirmed exists exactly once with its file intact, at most the one
// submission in flight was also saved, every submitted application has exactly one SMS queued, and
// every queued SMS was sent (a message is sent twice only if the kill fell between the gateway
// accepting it and the row being marked sent: the documented at-least-once window).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { adminQuery, withDatabase } from './helpers/db.ts';
import { openDatabase } from '../src/db/connect.ts';
import { NotificationWorker } from '../src/modules/applications/notifications.ts';
import { FileSmsGateway } from '../src/platform/sms.ts';
import { FileEmailGateway } from '../src/platform/email.ts';

const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'bin', 'panjereh.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'panjereh-kill-'));
const PORT = 4200 + crypto.randomInt(0, 700);
const base = `http://127.0.0.1:${PORT}`;
const env: NodeJS.ProcessEnv = {
  ...process.env,
  LOG_LEVEL: 'silent',
  DATA_DIR: path.join(work, 'data'),
  PORT: String(PORT),
  HOST: '127.0.0.1',
  NODE_ENV: 'development',
  SESSION_SECRET: 'kill-test-secret-kill-test-secret-0123456',
  SMS_GATEWAY: 'file',
  NOTIFICATIONS_POLL_MS: '50',
  RATE_LIMIT_MAX: '1000000',
  SEED_DEMO: 'never',
};
let dropDatabase = async () => {};
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4a20000000049454e44ae426082',
  'hex',
);
const SLUG = 'get-a-food-handler-health-card';

before(async () => {
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `${new URL(url).pathname.slice(1)}_kill_${crypto.randomBytes(3).toString('hex')}`;
    await adminQuery(url, `create database "${name}"`);
    env.DATABASE_URL = withDatabase(url, name);
    dropDatabase = () => adminQuery(url, `drop database if exists "${name}" with (force)`);
  }
  const r = spawnSync(process.execPath, [bin, 'seed', 'demo'], { env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});
after(async () => {
  await dropDatabase();
  fs.rmSync(work, { recursive: true, force: true });
});

async function start(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [bin, 'serve'], { env, stdio: 'ignore' });
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error('server exited');
    try {
      if ((await fetch(`${base}/healthz`)).ok) return child;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

/** A browser without JavaScript: cookies and the latest CSRF token. */
function browser() {
  const jar = new Map<string, string>();
  let token = '';
  const req = async (method: string, p: string, body?: BodyInit, type?: string) => {
    const res = await fetch(base + p, {
      method,
      body,
      redirect: 'manual',
      headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '), ...(type ? { 'content-type': type } : {}) },
    });
    for (const c of res.headers.getSetCookie()) {
      const [kv] = c.split(';');
      const i = kv.indexOf('=');
      jar.set(kv.slice(0, i), kv.slice(i + 1));
    }
    const text = await res.text();
    const m = /name="_csrf" value="([^"]+)"/.exec(text);
    if (m) token = m[1];
    return { status: res.status, location: res.headers.get('location') ?? '', text };
  };
  const form = (o: Record<string, string>) => new URLSearchParams({ _csrf: token, ...o }).toString();
  const post = (p: string, o: Record<string, string>) => req('POST', p, form(o), 'application/x-www-form-urlencoded');
  return {
    req,
    post,
    get token() {
      return token;
    },
  };
}

async function signIn(b: ReturnType<typeof browser>) {
  await b.req('GET', '/fa/sign-in');
  const r = await b.post('/fa/sign-in', { nationalId: '0499370899', mobile: '09125550101', next: '/fa/applications' });
  assert.equal(r.status, 303);
  await b.req('GET', r.location);
  const sms = fs
    .readFileSync(path.join(env.DATA_DIR!, 'outbox', 'sms.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .at(-1);
  const done = await b.post('/fa/sign-in/code', { code: /\d{6}/.exec(sms.text)![0], next: '/fa/applications' });
  assert.equal(done.status, 303);
}

/** One whole application; resolves with its id once the submit was confirmed (303 to the confirmation). */
async function applyOnce(b: ReturnType<typeof browser>): Promise<string> {
  await b.req('GET', `/fa/services/${SLUG}/apply`);
  const started = await b.post(`/fa/services/${SLUG}/apply`, {});
  if (started.status !== 303) throw new Error(`start ${started.status}`);
  const app = started.location;
  await b.post(`${app}/questions/name`, { fullName: 'زهرا کریمی' });
  await b.post(`${app}/questions/workplace`, { workplace: 'رستوران گلستان', workplacePostcode: '1317653718' });
  const fd = new FormData();
  fd.append('_csrf', b.token);
  fd.append('photo', new Blob([PNG], { type: 'image/png' }), 'photo.png');
  const up = await b.req('POST', `${app}/questions/photo`, fd);
  if (up.status !== 303) throw new Error(`upload ${up.status}`);
  const check = await b.req('GET', `${app}/check`);
  const token = /name="submissionToken" value="([^"]+)"/.exec(check.text)?.[1];
  if (!token) throw new Error('no submit form');
  const done = await b.post(`${app}/submit`, { submissionToken: token });
  if (done.status !== 303 || !done.location.endsWith('/confirmation')) throw new Error(`submit ${done.status}`);
  return app.split('/').pop()!;
}

/** Submits in a loop until the server dies; returns the confirmed application ids. */
async function submitUntilDead(b: ReturnType<typeof browser>, confirmed: string[], server: ChildProcess, killAfter: number) {
  setTimeout(() => server.kill('SIGKILL'), killAfter);
  while (server.exitCode === null && server.signalCode === null) {
    try {
      confirmed.push(await applyOnce(b));
    } catch {
      /* the connection broke: the server was killed */
    }
  }
}

test(
  'SIGKILL during submissions: confirmed applications exist exactly once with their files; notifications neither lost nor duplicated',
  { timeout: 240_000 },
  async () => {
    const confirmed: string[] = [];
    let server = await start();
    const b = browser();
    await signIn(b);
    await submitUntilDead(b, confirmed, server, 2500);
    const beforeSecondKill = confirmed.length;
    server = await start();
    await submitUntilDead(b, confirmed, server, 1800);
    assert.ok(
      confirmed.length > beforeSecondKill && beforeSecondKill > 0,
      `submissions confirmed on both runs (${beforeSecondKill}, ${confirmed.length})`,
    );
    // a last clean run lets the worker send what is still queued, then a normal stop
    server = await start();
    confirmed.push(await applyOnce(b));
    await new Promise((r) => setTimeout(r, 1500));
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));

    const h = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR! });
    try {
      // A row a killed worker had claimed stays leased for LEASE_SECONDS. Let that time pass (move the
      // leases to now) and let a worker run until nothing is due: nothing claimed by a dead process is lost.
      await h.db.updateTable('notification_outbox').set({ next_attempt_at: new Date() }).where('status', '=', 'pending').execute();
      const worker = new NotificationWorker(h.db, new FileSmsGateway(env.DATA_DIR!), new FileEmailGateway(env.DATA_DIR!));
      while ((await worker.runOnce()) > 0);
      const apps = await h.db.selectFrom('applications').selectAll().where('status', '=', 'submitted').execute();
      const ids = new Set(apps.map((a) => a.id));
      for (const id of confirmed) assert.ok(ids.has(id), `confirmed application ${id} is in the database`);
      assert.equal(new Set(confirmed).size, confirmed.length, 'no confirmed id twice');
      assert.ok(
        apps.length <= confirmed.length + 2,
        `at most the submission in flight at each kill was saved without its confirmation (${apps.length} saved, ${confirmed.length} confirmed)`,
      );
      assert.equal(new Set(apps.map((a) => a.reference)).size, apps.length);
      const drafts = await h.db.selectFrom('applications').select('id').where('status', '=', 'draft').execute();
      assert.ok(drafts.length <= 1, 'one draft per service at most');
      // files: every submitted application's photo is stored, whole, with its recorded hash
      for (const a of apps) {
        const photo = a.answers.photo as { fileId: string; sha256: string };
        const f = await h.db.selectFrom('application_files').selectAll().where('id', '=', photo.fileId).executeTakeFirstOrThrow();
        const content = fs.readFileSync(path.join(env.DATA_DIR!, 'files', f.storage_key));
        assert.equal(crypto.createHash('sha256').update(content).digest('hex'), f.sha256);
        assert.equal(f.sha256, photo.sha256);
      }
      // notifications: one row per submitted application, all sent; duplicates only inside the window
      const outbox = await h.db.selectFrom('notification_outbox').selectAll().where('channel', '=', 'sms').execute();
      assert.equal(outbox.length, apps.length);
      const sms = fs
        .readFileSync(path.join(env.DATA_DIR!, 'outbox', 'sms.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { text: string });
      for (const a of apps) {
        const row = outbox.find((o) => o.body.includes(a.reference!))!;
        assert.ok(row, `an SMS is queued for ${a.reference}`);
        assert.equal(row.status, 'sent', `the SMS for ${a.reference} was sent`);
        const copies = sms.filter((m) => m.text.includes(a.reference!)).length;
        assert.ok(copies >= 1, `the SMS for ${a.reference} reached the gateway`);
        if (copies > 1) assert.ok(row.attempts > 1, `a second copy of ${a.reference} only after a retried attempt`);
      }
    } finally {
      await h.close();
    }
  },
);
