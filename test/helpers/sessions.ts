// Signed-in sessions for route tests, made the way people make them: through the real pages.
// `browserFor` keeps cookies and the last CSRF token like a browser without JavaScript would.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { authenticator } from 'otplib';
import type { StaffRole } from '../../src/db/schema.ts';
import type { FastifyInstance } from 'fastify';
import type { TestApp } from './app.ts';
import { multipart, type Part } from './multipart.ts';

export type Browser = ReturnType<typeof browserFor>;

/**
 * A client for app.inject that keeps cookies (starting from `cookie`, if given) and the last CSRF token
 * a page carried, like a browser without JavaScript; forms and multipart bodies carry the token first.
 */
export function browserFor(t: { app: FastifyInstance }, cookie = '') {
  const jar = new Map<string, string>(cookie ? cookie.split('; ').map((c) => c.split('=') as [string, string]) : []);
  let token = '';
  const header = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const keep = <R extends { cookies: { name: string; value: string }[]; body: string }>(res: R): R => {
    for (const c of res.cookies) {
      if (c.value) jar.set(c.name, c.value);
      else jar.delete(c.name);
    }
    const m = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (m) token = m[1];
    return res;
  };
  return {
    jar,
    get token() {
      return token;
    },
    get: async (url: string) => keep(await t.app.inject({ method: 'GET', url, headers: { cookie: header() } })),
    post: async (url: string, form: Record<string, string | string[]>, opts: { noCsrf?: boolean } = {}) => {
      const p = new URLSearchParams();
      if (!opts.noCsrf) p.append('_csrf', token);
      for (const [k, v] of Object.entries(form)) for (const x of [v].flat()) p.append(k, x);
      return keep(
        await t.app.inject({
          method: 'POST',
          url,
          payload: p.toString(),
          headers: { cookie: header(), 'content-type': 'application/x-www-form-urlencoded' },
        }),
      );
    },
    postMultipart: async (url: string, parts: Part[], opts: { noCsrf?: boolean } = {}) => {
      const { body, contentType } = multipart(opts.noCsrf ? parts : [{ name: '_csrf', value: token }, ...parts]);
      return keep(await t.app.inject({ method: 'POST', url, payload: body, headers: { cookie: header(), 'content-type': contentType } }));
    },
  };
}

export const STAFF_PASSWORD = 'correct horse battery staple';
/** The code of the next 30-second window: accepted once, after setup used the current one. */
export const nextCode = (secret: string) => authenticator.clone({ epoch: Date.now() + 30_000 }).generate(secret);

/** A staff account set up through its invitation link, as its owner would; returns its TOTP secret and recovery codes. */
export async function setUpStaff(t: TestApp, email: string, role: StaffRole, agency: string | null) {
  const { token, staff } = await t.ctx.staff.invite(email, role, agency, 'test');
  const b = browserFor(t);
  await b.get(`/en/staff/setup/${token}`);
  const pw = await b.post(`/en/staff/setup/${token}`, { password: STAFF_PASSWORD, confirm: STAFF_PASSWORD });
  assert.equal(pw.statusCode, 303);
  await b.get(pw.headers.location as string);
  const secret = t.ctx.staff.totpSecret((await t.ctx.staff.byId(staff.id))!)!;
  const done = await b.post(`/en/staff/setup/${token}/authenticator`, { code: authenticator.generate(secret) });
  assert.equal(done.statusCode, 200);
  const codes = [...done.body.matchAll(/<li><code>([A-Z0-9]{8})<\/code><\/li>/g)].map((m) => m[1]);
  return { secret, codes, id: staff.id };
}

/** Staff sign-in through the pages: password, then the second factor. */
export async function signInStaff(t: TestApp, email: string, secondFactor: string) {
  const b = browserFor(t);
  await b.get('/en/staff/sign-in');
  const r1 = await b.post('/en/staff/sign-in?next=%2Fen%2Fstaff', { email, password: STAFF_PASSWORD });
  assert.equal(r1.statusCode, 303, r1.body.slice(0, 200));
  await b.get(r1.headers.location as string);
  const r2 = await b.post(r1.headers.location as string, { code: secondFactor });
  return { b, res: r2 };
}

/** A citizen signed in with national ID, mobile and the code from the SMS outbox. */
export async function signInCitizen(t: TestApp, nationalId: string, mobile: string): Promise<Browser> {
  const b = browserFor(t);
  await b.get('/en/sign-in');
  const r1 = await b.post('/en/sign-in', { nationalId, mobile, next: '/en/account' });
  assert.equal(r1.statusCode, 303, r1.body.slice(0, 300));
  await b.get(r1.headers.location as string);
  const sms = fs
    .readFileSync(path.join(t.ctx.config.DATA_DIR, 'outbox', 'sms.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((m) => m.to === mobile)
    .at(-1);
  const r2 = await b.post('/en/sign-in/code', { code: /\d{6}/.exec(sms.text)![0] });
  assert.equal(r2.statusCode, 303, r2.body.slice(0, 300));
  return b;
}

/** A staff account set up from its invitation and signed in with both factors: its client and id. */
export async function signedInStaff(
  t: TestApp,
  email: string,
  role: StaffRole,
  agency: string | null,
): Promise<{ b: Browser; id: string }> {
  const { secret, id } = await setUpStaff(t, email, role, agency);
  const { b, res } = await signInStaff(t, email, nextCode(secret));
  assert.equal(res.statusCode, 303, `sign-in of ${email}: ${res.body.slice(0, 300)}`);
  return { b, id };
}
