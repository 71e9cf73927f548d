// The GovStack Registration BB API: the access policy (GOVSTACK_ACCESS=apikey), `panjereh seed
// govstack-conformance` run through the real CLI twice, and hostile input.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { adminQuery, withDatabase } from '../../../test/helpers/db.ts';
import { seedGovstackConformance } from './govstack.seed.ts';
import { expectError, IMC, multipart, P } from './govstack.testkit.ts';

let t: TestApp;
before(async () => {
  t = await testApp({ GOVSTACK_ACCESS: 'open' });
  await seedGovstackConformance(t.ctx.database.db, t.ctx.catalog, t.ctx.applications, t.ctx.audit);
});
after(() => t.close());

const get = (url: string, headers: Record<string, string> = IMC) => t.app.inject({ url: P + url, headers });

test('access: with GOVSTACK_ACCESS=apikey the personal-data operations need a govstack key of the agency', async () => {
  const k = await testApp();
  try {
    await seedGovstackConformance(k.ctx.database.db, k.ctx.catalog, k.ctx.applications, k.ctx.audit);
    const own = await k.ctx.agencyApi.create('govstack-conformance', 'portal', ['govstack'], 'test');
    const noScope = await k.ctx.agencyApi.create('govstack-conformance', 'other', ['applications:read'], 'test');
    const other = await k.ctx.agencyApi.create('ir-nocr', 'nocr', ['govstack'], 'test');
    const url = `${P}/services/MCTS/applications`;
    const call = (key: string | null) =>
      k.app.inject({
        method: 'POST',
        url,
        headers: { ...IMC, ...(key ? { authorization: `Bearer ${key}` } : {}) },
        payload: { applicantId: 'key-mother' },
      });
    expectError(await call(null), 401, 'API_KEY_MISSING');
    expectError(await call('pjk_000000000000_' + 'x'.repeat(43)), 401, 'API_KEY_INVALID');
    expectError(await call(noScope.key), 403, 'API_KEY_SCOPE');
    expectError(await call(other.key), 404, 'GOVSTACK_SERVICE_NOT_FOUND');
    const ok = await call(own.key);
    assert.equal(ok.statusCode, 200, ok.body);
    const auth = (key: string) => ({ ...IMC, authorization: `Bearer ${key}` });
    assert.ok((await k.app.inject({ url: `${P}/applications`, headers: auth(own.key) })).json().length >= 6);
    assert.deepEqual((await k.app.inject({ url: `${P}/applications`, headers: auth(other.key) })).json(), []);
    expectError(
      await k.app.inject({ url: `${P}/applications/${ok.json().fileId}`, headers: auth(other.key) }),
      404,
      'GOVSTACK_FILE_NOT_FOUND',
    );
    for (const u of ['/tasks', '/tasks/81c4445c-bff6-11ed-afa1-0242ac120002'])
      expectError(await k.app.inject({ url: P + u }), 401, 'API_KEY_MISSING');
    expectError(await k.app.inject({ method: 'POST', url: `${P}/documents`, payload: { file: ['aGVsbG8='] } }), 401, 'API_KEY_MISSING');
    // the catalogue side and statistics stay open
    assert.equal((await k.app.inject({ url: `${P}/services` })).statusCode, 200);
    assert.equal((await k.app.inject({ url: `${P}/data/statistics`, headers: IMC })).statusCode, 200);
  } finally {
    await k.close();
  }
});

test('`panjereh seed govstack-conformance` through the CLI: loads the records, and a second run adds nothing', async () => {
  const root = path.resolve(import.meta.dirname, '..', '..', '..');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'panjereh-govstack-'));
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', NODE_ENV: 'test', DATA_DIR: path.join(work, 'data') };
  let drop = async () => {};
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `${new URL(url).pathname.slice(1)}_govstack_${crypto.randomBytes(3).toString('hex')}`;
    await adminQuery(url, `create database "${name}"`);
    env.DATABASE_URL = withDatabase(url, name);
    drop = () => adminQuery(url, `drop database if exists "${name}" with (force)`);
  }
  try {
    const run = () =>
      spawnSync(process.execPath, [path.join(root, 'bin', 'panjereh.js'), 'seed', 'govstack-conformance', '--json'], {
        env,
        encoding: 'utf8',
        cwd: work,
      });
    const first = run();
    assert.equal(first.status, 0, first.stderr + first.stdout);
    assert.deepEqual(JSON.parse(first.stdout.trim().split('\n').at(-1)!), {
      services: 12,
      applications: { created: 5, existing: 0 },
      tasks: 3,
    });
    const second = run();
    assert.equal(second.status, 0, second.stderr);
    assert.deepEqual(JSON.parse(second.stdout.trim().split('\n').at(-1)!), {
      services: 12,
      applications: { created: 0, existing: 5 },
      tasks: 3,
    });
  } finally {
    await drop();
    fs.rmSync(work, { recursive: true, force: true });
  }
});

test('hostile input: NUL and lone surrogates in PUT bodies, document metadata and paths are 400 with a code; a repeated parameter keeps its last value; a refused upload keeps no documents', async () => {
  const url = `${P}/applications/b8508d35-c2f3-442b-88a1-267ca25e85c0`;
  const before = await get('/applications/b8508d35-c2f3-442b-88a1-267ca25e85c0');
  for (const bad of ['Amya\u0000Yuko', 'Amya\uD800', '\uDFFFx']) {
    const payload = JSON.stringify({
      applicationName: bad,
      applicantId: '622fcd1a-8070-4efc-9d26-29461f83a15b',
      formData: { data: { note: bad }, eFormId: '42962de0-bdb2-11ed-9397-0242ac120004' },
    });
    expectError(
      await t.app.inject({ method: 'PUT', url, headers: { ...IMC, 'content-type': 'application/json' }, payload }),
      400,
      'INVALID_TEXT',
    );
  }
  expectError(
    await t.app.inject({
      method: 'PUT',
      url,
      headers: { ...IMC, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'applicantId=x&formData.data=%7B%22a%22%3A%22%00%22%7D',
    }),
    400,
    'INVALID_TEXT',
  );
  const mpBad = multipart([
    ['applicantId', 'x'],
    ['formData[data]', '{"stamp":"\u0000"}'],
  ]);
  expectError(
    await t.app.inject({ method: 'PUT', url, headers: { ...IMC, ...mpBad.headers }, payload: mpBad.payload }),
    400,
    'INVALID_TEXT',
  );
  assert.deepEqual((await get('/applications/b8508d35-c2f3-442b-88a1-267ca25e85c0')).json(), before.json(), 'nothing was stored');

  const docs = async () =>
    Number(
      (
        await t.ctx.database.db
          .selectFrom('govstack_documents')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const n = await docs();
  const pdf = Buffer.from('%PDF-1.4 x');
  for (const meta of ['%00', 'a%00b', '%ED%A0%80', '%C3%28']) {
    const mp = multipart([], [['file', 'a.pdf', pdf]]);
    const r = await t.app.inject({
      method: 'POST',
      url: `${P}/documents?additionalMetadata=${meta}`,
      headers: mp.headers,
      payload: mp.payload,
    });
    assert.ok(r.statusCode === 400, `${meta}: ${r.statusCode} ${r.body}`);
    assert.equal(r.json().code, 'INVALID_TEXT', meta);
  }
  // six documents, one more than allowed: 413, and the five stored while reading are gone again
  const six = multipart(
    [],
    Array.from({ length: 6 }, (_, i) => ['file', `d${i}.pdf`, pdf] as [string, string, Buffer]),
  );
  expectError(
    await t.app.inject({ method: 'POST', url: `${P}/documents`, headers: six.headers, payload: six.payload }),
    413,
    'PAYLOAD_TOO_LARGE',
  );
  const b64 = { file: Array.from({ length: 6 }, () => pdf.toString('base64')) };
  expectError(await t.app.inject({ method: 'POST', url: `${P}/documents`, payload: b64 }), 413, 'PAYLOAD_TOO_LARGE');
  const unclosed = multipart([], [['file', 'a.pdf', pdf]]);
  const cut = unclosed.payload.subarray(0, unclosed.payload.length - 12);
  assert.equal((await t.app.inject({ method: 'POST', url: `${P}/documents`, headers: unclosed.headers, payload: cut })).statusCode, 400);
  assert.equal(
    (
      await t.app.inject({
        method: 'POST',
        url: `${P}/documents`,
        headers: { 'content-type': 'multipart/form-data' },
        payload: unclosed.payload,
      })
    ).statusCode,
    400,
  );
  assert.equal(await docs(), n, 'no document of a refused request remains');

  // a repeated parameter: the last value wins, as common gateways do (never a 400)
  const twice = await get('/tasks?maxResult=abc&maxResult=1&sortOrder=up&sortOrder=asc');
  assert.equal(twice.statusCode, 200, twice.body);
  assert.equal(twice.json().length, 1);
  expectError(await get('/tasks/%00'), 400, 'INVALID_TEXT');
});
