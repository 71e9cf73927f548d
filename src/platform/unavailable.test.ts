// Database-unavailable errors (real ones, from pg) become a 503 with Retry-After and a stable code, as a
// JSON problem on API paths and as a "temporarily unavailable" page in fa and en; other errors do not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import pg from 'pg';
import { freePort } from '../../test/helpers/cluster.ts';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import { freshDatabase } from '../../test/helpers/db.ts';
import { sql } from 'kysely';
import { registerErrorHandling } from './http.ts';
import { renderErrorPage } from '../web/web.routes.tsx';

/** The error pg gives when nothing listens where the database should be. */
async function refused(): Promise<Error> {
  const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${await freePort()}/x` });
  return client.connect().then(
    () => new Error('connected?'),
    (e: Error) => e,
  );
}

test('connection errors are "database unavailable"; query errors are not', async () => {
  assert.equal(isDatabaseUnavailable(await refused()), true);
  for (const code of ['57P01', '57P02', '57P03', '08006', '08001', 'ECONNRESET'])
    assert.equal(isDatabaseUnavailable(Object.assign(new Error('x'), { code })), true, code);
  assert.equal(isDatabaseUnavailable(new Error('Connection terminated unexpectedly')), true);
  assert.equal(isDatabaseUnavailable(new Error('Client has encountered a connection error and is not queryable')), true);
  const h = await freshDatabase();
  try {
    const syntax = await sql`selec 1`.execute(h.db).then(
      () => null,
      (e: unknown) => e,
    );
    assert.equal(isDatabaseUnavailable(syntax), false, 'a syntax error is a bug, not an outage');
    const data = await sql`select 1 / 0`.execute(h.db).then(
      () => null,
      (e: unknown) => e,
    );
    assert.equal((data as { code?: string }).code, '22012');
    assert.equal(isDatabaseUnavailable(data), false, 'a division by zero is not an outage');
  } finally {
    await h.close();
  }
  assert.equal(isDatabaseUnavailable(new Error('boom')), false);
  assert.equal(isDatabaseUnavailable(null), false);
});

test('a request whose database is away gets 503 DATABASE_UNAVAILABLE with Retry-After: JSON for the API, a page in fa and en', async () => {
  const app = Fastify();
  registerErrorHandling(app, renderErrorPage);
  const err = await refused();
  for (const p of ['/api/v1/thing', '/fa/thing', '/en/thing']) app.get(p, async () => Promise.reject(err));
  app.get('/fa/bug', async () => Promise.reject(new Error('a bug')));
  const api = await app.inject('/api/v1/thing');
  assert.equal(api.statusCode, 503);
  assert.equal(api.json().code, 'DATABASE_UNAVAILABLE');
  assert.ok(Number(api.headers['retry-after']) > 0);
  assert.doesNotMatch(api.body, /127\.0\.0\.1/, 'no connection details to the client');
  const fa = await app.inject('/fa/thing');
  assert.equal(fa.statusCode, 503);
  assert.ok(Number(fa.headers['retry-after']) > 0);
  assert.match(fa.body, /سامانه موقتاً در دسترس نیست/);
  assert.match(fa.body, /دو بار ثبت نمی‌شود/);
  const en = await app.inject('/en/thing');
  assert.equal(en.statusCode, 503);
  assert.match(en.body, /The service is temporarily unavailable/);
  assert.match(en.body, /never submitted twice/);
  const bug = await app.inject('/fa/bug');
  assert.equal(bug.statusCode, 500, 'other errors stay a 500');
  assert.equal(bug.headers['retry-after'], undefined);
  await app.close();
});
