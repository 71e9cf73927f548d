// SQL for documents (Kysely only). Every method takes the executor, so callers can issue a document
// inside their own transaction (for example the one that approves an application).
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database, DocumentTable } from '../../db/schema.ts';
import type { Selectable } from 'kysely';

export type DocumentRow = Selectable<DocumentTable>;
export type Db = Kysely<Database>;

export const documentsRepo = {
  async agencyName(db: Db, agencyId: string): Promise<{ fa?: string; en?: string } | null> {
    const row = await db.selectFrom('agencies').select('name').where('id', '=', agencyId).executeTakeFirst();
    return row ? row.name : null;
  },

  async serviceAgency(db: Db, serviceId: string): Promise<string | null> {
    const row = await db.selectFrom('services').select('agency_id').where('id', '=', serviceId).executeTakeFirst();
    return row?.agency_id ?? null;
  },

  async codeTaken(db: Db, code: string): Promise<boolean> {
    return !!(await db.selectFrom('documents').select('id').where('code', '=', code).executeTakeFirst());
  },

  async insert(
    db: Db,
    row: Omit<DocumentRow, 'id' | 'status' | 'revoked_at' | 'revoke_reason' | 'created_at' | 'fields'> & { fields: string },
  ): Promise<string> {
    const r = await db.insertInto('documents').values(row).returning('id').executeTakeFirstOrThrow();
    return r.id;
  },

  byCode(db: Db, code: string): Promise<DocumentRow | undefined> {
    return db.selectFrom('documents').selectAll().where('code', '=', code).executeTakeFirst();
  },

  /** The newest documents (without their PDF bytes), of one agency or all. */
  list(db: Db, agencyId: string | null, limit = 50) {
    let q = db
      .selectFrom('documents')
      .select(['id', 'code', 'agency_id', 'kind', 'lang', 'title', 'holder_name', 'issued_at', 'status', 'revoked_at', 'application_ref'])
      .orderBy('issued_at', 'desc')
      .limit(limit);
    if (agencyId) q = q.where('agency_id', '=', agencyId);
    return q.execute();
  },

  async revoke(db: Db, id: string, reason: string): Promise<boolean> {
    const r = await db
      .updateTable('documents')
      .set({ status: 'revoked', revoked_at: sql`now()`, revoke_reason: reason })
      .where('id', '=', id)
      .where('status', '=', 'valid')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
};

/** The signing keys' table (document_keys): public JWKs and sealed private keys. */
export const documentKeysRepo = {
  /** Records a key unless its kid is already there. */
  async insertIfAbsent(db: Db, row: { kid: string; public_jwk: string; private_sealed: string }): Promise<void> {
    await db
      .insertInto('document_keys')
      .values(row)
      .onConflict((oc) => oc.column('kid').doNothing())
      .execute();
  },

  async insert(db: Db, row: { kid: string; public_jwk: string; private_sealed: string }): Promise<void> {
    await db.insertInto('document_keys').values(row).execute();
  },

  /** The newest key that is not retired and whose private half is stored here (not taken from `envMarker`). */
  newestStored(db: Db, envMarker: string) {
    return db
      .selectFrom('document_keys')
      .selectAll()
      .where('retired_at', 'is', null)
      .where('private_sealed', '!=', envMarker)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  },

  /** Every public key, oldest first. */
  publicJwks(db: Db) {
    return db.selectFrom('document_keys').select(['public_jwk']).orderBy('created_at').execute();
  },

  publicJwk(db: Db, kid: string) {
    return db.selectFrom('document_keys').select('public_jwk').where('kid', '=', kid).executeTakeFirst();
  },
};
