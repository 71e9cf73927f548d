// All SQL of the requests module (Kysely): citizens' requests and their timelines (tables citizen_requests
// and citizen_request_events, migration 0023), the queues, the public register and the statistics.
import { sql, type Insertable, type Kysely, type Selectable, type Transaction, type Updateable } from 'kysely';
import type { CitizenRequestEventTable, CitizenRequestKind, CitizenRequestStatus, CitizenRequestTable, Database } from '../../db/schema.ts';

export type RequestRow = Selectable<CitizenRequestTable>;
export type RequestEventRow = Selectable<CitizenRequestEventTable>;
export type NewRequest = Insertable<CitizenRequestTable>;
type Db = Kysely<Database> | Transaction<Database>;

export interface QueueFilter {
  /** An agency's queue; none: the oversight office's (escalated, appealed, awaiting publication or review). */
  agencyId?: string;
  status?: 'open' | 'closed' | 'all';
  kind?: CitizenRequestKind;
  overdue?: boolean;
  assignedTo?: string;
  now: Date;
  page: number;
  size: number;
}

export interface AgencyMonth {
  agency_id: string;
  month: string;
  received: number;
  answered: number;
  on_time: number;
  overdue: number;
  appeals: number;
  appeals_upheld: number;
  median_days: number | null;
  rating: number | null;
}

/** A row of the public FOI register: the redacted title and answer, no requester, no original text. */
export type RegisterRow = Pick<
  RequestRow,
  'id' | 'agency_id' | 'status' | 'answered_at' | 'exemption' | 'subject_public' | 'answer_public'
>;

const OPEN: CitizenRequestStatus[] = ['open', 'clarification', 'vexatious-review'];

export class RequestsRepository {
  constructor(readonly db: Kysely<Database>) {}

  transaction<T>(fn: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  /** The new row; none when its reference is taken already (the caller draws another). */
  insert(tx: Db, row: NewRequest): Promise<RequestRow | undefined> {
    return tx
      .insertInto('citizen_requests')
      .values(row)
      .onConflict((oc) => oc.column('reference').doNothing())
      .returningAll()
      .executeTakeFirst();
  }

  async event(tx: Db, e: Insertable<CitizenRequestEventTable>): Promise<void> {
    await tx.insertInto('citizen_request_events').values(e).execute();
  }

  byId(db: Db, id: string, lock = false): Promise<RequestRow | undefined> {
    let q = db.selectFrom('citizen_requests').selectAll().where('id', '=', id);
    if (lock) q = q.forUpdate();
    return q.executeTakeFirst();
  }

  update(tx: Db, id: string, patch: Updateable<CitizenRequestTable>): Promise<RequestRow> {
    return tx.updateTable('citizen_requests').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  }

  events(id: string): Promise<RequestEventRow[]> {
    return this.db.selectFrom('citizen_request_events').selectAll().where('request_id', '=', id).orderBy('id').execute();
  }

  mine(citizenId: string, limit = 100): Promise<RequestRow[]> {
    return this.db
      .selectFrom('citizen_requests')
      .selectAll()
      .where('citizen_id', '=', citizenId)
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
  }

  /** The same citizen sent the same text to the same agency since `since` (another citizen's same words are theirs). */
  async duplicate(tx: Db, citizenId: string, agencyId: string, bodyHash: string, since: Date): Promise<boolean> {
    const row = await tx
      .selectFrom('citizen_requests')
      .select('id')
      .where('citizen_id', '=', citizenId)
      .where('agency_id', '=', agencyId)
      .where('body_hash', '=', bodyHash)
      .where('created_at', '>=', since)
      .limit(1)
      .executeTakeFirst();
    return !!row;
  }

  /**
   * Serializes one citizen's filings until the transaction ends: the rate limit and the duplicate check
   * read, then insert, and two parallel filings must not both pass the check (PostgreSQL transaction-level
   * advisory lock on the citizen, released at commit or rollback).
   */
  async lockCitizen(tx: Transaction<Database>, citizenId: string): Promise<void> {
    await sql`select pg_advisory_xact_lock(hashtextextended(${'citizen_requests:' + citizenId}, 0))`.execute(tx);
  }

  async filedSince(tx: Db, citizenId: string, since: Date): Promise<number> {
    const r = await tx
      .selectFrom('citizen_requests')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('citizen_id', '=', citizenId)
      .where('created_at', '>=', since)
      // parts an agency split off are its doing, not the citizen's filings
      .where('parent_id', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async queue(f: QueueFilter): Promise<{ items: RequestRow[]; total: number }> {
    let q = this.db.selectFrom('citizen_requests');
    if (f.agencyId) q = q.where('agency_id', '=', f.agencyId);
    else
      q = q.where((eb) =>
        eb.or([
          eb('escalation', '>=', 2),
          eb('appeal_status', '=', 'open'),
          eb('publication', '=', 'pending'),
          eb('status', '=', 'vexatious-review'),
        ]),
      );
    if (f.status === 'open' || f.status === undefined) q = q.where('status', 'in', OPEN);
    else if (f.status === 'closed') q = q.where('status', 'not in', OPEN);
    if (f.kind) q = q.where('kind', '=', f.kind);
    if (f.overdue) q = q.where('due_at', '<', f.now).where('status', 'in', ['open']);
    if (f.assignedTo) q = q.where('assigned_to', '=', f.assignedTo);
    const [items, count] = await Promise.all([
      q
        .selectAll()
        .orderBy('due_at')
        .orderBy('id')
        .limit(f.size)
        .offset((f.page - 1) * f.size)
        .execute(),
      q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(count.n) };
  }

  /** Open requests past their deadline (or past their next escalation), oldest first, locked for this pass. */
  dueForEscalation(tx: Db, now: Date, limit: number): Promise<RequestRow[]> {
    return tx
      .selectFrom('citizen_requests')
      .selectAll()
      .where('status', '=', 'open')
      .where('escalation', '<', 2)
      .where((eb) =>
        eb.or([
          eb.and([eb('escalation', '=', 0), eb('due_at', '<', now)]),
          eb.and([eb('escalation', '=', 1), eb('escalate_at', '<', now)]),
        ]),
      )
      .orderBy('due_at')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
  }

  /** The public register: only what the officer wrote for the public, never the citizen's own title or text. */
  register(page: number, size: number): Promise<RegisterRow[]> {
    return this.db
      .selectFrom('citizen_requests')
      .select(['id', 'agency_id', 'status', 'answered_at', 'exemption', 'subject_public', 'answer_public'])
      .where('kind', '=', 'foi')
      .where('publication', '=', 'published')
      .orderBy('answered_at', 'desc')
      .limit(size)
      .offset((page - 1) * size)
      .execute();
  }

  /** Per agency and month (Tehran, Gregorian YYYY-MM) of receipt: the response statistics as of `now`. */
  async monthly(now: Date, agencyId?: string): Promise<AgencyMonth[]> {
    const where = agencyId ? sql`and agency_id = ${agencyId}` : sql``;
    const r = await sql<AgencyMonth>`
      select agency_id,
        to_char(received_at at time zone 'Asia/Tehran', 'YYYY-MM') as month,
        count(*)::int as received,
        (count(*) filter (where answered_at is not null))::int as answered,
        (count(*) filter (where answered_at is not null and answered_at <= due_at))::int as on_time,
        (count(*) filter (where answered_at is null and status in ('open', 'clarification') and due_at < ${now}))::int as overdue,
        (count(*) filter (where appeal_status is not null))::int as appeals,
        (count(*) filter (where appeal_status = 'upheld'))::int as appeals_upheld,
        round((percentile_cont(0.5) within group (order by extract(epoch from answered_at - received_at) / 86400)
          filter (where answered_at is not null))::numeric, 1)::float8 as median_days,
        round(avg(rating)::numeric, 2)::float8 as rating
      from citizen_requests where received_at <= ${now} ${where}
      group by 1, 2
      order by 1, 2`.execute(this.db);
    return r.rows;
  }
}
