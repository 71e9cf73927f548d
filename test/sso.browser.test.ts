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
  rp = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html lang="en"><title>Tax portal</title><h1>Signed in</h1></html>'));
  await new Promise<void>((r) => rp.listen(0, '127.0.0.1', r));
  callback = `http://127.0.0.1:${(rp.address() as net.AddressInfo).port}/callback`;
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  rp?.close();
  await t?.close();
});

async function signInFlow(clientId: string, clientSecret: string, scope: string, person: { nationalId: string; mobile: string }, opts: { alreadySignedIn?: boolean; context?: Awaited<ReturnType<Browser['newContext']>> } = {}) {
  const config = await oidc.discovery(new URL(issuer), clientId, clientSecret, undefined, { execute: [oidc.allowInsecureRequests] });
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, { redirect_uri: callback, scope, code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state, nonce });
  const context = opts.context ?? (await browser.newContext({ javaScriptEnabled: false, locale: 'fa-IR' }));
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  await page.goto(url.href);
  if (!opts.alreadySignedIn) {
    assert.match(page.url(), /\/sign-in\?next=%2Foidc%2Finteraction%2F/);
    await page.locator('#nationalId').fill(person.nationalId);
    await page.locator('#mobile').fill(person.mobile);
    await page.locator('button[type=submit]').click();
    const sms = fs.readFileSync(path.join(t.ctx.config.DATA_DIR, 'outbox', 'sms.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((m) => m.to === person.mobile).at(-1);
    await page.locator('#code').fill(/\d{6}/.exec(sms.text)![0]);
    await page.locator('button[type=submit]').click();
  }
  await page.waitForURL(/\/oidc\/interaction\//);
  const consentText = (await page.locator('main').textContent())!;
  await page.locator('button[value=allow]').click();
  await page.waitForURL((u) => u.href.startsWith(callback));
  assert.ok(page.url().startsWith(callback), `${page.url()}\n${(await page.locator('body').textContent())?.slice(0, 600)}`);
  const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
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
  const { claims, consentText, context, tokens } = await signInFlow(taxPortal.clientId, taxPortal.clientSecret, 'openid national_id', person);
  assert.match(consentText, /کد ملی شما/);
  assert.equal(claims.iss, issuer);
  assert.equal(claims.aud, taxPortal.clientId);
  assert.equal(claims.national_id, '0499370899');
  const citizen = (await t.ctx.database.db.selectFrom('citizens').select('id').where('national_id', '=', '0499370899').executeTakeFirstOrThrow()).id;
  assert.notEqual(claims.sub, citizen, 'the subject is pairwise, not the internal id');
  assert.ok(tokens.id_token!.split('.').length === 3);

  // A second portal, not allowed the national ID. Asking for it is refused outright (invalid_scope)...
  const library = await repo.addClient('Library portal', [callback], []);
  const libConfig = await oidc.discovery(new URL(issuer), library.clientId, library.clientSecret, undefined, { execute: [oidc.allowInsecureRequests] });
  const refused = await context.newPage();
  await refused.goto(oidc.buildAuthorizationUrl(libConfig, { redirect_uri: callback, scope: 'openid national_id', code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256', state: 's' }).href);
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
  const config = await oidc.discovery(new URL(issuer), portal.clientId, portal.clientSecret, undefined, { execute: [oidc.allowInsecureRequests] });
  const url = oidc.buildAuthorizationUrl(config, { redirect_uri: callback, scope: 'openid phone', code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256', state: oidc.randomState() });
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.goto(url.href);
  await page.locator('#nationalId').fill('0012345679');
  await page.locator('#mobile').fill('09125550505');
  await page.locator('button[type=submit]').click();
  const sms = fs.readFileSync(path.join(t.ctx.config.DATA_DIR, 'outbox', 'sms.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((m) => m.to === '09125550505').at(-1);
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
  const res = await t.app.inject({ url: `/oidc/auth?client_id=${portal.clientId}&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(callback)}&state=abc` });
  assert.equal(res.statusCode, 303);
  assert.match(String(res.headers.location), /error=invalid_request/);
  assert.match(new URL(String(res.headers.location)).searchParams.get('error_description')!, /requires PKCE/);
});
