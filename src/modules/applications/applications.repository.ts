// SQL for application forms, applications and their drafts, prefill decisions, counter counts, files, events and
// ratings (Kysely only). The back office's queries are in backoffice.repository.ts, the e-box's in ebox.repository.ts.
import { sql, type ExpressionBuilder, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { FormDefinition } from './forms.ts';
import type { ApplicationEventTable, ApplicationFileTable, ApplicationStatus, ApplicationTable, Database } from '../../db/schema.ts';

export type ApplicationRow = Selectable<ApplicationTable>;
export type ApplicationFileRow = Selectable<ApplicationFileTable>;
export type ApplicationEventRow = Selectable<ApplicationEventTable>;
type Db = Kysely<Database>;

/** The ids of the uploaded files some answers refer to ({ fileId, ... } values). */
export function fileIdsOf(answers: Record<string, unknown>): Set<string> {
  const ids = new Set<string>();
  for (const v of Object.values(answers ?? {})) {
    if (v && typeof v === 'object' && typeof (v as { fileId?: unknown }).fileId === 'string') ids.add((v as { fileId: string }).fileId);
  }
  return ids;
}

/**
 * A stored form definition, typed as what it is: only publishForm writes this column, and only a
 * definition that passed checkDefinition (forms.ts), so its JSON is a FormDefinition.
 */
const definitionColumn = (eb: ExpressionBuilder<Database, 'application_forms'>) =>
  eb.ref('definition').$castTo<FormDefinition>().as('definition');
const FORM_COLUMNS = ['service_id', 'version', 'author', 'published_at', definitionColumn] as const;

export const OPEN_STATUSES: ApplicationStatus[] = ['submitted', 'in-review', 'info-requested', 'resubmitted'];
export const DECIDED: ApplicationStatus[] = ['approved', 'rejected'];

export class ApplicationsRepository {
  constructor(readonly db: Db) {}

  transaction<T>(fn: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  // forms
  latestForm(serviceId: string) {
    return this.db
      .selectFrom('application_forms')
      .select(FORM_COLUMNS)
      .where('service_id', '=', serviceId)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
  }
  form(serviceId: string, version: number) {
    return this.db
      .selectFrom('application_forms')
      .select(FORM_COLUMNS)
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

  /**
   * Deletes up to `batch` drafts nobody touched for `retentionDays` (rows another node holds are skipped),
   * with their file rows; returns the storage keys of those files (null: none left), for the caller to
   * delete after the commit.
   */
  async purgeDrafts(retentionDays: number, batch: number): Promise<{ drafts: number; keys: string[] } | null> {
    return this.transaction(async (tx) => {
      const ids = (
        await sql<{
          id: string;
        }>`select id from applications where status = 'draft' and updated_at < now() - make_interval(days => ${retentionDays})
            order by updated_at limit ${batch} for update skip locked`.execute(tx)
      ).rows.map((r) => r.id);
      if (!ids.length) return null;
      const stored = await tx.selectFrom('application_files').select('storage_key').where('application_id', 'in', ids).execute();
      await tx.deleteFrom('applications').where('id', 'in', ids).where('status', '=', 'draft').execute();
      return { drafts: ids.length, keys: stored.map((s) => s.storage_key) };
    });
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

  /** Every version of a service's application form, oldest first. */
  formVersions(serviceId: string) {
    return this.db
      .selectFrom('application_forms')
      .select(['service_id', 'version', definitionColumn])
      .where('service_id', '=', serviceId)
      .orderBy('version')
      .execute();
  }
}
