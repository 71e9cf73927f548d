// Signed-in people for route and browser tests: a citizen session and a staff session (both factors
// passed) made directly in the database, plus a cookie-keeping client for app.inject.
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../src/context.ts';
import type { StaffRole } from '../../src/db/schema.ts';
import { browserFor } from './sessions.ts';

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

/** A valid Iranian national ID (check digit computed) from a 9-digit seed. */
export function nationalId(seed: number): string {
  const body = String(100000000 + (seed % 800000000)).slice(0, 9);
  const sum = [...body].reduce((s, d, i) => s + Number(d) * (10 - i), 0) % 11;
  return body + String(sum < 2 ? sum : 11 - sum);
}

export async function citizenSession(
  ctx: AppContext,
  seed = crypto.randomInt(1, 700000000),
): Promise<{ id: string; nationalId: string; mobile: string; cookie: string }> {
  const nid = nationalId(seed);
  const mobile = `0912${String(seed % 10000000).padStart(7, '0')}`;
  const s = await sessionOf(ctx, nid, mobile);
  return { id: s.id, nationalId: nid, mobile, cookie: `session=${s.token}` };
}

/** A signed-in session for this national ID and mobile (the citizen is made, or given this mobile). */
export async function sessionOf(ctx: AppContext, nid: string, mobile: string): Promise<{ id: string; token: string }> {
  const c = await ctx.database.db
    .insertInto('citizens')
    .values({ national_id: nid, mobile })
    .onConflict((oc) => oc.column('national_id').doUpdateSet({ mobile }))
    .returningAll()
    .executeTakeFirstOrThrow();
  const token = crypto.randomBytes(32).toString('base64url');
  await ctx.database.db
    .insertInto('sessions')
    .values({ token_hash: sha256(token), citizen_id: c.id, expires_at: new Date(Date.now() + 3600_000) })
    .execute();
  return { id: c.id, token };
}

export async function staffSession(
  ctx: AppContext,
  role: StaffRole,
  agencyId: string | null,
  name: string = role,
): Promise<{ id: string; cookie: string }> {
  const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.${crypto.randomBytes(4).toString('hex')}@example.ir`;
  const s = await ctx.database.db
    .insertInto('staff')
    .values({ email, name, role, agency_id: agencyId, totp_enabled: true })
    .returningAll()
    .executeTakeFirstOrThrow();
  const token = crypto.randomBytes(32).toString('base64url');
  await ctx.database.db
    .insertInto('staff_sessions')
    .values({ token_hash: sha256(token), staff_id: s.id, mfa_passed: true, expires_at: new Date(Date.now() + 3600_000) })
    .execute();
  return { id: s.id, cookie: `staff=${token}` };
}

export { multipart, type Part } from './multipart.ts';

/** A client that keeps cookies and the latest CSRF token, starting from a session cookie. */
export const client = (app: FastifyInstance, cookie: string) => browserFor({ app }, cookie);

export const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from(
    '0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4a20000000049454e44ae426082',
    'hex',
  ),
]);
export const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/MediaBox[0 0 200 200]/Parent 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
