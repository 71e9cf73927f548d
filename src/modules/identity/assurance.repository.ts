// SQL for identity assurance: the civil-registry checks a citizen made (assurance_checks) and the session
// rotation of a step-up (sessions). Nothing else.
import { type Kysely, type Transaction } from 'kysely';
import type { AssuranceCheckTable, Database } from '../../db/schema.ts';
import type { SessionRow } from './identity.repository.ts';

type Outcome = AssuranceCheckTable['outcome'];

export class AssuranceRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Runs `fn` in one transaction with a repository bound to it. */
  transaction<T>(fn: (repo: AssuranceRepository, tx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((tx) => fn(new AssuranceRepository(tx), tx));
  }

  /** Failed matches (the registry said the particulars differ) of a citizen since `since`. */
  async failedSince(citizenId: string, since: Date): Promise<number> {
    const r = await this.db
      .selectFrom('assurance_checks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('citizen_id', '=', citizenId)
      .where('outcome', '=', 'mismatch')
      .where('created_at', '>', since)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async insertCheck(v: {
    citizen_id: string;
    session_id: string;
    outcome: Outcome;
    exchange_request_id: string | null;
    ip_hash: string | null;
  }): Promise<void> {
    await this.db.insertInto('assurance_checks').values(v).execute();
  }

  /** Reserves one try as a mismatch before the registry is asked (so parallel requests count it); its id. */
  async reserveCheck(v: { citizen_id: string; session_id: string; ip_hash: string | null }): Promise<string> {
    const r = await this.db
      .insertInto('assurance_checks')
      .values({ ...v, outcome: 'mismatch', exchange_request_id: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  /** The outcome of a reserved try once the registry answered. */
  async settleCheck(id: string, outcome: Outcome, exchangeRequestId: string | null): Promise<void> {
    await this.db.updateTable('assurance_checks').set({ outcome, exchange_request_id: exchangeRequestId }).where('id', '=', id).execute();
  }

  /** Drops a reserved try that was over the limit (the registry was not asked). */
  async dropCheck(id: string): Promise<void> {
    await this.db.deleteFrom('assurance_checks').where('id', '=', id).execute();
  }

  /**
   * Ends the session `old` (only if it is still live and below `level`) and opens its successor at `level`
   * with a new token, keeping the old one's absolute end (a step-up does not lengthen a session). Undefined
   * when another request ended or raised it first (a replay): then nothing is opened. Call it inside a
   * transaction (transaction()).
   */
  async raise(old: SessionRow, level: 'substantial' | 'high', tokenHash: string): Promise<SessionRow | undefined> {
    const ended = await this.db
      .updateTable('sessions')
      .set({ revoked_at: new Date() })
      .where('id', '=', old.id)
      .where('citizen_id', '=', old.citizen_id)
      .where('revoked_at', 'is', null)
      .where('assurance', '=', 'low')
      .executeTakeFirst();
    if (Number(ended.numUpdatedRows) !== 1) return undefined;
    return this.db
      .insertInto('sessions')
      .values({
        token_hash: tokenHash,
        citizen_id: old.citizen_id,
        expires_at: old.expires_at,
        user_agent: old.user_agent,
        ip_hash: old.ip_hash,
        assurance: level,
        assurance_at: new Date(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }
}
