// All SQL of the payments module (Kysely). Amounts are bigint columns: pg gives them back as strings,
// callers turn them into numbers (every fee is below 2^53).
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, PaymentStatus, PaymentTable } from '../../db/schema.ts';

export type PaymentRow = Selectable<PaymentTable>;
type Tx = Transaction<Database> | Kysely<Database>;
export const PENDING: PaymentStatus[] = ['created', 'started', 'submitted'];

/** Ids of paid applications (refunded: with money given back; paid: without), as a subquery the applications queue filters by. */
export function paidApplicationIds(db: Kysely<Database>, which: 'any' | 'paid' | 'refunded') {
  let q = db
    .selectFrom('paid_applications')
    .innerJoin('payments', 'payments.id', 'paid_applications.payment_id')
    .select('paid_applications.application_id');
  if (which === 'paid') q = q.where('payments.refunded_amount', '=', '0');
  if (which === 'refunded') q = q.where('payments.refunded_amount', '>', '0');
  return q;
}

export class PaymentsRepository {
  constructor(readonly db: Kysely<Database>) {}

  transaction<T>(fn: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  // ------------------------------------------------------------ treasury accounts
  /** The service's own account, else the agency's. */
  treasuryFor(agencyId: string, serviceId: string, tx: Tx = this.db) {
    return tx
      .selectFrom('treasury_accounts')
      .selectAll()
      .where('agency_id', '=', agencyId)
      .where((eb) => eb.or([eb('service_id', '=', serviceId), eb('service_id', 'is', null)]))
      .orderBy(sql`service_id is null`)
      .executeTakeFirst();
  }
  treasuries(agencyId?: string) {
    let q = this.db.selectFrom('treasury_accounts').selectAll().orderBy('agency_id').orderBy('created_at');
    if (agencyId) q = q.where('agency_id', '=', agencyId);
    return q.execute();
  }
  /** Sets the account for the agency (service null) or one service, replacing the one there (in `tx`). */
  async upsertTreasury(
    tx: Transaction<Database>,
    v: { agency_id: string; service_id: string | null; iban: string; holder: string; bill_company_code?: string; created_by: string },
  ) {
    let del = tx.deleteFrom('treasury_accounts').where('agency_id', '=', v.agency_id);
    del = v.service_id ? del.where('service_id', '=', v.service_id) : del.where('service_id', 'is', null);
    const before = await del.returning(['iban', 'bill_company_code']).executeTakeFirst();
    // the bill company code is printed inside every bill ID already issued: a new account keeps it
    const code = v.bill_company_code ?? before?.bill_company_code;
    await tx
      .insertInto('treasury_accounts')
      .values({ ...v, ...(code ? { bill_company_code: code } : {}) })
      .execute();
    return before?.iban ?? null;
  }

  // ------------------------------------------------------------ payments
  insertPayment(
    tx: Tx,
    v: {
      application_id: string;
      agency_id: string;
      service_id: string;
      citizen_id: string;
      channel: 'card' | 'bill';
      gateway: string;
      amount: number;
      iban: string;
      status: PaymentStatus;
      reference?: string | null;
    },
  ) {
    return tx.insertInto('payments').values(v).returningAll().executeTakeFirstOrThrow();
  }
  byId(id: string): Promise<PaymentRow | undefined> {
    return this.db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirst();
  }
  byIdIn(tx: Tx, id: string) {
    return tx.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }
  /** The application a payment is for (who, which agency and service). */
  applicationFor(tx: Tx, applicationId: string) {
    return tx
      .selectFrom('applications')
      .select(['id', 'agency_id', 'service_id', 'citizen_id'])
      .where('id', '=', applicationId)
      .executeTakeFirstOrThrow();
  }
  /** A bill paid at a bank is verified and settled at once (the bank holds the money). */
  settledNow(tx: Tx, id: string) {
    const now = new Date();
    return tx.updateTable('payments').set({ verified_at: now, settled_at: now }).where('id', '=', id).execute();
  }
  markDuplicate(tx: Tx, id: string) {
    return tx.updateTable('payments').set({ duplicate: true }).where('id', '=', id).execute();
  }
  /** Stores the receipt's document once (a second call keeps the first). */
  setReceipt(id: string, code: string, url: string) {
    return this.db
      .updateTable('payments')
      .set({ receipt_code: code, receipt_url: url })
      .where('id', '=', id)
      .where('receipt_code', 'is', null)
      .execute();
  }
  lock(tx: Transaction<Database>, id: string) {
    return tx.selectFrom('payments').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  }
  /** Moves a payment on only from the states given; returns the row when it moved (compare-and-set). */
  move(
    tx: Tx,
    id: string,
    from: PaymentStatus[],
    set: Partial<{
      status: PaymentStatus;
      token: string;
      reference: string | null;
      trace: string | null;
      card_mask: string | null;
      failure: string | null;
      verified_at: Date;
      duplicate: boolean;
    }>,
  ) {
    return tx
      .updateTable('payments')
      .set({ ...set, updated_at: new Date() })
      .where('id', '=', id)
      .where('status', 'in', from)
      .returningAll()
      .executeTakeFirst();
  }
  touch(id: string, set: Partial<{ failure: string | null; settled_at: Date }>, countInquiry = false) {
    return this.db
      .updateTable('payments')
      .set({ ...set, updated_at: new Date(), ...(countInquiry ? { inquiries: sql`inquiries + 1` } : {}) })
      .where('id', '=', id)
      .execute();
  }
  recent(agencyId: string | undefined, limit = 50) {
    let q = this.db
      .selectFrom('payments')
      .selectAll()
      .where('status', 'in', ['success', 'error'])
      .orderBy('created_at', 'desc')
      .limit(limit);
    if (agencyId) q = q.where('agency_id', '=', agencyId);
    return q.execute();
  }
  ofApplication(applicationId: string) {
    return this.db.selectFrom('payments').selectAll().where('application_id', '=', applicationId).orderBy('created_at', 'desc').execute();
  }
  /** Card payments still pending `olderThanSeconds` after their last change, claimed for this pass. */
  claimPending(tx: Transaction<Database>, olderThanSeconds: number, limit: number) {
    return tx
      .selectFrom('payments')
      .selectAll()
      .where('channel', '=', 'card')
      .where('status', 'in', PENDING)
      .where('updated_at', '<', new Date(Date.now() - olderThanSeconds * 1000))
      .orderBy('updated_at')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
  }
  /** Moves the claimed rows' clock on, so the next pass leaves them alone for a while. */
  async touchClaimed(tx: Transaction<Database>, ids: string[]) {
    if (ids.length) await tx.updateTable('payments').set({ updated_at: new Date() }).where('id', 'in', ids).execute();
  }
  unsettled(limit: number) {
    return this.db
      .selectFrom('payments')
      .selectAll()
      .where('channel', '=', 'card')
      .where('status', '=', 'success')
      .where('settled_at', 'is', null)
      .where('updated_at', '<', new Date(Date.now() - 5000))
      .limit(limit)
      .execute();
  }

  // ------------------------------------------------------------ paid applications and ledger
  /** The first success of an application wins; false when the application was already paid. */
  async markPaid(tx: Tx, applicationId: string, paymentId: string): Promise<boolean> {
    const r = await tx
      .insertInto('paid_applications')
      .values({ application_id: applicationId, payment_id: paymentId })
      .onConflict((oc) => oc.column('application_id').doNothing())
      .returning('payment_id')
      .executeTakeFirst();
    return !!r;
  }
  paidFor(applicationId: string) {
    return this.db
      .selectFrom('paid_applications')
      .innerJoin('payments', 'payments.id', 'paid_applications.payment_id')
      .selectAll('payments')
      .select('paid_applications.paid_at')
      .where('paid_applications.application_id', '=', applicationId)
      .executeTakeFirst();
  }
  async paidSet(applicationIds: string[]): Promise<Map<string, { refunded: boolean }>> {
    if (!applicationIds.length) return new Map();
    const rows = await this.db
      .selectFrom('paid_applications')
      .innerJoin('payments', 'payments.id', 'paid_applications.payment_id')
      .select(['paid_applications.application_id', 'payments.refunded_amount', 'payments.amount'])
      .where('paid_applications.application_id', 'in', applicationIds)
      .execute();
    return new Map(rows.map((r) => [r.application_id, { refunded: Number(r.refunded_amount) > 0 }]));
  }
  ledger(
    tx: Tx,
    p: PaymentRow,
    kind: 'attempt' | 'confirmation' | 'failure' | 'reversal' | 'refund',
    amount: number,
    actor: string,
    detail: Record<string, unknown> = {},
    reference: string | null = p.reference,
  ) {
    return tx
      .insertInto('payment_ledger')
      .values({
        payment_id: p.id,
        application_id: p.application_id,
        agency_id: p.agency_id,
        service_id: p.service_id,
        channel: p.channel,
        kind,
        amount,
        reference,
        actor,
        detail: JSON.stringify(detail),
      })
      .execute();
  }
  ledgerOf(paymentId: string) {
    return this.db.selectFrom('payment_ledger').selectAll().where('payment_id', '=', paymentId).orderBy('id').execute();
  }
  /** The money held for an application: the sum of its ledger (confirmations minus refunds). */
  async balance(applicationId: string): Promise<number> {
    const r = await this.db
      .selectFrom('payment_ledger')
      .select(sql<string>`coalesce(sum(amount), 0)`.as('s'))
      .where('application_id', '=', applicationId)
      .executeTakeFirstOrThrow();
    return Number(r.s);
  }
  /** Card confirmations and refunds recorded on one UTC day, for reconciliation. */
  ledgerDay(gateway: string, day: string) {
    return this.db
      .selectFrom('payment_ledger')
      .innerJoin('payments', 'payments.id', 'payment_ledger.payment_id')
      .select([
        'payment_ledger.kind',
        'payment_ledger.amount',
        'payment_ledger.reference',
        'payments.order_id',
        'payments.id as payment_id',
      ])
      .where('payments.gateway', '=', gateway)
      .where('payment_ledger.channel', '=', 'card')
      .where('payment_ledger.kind', 'in', ['confirmation', 'refund'])
      .where('payment_ledger.at', '>=', new Date(`${day}T00:00:00Z`))
      .where('payment_ledger.at', '<', new Date(new Date(`${day}T00:00:00Z`).getTime() + 86_400_000))
      .execute();
  }

  // ------------------------------------------------------------ refunds
  insertRefund(
    tx: Tx,
    v: { payment_id: string; amount: number; reason: 'duplicate' | 'rejection' | 'officer'; note?: string | null; requested_by: string },
  ) {
    return tx
      .insertInto('payment_refunds')
      .values(v)
      .onConflict((oc) => oc.doNothing())
      .returningAll()
      .executeTakeFirst();
  }
  pendingRefunds(limit: number) {
    return this.db
      .selectFrom('payment_refunds')
      .selectAll()
      .where('status', '=', 'pending')
      .where('attempts', '<', 10)
      .orderBy('created_at')
      .limit(limit)
      .execute();
  }
  refundsOf(paymentId: string) {
    return this.db.selectFrom('payment_refunds').selectAll().where('payment_id', '=', paymentId).orderBy('created_at').execute();
  }
  lockRefund(tx: Transaction<Database>, id: string) {
    return tx
      .selectFrom('payment_refunds')
      .selectAll()
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
  }
  async refundDone(tx: Transaction<Database>, id: string, paymentId: string, amount: number, reference: string) {
    await tx
      .updateTable('payment_refunds')
      .set({ status: 'done', gateway_reference: reference, done_at: new Date(), attempts: sql`attempts + 1` })
      .where('id', '=', id)
      .execute();
    await tx
      .updateTable('payments')
      .set({ refunded_amount: sql`refunded_amount + ${amount}`, updated_at: new Date() })
      .where('id', '=', paymentId)
      .execute();
  }
  refundFailed(id: string, last: boolean) {
    return this.db
      .updateTable('payment_refunds')
      .set({ attempts: sql`attempts + 1`, ...(last ? { status: 'failed' as const } : {}) })
      .where('id', '=', id)
      .execute();
  }

  // ------------------------------------------------------------ bills
  nextBillSerial(): Promise<string> {
    return sql<{ n: string }>`select nextval('bill_serials') as n`.execute(this.db).then((r) => String(r.rows[0].n));
  }
  billOf(applicationId: string) {
    return this.db.selectFrom('bills').selectAll().where('application_id', '=', applicationId).executeTakeFirst();
  }
  insertBill(v: { application_id: string; agency_id: string; bill_id: string; payment_id: string; amount: number }) {
    return this.db
      .insertInto('bills')
      .values(v)
      .onConflict((oc) => oc.column('application_id').doNothing())
      .returningAll()
      .executeTakeFirst();
  }
  billById(billId: string) {
    return this.db.selectFrom('bills').selectAll().where('bill_id', '=', billId).executeTakeFirst();
  }
  lockBill(tx: Transaction<Database>, billId: string) {
    return tx.selectFrom('bills').selectAll().where('bill_id', '=', billId).forUpdate().executeTakeFirst();
  }
  markBillPaid(tx: Transaction<Database>, id: string, paymentId: string, bank: string, reference: string) {
    return tx
      .updateTable('bills')
      .set({ status: 'paid', paid_payment: paymentId, bank, bank_reference: reference, paid_at: new Date() })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .returningAll()
      .executeTakeFirst();
  }

  // ------------------------------------------------------------ banks (P2G)
  bankByKeyHash(hash: string) {
    return this.db.selectFrom('p2g_banks').selectAll().where('key_hash', '=', hash).where('revoked_at', 'is', null).executeTakeFirst();
  }
  insertBank(v: { code: string; name: string; key_hash: string; key_prefix: string; created_by: string }) {
    return this.db.insertInto('p2g_banks').values(v).returningAll().executeTakeFirstOrThrow();
  }
  banks() {
    return this.db
      .selectFrom('p2g_banks')
      .select(['id', 'code', 'name', 'key_prefix', 'created_at', 'revoked_at'])
      .orderBy('code')
      .execute();
  }
  revokeBank(id: string) {
    return this.db
      .updateTable('p2g_banks')
      .set({ revoked_at: new Date() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
  }

  // ------------------------------------------------------------ reconciliation
  saveReconciliation(v: { gateway: string; day: string; matched: number; mismatches: unknown[] }, tx: Tx = this.db) {
    return tx
      .insertInto('payment_reconciliations')
      .values({ ...v, mismatches: JSON.stringify(v.mismatches) })
      .onConflict((oc) =>
        oc.columns(['gateway', 'day']).doUpdateSet({ matched: v.matched, mismatches: JSON.stringify(v.mismatches), run_at: new Date() }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
  }
  reconciliations(limit = 30) {
    return this.db.selectFrom('payment_reconciliations').selectAll().orderBy('day', 'desc').limit(limit).execute();
  }
  reconciliation(gateway: string, day: string) {
    return this.db
      .selectFrom('payment_reconciliations')
      .selectAll()
      .where('gateway', '=', gateway)
      .where('day', '=', day)
      .executeTakeFirst();
  }

  // ------------------------------------------------------------ reports
  /** Collected, refunded and pending per day, service and channel (UTC days), for one agency or all. */
  report(o: { agencyId?: string; from: Date; to: Date }) {
    let q = this.db
      .selectFrom('payment_ledger')
      .select([
        sql<string>`to_char(at at time zone 'UTC', 'YYYY-MM-DD')`.as('day'),
        'agency_id',
        'service_id',
        'channel',
        sql<string>`coalesce(sum(case when kind = 'confirmation' then amount else 0 end), 0)`.as('collected'),
        sql<string>`coalesce(sum(case when kind = 'refund' then -amount else 0 end), 0)`.as('refunded'),
        sql<string>`count(*) filter (where kind = 'confirmation')`.as('payments'),
      ])
      .where('at', '>=', o.from)
      .where('at', '<', o.to)
      .groupBy([sql`1`, 'agency_id', 'service_id', 'channel'])
      .orderBy(sql`1`)
      .orderBy('agency_id');
    if (o.agencyId) q = q.where('agency_id', '=', o.agencyId);
    return q.execute();
  }
  pendingReport(o: { agencyId?: string; from: Date; to: Date }) {
    let q = this.db
      .selectFrom('payments')
      .select([
        sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD')`.as('day'),
        'agency_id',
        'service_id',
        'channel',
        sql<string>`coalesce(sum(amount), 0)`.as('pending'),
      ])
      .where('status', 'in', PENDING)
      .where('created_at', '>=', o.from)
      .where('created_at', '<', o.to)
      .groupBy([sql`1`, 'agency_id', 'service_id', 'channel']);
    if (o.agencyId) q = q.where('agency_id', '=', o.agencyId);
    return q.execute();
  }

  // ------------------------------------------------------------ demo data
  demoAgencies() {
    return this.db.selectFrom('agencies').select(['id', 'name']).orderBy('id').execute();
  }
  /** A demo treasury account unless the agency has one already. */
  seedTreasury(v: { agency_id: string; iban: string; holder: string; bill_company_code: string }) {
    return this.db
      .insertInto('treasury_accounts')
      .values({ ...v, service_id: null, created_by: 'seed:demo' })
      .onConflict((oc) => oc.expression(sql`agency_id, coalesce(service_id, '00000000-0000-0000-0000-000000000000'::uuid)`).doNothing())
      .execute();
  }
  seedBank(v: { code: string; name: string; key_hash: string; key_prefix: string }) {
    return this.db
      .insertInto('p2g_banks')
      .values({ ...v, created_by: 'seed:demo' })
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
  }

  /**
   * Monitoring: per agency, its published services that declare a fee above zero on their card, and how
   * many of them can be paid online (their current form declares the fee). Read-only.
   */
  async feeServicesByAgency(): Promise<{ agency_id: string; with_fee: string; online: string }[]> {
    const r = await sql<{ agency_id: string; with_fee: string; online: string }>`
      select s.agency_id,
             count(*) as with_fee,
             count(*) filter (where exists (select 1 from application_forms f where f.service_id = s.id and f.definition ? 'fee'
                                            and f.version = (select max(version) from application_forms g where g.service_id = s.id))) as online
      from services s
      where s.status = 'published' and exists (select 1 from jsonb_array_elements(s.fees) e where (e->>'amount')::numeric > 0)
      group by s.agency_id`.execute(this.db);
    return r.rows;
  }
}
