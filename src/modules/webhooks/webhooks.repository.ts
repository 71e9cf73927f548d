// SQL for webhook endpoints, deliveries and attempts (Kysely only).
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, WebhookDeliveryTable } from '../../db/schema.ts';

export type Db = Kysely<Database>;
export type DeliveryRow = Selectable<WebhookDeliveryTable>;

export const webhooksRepo = {
  insertEndpoint(db: Db, v: { agency_id: string; url: string; events: string[]; secret_sealed: string; created_by: string }) {
    return db.insertInto('webhook_endpoints').values(v).returning(['id', 'created_at']).executeTakeFirstOrThrow();
  },
  endpoints(db: Db, agencyId: string | null) {
    let q = db.selectFrom('webhook_endpoints').select(['id', 'agency_id', 'url', 'events', 'created_at', 'created_by', 'disabled_at']).orderBy('created_at', 'desc');
    if (agencyId) q = q.where('agency_id', '=', agencyId);
    return q.execute();
  },
  endpoint(db: Db, id: string) {
    return db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
  },
  async disableEndpoint(db: Db, id: string): Promise<boolean> {
    const r = await db.updateTable('webhook_endpoints').set({ disabled_at: sql`now()` }).where('id', '=', id).where('disabled_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
  subscribed(db: Db, agencyId: string, event: string) {
    return db.selectFrom('webhook_endpoints').select('id').where('agency_id', '=', agencyId).where('disabled_at', 'is', null).where(sql<boolean>`${event} = any(events)`).execute();
  },
  insertDeliveries(db: Db, rows: { endpoint_id: string; agency_id: string; event: string; payload: string }[]) {
    return db.insertInto('webhook_deliveries').values(rows).execute();
  },
  deliveries(db: Db, agencyId: string | null, status: 'pending' | 'delivered' | 'dead' | null, limit: number) {
    let q = db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
      .select(['d.id', 'd.agency_id', 'd.event', 'd.status', 'd.attempts', 'd.next_attempt_at', 'd.last_status_code', 'd.last_error', 'd.created_at', 'd.delivered_at', 'e.url'])
      .orderBy('d.created_at', 'desc')
      .limit(limit);
    if (agencyId) q = q.where('d.agency_id', '=', agencyId);
    if (status) q = q.where('d.status', '=', status);
    return q.execute();
  },
  delivery(db: Db, id: string) {
    return db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
  },
  attempts(db: Db, deliveryId: string) {
    return db.selectFrom('webhook_attempts').selectAll().where('delivery_id', '=', deliveryId).orderBy('id').execute();
  },
  async replay(db: Db, id: string): Promise<boolean> {
    const r = await db.updateTable('webhook_deliveries').set({ status: 'pending', attempts: 0, next_attempt_at: sql`now()` }).where('id', '=', id).where('status', '!=', 'pending').executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
  /** Claims due deliveries for this worker: leased by moving next_attempt_at ahead; other workers skip locked rows. */
  async claim(db: Db, limit: number, leaseSeconds: number) {
    const r = await sql<DeliveryRow & { url: string; secret_sealed: string }>`
      with due as (
        select id from webhook_deliveries
        where status = 'pending' and next_attempt_at <= now()
        order by next_attempt_at
        limit ${limit}
        for update skip locked
      )
      update webhook_deliveries d
      set next_attempt_at = now() + make_interval(secs => ${leaseSeconds}), attempts = d.attempts + 1
      from due, webhook_endpoints e
      where d.id = due.id and e.id = d.endpoint_id
      returning d.*, e.url, e.secret_sealed`.execute(db);
    return r.rows;
  },
  async recordAttempt(db: Db, a: { deliveryId: string; statusCode: number | null; durationMs: number; error: string | null; excerpt: string | null; outcome: 'delivered' | 'retry' | 'dead'; retryInMs: number }) {
    await db.transaction().execute(async (tx) => {
      const n = await tx.selectFrom('webhook_attempts').select((eb) => eb.fn.countAll<string>().as('n')).where('delivery_id', '=', a.deliveryId).executeTakeFirstOrThrow();
      await tx.insertInto('webhook_attempts').values({ delivery_id: a.deliveryId, attempt: Number(n.n) + 1, status_code: a.statusCode, duration_ms: a.durationMs, error: a.error, response_excerpt: a.excerpt }).execute();
      await tx
        .updateTable('webhook_deliveries')
        .set({
          last_status_code: a.statusCode,
          last_error: a.error,
          status: a.outcome === 'retry' ? 'pending' : a.outcome,
          delivered_at: a.outcome === 'delivered' ? sql`now()` : null,
          next_attempt_at: sql`now() + make_interval(secs => ${a.retryInMs / 1000})`,
        })
        .where('id', '=', a.deliveryId)
        .execute();
    });
  },
};
