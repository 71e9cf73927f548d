// Staff in route tests: an account set up through its invitation link (password + authenticator), signed
// in with both factors, and a cookie-keeping client that posts forms with the page's CSRF token.
import assert from 'node:assert/strict';
import { authenticator } from 'otplib';
import type { StaffRole } from '../../src/db/schema.ts';
import type { TestApp } from './app.ts';

const PASSWORD = 'correct horse battery staple';

export function formClient(t: TestApp) {
  const jar = new Map<string, string>();
  let token = '';
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const keep = <R extends { cookies: { name: string; value: string }[]; body: string }>(res: R): R => {
    for (const c of res.cookies) c.value ? jar.set(c.name, c.value) : jar.delete(c.name);
    const m = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (m) token = m[1];
    return res;
  };
  return {
    get: async (url: string) => keep(await t.app.inject({ method: 'GET', url, headers: { cookie: cookie() } })),
    post: async (url: string, form: Record<string, string | string[]>) => {
      const body = new URLSearchParams({ _csrf: token });
      for (const [k, v] of Object.entries(form)) for (const x of ([] as string[]).concat(v)) body.append(k, x);
      return keep(await t.app.inject({ method: 'POST', url, payload: body.toString(), headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' } }));
    },
  };
}

/** A signed-in staff member's client. */
export async function signedInStaff(t: TestApp, email: string, role: StaffRole, agency: string | null) {
  const { token, staff } = await t.ctx.staff.invite(email, role, agency, 'test');
  const setup = formClient(t);
  await setup.get(`/en/staff/setup/${token}`);
  assert.equal((await setup.post(`/en/staff/setup/${token}`, { password: PASSWORD, confirm: PASSWORD })).statusCode, 303);
  await setup.get(`/en/staff/setup/${token}/authenticator`);
  const secret = t.ctx.staff.totpSecret((await t.ctx.staff.byId(staff.id))!)!;
  assert.equal((await setup.post(`/en/staff/setup/${token}/authenticator`, { code: authenticator.generate(secret) })).statusCode, 200);
  const b = formClient(t);
  await b.get('/en/staff/sign-in');
  const r1 = await b.post('/en/staff/sign-in', { email, password: PASSWORD });
  assert.equal(r1.statusCode, 303, r1.body.slice(0, 200));
  await b.get(r1.headers.location as string);
  // the next 30-second window: setup used the current one, and a TOTP code works once
  const r2 = await b.post(r1.headers.location as string, { code: authenticator.clone({ epoch: Date.now() + 30_000 }).generate(secret) });
  assert.equal(r2.statusCode, 303, r2.body.slice(0, 300));
  return { client: b, staffId: staff.id };
}
