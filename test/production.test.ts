// A production-mode app probed as an attacker would: links never follow the Host header, cookies are
// cleared and set Secure, signed-in pages are never stored by a browser or a proxy.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { testApp, type TestApp } from './helpers/app.ts';
import { setUpStaff, signInCitizen, signInStaff, nextCode } from './helpers/sessions.ts';
import { SsoRepository } from '../src/modules/sso/sso.repository.ts';

const PUBLIC = 'https://window.example.ir';
const evil = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' };
let t: TestApp; // NODE_ENV=test, PUBLIC_URL not set (so the default from HOST/PORT), behind a trusted proxy
let prod: TestApp; // NODE_ENV=production, every production requirement met (nothing is contacted)
before(async () => {
  t = await testApp({ TRUST_PROXY: true });
  prod = await testApp({
    NODE_ENV: 'production',
    PUBLIC_URL: PUBLIC,
    SESSION_SECRET: crypto.randomBytes(32).toString('base64url'),
    DATABASE_URL: 'postgres://unused@127.0.0.1/unused',
    SMS_GATEWAY: 'http',
    SMS_HTTP_URL: 'https://sms.example.invalid/send',
    SMTP_URL: 'smtps://mailer:pw@mail.example.invalid:465',
    MOBILE_OWNERSHIP_CHECK: 'exchange',
    SEED_DEMO: 'never',
    NOTIFICATIONS_WORKER: false,
    WEBHOOK_WORKER: false,
    APPLICATION_JOBS: false,
    MONITORING_CHECK_WORKER: false,
  });
});
after(async () => {
  await t.close();
  await prod.close();
});

const mails = () =>
  fs
    .readFileSync(path.join(t.ctx.config.DATA_DIR, 'outbox', 'email.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

test("Host: evil.example: the emailed reset link and the invitation link are on PUBLIC_URL (by default this server's own address)", async () => {
  const { secret } = await setUpStaff(t, 'reset.victim@example.ir', 'platform-admin', null);
  const form = await t.app.inject({ url: '/en/staff/password/forgot', headers: evil });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1];
  const cookie = form.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const res = await t.app.inject({
    method: 'POST',
    url: '/en/staff/password/forgot',
    headers: { ...evil, cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf, email: 'reset.victim@example.ir' }).toString(),
  });
  assert.equal(res.statusCode, 200);
  const reset = mails().at(-1);
  assert.equal(reset.to, 'reset.victim@example.ir');
  assert.doesNotMatch(reset.text, /evil\.example/);
  assert.equal(t.ctx.config.PUBLIC_URL, `http://localhost:${t.ctx.config.PORT}`);
  const own = t.ctx.config.PUBLIC_URL.replace(/[.:/]/g, '\\$&');
  assert.match(reset.text, new RegExp(`${own}/en/staff/password/reset/[A-Za-z0-9_-]+`));

  const { b } = await signInStaff(t, 'reset.victim@example.ir', nextCode(secret));
  await b.get('/en/staff/agencies/ir-nocr/people');
  const invited = await t.app.inject({
    method: 'POST',
    url: '/en/staff/agencies/ir-nocr/people',
    headers: { ...evil, cookie: [...b.jar].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: b.token, email: 'new.hire@example.ir', role: 'operator' }).toString(),
  });
  assert.equal(invited.statusCode, 303, invited.body.slice(0, 300));
  const invite = mails().at(-1);
  assert.equal(invite.to, 'new.hire@example.ir');
  assert.doesNotMatch(invite.text, /evil\.example/);
  assert.match(invite.text, new RegExp(`${own}/(fa|en)/staff/setup/[A-Za-z0-9_-]+`));
});

test('Host: evil.example: API url fields, open data and the OIDC issuer are on PUBLIC_URL', async () => {
  for (const url of ['/api/v1/services?limit=3', '/api/v1/agencies', '/api/v1/agencies/ir-nocr']) {
    const res = await t.app.inject({ url, headers: evil });
    assert.equal(res.statusCode, 200, url);
    assert.doesNotMatch(res.body, /evil\.example/, url);
    assert.ok(res.body.includes(`"url":"${t.ctx.config.PUBLIC_URL}/`), url);
  }
  const discovery = await prod.app.inject({ url: '/.well-known/openid-configuration', headers: evil });
  assert.equal(discovery.statusCode, 200);
  assert.equal(discovery.json().issuer, PUBLIC);
  assert.doesNotMatch(discovery.body, /evil\.example/);
});

test('production: the Set-Cookie that clears a __Host- cookie is Secure (browsers ignore it otherwise)', async () => {
  const res = await prod.app.inject({ url: '/en/account', headers: { cookie: '__Host-session=' + 'x'.repeat(43) } });
  assert.equal(res.statusCode, 303);
  const cleared = res.cookies.find((c) => c.name === '__Host-session');
  assert.ok(cleared, 'the stale session cookie is cleared');
  assert.equal(cleared.value, '');
  assert.equal(cleared.secure, true);
  assert.equal(cleared.path, '/');
  // every cookie the app sets in production is Secure
  const page = await prod.app.inject({ url: '/en/staff/sign-in' });
  for (const c of page.cookies) assert.equal(c.secure, true, c.name);
});

test('signed-in pages are sent with Cache-Control: no-store', async () => {
  const b = await signInCitizen(t, '0499370899', '09121112233');
  for (const url of ['/en/account', '/en/account/sessions', '/en']) {
    const res = await b.get(url);
    assert.equal(res.statusCode, 200, url);
    assert.match(String(res.headers['cache-control']), /no-store/, url);
  }
  const { secret } = await setUpStaff(t, 'cache.check@example.ir', 'platform-admin', null);
  const staff = await signInStaff(t, 'cache.check@example.ir', nextCode(secret));
  const home = await staff.b.get('/en/staff');
  assert.equal(home.statusCode, 200);
  assert.match(String(home.headers['cache-control']), /no-store/);
  // static files stay cacheable even with a session cookie
  const css = /href="(\/assets\/[^"]+\.css)"/.exec((await b.get('/en/account')).body)![1];
  assert.match(String((await b.get(css)).headers['cache-control']), /public, max-age/);
});

test('production: the OIDC _interaction and _session cookies are Secure', async () => {
  const c = await new SsoRepository(prod.ctx.database.db, prod.ctx.config.SESSION_SECRET!).addClient(
    'Portal',
    ['https://portal.example.ir/cb'],
    [],
  );
  await prod.ctx.sso!.refresh();
  // a signed-in citizen (the session made as sign-in makes it)
  const citizen = (await prod.ctx.identity.repo.signInCitizen('0499370899', '09121112233', null, '')).citizen;
  const token = crypto.randomBytes(32).toString('base64url');
  await prod.ctx.identity.repo.createSession({
    token_hash: crypto.createHash('sha256').update(token).digest('hex'),
    citizen_id: citizen.id,
    expires_at: new Date(Date.now() + 3600_000),
    user_agent: null,
    ip_hash: null,
  });
  const jar = new Map<string, string>([['__Host-session', token]]);
  const seen: { name: string; secure?: boolean }[] = [];
  const verifier = crypto.randomBytes(32).toString('base64url');
  const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
  let url = `/oidc/auth?${new URLSearchParams({ client_id: c.clientId, response_type: 'code', scope: 'openid', redirect_uri: 'https://portal.example.ir/cb', state: 's', code_challenge: challenge, code_challenge_method: 'S256' })}`;
  for (let hop = 0; hop < 6 && url.startsWith('/'); hop++) {
    const res = await prod.app.inject({ url, headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const k of res.cookies) {
      seen.push(k);
      if (k.value) jar.set(k.name, k.value);
    }
    assert.ok([302, 303].includes(res.statusCode) || res.statusCode === 200, `${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    if (res.statusCode === 200) break;
    url = String(res.headers.location).replace(PUBLIC, '');
  }
  for (const name of ['_interaction', '_interaction_resume', '_session'])
    assert.ok(
      seen.some((k) => k.name === name),
      `${name} was set (saw ${seen.map((k) => k.name).join(', ')})`,
    );
  for (const k of seen) assert.equal(k.secure, true, `${k.name} is Secure`);
});
