// SQL for staff credentials that must hold under concurrent requests: one-time links consumed with one
// UPDATE, sign-in attempts counted with one UPDATE (never read in JS, add one, write back), TOTP steps and
// recovery codes used once. Each statement either wins or changes nothing. All SQL of staff accounts
// and staff sessions is here; the service passes its transaction so audit entries commit with the change.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, StaffRole, StaffTokenPurpose } from '../../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export class StaffRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Replaces any unused link of this purpose for the person with a new one. */
  async issueToken(tx: Db, staffId: string, purpose: StaffTokenPurpose, tokenHash: string, ttlMs: number): Promise<void> {
    await this.revokeTokens(tx, staffId, [purpose]);
    await tx
      .insertInto('staff_tokens')
      .values({ token_hash: tokenHash, staff_id: staffId, purpose, expires_at: new Date(Date.now() + ttlMs) })
      .execute();
  }

  async revokeTokens(tx: Db, staffId: string, purposes: StaffTokenPurpose[]): Promise<void> {
    await tx
      .updateTable('staff_tokens')
      .set({ used_at: sql`now()` })
      .where('staff_id', '=', staffId)
      .where('purpose', 'in', purposes)
      .where('used_at', 'is', null)
      .execute();
  }

  /** The person an unused, unexpired link of this purpose names (without using it). */
  async tokenOwner(tokenHash: string, purpose: StaffTokenPurpose): Promise<string | undefined> {
    const r = await this.db
      .selectFrom('staff_tokens')
      .select('staff_id')
      .where('token_hash', '=', tokenHash)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .where('expires_at', '>', sql<Date>`now()`)
      .executeTakeFirst();
    return r?.staff_id;
  }

  /** Uses the link: of two concurrent uses exactly one gets the owner, the other undefined. */
  async consumeToken(tx: Db, tokenHash: string, purpose: StaffTokenPurpose): Promise<string | undefined> {
    const r = await tx
      .updateTable('staff_tokens')
      .set({ used_at: sql`now()` })
      .where('token_hash', '=', tokenHash)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .where('expires_at', '>', sql<Date>`now()`)
      .returning('staff_id')
      .executeTakeFirst();
    return r?.staff_id;
  }

  /**
   * Takes one attempt before the secret is checked, so parallel guesses cannot all pass a "not locked"
   * check made earlier. Returns the attempts counted so far (the lock starts when it reaches max), or
   * null while the account is locked. An expired lock starts a fresh count.
   */
  async takeAttempt(staffId: string, max: number, lockMinutes: number): Promise<number | null> {
    const next = sql`case when locked_until is not null and locked_until <= now() then 1 else failed_attempts + 1 end`;
    const r = await sql<{ failed_attempts: number }>`
      update staff set failed_attempts = ${next},
        locked_until = case when ${next} >= ${max} then now() + make_interval(mins => ${lockMinutes}) else null end
      where id = ${staffId} and (locked_until is null or locked_until <= now())
      returning failed_attempts`.execute(this.db);
    return r.rows[0] ? Number(r.rows[0].failed_attempts) : null;
  }

  /** Gives back an attempt that turned out right (the password step: only a full sign-in clears the count). */
  async refundAttempt(staffId: string, max: number): Promise<void> {
    await sql`update staff set failed_attempts = greatest(failed_attempts - 1, 0),
        locked_until = case when failed_attempts - 1 < ${max} then null else locked_until end
      where id = ${staffId}`.execute(this.db);
  }

  async clearAttempts(staffId: string): Promise<void> {
    await this.db.updateTable('staff').set({ failed_attempts: 0, locked_until: null }).where('id', '=', staffId).execute();
  }

  /** Records a TOTP step as used; false when it (or a later one) was used already (a replay). */
  async useTotpStep(staffId: string, step: number): Promise<boolean> {
    const r = await this.db
      .updateTable('staff')
      .set({ totp_last_step: step })
      .where('id', '=', staffId)
      .where('totp_last_step', '<', step)
      .returning('id')
      .executeTakeFirst();
    return !!r;
  }

  /** Removes one recovery code (given as its possible stored hashes); false when none of them is there. */
  async useRecoveryCode(staffId: string, hashes: string[]): Promise<boolean> {
    const arr = sql`array[${sql.join(hashes)}]::text[]`;
    const r = await sql<{ id: string }>`
      update staff set recovery_codes = recovery_codes - ${arr}
      where id = ${staffId} and jsonb_exists_any(recovery_codes, ${arr})
      returning id`.execute(this.db);
    return r.rows.length > 0;
  }

  async endSessions(tx: Db, staffId: string): Promise<void> {
    await tx
      .updateTable('staff_sessions')
      .set({ revoked_at: new Date() })
      .where('staff_id', '=', staffId)
      .where('revoked_at', 'is', null)
      .execute();
  }

  // ------------------------------------------------------------ accounts
  byId(id: string) {
    return this.db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
  }
  byEmail(email: string) {
    return this.db.selectFrom('staff').selectAll().where('email', '=', email).executeTakeFirst();
  }
  all() {
    return this.db.selectFrom('staff').selectAll().orderBy('email').execute();
  }
  ofAgency(agencyId: string) {
    return this.db.selectFrom('staff').selectAll().where('agency_id', '=', agencyId).orderBy('email').execute();
  }
  /** Agencies with the number of accounts set up (authenticator confirmed) by a moment (for monitoring). */
  async activeByAgency(at: Date): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('staff')
      .select(['agency_id'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('totp_enabled', '=', true)
      .where('agency_id', 'is not', null)
      .where('created_at', '<=', at)
      .groupBy('agency_id')
      .execute();
    return new Map(rows.flatMap((r) => (r.agency_id ? [[r.agency_id, Number(r.n)] as const] : [])));
  }
  /** The invited account (a new one, or the existing row with that email, unchanged). */
  invited(tx: Db, email: string, role: StaffRole, agencyId: string | null) {
    return tx
      .insertInto('staff')
      .values({ email, role, agency_id: agencyId })
      .onConflict((oc) => oc.column('email').doUpdateSet({ email }))
      .returningAll()
      .executeTakeFirstOrThrow();
  }
  /** Setup step 1: the password and the sealed authenticator key, only while the account is not set up. */
  async setUpPassword(id: string, passwordHash: string, sealedSecret: string): Promise<void> {
    await this.db
      .updateTable('staff')
      .set({ password_hash: passwordHash, totp_secret: sealedSecret, totp_enabled: false })
      .where('id', '=', id)
      .where('totp_enabled', '=', false)
      .execute();
  }
  /** Setup step 2: the authenticator is confirmed; false when the account was set up meanwhile. */
  async enableTotp(tx: Db, id: string, step: number, recoveryCodes: string[]): Promise<boolean> {
    const r = await tx
      .updateTable('staff')
      .set({ totp_enabled: true, totp_last_step: step, recovery_codes: JSON.stringify(recoveryCodes) })
      .where('id', '=', id)
      .where('totp_enabled', '=', false)
      .returning('id')
      .executeTakeFirst();
    return !!r;
  }
  async setPasswordHash(tx: Db, id: string, passwordHash: string): Promise<void> {
    await tx.updateTable('staff').set({ password_hash: passwordHash }).where('id', '=', id).execute();
  }
  /** The key and recovery codes stop working (an administrator's reset of a lost authenticator). */
  async clearAuthenticator(tx: Db, id: string): Promise<void> {
    await tx.updateTable('staff').set({ totp_secret: null, recovery_codes: '[]' }).where('id', '=', id).execute();
  }
  async setAuthenticator(tx: Db, id: string, sealedSecret: string, step: number, recoveryCodes: string[]): Promise<void> {
    await tx
      .updateTable('staff')
      .set({ totp_secret: sealedSecret, totp_last_step: step, recovery_codes: JSON.stringify(recoveryCodes) })
      .where('id', '=', id)
      .execute();
  }
  async setRecoveryCodes(tx: Db, id: string, recoveryCodes: string[]): Promise<void> {
    await tx
      .updateTable('staff')
      .set({ recovery_codes: JSON.stringify(recoveryCodes) })
      .where('id', '=', id)
      .execute();
  }
  async setRole(tx: Db, id: string, role: StaffRole): Promise<void> {
    await tx.updateTable('staff').set({ role }).where('id', '=', id).execute();
  }
  async setDeactivated(tx: Db, id: string, at: Date | null): Promise<void> {
    await tx.updateTable('staff').set({ deactivated_at: at }).where('id', '=', id).execute();
  }

  // ------------------------------------------------------------ sessions
  async insertSession(tokenHash: string, staffId: string, expiresAt: Date): Promise<void> {
    await this.db.insertInto('staff_sessions').values({ token_hash: tokenHash, staff_id: staffId, expires_at: expiresAt }).execute();
  }
  sessionByHash(tokenHash: string) {
    return this.db.selectFrom('staff_sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  }
  /** Both factors done (never for a session revoked meanwhile). */
  async passMfa(tx: Db, sessionId: string): Promise<void> {
    await tx.updateTable('staff_sessions').set({ mfa_passed: true }).where('id', '=', sessionId).where('revoked_at', 'is', null).execute();
  }
  async touchSession(sessionId: string): Promise<void> {
    await this.db
      .updateTable('staff_sessions')
      .set({ last_seen_at: sql`now()` })
      .where('id', '=', sessionId)
      .execute();
  }
  async revokeSession(tokenHash: string): Promise<void> {
    await this.db.updateTable('staff_sessions').set({ revoked_at: new Date() }).where('token_hash', '=', tokenHash).execute();
  }

  transaction<T>(fn: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }
}
