import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import os from 'node:os';
import fs from 'node:fs';
import { describeConfig, loadConfig } from './config.ts';

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
    (e: Error) => /PORT must be a whole number/.test(e.message) && /DATABASE_URL must start with postgres:/.test(e.message) && /SEED_DEMO must be one of/.test(e.message) && /REDIS_URL must be a URL/.test(e.message),
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
  assert.throws(() => loadConfig({ DATA_DIR: dir, NODE_ENV: 'production', SMS_HTTP_URL: 'https://sms.example/send' }), /SESSION_SECRET is required in production/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('production refuses the sandbox payment gateway; without a gateway it takes bills only', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'panjereh-cfg-'));
  const prod = { DATA_DIR: dir, NODE_ENV: 'production', SMS_HTTP_URL: 'https://sms.example/send', SESSION_SECRET: 'x'.repeat(40) };
  assert.throws(() => loadConfig({ ...prod, PAYMENTS_GATEWAY: 'sandbox' }), /PAYMENTS_GATEWAY=sandbox takes test money only/);
  assert.equal(loadConfig(prod).PAYMENTS_GATEWAY, 'none');
  assert.equal(loadConfig(prod).PAYMENTS_TERMINAL_KEY, undefined);
  assert.equal(loadConfig({ DATA_DIR: dir }).PAYMENTS_GATEWAY, 'sandbox');
});
