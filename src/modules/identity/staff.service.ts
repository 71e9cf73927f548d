// Staff accounts: invitation by a one-time setup link, password (argon2id) and a mandatory TOTP second
// factor with recovery codes, lock-out after repeated failures, staff sessions. No HTTP; all SQL in
// StaffRepository. Every audit entry is written in the transaction of the change it records.
// Links have one purpose each (staff_tokens): an invitation sets up a new account, a reset sets a password
// only, an authenticator link (after an administrator's reset) a new authenticator only. Attempts are
// counted in the database before a secret is checked (StaffRepository.takeAttempt), so parallel guesses
// all count.
import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { authenticator } from 'otplib';
import type { Kysely, Selectable } from 'kysely';
import type { Config } from '../../config.ts';
import type { Database, StaffRole, StaffTable, StaffTokenPurpose } from '../../db/schema.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { randomToken, seal, sha256, unseal } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { StaffRepository } from './staff.repository.ts';

export type StaffRow = Selectable<StaffTable>;
export const MAX_FAILURES = 5;
export const LOCK_MINUTES = 15;
const TOKEN_TTL: Record<StaffTokenPurpose, number> = {
  invitation: 24 * 3600_000,
  'password-reset': 3600_000,
  authenticator: 24 * 3600_000,
};
authenticator.options = { window: 1 };

/** The 30-second step a code belongs to, or null when it is not valid now (window: one step either side). */
function totpStep(code: string, secret: string): number | null {
  const delta = authenticator.checkDelta(code, secret);
  return delta === null ? null : Math.floor(Date.now() / 30_000) + delta;
}

const newRecoveryCodes = () => Array.from({ length: 10 }, () => randomToken(6).replace(/[-_]/g, 'x').slice(0, 8).toUpperCase());

/** Agencies with the number of staff accounts set up (authenticator confirmed) by a moment (for monitoring). */
export function activeAccountsByAgency(db: Kysely<Database>, at: Date): Promise<Map<string, number>> {
  return new StaffRepository(db).activeByAgency(at);
}

export class StaffService {
  private readonly repo: StaffRepository;
  constructor(
    private readonly db: Kysely<Database>,
    private readonly config: Config,
    readonly audit: AuditLog,
  ) {
    this.repo = new StaffRepository(db);
  }

  /** Creates an account (or renews a pending invitation) and returns the one-time setup token (valid 24 h). An account already set up is refused: it has its own authenticator. */
  async invite(email: string, role: StaffRole, agencyId: string | null, by: string): Promise<{ staff: StaffRow; token: string }> {
    const e = email.trim().toLowerCase();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e)) throw new AppError('VALIDATION_FAILED', `"${email}" is not an email address.`);
    const token = randomToken();
    const staff = await this.repo.transaction(async (tx) => {
      const s = await this.repo.invited(tx, e, role, agencyId);
      if (s.totp_enabled || s.deactivated_at) throw new AppError('STAFF_ALREADY_SET_UP');
      await this.repo.issueToken(tx, s.id, 'invitation', sha256(token), TOKEN_TTL.invitation);
      await this.audit.record({ actor: by, action: 'staff.invited', subject: s.id, detail: { role, agencyId } }, tx);
      return s;
    });
    return { staff, token };
  }

  /** The account an unused link of exactly this purpose names, in the state that purpose needs; otherwise undefined. */
  async byToken(token: string, purpose: StaffTokenPurpose): Promise<StaffRow | undefined> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
    const id = await this.repo.tokenOwner(sha256(token), purpose);
    const s = id ? await this.byId(id) : undefined;
    if (!s || s.deactivated_at) return undefined;
    if (purpose === 'invitation') return s.totp_enabled ? undefined : s;
    if (purpose === 'password-reset') return s.totp_enabled && s.totp_secret ? s : undefined;
    return s.totp_enabled && !s.totp_secret ? s : undefined;
  }

  /** Step 1 of setup: the password. Returns the new TOTP secret to show once. Only for an account not set up yet. */
  async setPassword(staff: StaffRow, password: string): Promise<string> {
    const secret = authenticator.generateSecret();
    await this.repo.setUpPassword(staff.id, await hash(password), seal(this.config.SESSION_SECRET, 'totp', secret));
    return secret;
  }

  totpSecret(staff: StaffRow): string | null {
    return staff.totp_secret ? unseal(this.config.SESSION_SECRET, 'totp', staff.totp_secret) : null;
  }

  /** Recovery codes are stored as keyed hashes (the stored value reveals nothing without SESSION_SECRET). */
  private codeHash(code: string): string {
    return crypto.createHmac('sha256', this.config.SESSION_SECRET).update(`staff-recovery-code\u0000${code}`).digest('hex');
  }

  /** Step 2: proves the authenticator works; ends setup and returns 10 recovery codes to show once. */
  async confirmTotp(staff: StaffRow, code: string): Promise<string[] | null> {
    const r = await this.finishInvitation(staff, code, null);
    return Array.isArray(r) ? r : null;
  }

  /** Step 2 from the invitation link: the link is used here, once (of two concurrent uses one wins). */
  async completeInvitation(token: string, code: string): Promise<string[] | 'bad-link' | 'bad-code'> {
    const staff = await this.byToken(token, 'invitation');
    return staff ? this.finishInvitation(staff, code, token) : 'bad-link';
  }

  private async finishInvitation(staff: StaffRow, code: string, token: string | null): Promise<string[] | 'bad-link' | 'bad-code'> {
    const secret = this.totpSecret(staff);
    const step = secret && /^\d{6}$/.test(code) ? totpStep(code, secret) : null;
    if (step === null) return 'bad-code';
    const codes = newRecoveryCodes();
    const done = await this.repo.transaction(async (tx) => {
      if (token && !(await this.repo.consumeToken(tx, sha256(token), 'invitation'))) return false;
      await this.repo.revokeTokens(tx, staff.id, ['invitation']);
      if (
        !(await this.repo.enableTotp(
          tx,
          staff.id,
          step,
          codes.map((c) => this.codeHash(c)),
        ))
      )
        return false;
      await this.audit.record({ actor: `staff:${staff.id}`, action: 'staff.setup-completed', subject: staff.id }, tx);
      return true;
    });
    return done ? codes : 'bad-link';
  }

  /** Every staff account (for choosing assessors and reviewers). */
  listAll(): Promise<StaffRow[]> {
    return this.repo.all();
  }

  activeAccountsByAgency(at: Date): Promise<Map<string, number>> {
    return this.repo.activeByAgency(at);
  }

  listByAgency(agencyId: string): Promise<StaffRow[]> {
    return this.repo.ofAgency(agencyId);
  }

  /** A password-reset token (1 hour) for an active account, or null when there is none (the caller says the same either way). */
  async requestReset(email: string): Promise<{ staff: StaffRow; token: string } | null> {
    const staff = await this.repo.byEmail(email.trim().toLowerCase());
    if (!staff || !staff.totp_enabled || !staff.totp_secret || staff.deactivated_at) return null;
    const token = randomToken();
    await this.repo.transaction(async (tx) => {
      await this.repo.issueToken(tx, staff.id, 'password-reset', sha256(token), TOKEN_TTL['password-reset']);
      await this.audit.record({ actor: 'anonymous', action: 'staff.password-reset-requested', subject: staff.id }, tx);
    });
    return { staff, token };
  }

  /**
   * Sets a new password with the emailed link, and nothing else: the authenticator stays, so signing in
   * still needs it (or a recovery code). The link is used once; every session of the account ends.
   */
  async resetPassword(token: string, password: string, ipHash: string): Promise<'ok' | 'bad-link'> {
    const staff = await this.byToken(token, 'password-reset');
    if (!staff) return 'bad-link';
    const passwordHash = await hash(password);
    const done = await this.repo.transaction(async (tx) => {
      if ((await this.repo.consumeToken(tx, sha256(token), 'password-reset')) !== staff.id) return false;
      await this.repo.revokeTokens(tx, staff.id, ['password-reset']);
      await this.repo.setPasswordHash(tx, staff.id, passwordHash);
      await this.repo.endSessions(tx, staff.id);
      await this.audit.record({ actor: `staff:${staff.id}`, action: 'staff.password-reset', subject: staff.id, ipHash }, tx);
      return true;
    });
    return done ? 'ok' : 'bad-link';
  }

  /**
   * A lost authenticator, by another administrator: the old key and recovery codes stop working, every
   * session and outstanding link of the account ends, and a link to set up a new authenticator (24 h) is
   * returned for the person's email. Their password stays and is asked for on that link. `by` null: the
   * operator of the server (`panjereh admin reset-authenticator`), for staff no administrator page covers.
   */
  async resetAuthenticator(target: StaffRow, by: StaffRow | null): Promise<string> {
    if (target.id === by?.id) throw new AppError('STAFF_SELF_CHANGE');
    if (!target.totp_enabled || target.deactivated_at) throw new AppError('STAFF_NOT_SET_UP');
    const token = randomToken();
    await this.repo.transaction(async (tx) => {
      await this.repo.clearAuthenticator(tx, target.id);
      await this.repo.revokeTokens(tx, target.id, ['password-reset', 'authenticator']);
      await this.repo.issueToken(tx, target.id, 'authenticator', sha256(token), TOKEN_TTL.authenticator);
      await this.repo.endSessions(tx, target.id);
      await this.audit.record({ actor: by ? `staff:${by.id}` : 'cli', action: 'staff.authenticator-reset', subject: target.id }, tx);
    });
    return token;
  }

  /** A new authenticator key to show, and the same key sealed for the form that confirms it (30 minutes, this account only). */
  newAuthenticator(staff: StaffRow): { secret: string; pending: string } {
    const secret = authenticator.generateSecret();
    return {
      secret,
      pending: seal(this.config.SESSION_SECRET, 'totp-pending', JSON.stringify({ s: staff.id, k: secret, e: Date.now() + 30 * 60_000 })),
    };
  }

  /** The key a form carried, when it was made for this account and is still fresh. */
  pendingSecret(staff: StaffRow, pending: string): string | null {
    try {
      const p = JSON.parse(unseal(this.config.SESSION_SECRET, 'totp-pending', pending)) as { s: string; k: string; e: number };
      return p.s === staff.id && p.e > Date.now() && typeof p.k === 'string' ? p.k : null;
    } catch {
      return null;
    }
  }

  /** The password again, for changes to one's own credentials; counted like a sign-in attempt. */
  async checkPassword(staff: StaffRow, password: string, what: string, ipHash: string): Promise<'ok' | 'invalid' | 'locked'> {
    const n = await this.repo.takeAttempt(staff.id, MAX_FAILURES, LOCK_MINUTES);
    if (n === null) return 'locked';
    if (staff.password_hash && (await verify(staff.password_hash, password))) {
      await this.repo.refundAttempt(staff.id, MAX_FAILURES);
      return 'ok';
    }
    await this.failed(staff, what, ipHash, n);
    return n >= MAX_FAILURES ? 'locked' : 'invalid';
  }

  /**
   * A new authenticator: from an administrator's reset link (token) or signed in (no token). Needs the
   * password and a code from the new key; ends every session of the account and returns new recovery codes.
   */
  async replaceAuthenticator(
    staff: StaffRow,
    input: { token?: string; pending: string; password: string; code: string; ipHash: string },
  ): Promise<string[] | 'bad-link' | 'bad-password' | 'bad-code' | 'locked'> {
    const secret = this.pendingSecret(staff, input.pending);
    if (!secret) return 'bad-link';
    const pw = await this.checkPassword(staff, input.password, 'new-authenticator', input.ipHash);
    if (pw !== 'ok') return pw === 'locked' ? 'locked' : 'bad-password';
    const code = input.code.replace(/\s/g, '');
    const step = /^\d{6}$/.test(code) ? totpStep(code, secret) : null;
    if (step === null) return 'bad-code';
    const codes = newRecoveryCodes();
    const done = await this.repo.transaction(async (tx) => {
      if (input.token !== undefined && (await this.repo.consumeToken(tx, sha256(input.token), 'authenticator')) !== staff.id) return false;
      await this.repo.revokeTokens(tx, staff.id, ['authenticator', 'password-reset']);
      await this.repo.setAuthenticator(
        tx,
        staff.id,
        seal(this.config.SESSION_SECRET, 'totp', secret),
        step,
        codes.map((c) => this.codeHash(c)),
      );
      await this.repo.endSessions(tx, staff.id);
      await this.audit.record(
        {
          actor: `staff:${staff.id}`,
          action: 'staff.authenticator-changed',
          subject: staff.id,
          ipHash: input.ipHash,
          detail: { via: input.token ? 'administrator-reset' : 'signed-in' },
        },
        tx,
      );
      return true;
    });
    return done ? codes : 'bad-link';
  }

  /** Ten new recovery codes for a signed-in staff member (with the password); the old ones stop working. */
  async regenerateRecoveryCodes(staff: StaffRow, password: string, ipHash: string): Promise<string[] | 'bad-password' | 'locked'> {
    const pw = await this.checkPassword(staff, password, 'recovery-codes', ipHash);
    if (pw !== 'ok') return pw === 'locked' ? 'locked' : 'bad-password';
    const codes = newRecoveryCodes();
    await this.repo.transaction(async (tx) => {
      await this.repo.setRecoveryCodes(
        tx,
        staff.id,
        codes.map((c) => this.codeHash(c)),
      );
      await this.audit.record({ actor: `staff:${staff.id}`, action: 'staff.recovery-codes-regenerated', subject: staff.id, ipHash }, tx);
    });
    return codes;
  }

  /** An agency administrator changes a colleague's role within the agency (never their own). */
  async changeRole(target: StaffRow, role: StaffRole, by: StaffRow): Promise<void> {
    if (target.id === by.id) throw new AppError('STAFF_SELF_CHANGE');
    if (target.role === role) return;
    await this.repo.transaction(async (tx) => {
      await this.repo.setRole(tx, target.id, role);
      await this.audit.record(
        {
          actor: `staff:${by.id}`,
          action: 'staff.role-changed',
          subject: target.id,
          detail: { before: { role: target.role }, after: { role } },
        },
        tx,
      );
    });
  }

  /** Deactivates (or reactivates) an account. Deactivation ends every session and outstanding link the person has. */
  async setActive(target: StaffRow, active: boolean, by: StaffRow): Promise<void> {
    if (target.id === by.id) throw new AppError('STAFF_SELF_CHANGE');
    if (active === !target.deactivated_at) return;
    await this.repo.transaction(async (tx) => {
      await this.repo.setDeactivated(tx, target.id, active ? null : new Date());
      if (!active) {
        await this.repo.endSessions(tx, target.id);
        await this.repo.revokeTokens(tx, target.id, ['invitation', 'password-reset', 'authenticator']);
      }
      await this.audit.record(
        {
          actor: `staff:${by.id}`,
          action: active ? 'staff.reactivated' : 'staff.deactivated',
          subject: target.id,
          detail: { before: { active: !active }, after: { active } },
        },
        tx,
      );
    });
  }

  async byId(id: string): Promise<StaffRow | undefined> {
    return this.repo.byId(id);
  }

  private async failed(staff: StaffRow, what: string, ipHash: string, failures: number): Promise<void> {
    await this.audit.record({
      actor: `staff:${staff.id}`,
      action: `staff.sign-in-failed`,
      subject: staff.id,
      ipHash,
      detail: { step: what, failures },
    });
  }

  /** Step 1 of sign-in. On success, a session that still needs the second factor. */
  async signInPassword(
    email: string,
    password: string,
    ipHash: string,
  ): Promise<{ ok: true; token: string } | { ok: false; reason: 'invalid' | 'locked' }> {
    const staff = await this.repo.byEmail(email.trim().toLowerCase());
    if (!staff || !staff.password_hash || !staff.totp_enabled || !staff.totp_secret || staff.deactivated_at) {
      await hash(password); // same work whether or not the account exists
      return { ok: false, reason: 'invalid' };
    }
    const r = await this.checkPassword(staff, password, 'password', ipHash);
    if (r !== 'ok') return { ok: false, reason: r };
    const token = randomToken();
    await this.repo.insertSession(sha256(token), staff.id, new Date(Date.now() + this.config.SESSION_ABSOLUTE_HOURS * 3600_000));
    return { ok: true, token };
  }

  /** Step 2: a TOTP code (each time step once, even for concurrent requests) or an unused recovery code (once). */
  async signInSecondFactor(
    token: string,
    code: string,
    ipHash: string,
  ): Promise<{ ok: true } | { ok: false; reason: 'invalid' | 'locked' | 'no-session' }> {
    const found = await this.session(token, { requireMfa: false });
    if (!found) return { ok: false, reason: 'no-session' };
    const { staff, session } = found;
    const secret = this.totpSecret(staff);
    if (!secret) return { ok: false, reason: 'no-session' };
    const n = await this.repo.takeAttempt(staff.id, MAX_FAILURES, LOCK_MINUTES);
    if (n === null) return { ok: false, reason: 'locked' };
    const clean = code.replace(/\s/g, '').toUpperCase();
    const step = /^\d{6}$/.test(clean) ? totpStep(clean, secret) : null;
    let ok = step !== null && (await this.repo.useTotpStep(staff.id, step));
    if (!ok && /^[A-Z0-9]{8}$/.test(clean)) ok = await this.repo.useRecoveryCode(staff.id, [this.codeHash(clean), sha256(clean)]);
    if (!ok) {
      await this.failed(staff, 'second-factor', ipHash, n);
      return { ok: false, reason: n >= MAX_FAILURES ? 'locked' : 'invalid' };
    }
    await this.repo.clearAttempts(staff.id);
    await this.repo.transaction(async (tx) => {
      await this.repo.passMfa(tx, session.id);
      await this.audit.record({ actor: `staff:${staff.id}`, action: 'staff.signed-in', subject: staff.id, ipHash }, tx);
    });
    return { ok: true };
  }

  /** Recovery codes not used yet (for the account page). */
  recoveryCodesLeft(staff: StaffRow): number {
    return staff.recovery_codes.length;
  }

  /** The staff member a session token names (after both factors unless told otherwise). */
  async session(token: string | undefined, opts: { requireMfa: boolean } = { requireMfa: true }) {
    if (!token || token.length > 100) return null;
    const session = await this.repo.sessionByHash(sha256(token));
    if (!session || session.revoked_at || new Date(session.expires_at).getTime() <= Date.now()) return null;
    if (Date.now() - new Date(session.last_seen_at).getTime() > this.config.SESSION_IDLE_MINUTES * 60_000) return null;
    if (opts.requireMfa && !session.mfa_passed) return null;
    if (Date.now() - new Date(session.last_seen_at).getTime() > 60_000) await this.repo.touchSession(session.id);
    const staff = await this.byId(session.staff_id);
    return staff && !staff.deactivated_at ? { staff, session } : null;
  }

  async signOut(token: string): Promise<void> {
    await this.repo.revokeSession(sha256(token));
  }
}
