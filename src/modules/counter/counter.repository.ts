// All SQL of the counter module (Kysely): counter offices, their operators and the assisted sessions
// (tables counter_offices, counter_operators, counter_sessions, migration 0026). The channel counts read
// applications (submitted ones only) to give the share made at offices against online.
import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { CounterOfficeTable, CounterSessionTable, Database } from '../../db/schema.ts';

export type OfficeRow = Selectable<CounterOfficeTable>;
export type CounterSessionRow = Selectable<CounterSessionTable>;
type Db = Kysely<Database> | Transaction<Database>;

export class CounterRepository {
  constructor(readonly db: Kysely<Database>) {}

  transaction<T>(fn: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  offices(): Promise<OfficeRow[]> {
    return this.db.selectFrom('counter_offices').selectAll().orderBy('code').execute();
  }

  office(id: string, db: Db = this.db): Promise<OfficeRow | undefined> {
    return db.selectFrom('counter_offices').selectAll().where('id', '=', id).executeTakeFirst();
  }

  officeByCode(code: string): Promise<OfficeRow | undefined> {
    return this.db.selectFrom('counter_offices').selectAll().where('code', '=', code).executeTakeFirst();
  }

  /** Adds an office; an existing code is left as it is (undefined). */
  insertOffice(tx: Db, row: Insertable<CounterOfficeTable>): Promise<OfficeRow | undefined> {
    return tx
      .insertInto('counter_offices')
      .values(row)
      .onConflict((oc) => oc.column('code').doNothing())
      .returningAll()
      .executeTakeFirst();
  }

  /** The office a counter operator works at (none: not attached to any office yet). */
  officeOf(staffId: string): Promise<OfficeRow | undefined> {
    return this.db
      .selectFrom('counter_operators')
      .innerJoin('counter_offices', 'counter_offices.id', 'counter_operators.office_id')
      .selectAll('counter_offices')
      .where('counter_operators.staff_id', '=', staffId)
      .executeTakeFirst();
  }

  attachOperator(tx: Db, staffId: string, officeId: string) {
    return tx
      .insertInto('counter_operators')
      .values({ staff_id: staffId, office_id: officeId })
      .onConflict((oc) => oc.column('staff_id').doUpdateSet({ office_id: officeId }))
      .execute();
  }

  insertSession(row: Insertable<CounterSessionTable>): Promise<CounterSessionRow> {
    return this.db.insertInto('counter_sessions').values(row).returningAll().executeTakeFirstOrThrow();
  }

  session(id: string, db: Db = this.db): Promise<CounterSessionRow | undefined> {
    return db.selectFrom('counter_sessions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  lockSession(tx: Transaction<Database>, id: string): Promise<CounterSessionRow | undefined> {
    return tx.selectFrom('counter_sessions').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  }

  /** The assisted session a citizen session cookie belongs to (by the hash of its token), if any. */
  byTokenHash(tokenHash: string): Promise<CounterSessionRow | undefined> {
    return this.db.selectFrom('counter_sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  }

  /**
   * The live assisted session working on this draft, locked (at its submission). One that has timed out is
   * not live even if nobody has closed it yet: a later submission (the citizen at home) is not the office's.
   */
  activeForApplication(tx: Transaction<Database>, applicationId: string, now = new Date()): Promise<CounterSessionRow | undefined> {
    return tx
      .selectFrom('counter_sessions')
      .selectAll()
      .where('application_id', '=', applicationId)
      .where('status', '=', 'active')
      .where('expires_at', 'is not', null)
      .where('expires_at', '>', now)
      .forUpdate()
      .executeTakeFirst();
  }

  submittedFor(applicationId: string): Promise<CounterSessionRow | undefined> {
    return this.db
      .selectFrom('counter_sessions')
      .selectAll()
      .where('application_id', '=', applicationId)
      .where('status', '=', 'submitted')
      .executeTakeFirst();
  }

  update(db: Db, id: string, set: Partial<Record<keyof CounterSessionTable, unknown>>, fromStatus?: string) {
    let q = db
      .updateTable('counter_sessions')
      .set(set as never)
      .where('id', '=', id);
    if (fromStatus) q = q.where('status', '=', fromStatus as never);
    return q.returningAll().executeTakeFirst();
  }

  /** The office's sessions, newest first, with the application's reference once submitted. */
  recent(officeId: string, limit = 20) {
    return this.db
      .selectFrom('counter_sessions')
      .leftJoin('applications', 'applications.id', 'counter_sessions.application_id')
      .innerJoin('services', 'services.id', 'counter_sessions.service_id')
      .innerJoin('staff', 'staff.id', 'counter_sessions.operator_id')
      .select([
        'counter_sessions.id',
        'counter_sessions.status',
        'counter_sessions.created_at',
        'counter_sessions.counter_fee_rials',
        'applications.reference',
        'services.name as service_name',
        'staff.name as operator_name',
      ])
      .where('counter_sessions.office_id', '=', officeId)
      .orderBy('counter_sessions.created_at', 'desc')
      .limit(limit)
      .execute();
  }

  /** Who acted: the office, its operator's name and the service, for the record at submission. */
  operatorName(db: Db, staffId: string) {
    return db.selectFrom('staff').select(['name', 'email']).where('id', '=', staffId).executeTakeFirstOrThrow();
  }

  /** Per office: applications submitted through it; and all submitted applications (online and at offices). */
  async channelCounts(): Promise<{ perOffice: { office_id: string; submitted: number }[]; total: number }> {
    const perOffice = await this.db
      .selectFrom('counter_sessions')
      .select(['office_id', sql<number>`count(*)::int`.as('submitted')])
      .where('status', '=', 'submitted')
      .groupBy('office_id')
      .execute();
    const total = await this.db
      .selectFrom('applications')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('submitted_at', 'is not', null)
      .executeTakeFirstOrThrow();
    return { perOffice, total: total.n };
  }

  /** Per agency and channel (a counter office or online), as of `at`: how many ratings and their average score. */
  async ratingsByChannel(at: Date): Promise<{ agency_id: string; at_office: boolean; n: number; average: number }[]> {
    const rows = await this.db
      .selectFrom('application_ratings')
      .leftJoin('counter_sessions', (j) =>
        j
          .onRef('counter_sessions.application_id', '=', 'application_ratings.application_id')
          .on('counter_sessions.status', '=', 'submitted'),
      )
      .select([
        'application_ratings.agency_id',
        sql<boolean>`counter_sessions.id is not null`.as('at_office'),
        sql<number>`count(*)::int`.as('n'),
        sql<number>`avg(application_ratings.score)::float8`.as('average'),
      ])
      .where('application_ratings.created_at', '<=', at)
      .groupBy(['application_ratings.agency_id', sql`counter_sessions.id is not null`])
      .execute();
    return rows.map((r) => ({ ...r, n: Number(r.n), average: Number(r.average) }));
  }

  /** Applications submitted at each office per day (in Tehran) since `since`: the monthly counts are made from these. */
  async dailyByOffice(since: Date): Promise<{ office_id: string; day: string; n: number }[]> {
    const rows = await this.db
      .selectFrom('counter_sessions')
      .select([
        'office_id',
        sql<string>`to_char((ended_at at time zone 'Asia/Tehran')::date, 'YYYY-MM-DD')`.as('day'),
        sql<number>`count(*)::int`.as('n'),
      ])
      .where('status', '=', 'submitted')
      .where('ended_at', '>=', since)
      .groupBy(['office_id', sql`(ended_at at time zone 'Asia/Tehran')::date`])
      .execute();
    return rows.map((r) => ({ ...r, n: Number(r.n) }));
  }

  /** Per agency, as of `at`: submitted applications, and those submitted at a counter office. */
  async agencyChannelCounts(at: Date): Promise<{ agency_id: string; submitted: number; at_offices: number }[]> {
    const rows = await this.db
      .selectFrom('applications')
      .leftJoin('counter_sessions', (j) =>
        j.onRef('counter_sessions.application_id', '=', 'applications.id').on('counter_sessions.status', '=', 'submitted'),
      )
      .select([
        'applications.agency_id',
        sql<number>`count(*)::int`.as('submitted'),
        sql<number>`count(counter_sessions.id)::int`.as('at_offices'),
      ])
      .where('applications.submitted_at', 'is not', null)
      .where('applications.submitted_at', '<=', at)
      .groupBy('applications.agency_id')
      .execute();
    return rows.map((r) => ({ agency_id: r.agency_id, submitted: Number(r.submitted), at_offices: Number(r.at_offices) }));
  }
}
