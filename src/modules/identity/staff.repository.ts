// SQL for staff credentials that must hold under concurrent requests: one-time links consumed with one
// UPDATE, sign-in attempts counted with one UPDATE (never read in JS, add one, write back), TOTP steps and
// recovery codes used once. Each statement either wins or changes nothing.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, StaffTokenPurpose } from '../../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export class StaffRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Replaces any unused link of this purpose for the person with a new one. */
  async issueToken(tx: Db, staffId: string, purpose: StaffTokenPurpose, tokenHash: string, ttlMs: number): Promise<void> {
    await this.revokeTokens(tx, staffId, [purpose]);
    await tx.insertInto('staff_tokens').values({ token_hash: tokenHash, staff_id: staffId, purpose, expires_at: new Date(Date.now() + ttlMs) }).execute();
  }

  async revokeTokens(tx: Db, staffId: string, purposes: StaffTokenPurpose[]): Promise<void> {
    await tx.updateTable('staff_tokens').set({ used_at: sql`now()` }).where('staff_id', '=', staffId).where('purpose', 'in', purposes).where('used_at', 'is', null).execute();
  }

  /** The person an unused, unexpired link of this purpose names (without using it). */
  async tokenOwner(tokenHash: string, purpose: StaffTokenPurpose): Promise<string | undefined> {
    const r = await this.db.selectFrom('staff_tokens').select('staff_id').where('token_hash', '=', tokenHash).where('purpose', '=', purpose).where('used_at', 'is', null).where('expires_at', '>', sql<Date>`now()`).executeTakeFirst();
    return r?.staff_id;
  }

  /** Uses the link: of two concurrent uses exactly one gets the owner, the other undefined. */
  async consumeToken(tx: Db, tokenHash: string, purpose: StaffTokenPurpose): Promise<string | undefined> {
    const r = await tx.updateTable('staff_tokens').set({ used_at: sql`now()` }).where('token_hash', '=', tokenHash).where('purpose', '=', purpose).where('used_at', 'is', null).where('expires_at', '>', sql<Date>`now()`).returning('staff_id').executeTakeFirst();
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
    const r = await this.db.updateTable('staff').set({ totp_last_step: step }).where('id', '=', staffId).where('totp_last_step', '<', step).returning('id').executeTakeFirst();
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
    await tx.updateTable('staff_sessions').set({ revoked_at: new Date() }).where('staff_id', '=', staffId).where('revoked_at', 'is', null).execute();
  }
}
