// SQL for the GovStack tables (govstack_applicants, _eforms, _files, _documents, _tasks), Kysely only.
// The application-file and task lists and the decision statistics are read-only views that join the
// applications, catalogue and staff tables GovStack exposes; nothing here writes another module's table
// (citizens go through IdentityRepository, applications and their files through ApplicationsService).
import crypto from 'node:crypto';
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { Database, GovstackDocumentTable, GovstackFileTable, GovstackTaskTable } from '../../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface Page {
  sortBy: string;
  sortOrder: 'asc' | 'desc';
  offset: number;
  limit: number;
}

export class GovstackRepository {
  constructor(readonly db: Kysely<Database>) {}

  transaction<T>(fn: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  // ---- services GovStack lists (catalogue services with an application form)

  /** Published services that have an application form, optionally of one agency and matching a name, by slug. */
  openServices(name: string | undefined, agencyId: string | null) {
    let q = this.db
      .selectFrom('services')
      .selectAll()
      .where('status', '=', 'published')
      .where((eb) =>
        eb.exists(eb.selectFrom('application_forms').select('service_id').whereRef('application_forms.service_id', '=', 'services.id')),
      );
    if (agencyId) q = q.where('agency_id', '=', agencyId);
    if (name) {
      const like = `%${name.replace(/[\\%_]/g, (c) => `\\${c}`).toLowerCase()}%`;
      q = q.where((eb) => eb.or([eb(sql`lower(name->>'en')`, 'like', like), eb(sql`lower(name->>'fa')`, 'like', like)]));
    }
    return q.orderBy('slug').limit(1000).execute();
  }

  // ---- eForms

  eFormsOf(serviceId: string) {
    return this.db.selectFrom('govstack_eforms').selectAll().where('service_id', '=', serviceId).execute();
  }

  eFormById(eFormId: string) {
    return this.db
      .selectFrom('govstack_eforms')
      .selectAll()
      .where('eform_id', '=', eFormId)
      .orderBy('service_id')
      .limit(1)
      .executeTakeFirst();
  }

  /** Names a form version with a loaded GovStack eForm id (renamed if it exists). */
  async putEForm(e: { eform_id: string; service_id: string; form_version: number; name: string; description: string }): Promise<void> {
    await this.db
      .insertInto('govstack_eforms')
      .values(e)
      .onConflict((oc) => oc.columns(['eform_id', 'service_id']).doUpdateSet({ name: e.name, description: e.description }))
      .execute();
  }

  // ---- applicants

  async citizensOfApplicant(applicantId: string): Promise<string[]> {
    return (await this.db.selectFrom('govstack_applicants').select('citizen_id').where('applicant_id', '=', applicantId).execute()).map(
      (r) => r.citizen_id,
    );
  }

  /** Links an applicant id to a citizen; false when it was linked already (another request was first). */
  async linkApplicant(tx: Db, applicantId: string, citizenId: string): Promise<boolean> {
    const link = await tx
      .insertInto('govstack_applicants')
      .values({ applicant_id: applicantId, citizen_id: citizenId })
      .onConflict((oc) => oc.column('applicant_id').doNothing())
      .executeTakeFirst();
    return Number(link.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  // ---- documents

  /** Deletes a document not attached to an application; returns its storage key. */
  async deleteUnattachedDocument(id: string): Promise<string | undefined> {
    return (
      await this.db
        .deleteFrom('govstack_documents')
        .where('id', '=', id)
        .where('application_id', 'is', null)
        .returning('storage_key')
        .executeTakeFirst()
    )?.storage_key;
  }

  async insertDocument(v: Insertable<GovstackDocumentTable>): Promise<string> {
    return (await this.db.insertInto('govstack_documents').values(v).returning('id').executeTakeFirstOrThrow()).id;
  }

  document(id: string) {
    return this.db.selectFrom('govstack_documents').selectAll().where('id', '=', id).executeTakeFirst();
  }

  documents(ids: string[]) {
    return this.db.selectFrom('govstack_documents').selectAll().where('id', 'in', ids).execute();
  }

  async attachDocument(id: string, applicationId: string): Promise<void> {
    await this.db.updateTable('govstack_documents').set({ application_id: applicationId }).where('id', '=', id).execute();
  }

  documentIdsOf(applicationId: string) {
    return this.db
      .selectFrom('govstack_documents')
      .select('id')
      .where('application_id', '=', applicationId)
      .orderBy('created_at')
      .execute();
  }

  // ---- application files

  async applicationOfFile(fileId: string): Promise<string | undefined> {
    return (await this.db.selectFrom('govstack_files').select('application_id').where('file_id', '=', fileId).executeTakeFirst())
      ?.application_id;
  }

  fileOf(applicationId: string) {
    return this.db.selectFrom('govstack_files').selectAll().where('application_id', '=', applicationId).executeTakeFirst();
  }

  /** Records what a GovStack client sent with an application (once per application). */
  async insertFileOnce(tx: Db, v: Insertable<GovstackFileTable>): Promise<void> {
    await tx
      .insertInto('govstack_files')
      .values(v)
      .onConflict((oc) => oc.column('application_id').doNothing())
      .execute();
  }

  /** A loaded application file (the conformance data). */
  async insertFile(v: Insertable<GovstackFileTable>): Promise<void> {
    await this.db.insertInto('govstack_files').values(v).execute();
  }

  /** Stores the operator's form data on a file (made if the application has none yet). */
  async putOperatorData(
    tx: Db,
    v: {
      file_id: string;
      application_id: string;
      applicant_id: string;
      document_urls?: string[];
      operator_data: Record<string, unknown>;
      operator_eform_id: string | null;
      client: string | null;
      application_name?: string;
    },
  ): Promise<void> {
    await tx
      .insertInto('govstack_files')
      .values({
        file_id: v.file_id,
        application_id: v.application_id,
        applicant_id: v.applicant_id,
        document_urls: JSON.stringify(v.document_urls ?? []),
        operator_data: JSON.stringify(v.operator_data),
        operator_eform_id: v.operator_eform_id,
        client: v.client,
        application_name: v.application_name ?? null,
      })
      .onConflict((oc) =>
        oc.column('application_id').doUpdateSet({
          operator_data: JSON.stringify(v.operator_data),
          operator_eform_id: v.operator_eform_id,
          ...(v.document_urls ? { document_urls: JSON.stringify(v.document_urls) } : {}),
          ...(v.application_name ? { application_name: v.application_name } : {}),
          updated_at: sql`now()`,
        }),
      )
      .execute();
  }

  /** Submitted applications with their GovStack file, service, assignee and task, filtered, sorted and paged. */
  fileRows(f: { agencyId: string | null; applicationId?: string; serviceId?: string; citizenIds?: string[]; page?: Page }) {
    let q = this.db
      .selectFrom('applications as a')
      .innerJoin('services as s', 's.id', 'a.service_id')
      .leftJoin('govstack_files as g', 'g.application_id', 'a.id')
      .leftJoin('staff as st', 'st.id', 'a.assigned_to')
      .leftJoin('govstack_tasks as t', 't.application_id', 'a.id')
      .where('a.status', '!=', 'draft');
    if (f.agencyId) q = q.where('a.agency_id', '=', f.agencyId);
    if (f.applicationId !== undefined) q = q.where('a.id', '=', f.applicationId);
    if (f.serviceId !== undefined) q = q.where('a.service_id', '=', f.serviceId);
    if (f.citizenIds !== undefined) q = q.where('a.citizen_id', 'in', f.citizenIds);
    const p = f.page;
    if (p) {
      const dir = p.sortOrder;
      q =
        p.sortBy === 'dueDate'
          ? q.orderBy('a.due_at', dir)
          : p.sortBy === 'assignee'
            ? q.orderBy('a.assigned_to', dir)
            : p.sortBy === 'id'
              ? q.orderBy(sql`coalesce(g.file_id, a.id::text)`, dir)
              : p.sortBy === 'name' || p.sortBy === 'nameCaseInsensitive'
                ? q.orderBy(sql`lower(coalesce(g.application_name, a.reference))`, dir)
                : p.sortBy === 'description'
                  ? q.orderBy(sql`coalesce(g.description, a.reference)`, dir)
                  : q.orderBy('a.created_at', dir);
      q = q.orderBy('a.id').offset(p.offset).limit(p.limit);
    }
    return q
      .select([
        'a.id',
        'a.status',
        'a.citizen_id',
        'a.created_at',
        'a.submitted_at',
        'a.answers',
        'a.reference',
        'a.assigned_to',
        'a.form_version',
        's.id as sid',
        's.source',
        's.source_key',
        's.name as sname',
        'g.file_id',
        'g.applicant_id',
        'g.application_name',
        'g.client_created_at',
        'g.eform_id',
        'g.document_urls',
        'g.description',
        'g.main_task_id',
        'g.task_title',
        'g.role_id',
        'g.role_name',
        'g.assignee_id',
        'g.operator_name',
        'st.name as staff_name',
        'st.role as staff_role',
        't.task_id',
      ])
      .execute();
  }

  // ---- tasks

  /** The review task of a submitted application (none if it has one). */
  async insertReviewTask(tx: Db, app: { id: string; reference: string | null; agency_id: string }): Promise<void> {
    await tx
      .insertInto('govstack_tasks')
      .values({
        task_id: crypto.randomUUID(),
        main_task_id: app.id,
        task_name: 'Review application',
        name: 'Review application',
        description: app.reference ?? '',
        application_id: app.id,
        agency_id: app.agency_id,
        file_id: null,
        service_id: null,
        service_name: null,
        eform_id: null,
        role_id: 'operator',
        assignee_id: null,
      })
      .onConflict((oc) => oc.column('application_id').where('application_id', 'is not', null).doNothing())
      .execute();
  }

  /** A loaded task (the conformance data), reset to its loaded state if it exists. */
  async putTask(taskId: string, createdAt: string, v: Omit<Insertable<GovstackTaskTable>, 'task_id' | 'created_at'>): Promise<void> {
    await this.db
      .insertInto('govstack_tasks')
      .values({ task_id: taskId, ...v, created_at: createdAt })
      .onConflict((oc) => oc.column('task_id').doUpdateSet({ ...v, completed_at: null, completed_by: null }))
      .execute();
  }

  /** Tasks with their application's status, service and file, filtered, sorted and paged. */
  taskRows(f: { agencyId: string | null; taskId?: string; mainTaskId?: string; fileId?: string; assigneeId?: string; page?: Page }) {
    let q = this.db
      .selectFrom('govstack_tasks as t')
      .leftJoin('applications as a', 'a.id', 't.application_id')
      .leftJoin('services as s', 's.id', 'a.service_id')
      .leftJoin('govstack_files as g', 'g.application_id', 'a.id')
      .selectAll('t')
      .select([
        'a.status as app_status',
        'a.assigned_to',
        'a.form_version',
        's.id as sid',
        's.source',
        's.source_key',
        's.name as sname',
        'g.file_id as gfile',
        'g.eform_id as geform',
      ]);
    if (f.agencyId) q = q.where('t.agency_id', '=', f.agencyId);
    if (f.taskId !== undefined) q = q.where('t.task_id', '=', f.taskId);
    const { fileId, assigneeId } = f;
    if (f.mainTaskId !== undefined) q = q.where('t.main_task_id', '=', f.mainTaskId);
    if (fileId !== undefined)
      q = q.where((eb) =>
        eb.or([
          eb('t.file_id', '=', fileId),
          eb('g.file_id', '=', fileId),
          ...(UUID.test(fileId) ? [eb('t.application_id', '=', fileId)] : []),
        ]),
      );
    if (assigneeId !== undefined)
      q = q.where((eb) =>
        eb.or([eb('t.assignee_id', '=', assigneeId), ...(UUID.test(assigneeId) ? [eb('a.assigned_to', '=', assigneeId)] : [])]),
      );
    const p = f.page;
    if (p) {
      const dir = p.sortOrder;
      q =
        p.sortBy === 'assignee'
          ? q.orderBy(sql`coalesce(t.assignee_id, a.assigned_to::text)`, dir)
          : p.sortBy === 'id'
            ? q.orderBy('t.task_id', dir)
            : p.sortBy === 'name' || p.sortBy === 'nameCaseInsensitive'
              ? q.orderBy(sql`lower(coalesce(t.name, t.task_name, ''))`, dir)
              : p.sortBy === 'description'
                ? q.orderBy('t.description', dir)
                : p.sortBy === 'dueDate'
                  ? q.orderBy('a.due_at', dir)
                  : q.orderBy('t.created_at', dir);
      q = q.orderBy('t.task_id').offset(p.offset).limit(p.limit);
    }
    return q.execute();
  }

  /** Marks a task completed with its data, once; false when it was completed already. */
  async completeTask(tx: Db, taskId: string, data: Record<string, unknown>, by: string): Promise<boolean> {
    const done = await tx
      .updateTable('govstack_tasks')
      .set({ data: JSON.stringify(data), completed_at: sql`now()` as never, completed_by: by })
      .where('task_id', '=', taskId)
      .where('completed_at', 'is', null)
      .executeTakeFirst();
    return Number(done.numUpdatedRows) > 0;
  }

  taskCompletion(tx: Db, taskId: string) {
    return tx.selectFrom('govstack_tasks').select(['data', 'completed_at']).where('task_id', '=', taskId).executeTakeFirst();
  }

  // ---- statistics

  /** Decisions and send-backs per UTC day and event type between two dates (inclusive), filtered. */
  async decisionCounts(f: {
    start: string;
    end: string;
    serviceIds: string[] | null;
    agencyId: string | null;
    operator?: string;
    role?: string;
  }) {
    const rows = await sql<{ day: string; type: string; n: number }>`
      select to_char(e.at at time zone 'UTC', 'YYYY-MM-DD') as day, e.type, count(*) as n
      from application_events e
      join applications a on a.id = e.application_id
      left join staff st on e.actor = 'staff:' || st.id::text
      left join govstack_files g on g.application_id = a.id
      where e.type in ('approved', 'rejected', 'info-requested')
        and e.at >= ${f.start}::date and e.at < (${f.end}::date + 1)
        ${f.serviceIds ? sql`and a.service_id = any(${f.serviceIds}::uuid[])` : sql``}
        ${f.agencyId ? sql`and a.agency_id = ${f.agencyId}` : sql``}
        ${f.operator ? sql`and lower(coalesce(st.name, g.operator_name, '')) = ${f.operator.toLowerCase()}` : sql``}
        ${f.role ? sql`and lower(coalesce(st.role, g.role_name, '')) = ${f.role.toLowerCase()}` : sql``}
      group by 1, 2`.execute(this.db);
    return rows.rows;
  }
}
