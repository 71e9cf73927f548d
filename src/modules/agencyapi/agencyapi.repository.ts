// All SQL of agency API keys.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export class AgencyApiRepository {
  constructor(readonly db: Kysely<Database>) {}

  transaction<T>(fn: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }
  async agencyExists(agencyId: string): Promise<boolean> {
    return !!(await this.db.selectFrom('agencies').select('id').where('id', '=', agencyId).executeTakeFirst());
  }
  insert(tx: Db, v: { agency_id: string; name: string; prefix: string; secret_hash: string; scopes: string[]; created_by: string }) {
    return tx.insertInto('agency_api_keys').values(v).returning('id').executeTakeFirstOrThrow();
  }
  list(agencyId: string | null) {
    let q = this.db
      .selectFrom('agency_api_keys')
      .select(['id', 'agency_id', 'name', 'prefix', 'scopes', 'created_by', 'created_at', 'last_used_at', 'revoked_at'])
      .orderBy('created_at', 'desc');
    if (agencyId) q = q.where('agency_id', '=', agencyId);
    return q.execute();
  }
  byId(id: string) {
    return this.db.selectFrom('agency_api_keys').select(['agency_id', 'prefix', 'revoked_at']).where('id', '=', id).executeTakeFirst();
  }
  /** Revokes a key still active; false when it was revoked meanwhile. */
  async revoke(tx: Db, id: string): Promise<boolean> {
    const r = await tx
      .updateTable('agency_api_keys')
      .set({ revoked_at: sql`now()` })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
  byPrefix(prefix: string) {
    return this.db
      .selectFrom('agency_api_keys')
      .select(['id', 'agency_id', 'secret_hash', 'scopes', 'revoked_at', 'last_used_at'])
      .where('prefix', '=', prefix)
      .executeTakeFirst();
  }
  async touch(id: string): Promise<void> {
    await this.db
      .updateTable('agency_api_keys')
      .set({ last_used_at: sql`now()` })
      .where('id', '=', id)
      .execute();
  }
}
