// `panjereh documents` and `panjereh apikey` as an operator runs them: real processes on a real database.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { adminQuery, withDatabase } from './helpers/db.ts';

const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'bin', 'panjereh.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'panjereh-doccli-'));
const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', DATA_DIR: path.join(work, 'data'), NODE_ENV: 'development' };
let dropDatabase = async () => {};

before(async () => {
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `${new URL(url).pathname.slice(1)}_doccli_${crypto.randomBytes(3).toString('hex')}`;
    await adminQuery(url, `create database "${name}"`);
    env.DATABASE_URL = withDatabase(url, name);
    dropDatabase = () => adminQuery(url, `drop database if exists "${name}" with (force)`);
  }
});
after(async () => {
  await dropDatabase();
  fs.rmSync(work, { recursive: true, force: true });
});

const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8', cwd: work });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

test('documents demo writes a signed PDF; documents verify says genuine (exit 0), and altered after one byte changes (exit 1)', () => {
  const seeded = run(['seed', 'demo']);
  assert.equal(seeded.code, 0, seeded.err);
  assert.match(seeded.out, /Demo document issued: http:\/\/localhost:\d+\/verify\/[A-Z2-9]{10}/);
  const pdf = path.join(work, 'demo.pdf');
  const demo = run(['documents', 'demo', '--out', pdf]);
  assert.equal(demo.code, 0, demo.err);
  const ok = run(['documents', 'verify', pdf, '--json']);
  assert.equal(ok.code, 0, ok.err);
  assert.equal(JSON.parse(ok.out).outcome, 'genuine');
  const bytes = fs.readFileSync(pdf);
  bytes[bytes.length - 20] ^= 0x20;
  fs.writeFileSync(pdf, bytes);
  const altered = run(['documents', 'verify', pdf]);
  assert.equal(altered.code, 1);
  assert.match(altered.out, /ALTERED/);
  const notPdf = path.join(work, 'x.txt');
  fs.writeFileSync(notPdf, 'hello');
  assert.match(run(['documents', 'verify', notPdf]).err, /NOT_A_PDF/);
});

test('apikey create prints the key once; bad scopes and unknown agencies fail with exit 1', () => {
  const made = run(['apikey', 'create', '--agency', 'ir-tax', '--scopes', 'documents:issue,applications:read', '--json']);
  assert.equal(made.code, 0, made.err);
  const k = JSON.parse(made.out);
  assert.match(k.key, /^pjk_[0-9a-f]{12}_/);
  const list = run(['apikey', 'list', '--agency', 'ir-tax']);
  assert.match(list.out, new RegExp(`pjk_${k.prefix}_…`));
  assert.ok(!list.out.includes(k.key));
  const bad = run(['apikey', 'create', '--agency', 'ir-tax', '--scopes', 'everything']);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /VALIDATION_FAILED: .*Unknown scope/);
  assert.match(run(['apikey', 'create', '--agency', 'nowhere', '--scopes', 'documents:issue']).err, /AGENCY_NOT_FOUND/);
  assert.equal(run(['apikey', 'revoke', k.id]).code, 0);
  assert.match(run(['apikey', 'list']).out, /revoked/);
});
