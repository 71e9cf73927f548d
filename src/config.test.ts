import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import os from 'node:os';
import fs from 'node:fs';
import { checkProductionConfig, describeConfig, loadConfig } from './config.ts';

test('defaults give an embedded database in ./data on port 3000, Persian first', () => {
  const c = loadConfig({});
  assert.equal(c.PORT, 3000);
  assert.equal(c.DATABASE_URL, undefined);
  assert.match(c.DATA_DIR, /data$/);
  assert.equal(c.DEFAULT_LANG, 'fa');
});

test('every problem is reported at once, naming the variable', () => {
  assert.throws(
    () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', SEED_DEMO: 'sometimes', REDIS_URL: 'not a url' }),
    (e: Error) =>
      /PORT must be a whole number/.test(e.message) &&
      /DATABASE_URL must start with postgres:/.test(e.message) &&
      /SEED_DEMO must be one of/.test(e.message) &&
      /REDIS_URL must be a URL/.test(e.message),
  );
  assert.throws(() => loadConfig({ PORT: '70000' }), /PORT must be between 0 and 65535/);
});

test('every variable is documented', () => {
  for (const v of describeConfig()) assert.ok(v.description.length > 10, v.name);
});

test('outside production the session secret is made once per data folder and kept', async () => {
  const { default: os } = await import('node:os');
  const { default: fs } = await import('node:fs');
  const { default: path } = await import('node:path');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-'));
  const a = loadConfig({ DATA_DIR: dir });
  const b = loadConfig({ DATA_DIR: dir });
  assert.equal(a.SESSION_SECRET, b.SESSION_SECRET);
  assert.ok(a.SESSION_SECRET!.length >= 32);
  assert.equal(fs.statSync(path.join(dir, '.session-secret')).mode & 0o777, 0o600);
  assert.throws(
    () => loadConfig({ DATA_DIR: dir, NODE_ENV: 'production', SMS_HTTP_URL: 'https://sms.example/send' }),
    /SESSION_SECRET is required in production/,
  );
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A production environment with every requirement met (nothing here is contacted). */
const PROD: NodeJS.ProcessEnv = {
  NODE_ENV: 'production',
  SESSION_SECRET: 'p'.repeat(40),
  PUBLIC_URL: 'https://window.example.ir',
  DATABASE_URL: 'postgres://panjereh@db.example.ir/panjereh',
  SMS_HTTP_URL: 'https://sms.example.ir/send',
  SMTP_URL: 'smtps://mailer:pw@mail.example.ir:465',
  MOBILE_OWNERSHIP_CHECK: 'exchange',
};

test('production with every requirement met starts, with production defaults (no demo data, no development adapters)', () => {
  const c = loadConfig(PROD);
  assert.equal(c.MOBILE_OWNERSHIP_CHECK, 'exchange');
  assert.equal(c.SMS_GATEWAY, 'http');
  assert.equal(c.SEED_DEMO, 'never');
  assert.equal(c.PUBLIC_URL, 'https://window.example.ir');
  assert.equal(c.WEBHOOK_ALLOW_PRIVATE_TARGETS, false);
});

test('production refuses every development-only adapter, listing all of them at once', () => {
  // The defaults alone: mobile ownership from the development rule, no PUBLIC_URL, no secret, demo data, PGlite, email to a file.
  assert.throws(
    () => loadConfig({ NODE_ENV: 'production', SMS_HTTP_URL: 'https://sms.example.ir/send' }),
    (e: Error) =>
      /MOBILE_OWNERSHIP_CHECK=development \(the default\)/.test(e.message) &&
      /PUBLIC_URL is required in production/.test(e.message) &&
      /SESSION_SECRET is required in production/.test(e.message) &&
      /SMTP_URL is required in production/.test(e.message) &&
      /DATABASE_URL is required in production/.test(e.message),
  );
  // Each development adapter named explicitly is refused too, and all in one message.
  assert.throws(
    () =>
      loadConfig({
        ...PROD,
        MOBILE_OWNERSHIP_CHECK: 'development',
        SMS_GATEWAY: 'file',
        GOVSTACK_ACCESS: 'open',
        SEED_DEMO: 'auto',
        PUBLIC_URL: 'http://window.example.ir',
      }),
    (e: Error) =>
      /MOBILE_OWNERSHIP_CHECK=development lets anyone sign in as any citizen/.test(e.message) &&
      /SMS_GATEWAY=file/.test(e.message) &&
      /GOVSTACK_ACCESS=open/.test(e.message) &&
      /SEED_DEMO=auto loads demo data/.test(e.message) &&
      /PUBLIC_URL must start with https:\/\//.test(e.message),
  );
  assert.throws(() => loadConfig({ ...PROD, PUBLIC_URL: 'https://window.example.ir/panjereh' }), /PUBLIC_URL must be an origin/);
});

test('production refuses the development session secret kept in DATA_DIR', async () => {
  const { default: os } = await import('node:os');
  const { default: fs } = await import('node:fs');
  const { default: path } = await import('node:path');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-'));
  const dev = loadConfig({ DATA_DIR: dir }).SESSION_SECRET!;
  assert.throws(() => loadConfig({ ...PROD, DATA_DIR: dir, SESSION_SECRET: dev }), /SESSION_SECRET is the development secret/);
  assert.equal(loadConfig({ ...PROD, DATA_DIR: dir }).SESSION_SECRET, PROD.SESSION_SECRET);
  fs.rmSync(dir, { recursive: true, force: true });
});

test("outside production PUBLIC_URL defaults to this server's own address, and is kept without a trailing slash", () => {
  assert.equal(loadConfig({ PORT: '8080' }).PUBLIC_URL, 'http://localhost:8080');
  assert.equal(loadConfig({ PORT: '8080', HOST: '127.0.0.1' }).PUBLIC_URL, 'http://127.0.0.1:8080');
  assert.equal(loadConfig({ PUBLIC_URL: 'https://window.example.ir/' }).PUBLIC_URL, 'https://window.example.ir');
});

test('config --check evaluates the environment as production and lists what a production start would refuse', () => {
  assert.deepEqual(checkProductionConfig(PROD), []);
  assert.deepEqual(checkProductionConfig({ ...PROD, NODE_ENV: undefined }), [], 'NODE_ENV unset is checked as production');
  const p = checkProductionConfig({ ...PROD, NODE_ENV: 'development', MOBILE_OWNERSHIP_CHECK: '', SMS_GATEWAY: 'file' });
  assert.equal(p.length, 3, p.join('\n'));
  assert.match(p[0], /NODE_ENV is "development"/);
  assert.ok(p.some((x) => /MOBILE_OWNERSHIP_CHECK/.test(x)) && p.some((x) => /SMS_GATEWAY=file/.test(x)));
});

test('production refuses the sandbox payment gateway; without a gateway it takes bills only', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'panjereh-cfg-'));
  const prod = { ...PROD, DATA_DIR: dir };
  assert.throws(() => loadConfig({ ...prod, PAYMENTS_GATEWAY: 'sandbox' }), /PAYMENTS_GATEWAY=sandbox takes test money only/);
  assert.equal(loadConfig(prod).PAYMENTS_GATEWAY, 'none');
  assert.equal(loadConfig(prod).PAYMENTS_TERMINAL_KEY, undefined);
  assert.equal(loadConfig({ DATA_DIR: dir }).PAYMENTS_GATEWAY, 'sandbox');
});
