// The agency side of applications: the back office and the agency API work on submitted applications
// through these methods (claim or assign, ask for information, decide, message the citizen), and the
// documents and payments modules record their events here. Every change goes through the transitions
// (transitions.ts) with its audit entry in the same transaction. No HTTP and no SQL here.
import type { Transaction } from 'kysely';
import type { ApplicationStatus, Database, LocalText } from '../../db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { AuditEvent } from '../../platform/audit.ts';
import type { StaffRow } from '../identity/staff.service.ts';
import { OPEN_STATUSES, type ApplicationRow, type ApplicationsRepository } from './applications.repository.ts';
import type { AgencyListFilter, BackofficeRepository, QueueFilter } from './backoffice.repository.ts';
import type { ApplicationTransitions } from './transitions.ts';
import { actorOf, isApi, isAssignable, staffIdOf, type AgencyActor } from './applications.types.ts';
import { statusText } from './applications.text.ts';

export class BackofficeService {
  #approvalChecks: ((app: ApplicationRow) => Promise<void>)[] = [];
  #issueChecks: ((app: ApplicationRow) => Promise<boolean>)[] = [];

  constructor(
    private readonly repo: ApplicationsRepository,
    private readonly backoffice: BackofficeRepository,
    private readonly transitions: ApplicationTransitions,
  ) {}

  /** A rule another module adds to approval (payments: the fee due at submission is paid); throws to refuse. */
  addApprovalCheck(check: (app: ApplicationRow) => Promise<void>): void {
    this.#approvalChecks.push(check);
  }
  /** A condition for issuing the result document (payments: the fee due before issue is paid); false waits. */
  addIssueCheck(check: (app: ApplicationRow) => Promise<boolean>): void {
    this.#issueChecks.push(check);
  }

  /**
   * A submitted application. With `agencyId` (agency API callers), another agency's application is
   * "not found" too, so a key cannot learn that an id exists. Staff routes check the policy themselves.
   */
  async forAgency(id: string, agencyId?: string): Promise<ApplicationRow> {
    const app = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id) ? await this.repo.byId(id) : undefined;
    if (!app || app.status === 'draft' || (agencyId !== undefined && app.agency_id !== agencyId))
      throw new AppError('APPLICATION_NOT_FOUND');
    return app;
  }

  /** The application an agency actor may work on (an API key: only its own agency's). */
  #forActor(actor: AgencyActor, id: string): Promise<ApplicationRow> {
    return this.forAgency(id, isApi(actor) ? actor.agencyId : undefined);
  }

  agencyList(f: AgencyListFilter) {
    return this.backoffice.agencyList(f);
  }
  queue(f: QueueFilter) {
    return this.backoffice.queue(f);
  }
  stats(agencyId: string) {
    return Promise.all([this.backoffice.stats(agencyId, 'service'), this.backoffice.stats(agencyId, 'operator')]).then(
      ([byService, byOperator]) => ({
        byService,
        byOperator,
      }),
    );
  }

  /** The audit entry of a staff (or API) action; #transition writes it in the change's transaction. */
  #staffAction(staff: AgencyActor, action: string, app: ApplicationRow, detail: Record<string, unknown> = {}): AuditEvent {
    return {
      actor: actorOf(staff),
      action: `application.${action}`,
      subject: app.id,
      detail: { reference: app.reference, ...(isApi(staff) ? { agencyId: staff.agencyId } : {}), ...detail },
    };
  }

  /** The officers an application of this agency can be assigned to (isAssignable), by e-mail. */
  async assignableOfficers(agencyId: string): Promise<StaffRow[]> {
    return (await this.backoffice.agencyStaff(agencyId)).filter((s) => isAssignable(s, agencyId));
  }

  /** The assignable officer with this staff id or e-mail (any case), or undefined. */
  async findAssignable(agencyId: string, idOrEmail: string): Promise<StaffRow | undefined> {
    const wanted = idOrEmail.trim().toLowerCase();
    return wanted ? (await this.assignableOfficers(agencyId)).find((s) => s.id === wanted || s.email.toLowerCase() === wanted) : undefined;
  }

  /** Claims (assignee = the staff member) or assigns to an officer of the agency; an API caller must name the officer. */
  async claim(staff: AgencyActor, id: string, assignee?: StaffRow): Promise<ApplicationRow> {
    const app = await this.#forActor(staff, id);
    const who = assignee ?? (isApi(staff) ? undefined : staff);
    if (!who) throw new AppError('VALIDATION_FAILED', 'Name the officer to assign the application to.');
    if (!OPEN_STATUSES.includes(app.status)) throw new AppError('APPLICATION_CLOSED');
    if (who.agency_id !== app.agency_id) throw new AppError('FORBIDDEN');
    // someone else is given the application only if the rule allows it now (not as the caller's copy had it)
    if (assignee) {
      const now = await this.backoffice.staffById(assignee.id);
      if (!now || !isAssignable(now, app.agency_id)) throw new AppError('OFFICER_NOT_ASSIGNABLE');
    }
    const assigneeId = who.id;
    const to: ApplicationStatus = app.status === 'submitted' || app.status === 'resubmitted' ? 'in-review' : app.status;
    const done = await this.transitions.transition(app.id, [app.status], to, actorOf(staff), {
      type: to === app.status ? 'assigned' : 'in-review',
      data: { assignedTo: assigneeId },
      set: () => ({ assigned_to: assigneeId }),
      notify: false,
      quiet: to === app.status,
      audit: this.#staffAction(staff, assigneeId === staffIdOf(staff) ? 'claim' : 'assign', app, { assignedTo: assigneeId }),
    });
    if (!done) throw new AppError('APPLICATION_CHANGED');
    return done;
  }

  async requestInfo(staff: AgencyActor, id: string, text: string): Promise<ApplicationRow> {
    const app = await this.#forActor(staff, id);
    if (!['submitted', 'in-review', 'resubmitted'].includes(app.status)) throw new AppError('APPLICATION_CLOSED');
    const done = await this.transitions.transition(app.id, [app.status], 'info-requested', actorOf(staff), {
      type: 'info-requested',
      data: { text },
      set: () => ({ assigned_to: app.assigned_to ?? staffIdOf(staff) }),
      message: {
        sender: 'agency',
        kind: 'info-request',
        subject: statusText('info-requested', app.reference ?? '').subject,
        body: { fa: text, en: text },
      },
      audit: this.#staffAction(staff, 'request-info', app),
    });
    if (!done) throw new AppError('APPLICATION_CHANGED');
    return done;
  }

  async decide(staff: AgencyActor, id: string, decision: 'approved' | 'rejected', reason: string): Promise<ApplicationRow> {
    const app = await this.#forActor(staff, id);
    if (!['submitted', 'in-review', 'resubmitted'].includes(app.status)) throw new AppError('APPLICATION_CLOSED');
    if (decision === 'approved') for (const check of this.#approvalChecks) await check(app);
    const text = statusText(decision, app.reference ?? '', reason);
    const done = await this.transitions.transition(app.id, [app.status], decision, actorOf(staff), {
      type: decision,
      data: { reason },
      set: (now) => ({
        decided_at: now,
        decided_by: staffIdOf(staff) ?? app.assigned_to,
        decision_reason: reason || null,
        assigned_to: app.assigned_to ?? staffIdOf(staff),
      }),
      message: { sender: 'agency', kind: 'status', subject: text.subject, body: text.body },
      // On approval the result document is requested in the same transaction: the documents module
      // picks up 'document.requested' events (onEvent or the event feed) and calls documentIssued().
      extra:
        decision === 'approved' ? [{ type: 'document.requested', data: { serviceId: app.service_id, formVersion: app.form_version } }] : [],
      audit: this.#staffAction(staff, decision === 'approved' ? 'approve' : 'reject', app),
    });
    if (!done) throw new AppError('APPLICATION_CHANGED');
    return done;
  }

  /** A message from the agency to the citizen's e-box; `fileIds` are files of this application to attach. */
  async message(staff: AgencyActor, id: string, text: string, fileIds: string[] = []): Promise<string> {
    const app = await this.#forActor(staff, id);
    const r = await this.transitions.transitionResult(app.id, [app.status], app.status, actorOf(staff), {
      type: 'message',
      data: fileIds.length ? { text, fileIds } : { text },
      message: {
        sender: 'agency',
        kind: 'message',
        subject: statusText('message', app.reference ?? '').subject,
        body: { fa: text, en: text },
        file_ids: fileIds,
      },
      audit: this.#staffAction(staff, 'message', app),
    });
    if (!r?.messageId) throw new AppError('APPLICATION_CHANGED');
    return r.messageId;
  }

  /**
   * Hook for the result documents module: records that the document was issued (timeline, e-box,
   * notification) in one transaction. `url` is where the citizen downloads it, `code` its verify code.
   */
  async documentIssued(applicationId: string, doc: { code: string; url: string }, actor = 'platform'): Promise<void> {
    const app = await this.forAgency(applicationId);
    const text = statusText('document.issued', app.reference ?? '', doc.code);
    await this.transitions.transition(app.id, [app.status], app.status, actor, {
      type: 'document.issued',
      data: doc,
      message: { sender: 'platform', kind: 'status', subject: text.subject, body: text.body },
    });
  }

  /**
   * Issues the result document an approval requested (the `document.requested` event `requestId`),
   * exactly once however many nodes try: the application row is locked (with `wait: false`, one that
   * another node holds is skipped), a `document.issued` event for this request means it is done, and
   * `issue` runs in the same transaction as that event (a unique index on the request id backs this up).
   */
  async issueRequested(
    applicationId: string,
    requestId: number,
    issue: (app: ApplicationRow, tx: Transaction<Database>) => Promise<{ code: string; url: string }>,
    o: { wait?: boolean } = {},
  ): Promise<'issued' | 'already' | 'busy' | 'not-approved'> {
    let outcome: 'issued' | 'already' | 'busy' | 'not-approved' = 'busy';
    // conditions other modules set (payments: a fee due before issue is paid) hold once true, so they are
    // checked before the transaction; 'busy' means the sweeper tries again later
    const pre = this.#issueChecks.length ? await this.repo.byId(applicationId) : undefined;
    if (pre) for (const check of this.#issueChecks) if (!(await check(pre))) return 'busy';
    const result = await this.repo.transaction(async (tx) => {
      const app = o.wait === false ? await this.repo.lockByIdSkipLocked(tx, applicationId) : await this.repo.lockById(tx, applicationId);
      if (!app) return null;
      if (app.status !== 'approved') return (void (outcome = 'not-approved'), null);
      if (await this.repo.requestFulfilled(tx, applicationId, requestId)) return (void (outcome = 'already'), null);
      const doc = await issue(app, tx);
      const text = statusText('document.issued', app.reference ?? '', doc.code);
      outcome = 'issued';
      return this.transitions.transitionIn(tx, app, app.status, 'platform', {
        type: 'document.issued',
        data: { ...doc, requestId: String(requestId) },
        message: { sender: 'platform', kind: 'status', subject: text.subject, body: text.body },
      });
    });
    if (result) this.transitions.emit(result.events, result.after);
    return outcome;
  }

  /**
   * For another module's change that belongs on the application's timeline (payments): records the event
   * (timeline, e-box message, notification, webhook sinks) inside the caller's transaction `tx`, with the
   * application row locked. Call the returned function after the commit (in-process listeners).
   */
  async recordEventIn(
    tx: Transaction<Database>,
    applicationId: string,
    type: string,
    data: Record<string, unknown>,
    message?: { subject: LocalText; body: LocalText },
  ): Promise<() => void> {
    const app = await this.repo.lockById(tx, applicationId);
    if (!app) throw new AppError('APPLICATION_NOT_FOUND');
    const r = await this.transitions.transitionIn(tx, app, app.status, 'platform', {
      type,
      data,
      message: message ? { sender: 'platform', kind: 'status', ...message } : undefined,
      quiet: !message,
    });
    return () => this.transitions.emit(r.events, r.after);
  }

  /** Approvals whose requested document has not been issued `olderThanSeconds` after the request. */
  pendingDocumentRequests(olderThanSeconds: number, limit = 50) {
    return this.repo.pendingDocumentRequests(olderThanSeconds, limit);
  }
}
