// `panjereh forms import` as a user runs it: line-specific problems and exit code 1 for a bad file,
// a new version for a good one.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { adminQuery, withDatabase } from './helpers/db.ts';

const root = path.resolve(import.meta.dirname, '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'panjereh-forms-'));
const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', DATA_DIR: path.join(work, 'data') };
let dropDatabase = async () => {};
const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'panjereh.js'), ...args], { env, encoding: 'utf8', cwd: work });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

before(async () => {
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `${new URL(url).pathname.slice(1)}_forms_${crypto.randomBytes(3).toString('hex')}`;
    await adminQuery(url, `create database "${name}"`);
    env.DATABASE_URL = withDatabase(url, name);
    dropDatabase = () => adminQuery(url, `drop database if exists "${name}" with (force)`);
  }
  assert.equal(run(['seed', 'demo']).code, 0);
});
after(async () => {
  await dropDatabase();
  fs.rmSync(work, { recursive: true, force: true });
});

test('forms import: problems with file:line and JSON path, exit 1; a good file becomes the next version', () => {
  const bad = path.join(work, 'bad.json');
  fs.writeFileSync(
    bad,
    '{\n  "service": "claim-sick-pay",\n  "pages": [\n    {\n      "id": "one",\n      "title": { "fa": "یک", "en": "One" },\n      "fields": [ { "name": "a", "type": "colour", "label": { "fa": "الف", "en": "A" } } ]\n    }\n  ]\n}\n',
  );
  const r = run(['forms', 'import', bad]);
  assert.equal(r.code, 1);
  assert.match(r.out, /bad\.json:7: \/pages\/0\/fields\/0\/type: must be one of text, textarea, number/);
  const syntax = path.join(work, 'syntax.json');
  fs.writeFileSync(syntax, '{\n  "service": "claim-sick-pay",\n  "pages": [\n}\n');
  assert.match(run(['forms', 'import', syntax]).out, /syntax\.json:4: \(file\): JSON syntax/);
  const unknown = path.join(work, 'unknown.json');
  fs.writeFileSync(
    unknown,
    JSON.stringify(
      {
        service: 'no-such-service',
        pages: [{ id: 'a', title: { fa: 'ا', en: 'A' }, fields: [{ name: 'x', type: 'text', label: { fa: 'ا', en: 'X' } }] }],
      },
      null,
      2,
    ),
  );
  assert.match(run(['forms', 'import', unknown]).out, /unknown\.json:2: \/service: there is no service with the slug "no-such-service"/);
  const good = path.join(root, 'datasets', 'demo', 'forms', 'claim-sick-pay.json');
  const ok = run(['forms', 'import', good, '--json']);
  assert.equal(ok.code, 0, ok.err);
  assert.deepEqual(
    JSON.parse(ok.out).map((x: { ok: boolean; version: number }) => [x.ok, x.version]),
    [[true, 2]],
  );
});
