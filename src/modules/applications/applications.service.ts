// The rules of online applications: forms and drafts, submission, the agency's decisions, the e-box and
// notifications. Every status change goes through #transition(), which in ONE transaction updates the
// application, appends an application_events row (the timeline and the durable event feed), puts a
// message in the citizen's e-box and queues the SMS/email notifications. No HTTP and no SQL here.
import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Kysely, Transaction } from 'kysely';
import type { ApplicationStatus, Database, LocalText } from '../../db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { AuditEvent, AuditLog } from '../../platform/audit.ts';
import { FileTooLargeError, type FileStorage } from '../../platform/storage.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import type { StaffRow } from '../identity/staff.service.ts';
import { allFields, checkDefinition, relevantAnswers, visiblePages, type FormDefinition, type FormField } from './forms.ts';
import {
  ApplicationsRepository,
  DECIDED,
  OPEN_STATUSES,
  type ApplicationEventRow,
  type ApplicationRow,
  type QueueFilter,
  type AgencyListFilter,
} from './applications.repository.ts';
import { newReference } from './reference.ts';
import { addWorkingDays, type WorkingCalendar } from '../calendar/calendar.ts';
import { FILE_MIME, fileProblem, safeFileName, sniffKind, type FileAnswer } from './validate.ts';
import { statusText } from './applications.text.ts';
import { feeAgreesWithCard } from '../payments/fees.ts';
import { latestDecisions, prefillCounts, prefilledNow } from './prefill.counts.ts';

export interface CitizenRef {
  id: string;
  national_id: string;
  mobile: string;
}

/** What listeners get after a change is committed (documents and webhooks hook in here). */
export interface ApplicationEvent {
  event: ApplicationEventRow;
  application: ApplicationRow;
}
export type ApplicationEventListener = (e: ApplicationEvent) => void | Promise<void>;
/** Runs inside the transaction that records the events (for outboxes that must never miss one: webhooks). */
export type ApplicationEventSink = (tx: Transaction<Database>, application: ApplicationRow, events: ApplicationEventRow[]) => Promise<void>;

const DEFAULT_PROCESSING_DAYS = 30;

/**
 * Who works on an application for its agency: a staff member in the back office, or an agency's own
 * system calling the agency API with a key. Both go through the same methods (same rules, timeline,
 * e-box, notifications, webhooks and audit); only the recorded actor differs.
 */
export type AgencyActor = StaffRow | { apiKeyId: string; agencyId: string };
const isApi = (a: AgencyActor): a is { apiKeyId: string; agencyId: string } => 'apiKeyId' in a;
/** The actor as recorded on events and in the audit log: `staff:<id>` or `apikey:<id>`. */
export const actorOf = (a: AgencyActor): string => (isApi(a) ? `apikey:${a.apiKeyId}` : `staff:${a.id}`);
const staffIdOf = (a: AgencyActor): string | null => (isApi(a) ? null : a.id);

/** A file field, or the one attachment field of a response or message. */
export type UploadField =
  FormField | { name: string; label: { fa: string; en: string }; accept: ('pdf' | 'png' | 'jpeg')[]; maxBytes: number; type: 'file' };
/** Content in storage, checked, that no row points at yet (see stageFile). */
export interface StagedFile {
  field: string;
  name: string;
  kind: keyof typeof FILE_MIME;
  size: number;
  sha256: string;
  key: string;
}

/**
 * Who may be given an application: an active (not deactivated) operator or agency admin of the
 * application's agency. The one rule, for the back office's list and form, the agency API and claim().
 */
export function isAssignable(s: Pick<StaffRow, 'role' | 'agency_id' | 'deactivated_at'>, agencyId: string): boolean {
  return s.agency_id === agencyId && !s.deactivated_at && (s.role === 'operator' || s.role === 'agency-admin');
}

export class ApplicationsService {
  readonly repo: ApplicationsRepository;
  #listeners: ApplicationEventListener[] = [];
  #sinks: ApplicationEventSink[] = [];
  #approvalChecks: ((app: ApplicationRow) => Promise<void>)[] = [];
  #issueChecks: ((app: ApplicationRow) => Promise<boolean>)[] = [];

  constructor(
    db: Kysely<Database>,
    private readonly catalog: CatalogService,
    readonly storage: FileStorage,
    private readonly audit: AuditLog,
    private readonly publicUrl?: string,
    /** Working days for deadlines; without one, weekends and fixed holidays only. */
    private readonly calendar?: WorkingCalendar,
  ) {
    this.repo = new ApplicationsRepository(db);
  }

  /**
   * Runs `listener` after every committed application event (submitted, in-review, info-requested,
   * resubmitted, approved, document.requested, rejected, message, document.issued, ...). In-process and
   * best effort: for guaranteed delivery read application_events by id (eventsAfter) as a feed.
   */
  onEvent(listener: ApplicationEventListener): () => void {
    this.#listeners.push(listener);
    return () => void (this.#listeners = this.#listeners.filter((l) => l !== listener));
  }

  /** Adds a sink that runs in every event's own transaction: committed with it, or not at all. */
  addEventSink(sink: ApplicationEventSink): void {
    this.#sinks.push(sink);
  }

  /** A rule another module adds to approval (payments: the fee due at submission is paid); throws to refuse. */
  addApprovalCheck(check: (app: ApplicationRow) => Promise<void>): void {
    this.#approvalChecks.push(check);
  }
  /** A condition for issuing the result document (payments: the fee due before issue is paid); false waits. */
  addIssueCheck(check: (app: ApplicationRow) => Promise<boolean>): void {
    this.#issueChecks.push(check);
  }

  eventsAfter(afterId: number, limit = 100) {
    return this.repo.eventsAfter(afterId, limit);
  }

  #emit(events: ApplicationEventRow[], application: ApplicationRow): void {
    for (const event of events)
      for (const l of this.#listeners) {
        try {
          void Promise.resolve(l({ event, application })).catch(() => {});
        } catch {
          /* a listener's failure never undoes a committed change */
        }
      }
  }

  // ---------------------------------------------------------------- forms

  /** Checks and publishes a definition as the service's next form version. */
  async publishForm(
    def: unknown,
    author: string,
  ): Promise<
    { ok: true; serviceId: string; slug: string; version: number } | { ok: false; problems: { path: string; message: string }[] }
  > {
    const problems = checkDefinition(def);
    if (problems.length) return { ok: false, problems };
    const d = def as FormDefinition;
    let service;
    try {
      service = await this.catalog.getService(d.service);
    } catch {
      return { ok: false, problems: [{ path: '/service', message: `there is no service with the slug "${d.service}"` }] };
    }
    const disagreement = feeAgreesWithCard(d.fee, service.fees);
    if (disagreement) return { ok: false, problems: [{ path: '/fee', message: disagreement }] };
    const { version: _v, $schema: _s, ...clean } = d as FormDefinition & { version?: number; $schema?: string };
    const version = await this.repo.insertForm(service.id, clean, author);
    return { ok: true, serviceId: service.id, slug: service.slug, version };
  }

  async currentForm(serviceId: string): Promise<{ version: number; def: FormDefinition } | null> {
    const f = await this.repo.latestForm(serviceId);
    return f ? { version: f.version, def: f.definition as unknown as FormDefinition } : null;
  }

  async currentFormBySlug(slug: string): Promise<{ version: number; def: FormDefinition } | null> {
    try {
      return await this.currentForm((await this.catalog.getService(slug)).id);
    } catch {
      return null;
    }
  }

  /** The form an application was made on (never a later version). */
  async formOf(app: ApplicationRow): Promise<FormDefinition> {
    // a published version never changes, so it can be kept in memory
    const key = `${app.service_id}:${app.form_version}`;
    const cached = this.#forms.get(key);
    if (cached) return cached;
    const f = await this.repo.form(app.service_id, app.form_version);
    if (!f) throw new AppError('NOT_FOUND');
    if (this.#forms.size > 1000) this.#forms.clear();
    this.#forms.set(key, f.definition as unknown as FormDefinition);
    return f.definition as unknown as FormDefinition;
  }
  #forms = new Map<string, FormDefinition>();

  #withForms: { at: number; set: Promise<Set<string>> } | null = null;
  /** Whether a service takes online applications (cached for a few seconds). */
  async hasForm(serviceId: string): Promise<boolean> {
    if (!this.#withForms || Date.now() - this.#withForms.at > 5000)
      this.#withForms = { at: Date.now(), set: this.repo.servicesWithForms() };
    return (await this.#withForms.set).has(serviceId);
  }

  // ---------------------------------------------------------------- citizen: drafts

  /** The person's draft for this service: the one they have, or a new one on the latest form. */
  async startDraft(citizen: CitizenRef, serviceSlug: string, lang: 'fa' | 'en'): Promise<ApplicationRow> {
    const service = await this.catalog.getService(serviceSlug);
    const existing = await this.repo.draftFor(citizen.id, service.id);
    if (existing) return existing;
    const form = await this.currentForm(service.id);
    if (!form || service.status !== 'published') throw new AppError('NOT_FOUND');
    const answers: Record<string, unknown> = {};
    for (const f of allFields(form.def)) {
      if (f.prefill === 'nationalId') answers[f.name] = citizen.national_id;
      if (f.prefill === 'mobile') answers[f.name] = citizen.mobile;
    }
    const row = await this.repo.insertDraft({
      service_id: service.id,
      form_version: form.version,
      agency_id: service.agency_id,
      citizen_id: citizen.id,
      answers,
      submission_token: crypto.randomBytes(24).toString('base64url'),
      lang,
    });
    return row ?? (await this.repo.draftFor(citizen.id, service.id))!;
  }

  /** One of the person's own applications; anyone else's is "not found" (no hint that it exists). */
  async own(citizenId: string, id: string): Promise<ApplicationRow> {
    const app = /^[0-9a-f-]{36}$/.test(id) ? await this.repo.byId(id) : undefined;
    if (!app || app.citizen_id !== citizenId) throw new AppError('APPLICATION_NOT_FOUND');
    return app;
  }

  async saveAnswers(app: ApplicationRow, values: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (app.status !== 'draft') throw new AppError('APPLICATION_NOT_EDITABLE');
    const def = await this.formOf(app);
    const merged: Record<string, unknown> = { ...app.answers };
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete merged[k];
      else merged[k] = v;
    }
    // keep answers of pages that dropped out until submission, so changing one's mind back loses nothing
    const replaced = await this.repo.saveAnswers(app.id, merged);
    void def;
    // a file replaced by a new upload goes once the change is committed (its row went in the same transaction)
    for (const key of replaced) await this.storage.delete(key).catch(() => {});
    return merged;
  }

  /**
   * Streams one uploaded file into storage: size limit while streaming, the real type sniffed from the
   * first bytes, SHA-256 recorded. Returns the answer to keep, or what is wrong with the file.
   */
  async storeFile(
    app: ApplicationRow,
    field: UploadField,
    content: Readable,
    fileName: string,
    uploadedBy: string,
  ): Promise<{ ok: true; answer: FileAnswer } | { ok: false; reason: 'too-large' | 'wrong-type' | 'empty' }> {
    const r = await this.stageFile(field, content, fileName);
    return r.ok ? { ok: true, answer: await this.commitFile(app, r.staged, uploadedBy) } : r;
  }

  /**
   * The first half of storeFile for a request still being read: the content is in storage, checked,
   * but no row points at it. commitFile once the whole request was accepted, discardStaged otherwise,
   * so a refused request (a limit, a malformed body) leaves neither a row nor a file.
   */
  async stageFile(
    field: UploadField,
    content: Readable,
    fileName: string,
  ): Promise<{ ok: true; staged: StagedFile } | { ok: false; reason: 'too-large' | 'wrong-type' | 'empty' }> {
    let stored;
    try {
      stored = await this.storage.put(content, field.maxBytes ?? 0);
    } catch (e) {
      if (e instanceof FileTooLargeError) return { ok: false, reason: 'too-large' };
      throw e;
    }
    const kind = sniffKind(stored.head);
    if (stored.size === 0 || !kind || !(field.accept ?? []).includes(kind)) {
      await this.storage.delete(stored.key);
      return { ok: false, reason: stored.size === 0 ? 'empty' : 'wrong-type' };
    }
    return {
      ok: true,
      staged: { field: field.name, name: safeFileName(fileName), kind, size: stored.size, sha256: stored.sha256, key: stored.key },
    };
  }

  async commitFile(app: ApplicationRow, f: StagedFile, uploadedBy: string): Promise<FileAnswer> {
    try {
      const row = await this.repo.insertFile({
        application_id: app.id,
        field: f.field,
        original_name: f.name,
        content_type: FILE_MIME[f.kind],
        size_bytes: f.size,
        sha256: f.sha256,
        storage_key: f.key,
        uploaded_by: uploadedBy,
      });
      return { fileId: row.id, name: f.name, size: f.size, type: FILE_MIME[f.kind], sha256: f.sha256 };
    } catch (e) {
      await this.discardStaged(f);
      throw e;
    }
  }

  async discardStaged(f: StagedFile): Promise<void> {
    await this.storage.delete(f.key).catch(() => {});
  }

  fileProblem = fileProblem;

  /** Removes a stored file nothing refers to yet (an attachment whose message could not be sent). */
  async dropFile(applicationId: string, fileId: string): Promise<void> {
    const row = await this.repo.deleteFile(applicationId, fileId);
    if (row) await this.storage.delete(row.storage_key).catch(() => {});
  }

  async discard(citizenId: string, id: string): Promise<void> {
    await this.own(citizenId, id); // a malformed or someone else's id is "not found", never a database error
    const files = await this.repo.files(id);
    const r = await this.repo.discardDraft(id, citizenId);
    // the rows went with the draft; their content goes after the commit
    if (Number(r.numDeletedRows) > 0) for (const f of files) await this.storage.delete(f.storage_key).catch(() => {});
  }

  // ---------------------------------------------------------------- citizen: submit and after

  /**
   * Submits a draft exactly once. The token comes from the check-your-answers form: a second POST
   * (double click, back button, retry) finds the application already submitted and gets it back.
   */
  async submit(citizen: CitizenRef, id: string, token: string): Promise<{ app: ApplicationRow; already: boolean } | { missing: string[] }> {
    const app = await this.own(citizen.id, id);
    if (!token || token !== app.submission_token) throw new AppError('SUBMISSION_TOKEN_INVALID');
    if (app.status !== 'draft') return { app, already: true };
    const def = await this.formOf(app);
    const answers = relevantAnswers(def, app.answers);
    const missing = visiblePages(def, answers).flatMap((p) =>
      p.fields.filter((f) => !f.optional && answers[f.name] === undefined).map((f) => f.name),
    );
    if (missing.length) return { missing };
    const service = await this.catalog.getService(app.service_id);
    const announced = this.calendar ? await this.calendar.announced() : new Map();
    const decisions = latestDecisions(await this.repo.prefills(app.id));
    const counts = prefillCounts(def, answers, citizen, prefilledNow(decisions, answers));
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await this.#transition(app.id, ['draft'], 'submitted', 'citizen', {
          type: 'submitted',
          set: (now) => ({
            reference: newReference(),
            answers: JSON.stringify(answers),
            submitted_at: now,
            prefill_offered: counts.offered || null,
            prefill_filled: counts.offered ? counts.filled : null,
            due_at: addWorkingDays(now, service.processing_days ?? DEFAULT_PROCESSING_DAYS, announced),
          }),
        });
        if (!result) return { app: await this.own(citizen.id, id), already: true };
        return { app: result, already: false };
      } catch (e) {
        if ((e as { code?: string }).code === '23505' && /reference/.test(String((e as Error).message)) && attempt < 5) continue;
        throw e;
      }
    }
  }

  mine(citizenId: string) {
    return this.repo.mine(citizenId);
  }

  async timeline(app: ApplicationRow) {
    return this.repo.events(app.id);
  }

  files(app: ApplicationRow) {
    return this.repo.files(app.id);
  }

  async file(app: ApplicationRow, fileId: string) {
    const f = /^[0-9a-f-]{36}$/.test(fileId) ? await this.repo.file(app.id, fileId) : undefined;
    if (!f) throw new AppError('NOT_FOUND');
    return { row: f, stream: () => this.storage.get(f.storage_key) };
  }

  /** The citizen answers a request for more information and sends the application back to the agency. */
  async respond(citizen: CitizenRef, id: string, text: string, fileIds: string[]): Promise<ApplicationRow> {
    const app = await this.own(citizen.id, id);
    if (app.status !== 'info-requested') throw new AppError('APPLICATION_NOT_EDITABLE');
    const request = (await this.repo.messagesOf(app.id)).filter((m) => m.kind === 'info-request').at(-1);
    const done = await this.#transition(app.id, ['info-requested'], 'resubmitted', 'citizen', {
      type: 'resubmitted',
      data: { text, fileIds },
      message: {
        sender: 'citizen',
        kind: 'reply',
        subject: { fa: 'پاسخ به درخواست اطلاعات', en: 'Reply to the request for information' },
        body: { fa: text, en: text },
        file_ids: fileIds,
        in_reply_to: request?.id ?? null,
      },
    });
    if (!done) throw new AppError('APPLICATION_NOT_EDITABLE');
    return done;
  }

  async rate(citizen: CitizenRef, id: string, score: number, comment: string): Promise<boolean> {
    const app = await this.own(citizen.id, id);
    if (!DECIDED.includes(app.status)) throw new AppError('APPLICATION_NOT_DECIDED');
    return this.repo.insertRating({ application_id: app.id, service_id: app.service_id, agency_id: app.agency_id, score, comment });
  }

  rating(app: ApplicationRow) {
    return this.repo.rating(app.id);
  }
  ratingSummary(where: { serviceId?: string; agencyId?: string }) {
    return this.repo.ratingSummary(where);
  }

  // ---------------------------------------------------------------- e-box

  inbox(citizenId: string) {
    return this.repo.inbox(citizenId);
  }
  unread(citizenId: string) {
    return this.repo.unread(citizenId);
  }
  /** Opens a message (recording when it was first read). */
  async readMessage(citizenId: string, id: string) {
    const m = /^[0-9a-f-]{36}$/.test(id) ? await this.repo.message(citizenId, id) : undefined;
    if (!m || m.sender === 'citizen') throw new AppError('NOT_FOUND');
    if (!m.read_at) await this.repo.markRead(m.id);
    return { ...m, read_at: m.read_at ?? new Date() };
  }
  /** The applicant's national ID, shown to the officer working on the application. */
  applicantOf(app: ApplicationRow) {
    return this.repo.applicant(app.citizen_id);
  }
  messagesOf(app: ApplicationRow) {
    return this.repo.messagesOf(app.id);
  }
  /** A reply from the citizen to an agency message (not to a request for information: that is respond()). */
  async reply(citizen: CitizenRef, messageId: string, text: string): Promise<void> {
    const m = await this.readMessage(citizen.id, messageId);
    if (!m.application_id) throw new AppError('NOT_FOUND');
    const app = await this.own(citizen.id, m.application_id);
    if (app.status === 'info-requested' && m.kind === 'info-request') throw new AppError('APPLICATION_REPLY_BY_RESPOND');
    await this.#transition(app.id, [app.status], app.status, 'citizen', {
      type: 'citizen-message',
      data: { text },
      notify: false,
      message: {
        sender: 'citizen',
        kind: 'reply',
        subject: { fa: 'پاسخ شهروند', en: "Citizen's reply" },
        body: { fa: text, en: text },
        in_reply_to: m.id,
      },
    });
  }

  // ---------------------------------------------------------------- agency back office

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
    return this.repo.agencyList(f);
  }
  queue(f: QueueFilter) {
    return this.repo.queue(f);
  }
  stats(agencyId: string) {
    return Promise.all([this.repo.stats(agencyId, 'service'), this.repo.stats(agencyId, 'operator')]).then(([byService, byOperator]) => ({
      byService,
      byOperator,
    }));
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
    return (await this.repo.agencyStaff(agencyId)).filter((s) => isAssignable(s, agencyId));
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
      const now = await this.repo.staffById(assignee.id);
      if (!now || !isAssignable(now, app.agency_id)) throw new AppError('OFFICER_NOT_ASSIGNABLE');
    }
    const assigneeId = who.id;
    const to: ApplicationStatus = app.status === 'submitted' || app.status === 'resubmitted' ? 'in-review' : app.status;
    const done = await this.#transition(app.id, [app.status], to, actorOf(staff), {
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
    const done = await this.#transition(app.id, [app.status], 'info-requested', actorOf(staff), {
      type: 'info-requested',
      data: { text },
      set: () => ({ assigned_to: app.assigned_to ?? staffIdOf(staff) }),
      message: {
        sender: 'agency',
        kind: 'info-request',
        subject: statusText('info-requested', app.reference!).subject,
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
    const text = statusText(decision, app.reference!, reason);
    const done = await this.#transition(app.id, [app.status], decision, actorOf(staff), {
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
    const r = await this.#transitionResult(app.id, [app.status], app.status, actorOf(staff), {
      type: 'message',
      data: fileIds.length ? { text, fileIds } : { text },
      message: {
        sender: 'agency',
        kind: 'message',
        subject: statusText('message', app.reference!).subject,
        body: { fa: text, en: text },
        file_ids: fileIds,
      },
      audit: this.#staffAction(staff, 'message', app),
    });
    if (!r) throw new AppError('APPLICATION_CHANGED');
    return r.messageId!;
  }

  /**
   * Hook for the result documents module: records that the document was issued (timeline, e-box,
   * notification) in one transaction. `url` is where the citizen downloads it, `code` its verify code.
   */
  async documentIssued(applicationId: string, doc: { code: string; url: string }, actor = 'platform'): Promise<void> {
    const app = await this.forAgency(applicationId);
    const text = statusText('document.issued', app.reference!, doc.code);
    await this.#transition(app.id, [app.status], app.status, actor, {
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
      const text = statusText('document.issued', app.reference!, doc.code);
      outcome = 'issued';
      return this.#transitionIn(tx, app, app.status, 'platform', {
        type: 'document.issued',
        data: { ...doc, requestId: String(requestId) },
        message: { sender: 'platform', kind: 'status', subject: text.subject, body: text.body },
      });
    });
    if (result) this.#emit(result.events, result.after);
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
    const r = await this.#transitionIn(tx, app, app.status, 'platform', {
      type,
      data,
      message: message ? { sender: 'platform', kind: 'status', ...message } : undefined,
      quiet: !message,
    });
    return () => this.#emit(r.events, r.after);
  }

  /** Approvals whose requested document has not been issued `olderThanSeconds` after the request. */
  pendingDocumentRequests(olderThanSeconds: number, limit = 50) {
    return this.repo.pendingDocumentRequests(olderThanSeconds, limit);
  }

  // ---------------------------------------------------------------- the one way status changes

  async #transition(
    id: string,
    from: ApplicationStatus[],
    to: ApplicationStatus,
    actor: string,
    o: TransitionOptions,
  ): Promise<ApplicationRow | null> {
    return (await this.#transitionResult(id, from, to, actor, o))?.after ?? null;
  }

  async #transitionResult(id: string, from: ApplicationStatus[], to: ApplicationStatus, actor: string, o: TransitionOptions) {
    const result = await this.repo.transaction(async (tx: Transaction<Database>) => {
      const app = await this.repo.lockById(tx, id);
      if (!app || !from.includes(app.status)) return null;
      return this.#transitionIn(tx, app, to, actor, o);
    });
    if (!result) return null;
    this.#emit(result.events, result.after);
    return result;
  }

  /** The change itself, inside `tx`, on an application row the caller has locked. */
  async #transitionIn(
    tx: Transaction<Database>,
    app: ApplicationRow,
    to: ApplicationStatus,
    actor: string,
    o: TransitionOptions,
  ): Promise<{ after: ApplicationRow; events: ApplicationEventRow[]; messageId: string | null }> {
    const id = app.id;
    const now = new Date();
    const set = { ...(o.set?.(now) ?? {}), ...(to !== app.status ? { status: to } : {}) };
    const after = Object.keys(set).length ? await this.repo.updateApplication(tx, id, set) : app;
    const events = [
      await this.repo.insertEvent(tx, {
        application_id: id,
        type: o.type,
        from_status: app.status,
        to_status: to,
        actor,
        data: o.data ?? {},
      }),
    ];
    for (const x of o.extra ?? [])
      events.push(
        await this.repo.insertEvent(tx, { application_id: id, type: x.type, from_status: to, to_status: to, actor, data: x.data }),
      );
    for (const sink of this.#sinks) await sink(tx, after, events);
    let messageId: string | null = null;
    if (!o.quiet) {
      const citizen = await tx
        .selectFrom('citizens')
        .select(['id', 'mobile', 'contactable'])
        .where('id', '=', app.citizen_id)
        .executeTakeFirstOrThrow();
      const status = statusText(o.type, after.reference ?? '', String(o.data?.reason ?? ''));
      const msg =
        o.message ??
        (o.type === 'submitted' || o.type === 'in-review'
          ? { sender: 'platform' as const, kind: 'status' as const, subject: status.subject, body: status.body }
          : null);
      if (msg)
        messageId = (await this.repo.insertMessage(tx, { citizen_id: citizen.id, application_id: id, agency_id: app.agency_id, ...msg }))
          .id;
      if (o.notify !== false && msg && msg.sender !== 'citizen' && citizen.contactable) {
        const lang = after.lang;
        const link = `${this.publicUrl ?? ''}/${lang}/applications/${id}`;
        const sms = `${lang === 'fa' ? 'پنجره' : 'Panjereh'}: ${status.subject[lang]}\n${link}`;
        const email = typeof after.answers.email === 'string' ? after.answers.email : null;
        await this.repo.enqueue(tx, [
          { dedupe_key: `event:${events[0].id}:sms`, channel: 'sms', recipient: citizen.mobile, body: sms },
          ...(email
            ? [
                {
                  dedupe_key: `event:${events[0].id}:email`,
                  channel: 'email' as const,
                  recipient: email,
                  subject: status.subject[lang] ?? '',
                  body: `${status.body[lang]}\n\n${link}`,
                },
              ]
            : []),
        ]);
      }
    }
    if (o.audit) await this.audit.record(o.audit, tx); // last: the audit chain's lock is held until commit
    return { after, events, messageId };
  }
}

interface TransitionOptions {
  type: string;
  /** The audit entry of this change, written in its transaction. */
  audit?: AuditEvent;
  data?: Record<string, unknown>;
  set?: (now: Date) => Record<string, unknown>;
  message?: {
    sender: 'agency' | 'citizen' | 'platform';
    kind: 'status' | 'message' | 'info-request' | 'reply';
    subject: LocalText;
    body: LocalText;
    file_ids?: string[];
    in_reply_to?: string | null;
  };
  extra?: { type: string; data: Record<string, unknown> }[];
  notify?: boolean;
  quiet?: boolean;
}
