// The GovStack Registration building block on top of the applications model. GovStack "services" and
// "eForms" are catalogue services and their application_forms versions; an "application file" is an
// application (submitted through ApplicationsService, so it lands in the agency's queue, the citizen's
// tracking, the e-box, notifications and webhooks like any other); a "task" is the agency's review of it.
// What GovStack has and the model lacks lives in the govstack_* tables (migration 0011). No HTTP here; SQL in
// govstack.repository.ts, tasks and statistics in govstack.tasks.ts.
import type { Readable } from 'node:stream';
import type { Kysely, Transaction } from 'kysely';
import type { Database, LocalText } from '../../db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { FileTooLargeError } from '../../platform/storage.ts';
import type { AuditLog } from '../../platform/audit.ts';
import type { ApplicationsService } from '../applications/applications.service.ts';
import type { ApplicationRow } from '../applications/applications.repository.ts';
import { allFields, visiblePages, MAX_FILE_BYTES } from '../applications/forms.ts';
import { FILE_MIME, safeFileName, sniffKind, type FileAnswer } from '../applications/validate.ts';
import { CatalogRepository } from '../catalog/catalog.repository.ts';
import { IdentityRepository } from '../identity/identity.repository.ts';
import { GovstackRepository } from './govstack.repository.ts';
import { GovstackTasks } from './govstack.tasks.ts';
import { GovstackApplicants } from './govstack.applicants.ts';
import { DOCUMENT_PATH, DOCUMENT_URL, formDataToAnswers } from './govstack.answers.ts';
import {
  fileRowView,
  formJsonSchema,
  govId,
  text,
  UUID,
  type Caller,
  type Lang,
  type ListQuery,
  type ServiceRow,
  type StatisticsQuery,
} from './govstack.model.ts';

export type { Caller, Lang, ListQuery, StatisticsQuery } from './govstack.model.ts';

export { DOCUMENT_PATH } from './govstack.answers.ts';
export { EXTERNAL_APPLICANT_MOBILE } from './govstack.applicants.ts';

const NATIVE_EFORM = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-v([0-9]{1,6})$/i;

export interface SubmitInput {
  applicationName?: string;
  applicantId: string;
  created?: string;
  formData?: { data?: Record<string, unknown>; eFormId?: string };
  documentUrls?: string[];
}

export class GovstackService {
  readonly #repo: GovstackRepository;
  readonly #catalog: CatalogRepository;
  readonly #applicants: GovstackApplicants;
  readonly #tasks: GovstackTasks;

  constructor(
    db: Kysely<Database>,
    private readonly applications: ApplicationsService,
    private readonly audit: AuditLog,
  ) {
    this.#repo = new GovstackRepository(db);
    this.#catalog = new CatalogRepository(db);
    this.#applicants = new GovstackApplicants(this.#repo, new IdentityRepository(db));
    this.#tasks = new GovstackTasks(this.#repo, this.#catalog, audit);
    // Every submitted application, through any channel, gets its review task in the same transaction.
    applications.addEventSink(async (tx, app, events) => {
      if (!events.some((e) => e.type === 'submitted')) return;
      await this.#repo.insertReviewTask(tx, app);
    });
  }

  // ------------------------------------------------------------------ services and eForms

  /** A service by its GovStack id: our uuid, or the id it was loaded with (source 'govstack'). */
  async service(id: string, caller?: Caller): Promise<ServiceRow | undefined> {
    const rows = await this.#catalog.servicesBySourceKey('govstack', id, UUID.test(id) ? id : undefined);
    const row = rows.find((r) => r.source === 'govstack' && r.source_key === id) ?? rows[0];
    if (row && caller?.agencyId && row.agency_id !== caller.agencyId) return undefined;
    return row;
  }

  govId(s: Pick<ServiceRow, 'id' | 'source' | 'source_key'>): string {
    return govId(s);
  }

  #meta(s: ServiceRow): Record<string, unknown> {
    const g = (s.extra as Record<string, unknown> | null)?.govstack;
    return g && typeof g === 'object' ? (g as Record<string, unknown>) : {};
  }

  async serviceJson(s: ServiceRow, lang: Lang) {
    const m = this.#meta(s);
    const executable = s.status === 'published' && (await this.applications.hasForm(s.id));
    const body = Array.isArray(m.serviceBody)
      ? (m.serviceBody as { code?: unknown; value?: unknown }[]).map((p) => ({ code: String(p.code ?? ''), value: String(p.value ?? '') }))
      : [
          { code: 'agency', value: s.agency_id },
          { code: 'slug', value: s.slug },
          ...(s.processing_days !== null ? [{ code: 'processingDays', value: String(s.processing_days) }] : []),
        ];
    return {
      id: this.govId(s),
      name: text(s.name, lang),
      version: typeof m.version === 'string' ? m.version : String(s.version),
      type: (m.type === 'None' || m.type === 'Private' || m.type === 'Public' ? m.type : 'Public') as 'None' | 'Private' | 'Public',
      isExecutable: executable,
      isClosed: typeof m.isClosed === 'boolean' ? m.isClosed : false,
      description: typeof m.description === 'string' ? m.description : text(s.summary, lang) || text(s.description, lang),
      serviceBody: body,
    };
  }

  /** Services that take applications online (published, with a form), optionally by name. */
  async services(name: string | undefined, caller: Caller): Promise<ServiceRow[]> {
    return this.#repo.openServices(name, caller.agencyId);
  }

  async eForms(s: ServiceRow, lang: Lang) {
    const forms = await this.applications.repo.formVersions(s.id);
    const mapped = await this.#repo.eFormsOf(s.id);
    const latest = forms.at(-1)?.version;
    return forms.map((f) => {
      const m = mapped.find((x) => x.form_version === f.version);
      const def = f.definition;
      return {
        eFormId: m?.eform_id ?? `${s.id}-v${f.version}`,
        name: m?.name ?? (text(def.title as LocalText | undefined, lang) || text(s.name, lang)),
        description: m?.description ?? text(s.summary, lang),
        version: String(f.version),
        latest: f.version === latest,
        def,
      };
    });
  }

  /** An eForm by id: a loaded GovStack id, or `<service uuid>-v<version>`. */
  async eForm(eFormId: string, lang: Lang, caller: Caller) {
    let serviceId: string | undefined;
    let version: number | undefined;
    const native = NATIVE_EFORM.exec(eFormId);
    if (native) [serviceId, version] = [native[1].toLowerCase(), Number(native[2])];
    else {
      const m = await this.#repo.eFormById(eFormId);
      if (m) [serviceId, version] = [m.service_id, m.form_version];
    }
    if (!serviceId) return undefined;
    const s = await this.#catalog.findServiceById(serviceId);
    if (!s || (caller.agencyId && s.agency_id !== caller.agencyId)) return undefined;
    const form = (await this.eForms(s, lang)).find((f) => f.version === String(version));
    if (!form) return undefined;
    return {
      eFormId,
      name: form.name,
      description: form.description,
      version: form.version,
      latest: form.latest,
      schema: formJsonSchema(form.def, lang),
    };
  }

  // ------------------------------------------------------------------ applicants (govstack.applicants.ts)

  /** The citizen a GovStack applicantId stands for: a citizen id, a citizen's national ID, or a person record made for it. */
  applicantCitizens(applicantId: string): Promise<string[]> {
    return this.#applicants.citizens(applicantId);
  }

  // ------------------------------------------------------------------ documents

  /** Removes a document an upload request stored before the request was refused (not yet attached to anything). */
  async discardDocument(id: string): Promise<void> {
    const key = await this.#repo.deleteUnattachedDocument(id);
    if (key) await this.applications.storage.delete(key).catch(() => {});
  }

  /** Stores an uploaded document (any media type, at most 10 MB); returns its id and URL. */
  async storeDocument(
    content: Readable,
    fileName: string,
    metadata: string | null,
    caller: Caller,
  ): Promise<{ id: string; url: string; size: number; type: string }> {
    let stored;
    try {
      stored = await this.applications.storage.put(content, MAX_FILE_BYTES);
    } catch (e) {
      if (e instanceof FileTooLargeError) throw new AppError('PAYLOAD_TOO_LARGE', `A document may be at most ${MAX_FILE_BYTES} bytes.`);
      throw e;
    }
    if (stored.size === 0) {
      await this.applications.storage.delete(stored.key);
      throw new AppError('GOVSTACK_DOCUMENT_MISSING', 'The document is empty.');
    }
    const kind = sniffKind(stored.head);
    const type = kind ? FILE_MIME[kind] : 'application/octet-stream';
    const id = await this.#repo.insertDocument({
      original_name: safeFileName(fileName || 'document'),
      content_type: type,
      size_bytes: stored.size,
      sha256: stored.sha256,
      storage_key: stored.key,
      metadata,
      agency_id: caller.agencyId,
      uploaded_by: caller.actor,
    });
    return { id, url: DOCUMENT_PATH + id, size: stored.size, type };
  }

  async document(id: string, caller: Caller) {
    if (!UUID.test(id)) return undefined;
    const d = await this.#repo.document(id);
    if (!d || (caller.agencyId && d.agency_id !== caller.agencyId)) return undefined;
    return { row: d, stream: () => this.applications.storage.get(d.storage_key) };
  }

  // ------------------------------------------------------------------ application files

  /**
   * Submits an application for a service through the applications model: the applicant's draft on the
   * latest form, the form data checked page by page as the web form would, documents attached, then
   * submit() (exactly once per draft), which queues it for the agency and tells the citizen.
   */
  async submit(serviceId: string, input: SubmitInput, caller: Caller, lang: Lang) {
    const service = await this.service(serviceId, caller);
    if (!service) throw new AppError('GOVSTACK_SERVICE_NOT_FOUND');
    const form = await this.applications.currentForm(service.id);
    if (!form || service.status !== 'published') throw new AppError('GOVSTACK_SERVICE_NOT_OPEN');
    // a service only a representative applies for (acting-for, issue 14): the relation is checked for the
    // person signed in to Panjereh, never asserted by a calling system
    if (form.def.actingFor) throw new AppError('REPRESENTATION_REQUIRED');
    // a calling system has no citizen sign-in: it is at low, refused before any draft or document is touched
    await this.applications.assertAssurance(service.id, 'low');
    const eForms = await this.eForms(service, lang);
    const eFormId = input.formData?.eFormId;
    if (eFormId !== undefined && !eForms.some((f) => f.eFormId === eFormId && f.latest))
      throw new AppError('GOVSTACK_FORM_DATA_INVALID', `formData.eFormId must be the service's latest eForm (${eForms.at(-1)?.eFormId}).`, {
        problems: [{ field: 'eFormId', message: 'not the latest eForm of this service' }],
      });

    // documents named by URL must be ours, unattached and (with a key) the agency's
    const docIds: string[] = [];
    const external: string[] = [];
    for (const url of input.documentUrls ?? []) {
      const m = DOCUMENT_URL.exec(url);
      if (m) docIds.push(m[1].toLowerCase());
      else external.push(url);
    }
    if (external.length)
      throw new AppError(
        'GOVSTACK_DOCUMENT_UNKNOWN',
        `Upload documents with POST /documents and send the URLs it returns (${DOCUMENT_PATH}<id>).`,
        { documentUrls: external },
      );
    const docs = docIds.length ? await this.#repo.documents(docIds) : [];
    const answers = formDataToAnswers(
      form.def,
      input.formData?.data ?? {},
      docs.map((d) => d.id),
    );
    const citizen = await this.#applicants.applicant(input.applicantId);
    const draft = await this.applications.startDraft(citizen, service.slug, lang);
    for (const id of docIds) {
      const d = docs.find((x) => x.id === id);
      // ours, not attached to another application (a retry may find it on this draft), and (with a key) the agency's
      if (!d || (d.application_id && d.application_id !== draft.id) || (caller.agencyId && d.agency_id !== caller.agencyId))
        throw new AppError('GOVSTACK_DOCUMENT_UNKNOWN', undefined, { documentUrls: [DOCUMENT_PATH + id] });
    }
    // a document given for a file field must be of a kind and size that field accepts
    const fields = new Map(allFields(form.def).map((f) => [f.name, f] as const));
    for (const [docId, name] of answers.fileFields) {
      const d = docs.find((x) => x.id === docId);
      const f = fields.get(name);
      if (!d || !f) continue; // never: fileFields names only the documents given and the form's own fields
      const accepted = (f.accept ?? []).map((k) => FILE_MIME[k]);
      if (!accepted.includes(d.content_type) || d.size_bytes > (f.maxBytes ?? MAX_FILE_BYTES))
        throw new AppError('GOVSTACK_FORM_DATA_INVALID', `${name}: a ${(f.accept ?? []).join(', ')} file of at most ${f.maxBytes} bytes.`, {
          problems: [{ field: name, message: `a ${(f.accept ?? []).join(', ')} file of at most ${f.maxBytes} bytes` }],
        });
    }
    // a person record made for an unknown applicant has no national ID or mobile of theirs to prefill
    const unprefill: Record<string, unknown> = {};
    if (!citizen.contactable)
      for (const f of allFields(form.def)) if (f.prefill && answers.values[f.name] === undefined) unprefill[f.name] = undefined;
    // required answers are checked before anything is attached, so a corrected retry starts clean
    const merged: Record<string, unknown> = { ...draft.answers, ...unprefill, ...answers.values };
    for (const name of answers.fileFields.values()) merged[name] = true;
    for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
    const missing = visiblePages(form.def, merged).flatMap((p) =>
      p.fields.filter((f) => !f.optional && merged[f.name] === undefined).map((f) => f.name),
    );
    if (missing.length)
      throw new AppError('GOVSTACK_FORM_DATA_INVALID', `Missing required fields: ${missing.join(', ')}.`, {
        problems: missing.map((f) => ({ field: f, message: 'required' })),
      });
    await this.applications.saveAnswers(draft, { ...unprefill, ...answers.values });
    // files: documents named in file fields, and the rest as supporting documents
    const fileAnswers: Record<string, FileAnswer> = {};
    const attached = await this.applications.files(draft);
    for (const d of docs) {
      const field = answers.fileFields.get(d.id) ?? 'govstackDocuments';
      const f =
        attached.find((x) => x.storage_key === d.storage_key) ??
        (await this.applications.repo
          .insertFile({
            application_id: draft.id,
            field,
            original_name: d.original_name,
            content_type: d.content_type,
            size_bytes: d.size_bytes,
            sha256: d.sha256,
            storage_key: d.storage_key,
            uploaded_by: caller.actor,
          })
          .catch(() => {
            throw new AppError('GOVSTACK_DOCUMENT_UNKNOWN', undefined, { documentUrls: [DOCUMENT_PATH + d.id] });
          }));
      await this.#repo.attachDocument(d.id, draft.id);
      if (answers.fileFields.has(d.id))
        fileAnswers[field] = { fileId: f.id, name: d.original_name, size: d.size_bytes, type: d.content_type, sha256: d.sha256 };
    }
    const reread = async () => {
      const row = await this.applications.repo.byId(draft.id);
      if (!row) throw new AppError('GOVSTACK_FILE_NOT_FOUND');
      return row;
    };
    if (Object.keys(fileAnswers).length) await this.applications.saveAnswers(await reread(), fileAnswers);
    const fresh = await reread();
    const result = await this.applications.submit(citizen, fresh.id, fresh.submission_token);
    if ('missing' in result)
      throw new AppError('GOVSTACK_FORM_DATA_INVALID', `Missing required fields: ${result.missing.join(', ')}.`, {
        problems: result.missing.map((f) => ({ field: f, message: 'required' })),
      });
    const app = result.app;
    await this.transaction(async (tx) => {
      await this.#repo.insertFileOnce(tx, {
        file_id: app.id,
        application_id: app.id,
        applicant_id: input.applicantId,
        application_name: input.applicationName ?? null,
        client_created_at: input.created ? new Date(input.created) : null,
        eform_id: eFormId ?? eForms.at(-1)?.eFormId ?? null,
        document_urls: JSON.stringify(input.documentUrls ?? []),
        client: caller.client,
      });
      await this.audit.record(
        {
          actor: caller.actor,
          action: 'govstack.application.submitted',
          subject: app.id,
          detail: { reference: app.reference, serviceId: service.id, client: caller.client },
        },
        tx,
      );
    });
    return this.file(app.id, caller, lang);
  }

  /** The application behind a fileId (ours is the application id; loaded ones keep theirs). */
  async #appOf(fileId: string, caller: Caller): Promise<ApplicationRow | undefined> {
    const id = (await this.#repo.applicationOfFile(fileId)) ?? (UUID.test(fileId) ? fileId : undefined);
    if (!id) return undefined;
    const app = await this.applications.repo.byId(id);
    if (!app || app.status === 'draft' || (caller.agencyId && app.agency_id !== caller.agencyId)) return undefined;
    return app;
  }

  async file(fileId: string, caller: Caller, lang: Lang) {
    const app = await this.#appOf(fileId, caller);
    if (!app) throw new AppError('GOVSTACK_FILE_NOT_FOUND');
    const [row] = await this.#fileRows({ agencyId: caller.agencyId, applicationId: app.id }, lang);
    const documents = await this.#repo.documentIdsOf(app.id);
    const { answers, ...r } = row;
    const g = await this.#repo.fileOf(app.id);
    const data: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(answers)) data[k] = v !== null && typeof v === 'object' && !Array.isArray(v) ? v : { value: v };
    return {
      fileId: r.fileId,
      // the spec's applicationFileResponse requires applicantId at the top too (and in applicationData)
      applicantId: r.applicantId,
      registered: r.registered,
      serviceId: r.serviceId,
      serviceName: r.serviceName,
      status: r.status,
      ended: r.status.code === 'APPROVED' || r.status.code === 'REJECTED',
      applicationData: {
        ...(g?.application_name ? { applicationName: g.application_name } : {}),
        applicantId: r.applicantId,
        ...(r.created ? { created: r.created } : {}),
        formData: { data, ...(r.eformId ? { eFormId: r.eformId } : {}) },
        documentUrls: [...new Set([...(g?.document_urls ?? []), ...documents.map((d) => `${DOCUMENT_PATH}${d.id}`)])],
      },
      ...(g?.operator_data
        ? { operatorData: { formData: { data: g.operator_data, ...(g.operator_eform_id ? { eFormId: g.operator_eform_id } : {}) } } }
        : {}),
    };
  }

  /** The operator's form data on an application file (kept beside the applicant's answers, which never change). */
  async update(fileId: string, input: SubmitInput, caller: Caller, lang: Lang) {
    const app = await this.#appOf(fileId, caller);
    if (!app) throw new AppError('GOVSTACK_FILE_NOT_FOUND');
    const fresh = await this.#fileRows({ agencyId: caller.agencyId, applicationId: app.id }, lang);
    await this.transaction(async (tx) => {
      await this.#repo.putOperatorData(tx, {
        file_id: fileId,
        application_id: app.id,
        applicant_id: fresh[0].applicantId,
        document_urls: input.documentUrls,
        operator_data: input.formData?.data ?? {},
        operator_eform_id: input.formData?.eFormId ?? null,
        client: caller.client,
        application_name: input.applicationName,
      });
      await this.audit.record(
        {
          actor: caller.actor,
          action: 'govstack.application.updated',
          subject: app.id,
          detail: { reference: app.reference, client: caller.client },
        },
        tx,
      );
    });
    return this.file(fileId, caller, lang);
  }

  async #fileRows(f: Parameters<GovstackRepository['fileRows']>[0], lang: Lang) {
    return (await this.#repo.fileRows(f)).map((r) => fileRowView(r, lang));
  }

  /** Application files, newest first unless sorted otherwise; empty (never an error) for unknown filters. */
  async files(f: { serviceId?: string; applicantId?: string } & ListQuery, caller: Caller, lang: Lang) {
    let serviceId: string | undefined;
    let citizenIds: string[] | undefined;
    if (f.serviceId !== undefined) {
      const s = await this.service(f.serviceId, caller);
      if (!s) return [];
      serviceId = s.id;
    }
    if (f.applicantId !== undefined) {
      citizenIds = await this.applicantCitizens(f.applicantId);
      if (!citizenIds.length) return [];
    }
    const rows = await this.#fileRows(
      {
        agencyId: caller.agencyId,
        serviceId,
        citizenIds,
        page: { sortBy: f.sortBy, sortOrder: f.sortOrder, offset: f.firstResult, limit: f.maxResult },
      },
      lang,
    );
    return rows.map(({ answers: _a, ...r }) => r);
  }

  // ------------------------------------------------------------------ tasks and statistics (govstack.tasks.ts)

  tasks(f: { mainTaskId?: string; fileId?: string; assigneeId?: string } & ListQuery, caller: Caller, lang: Lang) {
    return this.#tasks.tasks(f, caller, lang);
  }
  task(taskId: string, caller: Caller, lang: Lang) {
    return this.#tasks.task(taskId, caller, lang);
  }
  complete(taskId: string, data: Record<string, unknown>, caller: Caller, lang: Lang) {
    return this.#tasks.complete(taskId, data, caller, lang);
  }
  statistics(q: StatisticsQuery, caller: Caller | null) {
    return this.#tasks.statistics(q, caller);
  }

  // ------------------------------------------------------------------ loading GovStack data

  transaction<T>(fn: (tx: Transaction<Database>) => Promise<T>) {
    return this.#repo.transaction(fn);
  }
  applicantFor(applicantId: string) {
    return this.#applicants.applicant(applicantId);
  }
}
