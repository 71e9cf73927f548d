// SQL for applications, their files, events, e-box messages, notifications and ratings (Kysely only).
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type {
  ApplicationEventTable,
  ApplicationFileTable,
  ApplicationStatus,
  ApplicationTable,
  Database,
  EboxMessageTable,
  LocalText,
} from '../../db/schema.ts';
import { paidApplicationIds } from '../payments/payments.repository.ts';

export type ApplicationRow = Selectable<ApplicationTable>;
export type ApplicationFileRow = Selectable<ApplicationFileTable>;
export type ApplicationEventRow = Selectable<ApplicationEventTable>;
export type EboxMessageRow = Selectable<EboxMessageTable>;
type Db = Kysely<Database>;

/** The ids of the uploaded files some answers refer to ({ fileId, ... } values). */
export function fileIdsOf(answers: Record<string, unknown>): Set<string> {
  const ids = new Set<string>();
  for (const v of Object.values(answers ?? {})) {
    if (v && typeof v === 'object' && typeof (v as { fileId?: unknown }).fileId === 'string') ids.add((v as { fileId: string }).fileId);
  }
  return ids;
}

export const OPEN_STATUSES: ApplicationStatus[] = ['submitted', 'in-review', 'info-requested', 'resubmitted'];
export const DECIDED: ApplicationStatus[] = ['approved', 'rejected'];

export interface QueueFilter {
  agencyId: string;
  status?: ApplicationStatus | 'open' | 'all';
  serviceId?: string;
  overdue?: boolean;
  assignedTo?: string | 'none';
  /** paid / refunded: in the payments module's paid list; unpaid: the form has a fee and it is not paid. */
  payment?: 'paid' | 'unpaid' | 'refunded';
  sort: 'due' | 'submitted' | '-submitted';
  page: number;
  pageSize: number;
}

export const AGENCY_SORTS = ['updated', '-updated', 'submitted', '-submitted', 'due'] as const;
export type AgencySort = (typeof AGENCY_SORTS)[number];
const AGENCY_SORT_COLUMN = {
  updated: 'updated_at',
  '-updated': 'updated_at',
  submitted: 'submitted_at',
  '-submitted': 'submitted_at',
  due: 'due_at',
} as const;

export interface AgencyListFilter {
  agencyId: string;
  status?: ApplicationStatus | 'open';
  serviceId?: string;
  updatedSince?: Date;
  sort: AgencySort;
  after?: { value: string; id: string };
  limit: number;
}

export class ApplicationsRepository {
  constructor(readonly db: Db) {}

  /** Staff accounts of an agency (who may be assigned is the service's rule: isAssignable). */
  agencyStaff(agencyId: string) {
    return this.db.selectFrom('staff').selectAll().where('agency_id', '=', agencyId).orderBy('email').execute();
  }

  staffById(id: string) {
    return this.db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
  }

  transaction<T>(fn: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  // forms
  latestForm(serviceId: string) {
    return this.db
      .selectFrom('application_forms')
      .selectAll()
      .where('service_id', '=', serviceId)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
  }
  form(serviceId: string, version: number) {
    return this.db
      .selectFrom('application_forms')
      .selectAll()
      .where('service_id', '=', serviceId)
      .where('version', '=', version)
      .executeTakeFirst();
  }
  async servicesWithForms(): Promise<Set<string>> {
    const rows = await this.db.selectFrom('application_forms').select('service_id').distinct().execute();
    return new Set(rows.map((r) => r.service_id));
  }
  async insertForm(serviceId: string, definition: unknown, author: string): Promise<number> {
    return this.transaction(async (tx) => {
      await sql`select pg_advisory_xact_lock(7201006, hashtext(${serviceId}))`.execute(tx);
      const last = await tx
        .selectFrom('application_forms')
        .select('version')
        .where('service_id', '=', serviceId)
        .orderBy('version', 'desc')
        .limit(1)
        .executeTakeFirst();
      const version = (last?.version ?? 0) + 1;
      await tx
        .insertInto('application_forms')
        .values({ service_id: serviceId, version, definition: JSON.stringify(definition), author })
        .execute();
      return version;
    });
  }

  // applications
  byId(id: string, db: Db = this.db) {
    return db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst();
  }
  byReference(reference: string) {
    return this.db.selectFrom('applications').selectAll().where('reference', '=', reference).executeTakeFirst();
  }
  lockById(tx: Transaction<Database>, id: string) {
    return tx.selectFrom('applications').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  }
  lockByIdSkipLocked(tx: Transaction<Database>, id: string) {
    return tx.selectFrom('applications').selectAll().where('id', '=', id).forUpdate().skipLocked().executeTakeFirst();
  }
  async requestFulfilled(tx: Db, applicationId: string, requestId: number): Promise<boolean> {
    const r = await tx
      .selectFrom('application_events')
      .select('id')
      .where('application_id', '=', applicationId)
      .where('type', '=', 'document.issued')
      .where(sql<string>`data->>'requestId'`, '=', String(requestId))
      .executeTakeFirst();
    return !!r;
  }
  /** document.requested events of approved applications, older than the given age, with no document.issued for them. */
  async pendingDocumentRequests(olderThanSeconds: number, limit: number): Promise<{ applicationId: string; requestId: number }[]> {
    const r = await sql<{ application_id: string; id: string | number }>`
      select e.application_id, e.id from application_events e join applications a on a.id = e.application_id
      where e.type = 'document.requested' and e.at < now() - make_interval(secs => ${olderThanSeconds}) and a.status = 'approved'
        and not exists (select 1 from application_events d where d.application_id = e.application_id and d.type = 'document.issued' and d.data->>'requestId' = e.id::text)
      order by e.id limit ${limit}`.execute(this.db);
    return r.rows.map((x) => ({ applicationId: x.application_id, requestId: Number(x.id) }));
  }
  async draftFor(citizenId: string, serviceId: string) {
    return this.db
      .selectFrom('applications')
      .selectAll()
      .where('citizen_id', '=', citizenId)
      .where('service_id', '=', serviceId)
      .where('status', '=', 'draft')
      .executeTakeFirst();
  }
  /** A new draft, or nothing when the person already has one for this service (one draft per service). */
  async insertDraft(v: {
    service_id: string;
    form_version: number;
    agency_id: string;
    citizen_id: string;
    answers: Record<string, unknown>;
    submission_token: string;
    lang: 'fa' | 'en';
  }) {
    return this.db
      .insertInto('applications')
      .values({ ...v, status: 'draft', answers: JSON.stringify(v.answers) })
      .onConflict((oc) => oc.columns(['citizen_id', 'service_id']).where('status', '=', 'draft').doNothing())
      .returningAll()
      .executeTakeFirst();
  }
  /**
   * Saves a draft's answers. Files the old answers pointed at and the new ones no longer do (a re-upload
   * replaced them) lose their rows in the same transaction, unless a message still refers to them;
   * returns their storage keys, for the caller to delete after the commit.
   */
  async saveAnswers(id: string, answers: Record<string, unknown>): Promise<string[]> {
    return this.transaction(async (tx) => {
      const old = await tx
        .selectFrom('applications')
        .select('answers')
        .where('id', '=', id)
        .where('status', '=', 'draft')
        .forUpdate()
        .executeTakeFirst();
      if (!old) return [];
      await tx
        .updateTable('applications')
        .set({ answers: JSON.stringify(answers), updated_at: sql`now()` })
        .where('id', '=', id)
        .execute();
      const kept = fileIdsOf(answers);
      const dropped = [...fileIdsOf(old.answers)].filter((f) => !kept.has(f));
      if (!dropped.length) return [];
      const inMessages = new Set(
        (await tx.selectFrom('ebox_messages').select('file_ids').where('application_id', '=', id).execute()).flatMap((m) => m.file_ids),
      );
      const gone = dropped.filter((f) => !inMessages.has(f));
      if (!gone.length) return [];
      const rows = await tx
        .deleteFrom('application_files')
        .where('application_id', '=', id)
        .where('id', 'in', gone)
        .returning('storage_key')
        .execute();
      return rows.map((r) => r.storage_key);
    });
  }
  /** Updates an application and returns it as it now is. */
  updateApplication(tx: Db, id: string, set: Partial<Record<keyof ApplicationTable, unknown>>) {
    return tx
      .updateTable('applications')
      .set({ ...(set as object), updated_at: sql`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }
  applicant(citizenId: string) {
    return this.db.selectFrom('citizens').select(['national_id']).where('id', '=', citizenId).executeTakeFirst();
  }
  mine(citizenId: string) {
    return this.db
      .selectFrom('applications')
      .selectAll()
      .where('citizen_id', '=', citizenId)
      .orderBy('created_at', 'desc')
      .limit(200)
      .execute();
  }
  discardDraft(id: string, citizenId: string) {
    return this.db
      .deleteFrom('applications')
      .where('id', '=', id)
      .where('citizen_id', '=', citizenId)
      .where('status', '=', 'draft')
      .executeTakeFirst();
  }

  // prefill from registries (the citizen's decisions, newest first)
  insertPrefill(v: {
    application_id: string;
    citizen_id: string;
    source: string;
    exchange_service: string;
    decision: 'accepted' | 'declined';
    outcome: 'filled' | 'not-found' | 'unavailable' | null;
    purpose: string;
    fields_offered: number;
    filled: Record<string, string>;
    exchange_request_id: string | null;
  }) {
    return this.db
      .insertInto('application_prefills')
      .values({ ...v, filled: JSON.stringify(v.filled) })
      .returningAll()
      .executeTakeFirstOrThrow();
  }
  prefills(applicationId: string) {
    return this.db
      .selectFrom('application_prefills')
      .selectAll()
      .where('application_id', '=', applicationId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
  }

  // counter (paper or in-person) application counts
  offlineCounts(agencyId: string) {
    return this.db
      .selectFrom('offline_application_counts')
      .selectAll()
      .where('agency_id', '=', agencyId)
      .orderBy('month', 'desc')
      .orderBy('service_id')
      .limit(500)
      .execute();
  }
  offlineCount(serviceId: string, month: string) {
    return this.db
      .selectFrom('offline_application_counts')
      .selectAll()
      .where('service_id', '=', serviceId)
      .where('month', '=', month)
      .executeTakeFirst();
  }
  upsertOfflineCount(v: { agency_id: string; service_id: string; month: string; count: number; recorded_by: string }) {
    return this.db
      .insertInto('offline_application_counts')
      .values(v)
      .onConflict((oc) =>
        oc.columns(['service_id', 'month']).doUpdateSet({ count: v.count, recorded_by: v.recorded_by, updated_at: sql`now()` }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  // files
  insertFile(v: {
    application_id: string;
    field: string;
    original_name: string;
    content_type: string;
    size_bytes: number;
    sha256: string;
    storage_key: string;
    uploaded_by: string;
  }) {
    return this.db.insertInto('application_files').values(v).returningAll().executeTakeFirstOrThrow();
  }
  files(applicationId: string) {
    return this.db.selectFrom('application_files').selectAll().where('application_id', '=', applicationId).orderBy('created_at').execute();
  }
  deleteFile(applicationId: string, fileId: string) {
    return this.db
      .deleteFrom('application_files')
      .where('application_id', '=', applicationId)
      .where('id', '=', fileId)
      .returning('storage_key')
      .executeTakeFirst();
  }
  file(applicationId: string, fileId: string) {
    return this.db
      .selectFrom('application_files')
      .selectAll()
      .where('application_id', '=', applicationId)
      .where('id', '=', fileId)
      .executeTakeFirst();
  }

  // events
  insertEvent(
    tx: Db,
    e: {
      application_id: string;
      type: string;
      from_status: string | null;
      to_status: string | null;
      actor: string;
      data: Record<string, unknown>;
    },
  ) {
    return tx
      .insertInto('application_events')
      .values({ ...e, data: JSON.stringify(e.data) })
      .returningAll()
      .executeTakeFirstOrThrow();
  }
  events(applicationId: string) {
    return this.db.selectFrom('application_events').selectAll().where('application_id', '=', applicationId).orderBy('id').execute();
  }
  eventsAfter(afterId: number, limit: number) {
    return this.db.selectFrom('application_events').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute();
  }

  // e-box
  insertMessage(
    tx: Db,
    v: {
      citizen_id: string;
      application_id: string | null;
      agency_id: string | null;
      sender: 'agency' | 'citizen' | 'platform';
      kind: EboxMessageRow['kind'];
      subject: LocalText;
      body: LocalText;
      file_ids?: string[];
      in_reply_to?: string | null;
    },
  ) {
    return tx
      .insertInto('ebox_messages')
      .values({
        ...v,
        subject: JSON.stringify(v.subject),
        body: JSON.stringify(v.body),
        file_ids: JSON.stringify(v.file_ids ?? []),
        in_reply_to: v.in_reply_to ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }
  inbox(citizenId: string) {
    return this.db
      .selectFrom('ebox_messages')
      .selectAll()
      .where('citizen_id', '=', citizenId)
      .where('sender', '!=', 'citizen')
      .orderBy('sent_at', 'desc')
      .limit(200)
      .execute();
  }
  message(citizenId: string, id: string) {
    return this.db.selectFrom('ebox_messages').selectAll().where('citizen_id', '=', citizenId).where('id', '=', id).executeTakeFirst();
  }
  async markRead(id: string) {
    await this.db
      .updateTable('ebox_messages')
      .set({ read_at: sql`now()` })
      .where('id', '=', id)
      .where('read_at', 'is', null)
      .execute();
  }
  messagesOf(applicationId: string) {
    return this.db.selectFrom('ebox_messages').selectAll().where('application_id', '=', applicationId).orderBy('sent_at').execute();
  }
  async unread(citizenId: string): Promise<number> {
    const r = await this.db
      .selectFrom('ebox_messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('citizen_id', '=', citizenId)
      .where('sender', '!=', 'citizen')
      .where('read_at', 'is', null)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  // notifications
  async enqueue(tx: Db, rows: { dedupe_key: string; channel: 'sms' | 'email'; recipient: string; subject?: string; body: string }[]) {
    if (!rows.length) return;
    await tx
      .insertInto('notification_outbox')
      .values(rows)
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .execute();
  }

  // ratings
  async insertRating(v: {
    application_id: string;
    service_id: string;
    agency_id: string;
    score: number;
    comment: string;
  }): Promise<boolean> {
    const r = await this.db
      .insertInto('application_ratings')
      .values(v)
      .onConflict((oc) => oc.column('application_id').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }
  rating(applicationId: string) {
    return this.db.selectFrom('application_ratings').selectAll().where('application_id', '=', applicationId).executeTakeFirst();
  }
  async ratingSummary(where: { serviceId?: string; agencyId?: string }) {
    let q = this.db
      .selectFrom('application_ratings')
      .select((eb) => [
        eb.fn.countAll<number>().as('count'),
        eb.fn.avg<number>('score').as('average'),
        sql<number>`count(*) filter (where score >= 4)`.as('satisfied'),
      ]);
    if (where.serviceId) q = q.where('service_id', '=', where.serviceId);
    if (where.agencyId) q = q.where('agency_id', '=', where.agencyId);
    const r = await q.executeTakeFirstOrThrow();
    return { count: Number(r.count), average: r.average === null ? null : Number(r.average), satisfied: Number(r.satisfied) };
  }

  // the agency queue
  async queue(f: QueueFilter) {
    let q = this.db.selectFrom('applications').where('agency_id', '=', f.agencyId).where('status', '!=', 'draft');
    if (f.status === 'open' || f.status === undefined) q = q.where('status', 'in', OPEN_STATUSES);
    else if (f.status !== 'all') q = q.where('status', '=', f.status);
    if (f.serviceId) q = q.where('service_id', '=', f.serviceId);
    if (f.overdue) q = q.where('due_at', '<', sql<Date>`now()`).where('status', 'in', OPEN_STATUSES);
    if (f.assignedTo === 'none') q = q.where('assigned_to', 'is', null);
    else if (f.assignedTo) q = q.where('assigned_to', '=', f.assignedTo);
    if (f.payment === 'unpaid')
      q = q
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('application_forms as af')
              .select(sql`1`.as('one'))
              .whereRef('af.service_id', '=', 'applications.service_id')
              .whereRef('af.version', '=', 'applications.form_version')
              .where(sql<boolean>`af.definition ? 'fee'`),
          ),
        )
        .where('id', 'not in', paidApplicationIds(this.db, 'any'));
    else if (f.payment) q = q.where('id', 'in', paidApplicationIds(this.db, f.payment));
    const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    let rows = q.selectAll();
    rows =
      f.sort === 'due'
        ? rows.orderBy('due_at', 'asc').orderBy('id')
        : f.sort === 'submitted'
          ? rows.orderBy('submitted_at', 'asc').orderBy('id')
          : rows.orderBy('submitted_at', 'desc').orderBy('id');
    const items = await rows
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize)
      .execute();
    return { total: Number(total.n), items };
  }

  /**
   * An agency's submitted applications for its own systems, in a stable order with keyset paging:
   * `after` is the sort value (as PostgreSQL text, so no precision is lost) and id of the last row seen.
   */
  async agencyList(f: AgencyListFilter) {
    const col = AGENCY_SORT_COLUMN[f.sort];
    const desc = f.sort.startsWith('-');
    let q = this.db.selectFrom('applications').where('agency_id', '=', f.agencyId).where('status', '!=', 'draft');
    if (f.status === 'open') q = q.where('status', 'in', OPEN_STATUSES);
    else if (f.status) q = q.where('status', '=', f.status);
    if (f.serviceId) q = q.where('service_id', '=', f.serviceId);
    if (f.updatedSince) q = q.where('updated_at', '>=', f.updatedSince);
    if (f.after) {
      const after = f.after;
      q = q.where(
        desc
          ? sql<boolean>`(${sql.ref(col)}, id) < (${after.value}::timestamptz, ${after.id}::uuid)`
          : sql<boolean>`(${sql.ref(col)}, id) > (${after.value}::timestamptz, ${after.id}::uuid)`,
      );
    }
    const rows = await q
      .selectAll()
      .select(sql<string>`${sql.ref(col)}::text`.as('sort_value'))
      .orderBy(col, desc ? 'desc' : 'asc')
      .orderBy('id', desc ? 'desc' : 'asc')
      .limit(f.limit + 1)
      .execute();
    const more = rows.length > f.limit;
    const items = rows.slice(0, f.limit);
    const last = items.at(-1);
    return { items, next: more && last ? { value: last.sort_value, id: last.id } : null };
  }

  /** Per service (by = 'service') or per operator (by = 'operator'): the figures of the statistics page. */
  async stats(agencyId: string, by: 'service' | 'operator') {
    const key = by === 'service' ? sql<string>`a.service_id::text` : sql<string>`coalesce(a.decided_by, a.assigned_to)::text`;
    const r = await sql<{
      key: string | null;
      received: number;
      decided: number;
      approved: number;
      rejected: number;
      sent_back: number;
      overdue: number;
      median_hours: number | null;
    }>`
      select ${key} as key,
        count(*) as received,
        count(*) filter (where a.status in ('approved', 'rejected')) as decided,
        count(*) filter (where a.status = 'approved') as approved,
        count(*) filter (where a.status = 'rejected') as rejected,
        count(*) filter (where exists (select 1 from application_events e where e.application_id = a.id and e.type = 'info-requested')) as sent_back,
        count(*) filter (where a.status in ('submitted', 'in-review', 'info-requested', 'resubmitted') and a.due_at < now()) as overdue,
        percentile_cont(0.5) within group (order by extract(epoch from (a.decided_at - a.submitted_at)) / 3600) filter (where a.decided_at is not null) as median_hours
      from applications a
      where a.agency_id = ${agencyId} and a.status <> 'draft'
      group by 1 order by received desc`.execute(this.db);
    return r.rows.map((x) => ({
      ...x,
      received: Number(x.received),
      decided: Number(x.decided),
      approved: Number(x.approved),
      rejected: Number(x.rejected),
      sent_back: Number(x.sent_back),
      overdue: Number(x.overdue),
      median_hours: x.median_hours === null ? null : Number(x.median_hours),
    }));
  }

  /** Every version of a service's application form, oldest first. */
  formVersions(serviceId: string) {
    return this.db
      .selectFrom('application_forms')
      .select(['service_id', 'version', 'definition'])
      .where('service_id', '=', serviceId)
      .orderBy('version')
      .execute();
  }
}
