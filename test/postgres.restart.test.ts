// Reliability: PostgreSQL restarts (pg_ctl -m fast stop, then start) while citizens submit applications
// to the real server process (`panjereh serve`). The server must stay up: during the outage requests get
// a 503 (a page or a JSON problem with Retry-After) and /healthz says the database is down; once
// PostgreSQL is back the server serves again by itself within 10 s, every confirmed application exists
// exactly once, a submission refused during the outage can be sent again without a duplicate, and the
// workers resume: the notification and webhook workers deliver what was queued, the exchange signs and
// rolls up its message log, and the audit log's chain still verifies.
//
// The test makes its own PostgreSQL cluster (initdb on a free port) and never touches the shared server.
// It runs in the PostgreSQL pass of CI (DATABASE_URL set), so once per CI run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { adminQuery, buildTemplate } from './helpers/db.ts';
import { freePort, privateCluster, type Cluster } from './helpers/cluster.ts';
import { nationalId } from './helpers/people.ts';
import { openDatabase } from '../src/db/connect.ts';
import { loadConfig } from '../src/config.ts';
import { buildApp } from '../src/server.ts';
import { AuditLog } from '../src/platform/audit.ts';
import { startDemoRegistries } from '../src/modules/exchange/exchange.runtime.ts';

// In the PostgreSQL pass only (once per CI run); there the PostgreSQL binaries must be installed (initdb).
const enabled = !!process.env.DATABASE_URL;
const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'bin', 'panjereh.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'panjereh-pgrestart-'));
const SLUG = 'get-a-food-handler-health-card';
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4a20000000049454e44ae426082',
  'hex',
);
const CITIZENS = 3;
let cluster: Cluster | null = null;
let server: ChildProcess | null = null;
let stderr = '';
let env: NodeJS.ProcessEnv = {};
let base = '';
let exchangePort = 0;
let cert: { keyPem: string; certPem: string; caPem: string };
let registries: Awaited<ReturnType<typeof startDemoRegistries>> | null = null;
/** Webhook deliveries received (the agency's system), by application reference. */
const hooks: string[] = [];
const receiver = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    const ref = (JSON.parse(body) as { data?: { reference?: string } }).data?.reference;
    if (ref) hooks.push(ref);
    res.writeHead(204).end();
  });
});

before(async () => {
  if (!enabled) return;
  cluster = await privateCluster();
  cluster.start();
  await adminQuery(cluster.url(), 'create database panjereh');
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  env = {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    DATABASE_URL: cluster.url('panjereh'),
    DATA_DIR: path.join(work, 'data'),
    PORT: String(port),
    HOST: '127.0.0.1',
    SESSION_SECRET: 'restart-test-secret-restart-test-secret-01',
    SMS_GATEWAY: 'file',
    NOTIFICATIONS_POLL_MS: '100',
    RATE_LIMIT_MAX: '1000000',
    SEED_DEMO: 'never',
    REDIS_URL: '',
    EXCHANGE_PORT: String((exchangePort = await freePort())),
    WEBHOOK_POLL_MS: '100',
    // A delivery whose attempt failed while PostgreSQL was away is retried after this (1 s, not 30 s).
    WEBHOOK_RETRY_BASE_MS: '1000',
    EXCHANGE_LOG_SIGN_MS: '200',
    EXCHANGE_DEMO_REGISTRY_PORT: '0',
    DATABASE_POOL_SIZE: '5',
  };
  await buildTemplate({ databaseUrl: env.DATABASE_URL }); // migrated, with the demo catalogue and forms
  // The agency behind the service subscribes to submissions; an exchange client gets a certificate and
  // the civil registry a real upstream.
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  registries = await startDemoRegistries(0);
  const h = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR! });
  try {
    const { app, ctx } = await buildApp(loadConfig({ ...env, LOG_LEVEL: 'silent' } as Record<string, string>), h);
    const service = await h.db.selectFrom('services').select('agency_id').where('slug', '=', SLUG).executeTakeFirstOrThrow();
    await ctx.webhooks.register(
      service.agency_id,
      `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hooks`,
      ['application.submitted'],
      'test',
    );
    cert = await ctx.exchange.issueCert('test', 'GOV/TAX/PORTAL');
    await h.db
      .updateTable('exchange_services')
      .set({ upstream_url: `http://127.0.0.1:${registries.civil}` })
      .where('id', '=', 'GOV/NOCR/REGISTRY/person')
      .execute();
    await app.close();
    await ctx.exchange.close();
  } finally {
    await h.close();
  }
});
after(async () => {
  server?.kill('SIGKILL');
  receiver.close();
  await registries?.stop();
  cluster?.destroy();
  fs.rmSync(work, { recursive: true, force: true });
});

const alive = () => server !== null && server.exitCode === null && server.signalCode === null;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
    return { status: res.status, location: res.headers.get('location') ?? '', text, headers: res.headers };
  };
  const post = (p: string, o: Record<string, string>) =>
    req('POST', p, new URLSearchParams({ _csrf: token, ...o }).toString(), 'application/x-www-form-urlencoded');
  return {
    req,
    post,
    get token() {
      return token;
    },
  };
}
type Browser = ReturnType<typeof browser>;

const smsLines = () => {
  const file = path.join(env.DATA_DIR!, 'outbox', 'sms.jsonl');
  return fs.existsSync(file)
    ? fs
        .readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { to: string; text: string })
    : [];
};

async function signIn(b: Browser, n: number) {
  const mobile = `0912555${String(1000 + n)}`;
  await b.req('GET', '/fa/sign-in');
  const r = await b.post('/fa/sign-in', { nationalId: nationalId(4242 + n), mobile, next: '/fa/applications' });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  await b.req('GET', r.location);
  const sms = smsLines()
    .filter((m) => m.to.endsWith(mobile.slice(1)))
    .at(-1);
  assert.ok(sms, 'the sign-in code was sent');
  const done = await b.post('/fa/sign-in/code', { code: /\d{6}/.exec(sms.text)![0], next: '/fa/applications' });
  assert.equal(done.status, 303);
}

/**
 * One citizen submitting applications one after another until `stop()`. A submit that fails (the
 * database is away) is sent again with the same token, as a citizen pressing the button again would.
 */
function citizen(b: Browser, stop: () => boolean) {
  const confirmed: string[] = [];
  let failures = 0;
  let pending: { app: string; token: string } | null = null;
  const once = async () => {
    if (!pending) {
      await b.req('GET', `/fa/services/${SLUG}/apply`);
      const started = await b.post(`/fa/services/${SLUG}/apply`, {});
      if (started.status !== 303) throw new Error(`start ${started.status}`);
      const app = started.location;
      if ((await b.post(`${app}/questions/name`, { fullName: 'زهرا کریمی' })).status !== 303) throw new Error('name');
      if ((await b.post(`${app}/questions/workplace`, { workplace: 'رستوران گلستان', workplacePostcode: '1317653718' })).status !== 303)
        throw new Error('workplace');
      const fd = new FormData();
      fd.append('_csrf', b.token);
      fd.append('photo', new Blob([PNG], { type: 'image/png' }), 'photo.png');
      if ((await b.req('POST', `${app}/questions/photo`, fd)).status !== 303) throw new Error('upload');
      const check = await b.req('GET', `${app}/check`);
      const token = /name="submissionToken" value="([^"]+)"/.exec(check.text)?.[1];
      if (!token) throw new Error('no submit form');
      pending = { app, token };
    }
    const done = await b.post(`${pending.app}/submit`, { submissionToken: pending.token });
    if (done.status !== 303 || !done.location.endsWith('/confirmation')) throw new Error(`submit ${done.status}`);
    confirmed.push(pending.app.split('/').pop()!);
    pending = null;
  };
  const loop = (async () => {
    while (!stop()) {
      try {
        await once();
      } catch {
        failures++;
        await sleep(50);
      }
    }
    // A submit still unanswered when the load stops is sent once more, as its citizen would.
    for (let i = 0; pending && i < 20; i++) await once().catch(() => sleep(100));
  })();
  return {
    confirmed,
    get failures() {
      return failures;
    },
    loop,
  };
}

/** One call through the exchange (mutual TLS) to the civil registry; resolves with the HTTP status. */
function exchangeCall(id: string): Promise<number> {
  return new Promise((resolve) => {
    const req = https.get(
      {
        host: '127.0.0.1',
        port: exchangePort,
        path: '/r1/IR/GOV/NOCR/REGISTRY/person/persons/0499370899',
        key: cert.keyPem,
        cert: cert.certPem,
        ca: cert.caPem,
        agent: false,
        headers: { 'x-road-client': 'IR/GOV/TAX/PORTAL', 'x-road-id': id },
      },
      (r) => {
        r.resume();
        r.on('end', () => resolve(r.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
  });
}

/** Polls `check` every 100 ms for up to `ms`; resolves with its last value. */
async function eventually<T>(ms: number, check: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (done(v) || Date.now() > until) return v;
    await sleep(100);
  }
}

async function startServer(): Promise<void> {
  server = spawn(process.execPath, [bin, 'serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  server.stderr!.on('data', (c: Buffer) => void (stderr += c.toString()));
  for (let i = 0; i < 300; i++) {
    if (!alive()) throw new Error(`server exited: ${stderr}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      /* not up yet */
    }
    await sleep(100);
  }
  throw new Error('server did not start');
}

test(
  'PostgreSQL restarts under load: the server stays up, answers 503 meanwhile, recovers by itself, loses and duplicates nothing',
  { skip: !enabled && 'runs in the PostgreSQL pass (DATABASE_URL set): it makes its own cluster with initdb', timeout: 120_000 },
  async () => {
    await startServer();
    const browsers = Array.from({ length: CITIZENS }, () => browser());
    for (const [n, b] of browsers.entries()) await signIn(b, n);
    let stopping = false;
    const citizens = browsers.map((b) => citizen(b, () => stopping || !alive()));
    const total = () => citizens.reduce((s, c) => s + c.confirmed.length, 0);
    for (let i = 0; total() < 2 * CITIZENS && i < 300; i++) await sleep(100);
    assert.ok(total() >= 2 * CITIZENS, `submissions were confirmed before the restart (${total()})`);
    assert.equal(await exchangeCall('restart-before'), 200, 'the exchange answers before the restart');

    // PostgreSQL goes away with the load running.
    cluster!.stop();
    const confirmedBefore = total();
    await sleep(1000);
    assert.ok(alive(), `the server is still running after PostgreSQL stopped:\n${stderr.slice(-3000)}`);
    const health = await fetch(`${base}/healthz`);
    assert.equal(health.status, 503);
    assert.equal(((await health.json()) as { code: string }).code, 'DATABASE_UNAVAILABLE');

    const page = await browsers[0].req('GET', '/fa/applications');
    assert.equal(page.status, 503, 'a page that needs the database says the service is unavailable');
    assert.match(page.text, /lang="fa"/);
    assert.match(page.text, /موقتاً در دسترس نیست/);
    assert.ok(Number(page.headers.get('retry-after')) > 0, 'Retry-After on the page');
    const pageEn = await browsers[1].req('GET', '/en/applications');
    assert.equal(pageEn.status, 503);
    assert.match(pageEn.text, /temporarily unavailable/);
    const api = await fetch(`${base}/api/agency/v1/me`, { headers: { authorization: `Bearer pjk_0123456789ab_${'x'.repeat(43)}` } });
    assert.equal(api.status, 503);
    assert.match(api.headers.get('content-type') ?? '', /json/);
    assert.equal(((await api.json()) as { code: string }).code, 'DATABASE_UNAVAILABLE');
    assert.ok(Number(api.headers.get('retry-after')) > 0, 'Retry-After on the API');
    assert.equal(
      await exchangeCall('restart-during'),
      503,
      'the exchange refuses with 503 (and Retry-After) while its message log is unavailable',
    );
    await sleep(1000); // the load and the workers keep knocking on a closed door for a while
    assert.ok(alive(), `the server is still running during the outage:\n${stderr.slice(-3000)}`);

    // PostgreSQL returns: the same process serves again within 10 s, with no restart.
    cluster!.start();
    const back = Date.now();
    let recovered = -1;
    while (Date.now() - back < 10_000) {
      if ((await fetch(`${base}/healthz`).catch(() => null))?.status === 200) {
        recovered = Date.now() - back;
        break;
      }
      await sleep(100);
    }
    assert.ok(recovered >= 0, '/healthz is OK within 10 s of PostgreSQL returning');
    for (let i = 0; total() < confirmedBefore + 2 * CITIZENS && i < 300 && alive(); i++) await sleep(100);
    stopping = true;
    await Promise.all(citizens.map((c) => c.loop));
    assert.ok(alive(), `the server is still running:\n${stderr.slice(-3000)}`);
    assert.ok(
      total() >= confirmedBefore + 2 * CITIZENS,
      `submissions are confirmed again after the restart (${confirmedBefore} before, ${total()} in all)`,
    );
    assert.equal(await exchangeCall('restart-after'), 200, 'the exchange answers after the restart');

    const confirmed = citizens.flatMap((c) => c.confirmed);
    const h = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR! });
    try {
      const apps = await h.db.selectFrom('applications').select(['id', 'reference']).where('status', '=', 'submitted').execute();
      const ids = new Set(apps.map((a) => a.id));
      for (const id of confirmed) assert.ok(ids.has(id), `confirmed application ${id} is in the database`);
      assert.equal(new Set(confirmed).size, confirmed.length, 'no application confirmed twice');
      // A submit cut off by the stop may have been committed without its answer; the citizen sent it
      // again and got it confirmed (the same application), so nothing is saved beyond what was confirmed.
      assert.equal(
        apps.length,
        confirmed.length,
        `every submitted application was confirmed once (${apps.length} saved, ${confirmed.length} confirmed)`,
      );
      assert.equal(new Set(apps.map((a) => a.reference)).size, apps.length);
      // The notification worker failed its passes during the outage and resumed: every SMS is sent. A row
      // whose claim committed as the connection was cut stays leased for LEASE_SECONDS (then any worker
      // takes it again); let that time pass by moving such leases to now.
      await h.db
        .updateTable('notification_outbox')
        .set({ next_attempt_at: new Date() })
        .where('status', '=', 'pending')
        .where('attempts', '>', 0)
        .execute();
      // The same for webhook deliveries: one claimed as the connection was cut keeps its lease (50 s), one
      // whose attempt failed for the database waits its back-off; both are due now.
      await h.db
        .updateTable('webhook_deliveries')
        .set({ next_attempt_at: new Date() })
        .where('status', '=', 'pending')
        .where('attempts', '>', 0)
        .execute();
      const unsent = await eventually(
        10_000,
        async () =>
          (await h.db.selectFrom('notification_outbox').select('id').where('channel', '=', 'sms').where('status', '!=', 'sent').execute())
            .length,
        (n) => n === 0,
      );
      assert.equal(unsent, 0, 'the notification worker sent every queued SMS after the restart');
      const sms = smsLines();
      // Exactly once: a message the gateway accepted while its row could not be marked sent is marked
      // once the database is back, not sent again.
      for (const a of apps)
        assert.equal(sms.filter((m) => m.text.includes(a.reference!)).length, 1, `the SMS for ${a.reference} reached the gateway once`);
      // The webhook worker delivered every submission to the agency's system.
      await eventually(
        10_000,
        async () => apps.filter((a) => !hooks.includes(a.reference!)).length,
        (n) => n === 0,
      );
      for (const a of apps) assert.ok(hooks.includes(a.reference!), `the webhook for ${a.reference} was delivered`);
      // The exchange's log signing and statistics roll-up resumed: the call made after the restart is
      // covered by a signed batch and counted in the roll-up (it runs every 5 s).
      const seq = Number(
        (await h.db.selectFrom('exchange_log').select('seq').where('x_road_id', '=', 'restart-after').executeTakeFirstOrThrow()).seq,
      );
      const signed = await eventually(
        10_000,
        async () =>
          Number(
            (
              await h.db
                .selectFrom('exchange_log_batches')
                .select((eb) => eb.fn.max('to_seq').as('m'))
                .executeTakeFirst()
            )?.m ?? 0,
          ),
        (m) => m >= seq,
      );
      assert.ok(signed >= seq, `the message log was signed after the restart (batch up to ${signed}, record ${seq})`);
      const rolled = await eventually(
        12_000,
        async () =>
          Number(
            (await h.db.selectFrom('exchange_stats_state').select('rolled_seq').where('id', '=', 1).executeTakeFirst())?.rolled_seq ?? 0,
          ),
        (m) => m >= seq,
      );
      assert.ok(rolled >= seq, `the statistics roll-up ran after the restart (rolled up to ${rolled}, record ${seq})`);
      // The audit log's group commit failed during the outage and carried on: its chain verifies.
      const audit = await new AuditLog(h.db).verify();
      assert.equal(audit.ok, true, JSON.stringify(audit));
    } finally {
      await h.close();
    }
    server!.kill('SIGTERM');
    const code = await new Promise((r) => server!.once('exit', (c) => r(c)));
    assert.equal(code, 0, 'a clean shutdown after the restart');
    server = null;
    const failures = citizens.reduce((s, c) => s + c.failures, 0);
    process.stdout.write(
      `# ${confirmedBefore} confirmed before the stop, ${confirmed.length} in all, ${failures} refused steps during the outage; /healthz OK ${recovered} ms after PostgreSQL returned\n`,
    );
  },
);
