// Staff accounts: invitation by a one-time setup link, password (argon2id) and a mandatory TOTP second
// factor with recovery codes, lock-out after repeated failures, staff sessions. No HTTP, no SQL strings.
import { hash, verify } from '@node-rs/argon2';
import { authenticator } from 'otplib';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Config } from '../../config.ts';
import type { Database, StaffRole, StaffTable } from '../../db/schema.ts';
import { AuditLog } from '../../platform/audit.ts';
import { randomToken, seal, sha256, unseal } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';

export type StaffRow = Selectable<StaffTable>;
export const MAX_FAILURES = 5;
export const LOCK_MINUTES = 15;
authenticator.options = { window: 1 };

/** The 30-second step a code belongs to, or null when it is not valid now (window: one step either side). */
function totpStep(code: string, secret: string): number | null {
  const delta = authenticator.checkDelta(code, secret);
  return delta === null ? null : Math.floor(Date.now() / 30_000) + delta;
}

/** Agencies with the number of staff accounts set up (authenticator confirmed) by a moment (for monitoring). */
export async function activeAccountsByAgency(db: Kysely<Database>, at: Date): Promise<Map<string, number>> {
  const rows = await db.selectFrom('staff').select(['agency_id']).select((eb) => eb.fn.countAll<number>().as('n')).where('totp_enabled', '=', true).where('agency_id', 'is not', null).where('created_at', '<=', at).groupBy('agency_id').execute();
  return new Map(rows.map((r) => [r.agency_id!, Number(r.n)]));
}

export class StaffService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly config: Config,
    readonly audit: AuditLog,
  ) {}

  /** Creates an account (or renews its invitation) and returns the one-time setup token (valid 24 h). */
  async invite(email: string, role: StaffRole, agencyId: string | null, by: string): Promise<{ staff: StaffRow; token: string }> {
    const e = email.trim().toLowerCase();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e)) throw new AppError('VALIDATION_FAILED', `"${email}" is not an email address.`);
    const token = randomToken();
    const staff = await this.db
      .insertInto('staff')
      .values({ email: e, role, agency_id: agencyId, setup_token_hash: sha256(token), setup_expires_at: new Date(Date.now() + 24 * 3600_000) })
      .onConflict((oc) => oc.column('email').doUpdateSet({ setup_token_hash: sha256(token), setup_expires_at: new Date(Date.now() + 24 * 3600_000) }))
      .returningAll()
      .executeTakeFirstOrThrow();
    await this.audit.record({ actor: by, action: 'staff.invited', subject: staff.id, detail: { role, agencyId } });
    return { staff, token };
  }

  async bySetupToken(token: string): Promise<StaffRow | undefined> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
    const s = await this.db.selectFrom('staff').selectAll().where('setup_token_hash', '=', sha256(token)).executeTakeFirst();
    return s && s.setup_expires_at && new Date(s.setup_expires_at).getTime() > Date.now() ? s : undefined;
  }

  /** Step 1 of setup: the password. Returns the new TOTP secret to show once. */
  async setPassword(staff: StaffRow, password: string): Promise<string> {
    const secret = authenticator.generateSecret();
    await this.db
      .updateTable('staff')
      .set({ password_hash: await hash(password), totp_secret: seal(this.config.SESSION_SECRET!, 'totp', secret), totp_enabled: false })
      .where('id', '=', staff.id)
      .execute();
    return secret;
  }

  totpSecret(staff: StaffRow): string | null {
    return staff.totp_secret ? unseal(this.config.SESSION_SECRET!, 'totp', staff.totp_secret) : null;
  }

  /** Step 2: proves the authenticator works; ends setup and returns 10 recovery codes to show once. */
  async confirmTotp(staff: StaffRow, code: string): Promise<string[] | null> {
    const secret = this.totpSecret(staff);
    const step = secret && /^\d{6}$/.test(code) ? totpStep(code, secret) : null;
    if (step === null) return null;
    const codes = Array.from({ length: 10 }, () => randomToken(6).replace(/[-_]/g, 'x').slice(0, 8).toUpperCase());
    await this.db
      .updateTable('staff')
      .set({ totp_enabled: true, totp_last_step: step, recovery_codes: JSON.stringify(codes.map(sha256)), setup_token_hash: null, setup_expires_at: null })
      .where('id', '=', staff.id)
      .execute();
    await this.audit.record({ actor: `staff:${staff.id}`, action: 'staff.setup-completed', subject: staff.id });
    return codes;
  }

  /** Every staff account (for choosing assessors and reviewers). */
  listAll(): Promise<StaffRow[]> {
    return this.db.selectFrom('staff').selectAll().orderBy('email').execute();
  }

  activeAccountsByAgency(at: Date): Promise<Map<string, number>> {
    return activeAccountsByAgency(this.db, at);
  }

  listByAgency(agencyId: string): Promise<StaffRow[]> {
    return this.db.selectFrom('staff').selectAll().where('agency_id', '=', agencyId).orderBy('email').execute();
  }

  /** A password-reset token (1 hour) for an active account, or null when there is none (the caller says the same either way). */
  async requestReset(email: string): Promise<{ staff: StaffRow; token: string } | null> {
    const staff = await this.db.selectFrom('staff').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
    if (!staff || !staff.totp_enabled || staff.deactivated_at) return null;
    const token = randomToken();
    await this.db.updateTable('staff').set({ setup_token_hash: sha256(token), setup_expires_at: new Date(Date.now() + 3600_000) }).where('id', '=', staff.id).execute();
    await this.audit.record({ actor: 'anonymous', action: 'staff.password-reset-requested', subject: staff.id });
    return { staff, token };
  }

  /** Sets a new password with the emailed token AND the authenticator (or a recovery code): email alone is not enough. */
  async resetPassword(token: string, password: string, code: string, ipHash: string): Promise<'ok' | 'bad-link' | 'bad-code' | 'locked'> {
    const staff = await this.bySetupToken(token);
    if (!staff || !staff.totp_enabled) return 'bad-link';
    if (this.locked(staff)) return 'locked';
    const clean = code.replace(/\s/g, '').toUpperCase();
    const step = /^\d{6}$/.test(clean) ? totpStep(clean, this.totpSecret(staff)!) : null;
    let ok = step !== null && step > Number(staff.totp_last_step);
    let recovery = staff.recovery_codes;
    if (!ok && /^[A-Z0-9]{8}$/.test(clean)) {
      recovery = staff.recovery_codes.filter((h) => h !== sha256(clean));
      ok = recovery.length < staff.recovery_codes.length;
    }
    if (!ok) {
      await this.fail(staff, 'password-reset', ipHash);
      return staff.failed_attempts + 1 >= MAX_FAILURES ? 'locked' : 'bad-code';
    }
    await this.db
      .updateTable('staff')
      .set({ password_hash: await hash(password), setup_token_hash: null, setup_expires_at: null, failed_attempts: 0, locked_until: null, recovery_codes: JSON.stringify(recovery), ...(step !== null ? { totp_last_step: step } : {}) })
      .where('id', '=', staff.id)
      .execute();
    await this.db.updateTable('staff_sessions').set({ revoked_at: new Date() }).where('staff_id', '=', staff.id).where('revoked_at', 'is', null).execute();
    await this.audit.record({ actor: `staff:${staff.id}`, action: 'staff.password-reset', subject: staff.id, ipHash });
    return 'ok';
  }

  /** An agency administrator changes a colleague's role within the agency (never their own). */
  async changeRole(target: StaffRow, role: StaffRole, by: StaffRow): Promise<void> {
    if (target.id === by.id) throw new AppError('STAFF_SELF_CHANGE');
    if (target.role === role) return;
    await this.db.updateTable('staff').set({ role }).where('id', '=', target.id).execute();
    await this.audit.record({ actor: `staff:${by.id}`, action: 'staff.role-changed', subject: target.id, detail: { before: { role: target.role }, after: { role } } });
  }

  /** Deactivates (or reactivates) an account. Deactivation ends every session the person has. */
  async setActive(target: StaffRow, active: boolean, by: StaffRow): Promise<void> {
    if (target.id === by.id) throw new AppError('STAFF_SELF_CHANGE');
    if (active === !target.deactivated_at) return;
    await this.db.transaction().execute(async (tx) => {
      await tx.updateTable('staff').set({ deactivated_at: active ? null : new Date() }).where('id', '=', target.id).execute();
      if (!active) await tx.updateTable('staff_sessions').set({ revoked_at: new Date() }).where('staff_id', '=', target.id).where('revoked_at', 'is', null).execute();
    });
    await this.audit.record({ actor: `staff:${by.id}`, action: active ? 'staff.reactivated' : 'staff.deactivated', subject: target.id, detail: { before: { active: !active }, after: { active } } });
  }

  async byId(id: string): Promise<StaffRow | undefined> {
    return this.db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
  }

  private async fail(staff: StaffRow, what: string, ipHash: string): Promise<void> {
    const failures = staff.failed_attempts + 1;
    await this.db
      .updateTable('staff')
      .set({ failed_attempts: failures, locked_until: failures >= MAX_FAILURES ? new Date(Date.now() + LOCK_MINUTES * 60_000) : null })
      .where('id', '=', staff.id)
      .execute();
    await this.audit.record({ actor: `staff:${staff.id}`, action: `staff.sign-in-failed`, subject: staff.id, ipHash, detail: { step: what, failures } });
  }

  private locked(staff: StaffRow): boolean {
    return !!staff.locked_until && new Date(staff.locked_until).getTime() > Date.now();
  }

  /** Step 1 of sign-in. On success, a session that still needs the second factor. */
  async signInPassword(email: string, password: string, ipHash: string): Promise<{ ok: true; token: string } | { ok: false; reason: 'invalid' | 'locked' }> {
    const staff = await this.db.selectFrom('staff').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
    if (!staff || !staff.password_hash || !staff.totp_enabled || staff.deactivated_at) {
      await hash(password); // same work whether or not the account exists
      return { ok: false, reason: 'invalid' };
    }
    if (this.locked(staff)) return { ok: false, reason: 'locked' };
    if (!(await verify(staff.password_hash, password))) {
      await this.fail(staff, 'password', ipHash);
      return { ok: false, reason: staff.failed_attempts + 1 >= MAX_FAILURES ? 'locked' : 'invalid' };
    }
    const token = randomToken();
    await this.db.insertInto('staff_sessions').values({ token_hash: sha256(token), staff_id: staff.id, expires_at: new Date(Date.now() + this.config.SESSION_ABSOLUTE_HOURS * 3600_000) }).execute();
    return { ok: true, token };
  }

  /** Step 2: a TOTP code or an unused recovery code. */
  async signInSecondFactor(token: string, code: string, ipHash: string): Promise<{ ok: true } | { ok: false; reason: 'invalid' | 'locked' | 'no-session' }> {
    const found = await this.session(token, { requireMfa: false });
    if (!found) return { ok: false, reason: 'no-session' };
    const { staff, session } = found;
    if (this.locked(staff)) return { ok: false, reason: 'locked' };
    const clean = code.replace(/\s/g, '').toUpperCase();
    // A code is accepted once: its time step must be later than the last one used (no replay).
    const step = /^\d{6}$/.test(clean) ? totpStep(clean, this.totpSecret(staff)!) : null;
    let ok = step !== null && step > Number(staff.totp_last_step);
    if (ok) await this.db.updateTable('staff').set({ totp_last_step: step! }).where('id', '=', staff.id).execute();
    if (!ok && /^[A-Z0-9]{8}$/.test(clean)) {
      const left = staff.recovery_codes.filter((h) => h !== sha256(clean));
      if (left.length < staff.recovery_codes.length) {
        ok = true;
        await this.db.updateTable('staff').set({ recovery_codes: JSON.stringify(left) }).where('id', '=', staff.id).execute();
      }
    }
    if (!ok) {
      await this.fail(staff, 'second-factor', ipHash);
      return { ok: false, reason: staff.failed_attempts + 1 >= MAX_FAILURES ? 'locked' : 'invalid' };
    }
    await this.db.updateTable('staff').set({ failed_attempts: 0, locked_until: null }).where('id', '=', staff.id).execute();
    await this.db.updateTable('staff_sessions').set({ mfa_passed: true }).where('id', '=', session.id).execute();
    await this.audit.record({ actor: `staff:${staff.id}`, action: 'staff.signed-in', subject: staff.id, ipHash });
    return { ok: true };
  }

  /** The staff member a session token names (after both factors unless told otherwise). */
  async session(token: string | undefined, opts: { requireMfa: boolean } = { requireMfa: true }) {
    if (!token || token.length > 100) return null;
    const session = await this.db.selectFrom('staff_sessions').selectAll().where('token_hash', '=', sha256(token)).executeTakeFirst();
    if (!session || session.revoked_at || new Date(session.expires_at).getTime() <= Date.now()) return null;
    if (Date.now() - new Date(session.last_seen_at).getTime() > this.config.SESSION_IDLE_MINUTES * 60_000) return null;
    if (opts.requireMfa && !session.mfa_passed) return null;
    if (Date.now() - new Date(session.last_seen_at).getTime() > 60_000) await this.db.updateTable('staff_sessions').set({ last_seen_at: sql`now()` }).where('id', '=', session.id).execute();
    const staff = await this.byId(session.staff_id);
    return staff && !staff.deactivated_at ? { staff, session } : null;
  }

  async signOut(token: string): Promise<void> {
    await this.db.updateTable('staff_sessions').set({ revoked_at: new Date() }).where('token_hash', '=', sha256(token)).execute();
  }
}
