// SQL for webhook endpoints, deliveries and attempts (Kysely only).
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { JobTable } from '../../platform/jobs.repository.ts';
import type { Database, WebhookDeliveryTable } from '../../db/schema.ts';

export type Db = Kysely<Database>;
export type DeliveryRow = Selectable<WebhookDeliveryTable>;

/** Deliveries as jobs: a claimed delivery stays 'pending' under its lease (next_attempt_at moved ahead). */
export const DELIVERY_JOBS: JobTable = {
  table: 'webhook_deliveries',
  claimable: ['pending'],
  running: 'pending',
  waiting: 'pending',
  done: 'delivered',
  dead: 'dead',
  orderBy: 'next_attempt_at',
  doneAt: 'delivered_at',
};

export const webhooksRepo = {
  insertEndpoint(db: Db, v: { agency_id: string; url: string; events: string[]; secret_sealed: string; created_by: string }) {
    return db.insertInto('webhook_endpoints').values(v).returning(['id', 'created_at']).executeTakeFirstOrThrow();
  },
  endpoints(db: Db, agencyId: string | null) {
    let q = db
      .selectFrom('webhook_endpoints')
      .select(['id', 'agency_id', 'url', 'events', 'created_at', 'created_by', 'disabled_at'])
      .orderBy('created_at', 'desc');
    if (agencyId) q = q.where('agency_id', '=', agencyId);
    return q.execute();
  },
  endpoint(db: Db, id: string) {
    return db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
  },
  async disableEndpoint(db: Db, id: string): Promise<boolean> {
    const r = await db
      .updateTable('webhook_endpoints')
      .set({ disabled_at: sql`now()` })
      .where('id', '=', id)
      .where('disabled_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
  subscribed(db: Db, agencyId: string, event: string) {
    return db
      .selectFrom('webhook_endpoints')
      .select('id')
      .where('agency_id', '=', agencyId)
      .where('disabled_at', 'is', null)
      .where(sql<boolean>`${event} = any(events)`)
      .execute();
  },
  insertDeliveries(db: Db, rows: { endpoint_id: string; agency_id: string; event: string; payload: string }[]) {
    return db.insertInto('webhook_deliveries').values(rows).execute();
  },
  deliveries(db: Db, agencyId: string | null, status: 'pending' | 'delivered' | 'dead' | null, limit: number) {
    let q = db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
      .select([
        'd.id',
        'd.agency_id',
        'd.event',
        'd.status',
        'd.attempts',
        'd.next_attempt_at',
        'd.last_status_code',
        'd.last_error',
        'd.created_at',
        'd.delivered_at',
        'e.url',
      ])
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
    const r = await db
      .updateTable('webhook_deliveries')
      .set({ status: 'pending', attempts: 0, next_attempt_at: sql`now()` })
      .where('id', '=', id)
      .where('status', '!=', 'pending')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
  /** The endpoint a delivery goes to, with its sealed secret. */
  target(db: Db, endpointId: string) {
    return db.selectFrom('webhook_endpoints').select(['url', 'secret_sealed']).where('id', '=', endpointId).executeTakeFirstOrThrow();
  },
  /** Logs one attempt (numbered after those before it); runs in the transaction that records its outcome. */
  async insertAttempt(
    tx: Transaction<Database>,
    a: { deliveryId: string; statusCode: number | null; durationMs: number; error: string | null; excerpt: string | null },
  ) {
    const n = await tx
      .selectFrom('webhook_attempts')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('delivery_id', '=', a.deliveryId)
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('webhook_attempts')
      .values({
        delivery_id: a.deliveryId,
        attempt: Number(n.n) + 1,
        status_code: a.statusCode,
        duration_ms: a.durationMs,
        error: a.error,
        response_excerpt: a.excerpt,
      })
      .execute();
  },
};
