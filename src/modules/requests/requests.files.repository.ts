// SQL of the requests module's second part (migration 0030): attachments (rows here, content in the
// platform's file storage), each agency's own deadlines, a split request's parts and the complaints
// about one service (the service card's aggregate).
import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { CitizenRequestFileTable, CitizenRequestKind, Database } from '../../db/schema.ts';

export type RequestFileRow = Selectable<CitizenRequestFileTable>;
type Db = Kysely<Database> | Transaction<Database>;

export interface ServiceComplaints {
  complaints: number;
  answered: number;
  on_time: number;
}

export class RequestsFilesRepository {
  constructor(readonly db: Kysely<Database>) {}

  insertFile(tx: Db, row: Insertable<CitizenRequestFileTable>): Promise<RequestFileRow> {
    return tx.insertInto('citizen_request_files').values(row).returningAll().executeTakeFirstOrThrow();
  }

  files(requestId: string): Promise<RequestFileRow[]> {
    return this.db.selectFrom('citizen_request_files').selectAll().where('request_id', '=', requestId).orderBy('created_at').execute();
  }

  file(requestId: string, fileId: string): Promise<RequestFileRow | undefined> {
    return this.db
      .selectFrom('citizen_request_files')
      .selectAll()
      .where('request_id', '=', requestId)
      .where('id', '=', fileId)
      .executeTakeFirst();
  }

  /** Published files of published register entries (what the officer chose to publish). */
  publishedFiles(requestIds: string[]): Promise<RequestFileRow[]> {
    if (!requestIds.length) return Promise.resolve([]);
    return this.db
      .selectFrom('citizen_request_files')
      .innerJoin('citizen_requests', 'citizen_requests.id', 'citizen_request_files.request_id')
      .selectAll('citizen_request_files')
      .where('citizen_request_files.request_id', 'in', requestIds)
      .where('citizen_request_files.published', '=', true)
      .where('citizen_requests.publication', '=', 'published')
      .execute();
  }

  /** The one published file of a published register entry, else none. */
  publishedFile(requestId: string, fileId: string): Promise<RequestFileRow | undefined> {
    return this.db
      .selectFrom('citizen_request_files')
      .innerJoin('citizen_requests', 'citizen_requests.id', 'citizen_request_files.request_id')
      .selectAll('citizen_request_files')
      .where('citizen_request_files.request_id', '=', requestId)
      .where('citizen_request_files.id', '=', fileId)
      .where('citizen_request_files.published', '=', true)
      .where('citizen_requests.publication', '=', 'published')
      .executeTakeFirst();
  }

  async setPublished(tx: Db, requestId: string, fileIds: string[]): Promise<void> {
    await tx.updateTable('citizen_request_files').set({ published: false }).where('request_id', '=', requestId).execute();
    if (fileIds.length)
      await tx
        .updateTable('citizen_request_files')
        .set({ published: true })
        .where('request_id', '=', requestId)
        .where('side', '=', 'agency')
        .where('id', 'in', fileIds)
        .execute();
  }

  async deadline(db: Db, agencyId: string, kind: CitizenRequestKind): Promise<number | undefined> {
    const r = await db
      .selectFrom('citizen_request_deadlines')
      .select('days')
      .where('agency_id', '=', agencyId)
      .where('kind', '=', kind)
      .executeTakeFirst();
    return r?.days;
  }

  deadlines(agencyId: string) {
    return this.db.selectFrom('citizen_request_deadlines').selectAll().where('agency_id', '=', agencyId).execute();
  }

  async setDeadline(tx: Db, agencyId: string, kind: CitizenRequestKind, days: number | null): Promise<void> {
    if (days === null)
      await tx.deleteFrom('citizen_request_deadlines').where('agency_id', '=', agencyId).where('kind', '=', kind).execute();
    else
      await tx
        .insertInto('citizen_request_deadlines')
        .values({ agency_id: agencyId, kind, days })
        .onConflict((oc) => oc.columns(['agency_id', 'kind']).doUpdateSet({ days }))
        .execute();
  }

  /** Complaints about one service (direct or through one of its applications): how many, answered, on time. */
  async serviceComplaints(serviceId: string): Promise<ServiceComplaints> {
    const r = await sql<ServiceComplaints>`
      select count(*)::int as complaints,
        (count(*) filter (where answered_at is not null))::int as answered,
        (count(*) filter (where answered_at is not null and answered_at <= due_at))::int as on_time
      from citizen_requests where kind = 'complaint' and service_id = ${serviceId}`.execute(this.db);
    return r.rows[0] ?? { complaints: 0, answered: 0, on_time: 0 };
  }
}
