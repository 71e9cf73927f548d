// Test helpers (not a test file): staff accounts set up and signed in as their owners would, and a
// cookie-keeping client for app.inject that can post forms and multipart uploads with the CSRF token.
import assert from 'node:assert/strict';
import { authenticator } from 'otplib';
import type { TestApp } from '../../../test/helpers/app.ts';
import type { StaffRole } from '../../db/schema.ts';

export const PASSWORD = 'correct horse battery staple';

export function client(t: TestApp) {
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
    jar,
    get: async (url: string) => keep(await t.app.inject({ method: 'GET', url, headers: { cookie: cookie() } })),
    post: async (url: string, form: Record<string, string | string[]>) => {
      const p = new URLSearchParams();
      p.append('_csrf', token);
      for (const [k, v] of Object.entries(form)) for (const x of [v].flat()) p.append(k, x);
      return keep(await t.app.inject({ method: 'POST', url, payload: p.toString(), headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' } }));
    },
    multipart: async (url: string, fields: Record<string, string>, file?: { name: string; type: string; data: Buffer }) => {
      const boundary = '----panjereh' + Math.random().toString(16).slice(2);
      const parts: Buffer[] = [];
      for (const [k, v] of Object.entries({ _csrf: token, ...fields })) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
      if (file) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`), file.data, Buffer.from('\r\n'));
      parts.push(Buffer.from(`--${boundary}--\r\n`));
      return keep(await t.app.inject({ method: 'POST', url, payload: Buffer.concat(parts), headers: { cookie: cookie(), 'content-type': `multipart/form-data; boundary=${boundary}` } }));
    },
  };
}

/** A staff account set up from its invitation and signed in with password and authenticator. */
export async function signedInStaff(t: TestApp, email: string, role: StaffRole, agency: string | null) {
  const { token, staff } = await t.ctx.staff.invite(email, role, agency, 'test');
  const b = client(t);
  await b.get(`/en/staff/setup/${token}`);
  const pw = await b.post(`/en/staff/setup/${token}`, { password: PASSWORD, confirm: PASSWORD });
  assert.equal(pw.statusCode, 303);
  await b.get(pw.headers.location as string);
  const secret = t.ctx.staff.totpSecret((await t.ctx.staff.byId(staff.id))!)!;
  assert.equal((await b.post(`/en/staff/setup/${token}/authenticator`, { code: authenticator.generate(secret) })).statusCode, 200);
  const s = client(t);
  await s.get('/en/staff/sign-in');
  const r1 = await s.post('/en/staff/sign-in', { email, password: PASSWORD });
  assert.equal(r1.statusCode, 303);
  await s.get(r1.headers.location as string);
  const r2 = await s.post(r1.headers.location as string, { code: authenticator.clone({ epoch: Date.now() + 30_000 }).generate(secret) });
  assert.equal(r2.statusCode, 303, `sign-in of ${email}`);
  return { b: s, id: staff.id };
}

export const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
