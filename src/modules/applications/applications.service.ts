// The rules of online applications for the citizen: forms and drafts, files, submission, answering the
// agency, ratings and the e-box. The agency side (claim, ask, decide, message, documents) is
// BackofficeService (backoffice.service.ts), built here on the same transitions and reached as
// `applications.backoffice`: callers use that service for it (no pass-through methods here).
// Every status change goes through the transitions (transitions.ts): one transaction for the change, its
// timeline event, e-box message, notifications and audit entry. No HTTP and no SQL here.
import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Kysely, Transaction } from 'kysely';
import type { Database, LocalText } from '../../db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { FileTooLargeError, type FileStorage } from '../../platform/storage.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import { allFields, checkDefinition, relevantAnswers, visiblePages, type FormDefinition, type FormPage } from './forms.ts';
import { ApplicationsRepository, DECIDED, type ApplicationRow } from './applications.repository.ts';
import { BackofficeRepository } from './backoffice.repository.ts';
import { EboxRepository } from './ebox.repository.ts';
import { BackofficeService } from './backoffice.service.ts';
import { ApplicationTransitions } from './transitions.ts';
import type {
  ActingForCheck,
  ActingForRefusal,
  ApplicationEventListener,
  ApplicationEventSink,
  CitizenRef,
  StagedFile,
  UploadField,
} from './applications.types.ts';
import { newReference } from './reference.ts';
import { addWorkingDays, type WorkingCalendar } from '../calendar/calendar.ts';
import { anchorOf, FILE_MIME, fileProblem, safeFileName, sniffKind, type FieldProblem, type FileAnswer } from './validate.ts';
import { feeAgreesWithCard } from '../payments/fees.ts';
import { latestDecisions, prefillCounts, prefilledNow } from './prefill.counts.ts';
import { meets, type Assurance } from '../identity/assurance.ts';

const DEFAULT_PROCESSING_DAYS = 30;

export type { ActingForCheck, CitizenRef } from './applications.types.ts';

export class ApplicationsService {
  readonly repo: ApplicationsRepository;
  readonly ebox: EboxRepository;
  /** The agency side (claim, assign, ask, decide, message; document and payment events). */
  readonly backoffice: BackofficeService;
  readonly #transitions: ApplicationTransitions;
  #actingFor: ActingForCheck | null = null;

  constructor(
    db: Kysely<Database>,
    private readonly catalog: CatalogService,
    readonly storage: FileStorage,
    audit: AuditLog,
    publicUrl?: string,
    /** Working days for deadlines; without one, weekends and fixed holidays only. */
    private readonly calendar?: WorkingCalendar,
  ) {
    this.repo = new ApplicationsRepository(db);
    this.ebox = new EboxRepository(db);
    this.#transitions = new ApplicationTransitions(this.repo, this.ebox, audit, publicUrl);
    this.backoffice = new BackofficeService(this.repo, new BackofficeRepository(db), this.#transitions);
  }

  /**
   * Runs `listener` after every committed application event (submitted, in-review, info-requested,
   * resubmitted, approved, document.requested, rejected, message, document.issued, ...). In-process and
   * best effort: for guaranteed delivery read application_events by id (eventsAfter) as a feed.
   */
  /** Set once by the composition root (representation.module.ts): who an application may be made for. */
  setActingForCheck(check: ActingForCheck): void {
    this.#actingFor = check;
  }

  /** The acting-for check of a question page being saved: a problem for the field naming the person, or null. */
  async actingForOnPage(
    app: ApplicationRow,
    def: FormDefinition,
    page: FormPage,
    values: Record<string, unknown>,
    citizen: CitizenRef,
  ): Promise<FieldProblem | null> {
    const f = page.fields.find((x) => x.name === def.actingFor?.field);
    if (!f || values[f.name] === undefined) return null;
    const refused = await this.#checkActingFor({ app, def, answers: { ...app.answers, ...values }, citizen, stage: 'page' });
    return refused ? ({ name: f.name, anchor: anchorOf(f), message: refused.message } satisfies FieldProblem) : null;
  }

  /** A form that declares "actingFor" is refused outright when no module checks it (fail closed). */
  async #checkActingFor(c: Parameters<ActingForCheck>[0]): Promise<ActingForRefusal | null> {
    if (!c.def.actingFor) return null;
    if (this.#actingFor) return this.#actingFor(c);
    return {
      field: c.def.actingFor.field,
      message: {
        fa: 'اکنون نمی‌توانیم بررسی کنیم که می‌توانید این درخواست را برای این شخص بدهید. بعداً دوباره تلاش کنید.',
        en: 'We cannot check now whether you may apply for this person. Try again later.',
      },
    };
  }

  onEvent(listener: ApplicationEventListener): () => void {
    return this.#transitions.onEvent(listener);
  }
  /** Adds a sink that runs in every event's own transaction: committed with it, or not at all. */
  addEventSink(sink: ApplicationEventSink): void {
    this.#transitions.addEventSink(sink);
  }
  eventsAfter(afterId: number, limit = 100) {
    return this.repo.eventsAfter(afterId, limit);
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
    return f ? { version: f.version, def: f.definition } : null;
  }

  /** The latest published version with who published it and when (the forms editor shows them). */
  latestFormRecord(serviceId: string) {
    return this.repo.latestForm(serviceId);
  }

  /** An application by its reference (any status; the caller checks whose it is). */
  byReference(reference: string) {
    return this.repo.byReference(reference);
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
    this.#forms.set(key, f.definition);
    return f.definition;
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
  /**
   * Refuses (ASSURANCE_TOO_LOW, with the level needed and the level reached) a sign-in below the identity
   * assurance the service declares. `reached` comes from the server's session record (identity.assurance).
   */
  async assertAssurance(serviceIdOrSlug: string, reached: Assurance): Promise<void> {
    const service = await this.catalog.getService(serviceIdOrSlug);
    if (!meets(reached, service.assurance))
      throw new AppError('ASSURANCE_TOO_LOW', undefined, { needed: service.assurance, reached, service: service.slug });
  }

  /** `reached`: the sign-in's assurance, checked against the service's (callers without a citizen session leave it out: the counter office, in person). */
  async startDraft(citizen: CitizenRef, serviceSlug: string, lang: 'fa' | 'en', reached?: Assurance): Promise<ApplicationRow> {
    if (reached) await this.assertAssurance(serviceSlug, reached);
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
    if (row) return row;
    // another request made the draft between our look and our insert: that one is the person's draft
    const made = await this.repo.draftFor(citizen.id, service.id);
    if (!made) throw new AppError('APPLICATION_CHANGED');
    return made;
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
  async submit(
    citizen: CitizenRef,
    id: string,
    token: string,
    reached: Assurance = 'low',
  ): Promise<{ app: ApplicationRow; already: boolean } | { missing: string[]; refused?: ActingForRefusal }> {
    const app = await this.own(citizen.id, id);
    if (!token || token !== app.submission_token) throw new AppError('SUBMISSION_TOKEN_INVALID');
    if (app.status !== 'draft') return { app, already: true };
    // checked again at submission: the service may have been raised, the session may be another one
    await this.assertAssurance(app.service_id, reached);
    const def = await this.formOf(app);
    const answers = relevantAnswers(def, app.answers);
    const missing = visiblePages(def, answers).flatMap((p) =>
      p.fields.filter((f) => !f.optional && answers[f.name] === undefined).map((f) => f.name),
    );
    if (missing.length) return { missing };
    // checked again at submission, whatever the page check said (the registry's answer may have changed)
    const refused = await this.#checkActingFor({ app, def, answers, citizen, stage: 'submission' });
    if (refused) return { missing: [refused.field], refused };
    const service = await this.catalog.getService(app.service_id);
    const announced = this.calendar ? await this.calendar.announced() : new Map();
    const decisions = latestDecisions(await this.repo.prefills(app.id));
    const counts = prefillCounts(def, answers, citizen, prefilledNow(decisions, answers));
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await this.#transitions.transition(app.id, ['draft'], 'submitted', 'citizen', {
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

  /** The citizen answers a request for information (`reached` checked like submitting; left out without a citizen session). */
  async respond(citizen: CitizenRef, id: string, text: string, fileIds: string[], reached?: Assurance): Promise<ApplicationRow> {
    const app = await this.own(citizen.id, id);
    if (app.status !== 'info-requested') throw new AppError('APPLICATION_NOT_EDITABLE');
    if (reached) await this.assertAssurance(app.service_id, reached);
    const request = (await this.ebox.messagesOf(app.id)).filter((m) => m.kind === 'info-request').at(-1);
    const done = await this.#transitions.transition(app.id, ['info-requested'], 'resubmitted', 'citizen', {
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
    return this.ebox.inbox(citizenId);
  }
  unread(citizenId: string) {
    return this.ebox.unread(citizenId);
  }
  /** Opens a message (recording when it was first read). */
  async readMessage(citizenId: string, id: string) {
    const m = /^[0-9a-f-]{36}$/.test(id) ? await this.ebox.message(citizenId, id) : undefined;
    if (!m || m.sender === 'citizen') throw new AppError('NOT_FOUND');
    if (!m.read_at) await this.ebox.markRead(m.id);
    return { ...m, read_at: m.read_at ?? new Date() };
  }
  /** The applicant's national ID, shown to the officer working on the application. */
  applicantOf(app: ApplicationRow) {
    return this.repo.applicant(app.citizen_id);
  }
  /** The citizen read the thread on the application page: its messages count as read, as in the e-box. */
  markThreadRead(app: ApplicationRow) {
    return this.ebox.markApplicationRead(app.citizen_id, app.id);
  }
  messagesOf(app: ApplicationRow) {
    return this.ebox.messagesOf(app.id);
  }
  /** A reply from the citizen to an agency message (not to a request for information: that is respond()). */
  async reply(citizen: CitizenRef, messageId: string, text: string): Promise<void> {
    const m = await this.readMessage(citizen.id, messageId);
    if (!m.application_id) throw new AppError('NOT_FOUND');
    const app = await this.own(citizen.id, m.application_id);
    if (app.status === 'info-requested' && m.kind === 'info-request') throw new AppError('APPLICATION_REPLY_BY_RESPOND');
    await this.#transitions.transition(app.id, [app.status], app.status, 'citizen', {
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

  /**
   * A platform notice to a citizen, written in the caller's transaction (another module's event sink):
   * an e-box message (not in any application's thread) and an SMS queued once per `dedupeKey`.
   */
  async noticeIn(
    tx: Transaction<Database>,
    to: { id: string; mobile: string },
    m: { agencyId: string | null; subject: LocalText; body: LocalText; sms: string; dedupeKey: string },
  ): Promise<void> {
    await this.ebox.insertMessage(tx, {
      citizen_id: to.id,
      application_id: null,
      agency_id: m.agencyId,
      sender: 'platform',
      kind: 'status',
      subject: m.subject,
      body: m.body,
    });
    await this.ebox.enqueue(tx, [{ dedupe_key: m.dedupeKey, channel: 'sms', recipient: to.mobile, body: m.sms }]);
  }
}
