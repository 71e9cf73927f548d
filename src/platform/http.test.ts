import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { testApp } from '../../test/helpers/app.ts';

const randomAddress = () =>
  `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;

test('the API is rate-limited per client address with a RATE_LIMITED problem body', async () => {
  const t = await testApp({ RATE_LIMIT_MAX: 3 });
  try {
    const ip = randomAddress();
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await t.app.inject({ url: '/api/v1/taxonomy', remoteAddress: ip })).statusCode);
    assert.deepEqual(codes, [200, 200, 200, 429]);
    const res = await t.app.inject({ url: '/api/v1/taxonomy', remoteAddress: ip });
    assert.equal(res.json().code, 'RATE_LIMITED');
    assert.ok(res.headers['retry-after']);
    // another address is not affected, and health checks are never limited
    assert.equal((await t.app.inject({ url: '/api/v1/taxonomy', remoteAddress: randomAddress() })).statusCode, 200);
    for (let i = 0; i < 5; i++) assert.equal((await t.app.inject({ url: '/healthz', remoteAddress: ip })).statusCode, 200);
  } finally {
    await t.close();
  }
});

async function redisReachable(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(6379, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

test('with REDIS_URL two app nodes share one limit', async (t) => {
  if (!(await redisReachable())) return t.skip('no Redis at 127.0.0.1:6379');
  const a = await testApp({ RATE_LIMIT_MAX: 4, REDIS_URL: 'redis://127.0.0.1:6379' });
  const b = await testApp({ RATE_LIMIT_MAX: 4, REDIS_URL: 'redis://127.0.0.1:6379' });
  try {
    const ip = randomAddress();
    const codes = [];
    for (const app of [a.app, b.app, a.app, b.app, a.app, b.app])
      codes.push((await app.inject({ url: '/api/v1/taxonomy', remoteAddress: ip })).statusCode);
    assert.deepEqual(codes, [200, 200, 200, 200, 429, 429]);
  } finally {
    await a.close();
    await b.close();
  }
});

test('input checks: NUL, lone surrogates and deep JSON are refused; forms that are not UTF-8 are flagged', async () => {
  const { assertCleanInput, assertUtf8Query, parseForm } = await import('./http.ts');
  for (const bad of ['a\u0000', '\uD800', 'x\uDFFF', { k: ['\u0000'] }, { '\uDC00': 1 }])
    assert.throws(() => assertCleanInput(bad), { code: 'INVALID_TEXT' });
  assert.doesNotThrow(() => assertCleanInput({ fa: 'درخواست‌ها 😀', n: [1, null, true] }));
  let deep: unknown = 1;
  for (let i = 0; i < 10_000; i++) deep = { a: deep };
  assert.throws(() => assertCleanInput(deep), { code: 'JSON_TOO_DEEP' });
  for (const url of ['/x?a=%FF', '/x?a=%C3%28', '/x?a=%ED%A0%80', '/x?a=%'])
    assert.throws(() => assertUtf8Query(url), { code: 'INVALID_TEXT' }, url);
  assert.doesNotThrow(() => assertUtf8Query('/x?q=%DB%8C%20a&b=%25'));
  assert.deepEqual(parseForm('a=1&a=2&b=%DB%8C+x&__proto__=p'), { a: ['1', '2'], b: 'ی x' });
});
