// What the back office's pages show, one method per page: the queue, the statistics, one application,
// a file download and the actions on an application. The rules live here (who may see an application:
// the policy, scoped to the officer's agency; what a filter may be; what an action's text must be), so a
// route only guards, calls one of these and renders the page with what it returns. No HTTP, no SQL.
import type { ApplicationStatus } from '../../db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { AuditLog } from '../../platform/audit.ts';
import type { Lang } from '../../platform/i18n.ts';
import { can, type StaffPrincipal } from '../identity/identity.policy.ts';
import type { StaffRow } from '../identity/staff.service.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import { pick as pickText } from '../catalog/catalog.taxonomy.ts';
import type { PaymentsService } from '../payments/payments.service.ts';
import type { RepresentationRow } from '../representation/representation.repository.ts';
import type { ApplicationsService } from './applications.service.ts';
import type { BackofficeService } from './backoffice.service.ts';
import type { ApplicationRow } from './applications.repository.ts';
import { cleanText } from './validate.ts';

export const QUEUE_STATUSES: (ApplicationStatus | 'open' | 'all')[] = [
  'open',
  'submitted',
  'in-review',
  'info-requested',
  'resubmitted',
  'approved',
  'rejected',
  'all',
];
const PAGE_SIZE = 25;
/** A message in both languages (both required, unlike a catalog text). */
type LocalText = Record<Lang, string>;
const MAX_TEXT = 2000;

export type QueueQuery = Partial<Record<'status' | 'sort' | 'page' | 'service' | 'assigned' | 'payment' | 'overdue', string>>;
export type BackofficeAction = 'claim' | 'assign' | 'request-info' | 'approve' | 'reject' | 'message';
export interface ActionBody {
  text?: string;
  assignee?: string;
  confirm?: string;
}
/** What an action came to: done, a question first ("are you sure?"), or what to fix in which field. */
export type ActionOutcome =
  | { kind: 'done' }
  | { kind: 'confirm'; a: ApplicationRow; text: string; serviceName: string }
  | { kind: 'problem'; field: string; message: LocalText; view: DetailView };
export type DetailView = Awaited<ReturnType<BackofficeViews['detailView']>>;

export interface BackofficeViewDeps {
  applications: ApplicationsService;
  backoffice: BackofficeService;
  catalog: Pick<CatalogService, 'agencyCards' | 'getService' | 'getAgency'>;
  staff: { listByAgency(agencyId: string): Promise<StaffRow[]> };
  payments: () => Pick<PaymentsService, 'paidSet' | 'stateOf'>;
  representation: () => { recordOf(applicationId: string): Promise<RepresentationRow | undefined> };
  audit: AuditLog;
}

const principal = (s: StaffRow): StaffPrincipal => ({ id: s.id, role: s.role, agencyId: s.agency_id });
const TOO_LONG: LocalText = { fa: 'متن باید حداکثر ۲۰۰۰ نویسه باشد', en: 'The text must be 2000 characters or fewer' };

export class BackofficeViews {
  constructor(private readonly d: BackofficeViewDeps) {}

  /** An application the officer may work on: their agency's (the policy), else 403; a draft or bad id is 404. */
  async forStaff(staff: StaffRow, id: string): Promise<ApplicationRow> {
    const a = await this.d.backoffice.forAgency(id);
    if (!can(principal(staff), 'applications.work', { agencyId: a.agency_id })) throw new AppError('FORBIDDEN');
    return a;
  }

  /** The queue of the officer's agency: filters read from the query (anything unknown is ignored), one page of it. */
  async queueView(staff: StaffRow, q: QueueQuery, lang: Lang) {
    const agencyId = staff.agency_id;
    if (!agencyId) throw new AppError('FORBIDDEN'); // the policy gives applications.work only to staff of an agency
    const status = QUEUE_STATUSES.find((s) => s === q.status) ?? 'open';
    const sort = q.sort === 'submitted' || q.sort === '-submitted' ? q.sort : 'due';
    const page = /^\d{1,4}$/.test(q.page ?? '') ? Math.max(1, Number(q.page)) : 1;
    const services = await this.d.catalog.agencyCards(agencyId);
    const serviceId = services.find((s) => s.id === q.service)?.id;
    const assigned = q.assigned === 'me' ? staff.id : q.assigned === 'none' ? 'none' : undefined;
    const payment = q.payment === 'paid' || q.payment === 'unpaid' || q.payment === 'refunded' ? q.payment : undefined;
    const { total, items } = await this.d.backoffice.queue({
      agencyId,
      status,
      serviceId,
      overdue: q.overdue === '1',
      assignedTo: assigned,
      payment,
      sort,
      page,
      pageSize: PAGE_SIZE,
    });
    const [paid, people] = await Promise.all([this.d.payments().paidSet(items.map((a) => a.id)), this.d.staff.listByAgency(agencyId)]);
    const qs = (over: Record<string, string | undefined>) => {
      const p = new URLSearchParams();
      const all = {
        status,
        service: serviceId,
        overdue: q.overdue === '1' ? '1' : undefined,
        assigned: q.assigned,
        payment,
        sort,
        ...over,
      };
      for (const [k, v] of Object.entries(all)) if (v) p.set(k, v);
      return `/${lang}/staff/applications?${p}`;
    };
    return {
      agencyId,
      q,
      status,
      sort,
      payment,
      serviceId,
      services,
      names: new Map(services.map((s) => [s.id, pickText(s.name, lang).text])),
      people: new Map(people.map((p) => [p.id, p.name || p.email])),
      paid,
      items,
      total,
      page,
      pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
      qs,
    };
  }

  /** The statistics of one agency (the officer's own, or the one asked for when the policy allows it). */
  async statsView(staff: StaffRow, requested: string | undefined, lang: Lang) {
    const agencyId = requested ?? staff.agency_id;
    if (!agencyId) throw new AppError('NOT_FOUND');
    if (!can(principal(staff), 'applications.stats', { agencyId })) throw new AppError('FORBIDDEN');
    const agency = await this.d.catalog.getAgency(agencyId);
    const [{ byService, byOperator }, cards, people, rating] = await Promise.all([
      this.d.backoffice.stats(agencyId),
      this.d.catalog.agencyCards(agencyId),
      this.d.staff.listByAgency(agencyId),
      this.d.applications.ratingSummary({ agencyId }),
    ]);
    return {
      agencyName: pickText(agency.name, lang).text,
      byService,
      byOperator,
      services: new Map(cards.map((s) => [s.id, pickText(s.name, lang).text])),
      people: new Map(people.map((p) => [p.id, p.name || p.email])),
      rating,
    };
  }

  /** One application with everything its page shows. */
  async detailView(staff: StaffRow, id: string) {
    return this.#detail(await this.forStaff(staff, id));
  }

  async #detail(a: ApplicationRow) {
    const A = this.d.applications;
    const [service, events, files, messages, def, people, citizen, payment, actingFor] = await Promise.all([
      this.d.catalog.getService(a.service_id),
      A.timeline(a),
      A.files(a),
      A.messagesOf(a),
      A.formOf(a),
      this.d.staff.listByAgency(a.agency_id),
      A.applicantOf(a),
      this.d.payments().stateOf(a),
      this.d.representation().recordOf(a.id),
    ]);
    return { a, service, events, files, messages, def, people, citizen, payment, actingFor };
  }

  /** A file of the application, its download recorded in the audit log. */
  async download(staff: StaffRow, id: string, fileId: string) {
    const a = await this.forStaff(staff, id);
    const f = await this.d.applications.file(a, fileId);
    await this.d.audit.record({
      actor: `staff:${staff.id}`,
      action: 'application.file-download',
      subject: a.id,
      detail: { file: f.row.id },
    });
    return f;
  }

  /**
   * An officer's action on an application. Approve and reject change it for good: without `confirm=yes`
   * they are first asked again (a decided application is not asked: the same 409 the service gives).
   */
  async act(staff: StaffRow, id: string, action: BackofficeAction, body: ActionBody, lang: Lang): Promise<ActionOutcome> {
    const a = await this.forStaff(staff, id);
    const outcome = await this.#act(staff, a, action, body, lang);
    // what to fix is shown on the application's page, with everything it shows
    return 'problem' in outcome ? { kind: 'problem', ...outcome.problem, view: await this.#detail(a) } : outcome;
  }

  async #act(
    staff: StaffRow,
    a: ApplicationRow,
    action: BackofficeAction,
    body: ActionBody,
    lang: Lang,
  ): Promise<Exclude<ActionOutcome, { kind: 'problem' }> | { problem: { field: string; message: LocalText } }> {
    const B = this.d.backoffice;
    const text = cleanText(body.text ?? '', true);
    const problem = (field: string, message: LocalText) => ({ problem: { field, message } });
    const done = { kind: 'done' as const };
    const need = (field: string, empty: LocalText | null) =>
      !text && empty ? problem(field, empty) : text.length > MAX_TEXT ? problem(field, TOO_LONG) : null;
    switch (action) {
      case 'claim':
        return (await B.claim(staff, a.id), done);
      case 'assign': {
        const to = body.assignee ? await B.findAssignable(a.agency_id, body.assignee) : undefined;
        if (!to)
          return problem('assignee', {
            fa: 'یکی از کارشناسان فعال همین دستگاه را انتخاب کنید',
            en: 'Choose an active officer of this agency',
          });
        return (await B.claim(staff, a.id, to), done);
      }
      case 'request-info':
        return (
          need('request', { fa: 'بنویسید چه اطلاعاتی لازم است', en: 'Enter what information you need' }) ??
          (await B.requestInfo(staff, a.id, text), done)
        );
      case 'message':
        return need('message', { fa: 'متن پیام را بنویسید', en: 'Enter your message' }) ?? (await B.message(staff, a.id, text), done);
      case 'approve':
      case 'reject': {
        const bad =
          action === 'approve'
            ? need('approve', null)
            : need('reject', { fa: 'دلیل رد درخواست را بنویسید', en: 'Enter the reason for rejecting the application' });
        if (bad) return bad;
        if (body.confirm !== 'yes') {
          if (!['submitted', 'in-review', 'resubmitted'].includes(a.status)) throw new AppError('APPLICATION_CLOSED');
          const service = await this.d.catalog.getService(a.service_id);
          return { kind: 'confirm', a, text, serviceName: pickText(service.name, lang).text };
        }
        try {
          await B.decide(staff, a.id, action === 'approve' ? 'approved' : 'rejected', text);
        } catch (e) {
          if (action === 'approve' && e instanceof AppError && e.code === 'PAYMENT_REQUIRED')
            return problem('approve', {
              fa: 'هزینه این درخواست هنوز پرداخت نشده است؛ پس از پرداخت می‌توانید آن را بپذیرید.',
              en: 'The fee for this application has not been paid yet; you can approve it once it is paid.',
            });
          throw e;
        }
        return done;
      }
    }
  }
}
