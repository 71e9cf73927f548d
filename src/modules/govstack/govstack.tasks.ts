// GovStack tasks (the agency's review of an application file, or tasks loaded with GovStack data) and
// the decision statistics. No HTTP here; SQL in govstack.repository.ts.
import type { Selectable } from 'kysely';
import type { ApplicationStatus, GovstackTaskTable, LocalText } from '../../db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { AuditLog } from '../../platform/audit.ts';
import type { CatalogRepository } from '../catalog/catalog.repository.ts';
import type { GovstackRepository } from './govstack.repository.ts';
import {
  govId,
  govstackStatus,
  statusModel,
  text,
  type Caller,
  type Lang,
  type ListQuery,
  type StatisticsQuery,
} from './govstack.model.ts';

type TaskRow = Selectable<GovstackTaskTable>;

export class GovstackTasks {
  constructor(
    private readonly repo: GovstackRepository,
    private readonly catalog: CatalogRepository,
    private readonly audit: AuditLog,
  ) {}

  #taskJson(
    r: TaskRow & {
      app_status: ApplicationStatus | null;
      assigned_to: string | null;
      form_version: number | null;
      sid: string | null;
      source: string | null;
      source_key: string | null;
      sname: LocalText | null;
      gfile: string | null;
      geform: string | null;
    },
    lang: Lang,
  ) {
    // a task on one of our applications: its service and file are ours
    const linked =
      r.application_id && r.sid
        ? { applicationId: r.application_id, service: { id: r.sid, source: r.source ?? '', source_key: r.source_key ?? '' } }
        : null;
    return {
      taskId: r.task_id,
      ...(r.main_task_id ? { mainTaskId: r.main_task_id } : {}),
      ...(r.task_name ? { taskName: r.task_name } : {}),
      ...(r.name ? { name: r.name } : {}),
      ...(r.assignee_id || r.assigned_to ? { assigneeId: r.assignee_id ?? r.assigned_to ?? '' } : {}),
      ...(r.role_id ? { roleId: r.role_id } : {}),
      created: new Date(r.created_at).toISOString(),
      ...(r.description !== null ? { description: r.description } : {}),
      ...(linked
        ? { serviceId: govId(linked.service), serviceName: text(r.sname, lang) }
        : { ...(r.service_id ? { serviceId: r.service_id } : {}), ...(r.service_name ? { serviceName: r.service_name } : {}) }),
      ...(linked ? { fileId: r.gfile ?? linked.applicationId } : r.file_id ? { fileId: r.file_id } : {}),
      ...(linked ? { eFormId: r.geform ?? `${r.sid}-v${r.form_version}` } : r.eform_id ? { eFormId: r.eform_id } : {}),
      status: statusModel(r.app_status ? govstackStatus(r.app_status) : r.status),
      formVariables: r.form_variables ?? {},
      data: r.data ?? {},
    };
  }

  async tasks(f: { mainTaskId?: string; fileId?: string; assigneeId?: string } & ListQuery, caller: Caller, lang: Lang) {
    const rows = await this.repo.taskRows({
      agencyId: caller.agencyId,
      mainTaskId: f.mainTaskId,
      fileId: f.fileId,
      assigneeId: f.assigneeId,
      page: { sortBy: f.sortBy, sortOrder: f.sortOrder, offset: f.firstResult, limit: f.maxResult },
    });
    return rows.map((r) => {
      const { taskName: _n, formVariables: _f, data: _d, ...rest } = this.#taskJson(r as never, lang);
      return rest;
    });
  }

  async task(taskId: string, caller: Caller, lang: Lang) {
    const [r] = await this.repo.taskRows({ agencyId: caller.agencyId, taskId });
    if (!r) throw new AppError('GOVSTACK_TASK_NOT_FOUND');
    const { mainTaskId: _m, name: _n, ...rest } = this.#taskJson(r as never, lang);
    return rest;
  }

  /**
   * Completes a task with the data the operator (or applicant) filled in, once. Completing it again
   * with the same outcome (a retry) is idempotent: the same answer, nothing recorded twice; with a
   * different outcome it is 409 GOVSTACK_TASK_COMPLETED.
   */
  async complete(taskId: string, data: Record<string, unknown>, caller: Caller, lang: Lang) {
    const [r] = await this.repo.taskRows({ agencyId: caller.agencyId, taskId });
    if (!r) throw new AppError('GOVSTACK_TASK_NOT_FOUND');
    await this.repo.transaction(async (tx) => {
      if (!(await this.repo.completeTask(tx, taskId, data, caller.actor))) {
        // Completed already: the same outcome again is answered as before (idempotent), another one is a conflict.
        const now = await this.repo.taskCompletion(tx, taskId);
        if (now?.completed_at && sameJson(now.data, data)) return;
        throw new AppError('GOVSTACK_TASK_COMPLETED');
      }
      await this.audit.record(
        {
          actor: caller.actor,
          action: 'govstack.task.completed',
          subject: taskId,
          detail: { applicationId: r.application_id, client: caller.client },
        },
        tx,
      );
    });
    const t = this.#taskJson({ ...(r as object), data } as never, lang);
    return {
      taskId,
      ...(t.fileId ? { fileId: t.fileId } : {}),
      ...(t.serviceId ? { serviceId: t.serviceId } : {}),
      status: t.status,
      variables: { [r.task_name ?? 'task']: { data } },
    };
  }

  /** Decisions and send-backs in a period (by event time), per registration (service), operator and role. */
  async statistics(q: StatisticsQuery, caller: Caller | null) {
    let serviceIds: string[] | null = null;
    if (q.registrationName) {
      const name = q.registrationName.toLowerCase();
      serviceIds = await this.catalog.serviceIdsNamed(name, caller?.agencyId ?? null);
      if (!serviceIds.length) throw new AppError('GOVSTACK_REGISTRATION_NOT_FOUND');
    }
    const today = new Date().toISOString().slice(0, 10);
    const end = q.endDate ?? today;
    // without a start: all time, or with a timeframe the last 30 days, 12 weeks, 12 months or 5 years
    const back = (days: number) => new Date(Date.parse(`${end}T00:00:00Z`) - days * 86400000).toISOString().slice(0, 10);
    const start =
      q.startDate ??
      (q.timeframe === 'day'
        ? back(29)
        : q.timeframe === 'week'
          ? back(7 * 12 - 1)
          : q.timeframe === 'month'
            ? `${back(335).slice(0, 7)}-01`
            : q.timeframe === 'year'
              ? `${Number(end.slice(0, 4)) - 4}-01-01`
              : '2000-01-01');
    if (start > end) throw new AppError('GOVSTACK_INVALID_PARAMETER', 'startDate must not be after endDate.');
    const periods = q.timeframe ? splitPeriods(start, end, q.timeframe) : [[start, end] as [string, string]];
    if (periods.length > 1000)
      throw new AppError('GOVSTACK_INVALID_PARAMETER', 'That is more than 1000 periods: choose a longer timeframe or a shorter range.');
    const rows = await this.repo.decisionCounts({
      start,
      end,
      serviceIds,
      agencyId: caller?.agencyId ?? null,
      operator: q.operator,
      role: q.role,
    });
    return periods.map(([from, to]) => {
      const inside = rows.filter((r) => r.day >= from && r.day <= to);
      const count = (t: string) => inside.filter((r) => r.type === t).reduce((a, r) => a + Number(r.n), 0);
      const approved = count('approved');
      const rejected = count('rejected');
      const sentBack = count('info-requested');
      return {
        processed: approved + rejected + sentBack,
        approved,
        sentBack,
        rejected,
        references: {
          startDate: from,
          endDate: to,
          ...(q.registrationName ? { registrationName: q.registrationName } : {}),
          ...(q.operator ? { operator: q.operator } : {}),
          ...(q.role ? { role: q.role } : {}),
          timeframeDay: q.timeframe === 'day',
          timeframeWeek: q.timeframe === 'week',
          timeframeMonth: q.timeframe === 'month',
          timeframeYear: q.timeframe === 'year',
        },
      };
    });
  }
}

/** Calendar periods (UTC, whole days, both ends inclusive) covering [start, end]; ISO weeks start on Monday. */
export function splitPeriods(start: string, end: string, tf: 'day' | 'week' | 'month' | 'year'): [string, string][] {
  const out: [string, string][] = [];
  const day = (d: Date) => d.toISOString().slice(0, 10);
  let cur = new Date(`${start}T00:00:00Z`);
  const last = new Date(`${end}T00:00:00Z`);
  while (cur <= last && out.length <= 1000) {
    let next: Date;
    if (tf === 'day') next = new Date(cur.getTime() + 86400000);
    else if (tf === 'week') next = new Date(cur.getTime() + ((8 - (cur.getUTCDay() || 7)) % 7 || 7) * 86400000);
    else if (tf === 'month') next = new Date(Date.UTC(cur.getUTCFullYear(), cur.getUTCMonth() + 1, 1));
    else next = new Date(Date.UTC(cur.getUTCFullYear() + 1, 0, 1));
    const to = new Date(Math.min(next.getTime() - 86400000, last.getTime()));
    out.push([day(cur), day(to)]);
    cur = next;
  }
  return out;
}

/** The same JSON value, whatever the order of object keys (jsonb does not keep it). */
export function sameJson(a: unknown, b: unknown): boolean {
  const canon = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canon)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canon((v as Record<string, unknown>)[k])]),
          )
        : v;
  return JSON.stringify(canon(typeof a === 'string' ? JSON.parse(a) : a)) === JSON.stringify(canon(b));
}
