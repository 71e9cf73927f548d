// SQL for the agency back office: the queue, the agency API's list, the statistics and the agency's staff (Kysely only).
import { sql, type Kysely } from 'kysely';
import type { ApplicationStatus, Database } from '../../db/schema.ts';
import { paidApplicationIds } from '../payments/payments.repository.ts';
import { OPEN_STATUSES } from './applications.repository.ts';
import type { AgencySort } from './applications.types.ts';

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

export class BackofficeRepository {
  constructor(readonly db: Kysely<Database>) {}

  /** Staff accounts of an agency (who may be assigned is the service's rule: isAssignable). */
  agencyStaff(agencyId: string) {
    return this.db.selectFrom('staff').selectAll().where('agency_id', '=', agencyId).orderBy('email').execute();
  }

  staffById(id: string) {
    return this.db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
  }

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
}
