// Single sign-on end to end: a real relying party (openid-client) sends a citizen to Panjereh in
// Chromium, the citizen signs in with a code from the SMS outbox and consents, and the relying party
// exchanges the code (PKCE) and checks the ID token's signature and claims.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import * as oidc from 'openid-client';
import type { Browser } from 'playwright-core';
import { testApp, type TestApp } from './helpers/app.ts';
import { axeViolations, describeViolations, launchBrowser } from './helpers/browser.ts';
import { SsoRepository } from '../src/modules/sso/sso.repository.ts';

let t: TestApp;
let browser: Browser;
let issuer: string;
let rp: http.Server;
let callback: string;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

before(async () => {
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  t = await testApp({ PUBLIC_URL: issuer });
  await t.app.listen({ port, host: '127.0.0.1' });
  rp = http.createServer((_req, res) =>
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<!doctype html><html lang="en"><title>Tax portal</title><h1>Signed in</h1></html>'),
  );
  await new Promise<void>((r) => rp.listen(0, '127.0.0.1', r));
  callback = `http://127.0.0.1:${(rp.address() as net.AddressInfo).port}/callback`;
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  rp?.close();
  await t?.close();
});

async function signInFlow(
  clientId: string,
  clientSecret: string,
  scope: string,
  person: { nationalId: string; mobile: string },
  opts: { alreadySignedIn?: boolean; context?: Awaited<ReturnType<Browser['newContext']>> } = {},
) {
  const config = await oidc.discovery(new URL(issuer), clientId, clientSecret, undefined, { execute: [oidc.allowInsecureRequests] });
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: callback,
    scope,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  const context = opts.context ?? (await browser.newContext({ javaScriptEnabled: false, locale: 'fa-IR' }));
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  await page.goto(url.href);
  if (!opts.alreadySignedIn) {
    assert.match(page.url(), /\/sign-in\?next=%2Foidc%2Finteraction%2F/);
    await page.locator('#nationalId').fill(person.nationalId);
    await page.locator('#mobile').fill(person.mobile);
    await page.locator('button[type=submit]').click();
    const sms = fs
      .readFileSync(path.join(t.ctx.config.DATA_DIR, 'outbox', 'sms.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((m) => m.to === person.mobile)
      .at(-1);
    await page.locator('#code').fill(/\d{6}/.exec(sms.text)![0]);
    await page.locator('button[type=submit]').click();
  }
  // Consent is asked once per portal and scope set: a returning citizen goes straight back.
  await page.waitForURL((u) => /\/oidc\/interaction\//.test(u.pathname) || u.href.startsWith(callback));
  let consentText = '';
  if (!page.url().startsWith(callback)) {
    consentText = (await page.locator('main').textContent())!;
    await page.locator('button[value=allow]').click();
    await page.waitForURL((u) => u.href.startsWith(callback));
  }
  assert.ok(page.url().startsWith(callback), `${page.url()}\n${(await page.locator('body').textContent())?.slice(0, 600)}`);
  const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url()), {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
  });
  return { tokens, claims: tokens.claims()!, consentText, context, config };
}

test('discovery describes the provider: code flow with PKCE, pairwise subjects, logout, keys', async () => {
  const doc = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<string, string & string[]>;
  assert.equal(doc.issuer, issuer);
  assert.deepEqual(doc.response_types_supported, ['code']);
  assert.ok(doc.code_challenge_methods_supported.includes('S256'));
  assert.ok(doc.subject_types_supported.includes('pairwise'));
  assert.equal(doc.end_session_endpoint, `${issuer}/oidc/session/end`);
  const jwks = (await (await fetch(`${issuer}/oidc/jwks`)).json()) as { keys: Record<string, string>[] };
  assert.equal(jwks.keys[0].kty, 'RSA');
  assert.equal(jwks.keys[0].d, undefined, 'no private parts published');
});

test('a relying party completes single sign-on in Chromium; the ID token is signed and carries the consented claims', async () => {
  const repo = new SsoRepository(t.ctx.database.db, t.ctx.config.SESSION_SECRET!);
  const taxPortal = await repo.addClient('Tax portal', [callback], ['national_id']);
  const person = { nationalId: '0499370899', mobile: '09125550404' };
  const { claims, consentText, context, tokens } = await signInFlow(
    taxPortal.clientId,
    taxPortal.clientSecret,
    'openid national_id',
    person,
  );
  assert.match(consentText, /کد ملی شما/);
  assert.equal(claims.iss, issuer);
  assert.equal(claims.aud, taxPortal.clientId);
  assert.equal(claims.national_id, '0499370899');
  const citizen = (
    await t.ctx.database.db.selectFrom('citizens').select('id').where('national_id', '=', '0499370899').executeTakeFirstOrThrow()
  ).id;
  assert.notEqual(claims.sub, citizen, 'the subject is pairwise, not the internal id');
  assert.ok(tokens.id_token!.split('.').length === 3);

  // A second portal, not allowed the national ID. Asking for it is refused outright (invalid_scope)...
  const library = await repo.addClient('Library portal', [callback], []);
  const libConfig = await oidc.discovery(new URL(issuer), library.clientId, library.clientSecret, undefined, {
    execute: [oidc.allowInsecureRequests],
  });
  const refused = await context.newPage();
  await refused.goto(
    oidc.buildAuthorizationUrl(libConfig, {
      redirect_uri: callback,
      scope: 'openid national_id',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
      state: 's',
    }).href,
  );
  await refused.waitForURL((u) => u.href.startsWith(callback));
  assert.equal(new URL(refused.url()).searchParams.get('error'), 'invalid_scope');
  // ...and signing in to it (already signed in: straight to consent) gives its own subject and no national ID.
  const second = await signInFlow(library.clientId, library.clientSecret, 'openid', person, { alreadySignedIn: true, context });
  assert.notEqual(second.claims.sub, claims.sub, 'each portal sees its own subject');
  assert.equal(second.claims.national_id, undefined);
  assert.doesNotMatch(second.consentText, /کد ملی شما/);
  await context.close();
});

test('the consent page is axe-clean in both languages', async () => {
  const repo = new SsoRepository(t.ctx.database.db, t.ctx.config.SESSION_SECRET!);
  const portal = await repo.addClient('Health portal', [callback], ['phone']);
  const config = await oidc.discovery(new URL(issuer), portal.clientId, portal.clientSecret, undefined, {
    execute: [oidc.allowInsecureRequests],
  });
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: callback,
    scope: 'openid phone',
    code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
    code_challenge_method: 'S256',
    state: oidc.randomState(),
  });
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.goto(url.href);
  await page.locator('#nationalId').fill('0012345679');
  await page.locator('#mobile').fill('09125550505');
  await page.locator('button[type=submit]').click();
  const sms = fs
    .readFileSync(path.join(t.ctx.config.DATA_DIR, 'outbox', 'sms.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((m) => m.to === '09125550505')
    .at(-1);
  await page.locator('#code').fill(/\d{6}/.exec(sms.text)![0]);
  await page.locator('button[type=submit]').click();
  await page.waitForURL(/\/oidc\/interaction\//);
  const failures: string[] = [];
  for (const lang of ['fa', 'en']) {
    await page.goto(`${page.url().split('?')[0]}?lang=${lang}`);
    assert.match((await page.locator('main').textContent())!, lang === 'fa' ? /شماره همراه شما/ : /Your mobile number/);
    const v = await axeViolations(page);
    if (v.length) failures.push(`${lang}\n${describeViolations(v)}`);
  }
  await context.close();
  assert.equal(failures.length, 0, failures.join('\n\n'));
});

test('a request without PKCE is refused', async () => {
  const repo = new SsoRepository(t.ctx.database.db, t.ctx.config.SESSION_SECRET!);
  const portal = await repo.addClient('Old portal', [callback], []);
  const res = await t.app.inject({
    url: `/oidc/auth?client_id=${portal.clientId}&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(callback)}&state=abc`,
  });
  assert.equal(res.statusCode, 303);
  assert.match(String(res.headers.location), /error=invalid_request/);
  assert.match(new URL(String(res.headers.location)).searchParams.get('error_description')!, /requires PKCE/);
});

const kidOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url').toString()).kid as string;

test('a rotated signing key signs new ID tokens without a restart; the old key stays published', async () => {
  const repo = new SsoRepository(t.ctx.database.db, t.ctx.config.SESSION_SECRET!);
  const portal = await repo.addClient('Rotation portal', [callback], []);
  const person = { nationalId: '0010000021', mobile: '09125550606' };
  const first = await signInFlow(portal.clientId, portal.clientSecret, 'openid', person);
  const oldKid = kidOf(first.tokens.id_token!);
  const newKid = await repo.rotateKey();
  assert.equal(await t.ctx.sso!.refresh(), true, 'the node notices the new key');
  assert.equal(await t.ctx.sso!.refresh(), false, 'and builds nothing when nothing changed');
  const jwks = (await (await fetch(`${issuer}/oidc/jwks`)).json()) as { keys: { kid: string }[] };
  assert.deepEqual(new Set(jwks.keys.map((k) => k.kid)), new Set([oldKid, newKid]));
  const second = await signInFlow(portal.clientId, portal.clientSecret, 'openid', person, {
    alreadySignedIn: true,
    context: first.context,
  });
  assert.equal(second.consentText, '', 'consent already given is not asked again');
  assert.equal(kidOf(second.tokens.id_token!), newKid, 'new tokens are signed with the new key (and openid-client verified them)');
  await first.context.close();
});

test('RP-initiated logout: the portal sends the citizen to end_session, they confirm in Persian, the Panjereh session ends and they land on the portal', async () => {
  const repo = new SsoRepository(t.ctx.database.db, t.ctx.config.SESSION_SECRET!);
  const loggedOut = callback.replace('/callback', '/signed-out');
  const portal = await repo.addClient('Pension portal', [callback], [], [loggedOut]);
  const person = { nationalId: '0010000038', mobile: '09125550707' };
  const { tokens, context, config } = await signInFlow(portal.clientId, portal.clientSecret, 'openid', person);
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  await page.goto(`${issuer}/fa/account`);
  assert.equal(new URL(page.url()).pathname, '/fa/account', 'signed in to Panjereh too');

  const endSession = oidc.buildEndSessionUrl(config, {
    id_token_hint: tokens.id_token!,
    post_logout_redirect_uri: loggedOut,
    state: 'bye',
  }).href;
  // axe first, in a copy of the browser state (each visit renews the form's one-time token)
  const axeContext = await browser.newContext({ bypassCSP: true, storageState: await context.storageState() });
  const axePage = await axeContext.newPage();
  await axePage.goto(endSession);
  const v = await axeViolations(axePage);
  assert.equal(v.length, 0, describeViolations(v));
  await axeContext.close();

  await page.goto(endSession);
  assert.equal(await page.getAttribute('html', 'lang'), 'fa');
  assert.match((await page.locator('main').textContent())!, /از «Pension portal» خارج شدید/);
  await page.getByRole('button', { name: 'بله، خارج شوم' }).click();
  await page.waitForURL((u) => u.href.startsWith(loggedOut));
  assert.equal(new URL(page.url()).searchParams.get('state'), 'bye');
  await page.goto(`${issuer}/fa/account`);
  assert.match(page.url(), /\/fa\/sign-in/, 'the Panjereh session ended too');
  const citizen = (
    await t.ctx.database.db.selectFrom('citizens').select('id').where('national_id', '=', person.nationalId).executeTakeFirstOrThrow()
  ).id;
  assert.ok(
    await t.ctx.database.db
      .selectFrom('audit_log')
      .select('seq')
      .where('actor', '=', `citizen:${citizen}`)
      .where('action', '=', 'sign-out')
      .executeTakeFirst(),
  );
  await context.close();
});

test("a bad authorization request gets Panjereh's own error page, not the library's", async () => {
  const res = await fetch(`${issuer}/oidc/auth?client_id=nobody&response_type=code&scope=openid`, { headers: { 'accept-language': 'en' } });
  assert.equal(res.status, 400);
  const html = await res.text();
  assert.match(html, /Signing in with Panjereh did not work/);
  assert.match(html, /invalid_client/);
  assert.doesNotMatch(html, /googleapis/);
});
