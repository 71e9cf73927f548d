// SQL for citizens, their mobile changes, sign_in_challenges and sessions (and the SMS a mobile change queues). Nothing else.
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { CitizenMobileChangeTable, CitizenTable, Database, SessionTable, SignInChallengeTable } from '../../db/schema.ts';

export type CitizenRow = Selectable<CitizenTable>;
export type ChallengeRow = Selectable<SignInChallengeTable>;
export type SessionRow = Selectable<SessionTable>;

export class IdentityRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Runs `fn` in one transaction with a repository bound to it. */
  transaction<T>(fn: (repo: IdentityRepository, tx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((tx) => fn(new IdentityRepository(tx), tx));
  }

  /** How many codes were requested since `since` for this national ID, mobile and address. */
  async recentChallenges(nationalId: string, mobile: string, ipHash: string, since: Date) {
    const count = (col: 'national_id' | 'mobile' | 'ip_hash', v: string) =>
      this.db
        .selectFrom('sign_in_challenges')
        .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('created_at').as('last')])
        .where(col, '=', v)
        .where('created_at', '>', since)
        .executeTakeFirstOrThrow();
    const [byId, byMobile, byIp] = await Promise.all([count('national_id', nationalId), count('mobile', mobile), count('ip_hash', ipHash)]);
    return {
      byId: Number(byId.n),
      byMobile: Number(byMobile.n),
      byIp: Number(byIp.n),
      lastForId: byId.last ? new Date(byId.last as Date) : null,
    };
  }

  createChallenge(v: { national_id: string; mobile: string; ip_hash: string; code_hash: string; expires_at: Date }): Promise<ChallengeRow> {
    return this.db.insertInto('sign_in_challenges').values(v).returningAll().executeTakeFirstOrThrow();
  }

  findChallenge(id: string): Promise<ChallengeRow | undefined> {
    return this.db.selectFrom('sign_in_challenges').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Counts one try; returns the tries made, or undefined when the challenge is already used. */
  async countAttempt(id: string): Promise<number | undefined> {
    const r = await this.db
      .updateTable('sign_in_challenges')
      .set({ attempts: sql`attempts + 1` })
      .where('id', '=', id)
      .where('consumed_at', 'is', null)
      .returning('attempts')
      .executeTakeFirst();
    return r?.attempts;
  }

  /** Marks the challenge used; false when another request used it first (a replay). */
  async consumeChallenge(id: string): Promise<boolean> {
    const r = await this.db
      .updateTable('sign_in_challenges')
      .set({ consumed_at: new Date() })
      .where('id', '=', id)
      .where('consumed_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /**
   * The citizen signing in with this (ownership-checked) mobile: created, or signed in again. When the
   * mobile on record differs it is replaced, the change recorded, and `notice` queued by SMS to the OLD
   * number. Call it on a repository bound to a transaction (see transaction()), so that all of it commits
   * together with the session and the audit entry (a change is never silent, and never half-stored).
   */
  async signInCitizen(
    nationalId: string,
    mobile: string,
    ipHash: string | null,
    notice: string,
  ): Promise<{ citizen: CitizenRow; previousMobile: string | null }> {
    const tx = this.db;
    const created = await tx
      .insertInto('citizens')
      .values({ national_id: nationalId, mobile, last_sign_in_at: new Date() })
      .onConflict((oc) => oc.column('national_id').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (created) return { citizen: created, previousMobile: null };
    const before = await tx.selectFrom('citizens').selectAll().where('national_id', '=', nationalId).forUpdate().executeTakeFirstOrThrow();
    const citizen = await tx
      .updateTable('citizens')
      .set({ mobile, last_sign_in_at: new Date() })
      .where('id', '=', before.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (before.mobile === mobile) return { citizen, previousMobile: null };
    const change = await tx
      .insertInto('citizen_mobile_changes')
      .values({ citizen_id: before.id, old_mobile: before.mobile, new_mobile: mobile, ip_hash: ipHash })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (before.contactable)
      await tx
        .insertInto('notification_outbox')
        .values({ dedupe_key: `mobile-changed:${change.id}:sms`, channel: 'sms', recipient: before.mobile, body: notice })
        .execute();
    return { citizen, previousMobile: before.mobile };
  }

  /** Every session of the citizen, ended ones too, newest first (never the token hash). */
  sessionHistory(citizenId: string) {
    return this.db
      .selectFrom('sessions')
      .select(['created_at', 'last_seen_at', 'expires_at', 'revoked_at', 'user_agent', 'ip_hash'])
      .where('citizen_id', '=', citizenId)
      .orderBy('created_at', 'desc')
      .execute();
  }

  mobileChanges(citizenId: string): Promise<Selectable<CitizenMobileChangeTable>[]> {
    return this.db.selectFrom('citizen_mobile_changes').selectAll().where('citizen_id', '=', citizenId).orderBy('id').execute();
  }

  findCitizen(id: string): Promise<CitizenRow | undefined> {
    return this.db.selectFrom('citizens').selectAll().where('id', '=', id).executeTakeFirst();
  }

  createSession(v: {
    token_hash: string;
    citizen_id: string;
    expires_at: Date;
    user_agent: string | null;
    ip_hash: string | null;
  }): Promise<SessionRow> {
    return this.db.insertInto('sessions').values(v).returningAll().executeTakeFirstOrThrow();
  }

  findSession(tokenHash: string): Promise<SessionRow | undefined> {
    return this.db.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  }

  /** A session and its citizen in one round trip (every signed-in request asks for both). */
  async findSessionWithCitizen(tokenHash: string): Promise<{ session: SessionRow; citizen: CitizenRow | undefined } | undefined> {
    const r = await this.db
      .selectFrom('sessions')
      .leftJoin('citizens', 'citizens.id', 'sessions.citizen_id')
      .selectAll('sessions')
      .select([
        'citizens.national_id as c_national_id',
        'citizens.mobile as c_mobile',
        'citizens.created_at as c_created_at',
        'citizens.last_sign_in_at as c_last_sign_in_at',
        'citizens.contactable as c_contactable',
        'citizens.id as c_id',
      ])
      .where('sessions.token_hash', '=', tokenHash)
      .executeTakeFirst();
    if (!r) return undefined;
    const { c_id, c_national_id, c_mobile, c_created_at, c_last_sign_in_at, c_contactable, ...session } = r;
    // A left join: the citizen's columns (all NOT NULL) are null together when there is no citizen.
    const citizen =
      c_id && c_national_id !== null && c_mobile !== null && c_created_at !== null && c_contactable !== null
        ? {
            id: c_id,
            national_id: c_national_id,
            mobile: c_mobile,
            created_at: c_created_at,
            last_sign_in_at: c_last_sign_in_at,
            contactable: c_contactable,
          }
        : undefined;
    return { session, citizen };
  }

  async touchSession(id: string): Promise<void> {
    await this.db.updateTable('sessions').set({ last_seen_at: new Date() }).where('id', '=', id).execute();
  }

  async revokeSession(id: string, citizenId: string): Promise<boolean> {
    const r = await this.db
      .updateTable('sessions')
      .set({ revoked_at: new Date() })
      .where('id', '=', id)
      .where('citizen_id', '=', citizenId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  activeSessions(citizenId: string, now: Date): Promise<SessionRow[]> {
    return this.db
      .selectFrom('sessions')
      .selectAll()
      .where('citizen_id', '=', citizenId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .orderBy('last_seen_at', 'desc')
      .execute();
  }

  /** Ids of citizens with this national ID. */
  async citizenIdsByNationalId(nationalId: string): Promise<string[]> {
    return (await this.db.selectFrom('citizens').select('id').where('national_id', '=', nationalId).execute()).map((r) => r.id);
  }

  /** A citizen's national ID, mobile and whether they may be contacted. */
  citizenContact(id: string): Promise<{ id: string; national_id: string; mobile: string; contactable: boolean }> {
    return this.db
      .selectFrom('citizens')
      .select(['id', 'national_id', 'mobile', 'contactable'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  }

  /** Makes a person record that is never contacted (for an applicant known only to another system); undefined if the national ID is taken. */
  createUncontactableCitizen(
    nationalId: string,
    mobile: string,
  ): Promise<{ id: string; national_id: string; mobile: string; contactable: boolean } | undefined> {
    return this.db
      .insertInto('citizens')
      .values({ national_id: nationalId, mobile, contactable: false })
      .onConflict((oc) => oc.column('national_id').doNothing())
      .returning(['id', 'national_id', 'mobile', 'contactable'])
      .executeTakeFirst();
  }
}
