// The GovStack Registration building block on top of the applications model. GovStack "services" and
// "eForms" are catalogue services and their application_forms versions; an "application file" is an
// application (submitted through ApplicationsService, so it lands in the agency's queue, the citizen's
// tracking, the e-box, notifications and webhooks like any other); a "task" is the agency's review of it.
// What GovStack has and the model lacks lives in the govstack_* tables (migration 0011). No HTTP here.
import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { ApplicationStatus, Database, GovstackStatus, GovstackTaskTable, LocalText } from '../../db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { FileTooLargeError } from '../../platform/storage.ts';
import { checkNationalId } from '../../platform/persian.ts';
import type { AuditLog } from '../../platform/audit.ts';
import type { ApplicationsService } from '../applications/applications.service.ts';
import type { ApplicationRow } from '../applications/applications.repository.ts';
import { allFields, visiblePages, MAX_FILE_BYTES, type FormDefinition, type FormField } from '../applications/forms.ts';
import { FILE_MIME, safeFileName, sniffKind, validatePage, type FileAnswer } from '../applications/validate.ts';

type Db = Kysely<Database>;
type ServiceRow = Selectable<Database['services']>;
type TaskRow = Selectable<GovstackTaskTable>;
export type Lang = 'fa' | 'en';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NATIVE_EFORM = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-v([0-9]{1,6})$/i;
/** Where uploaded documents are addressed (and how documentUrls refer to them). */
export const DOCUMENT_PATH = '/govstack/registration/documents/';
const DOCUMENT_URL = /\/govstack\/registration\/documents\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
/** Mobile number on person records made for GovStack applicants who are not Panjereh citizens (the 0900 range is not allocated; such records are not contactable, so nothing is sent). */
export const EXTERNAL_APPLICANT_MOBILE = '09000000000';

export const STATUS_TITLE: Record<GovstackStatus, string> = { PENDING: 'Pending', APPROVED: 'Approved', SENDBACK: 'Sent back', REJECTED: 'Rejected' };
export function govstackStatus(s: ApplicationStatus): GovstackStatus {
  if (s === 'approved') return 'APPROVED';
  if (s === 'rejected') return 'REJECTED';
  if (s === 'info-requested') return 'SENDBACK';
  return 'PENDING';
}
const statusModel = (code: GovstackStatus) => ({ code, title: STATUS_TITLE[code] });
const text = (t: LocalText | null | undefined, lang: Lang): string => (t ? (t[lang] ?? t.en ?? t.fa ?? '') : '');
const iso = (d: Date | string | null | undefined): string | undefined => (d ? new Date(d).toISOString() : undefined);

/** Who is asking: an agency's key (scoped to it) or, with GOVSTACK_ACCESS=open, anyone (agencyId null). */
export interface Caller {
  agencyId: string | null;
  actor: string;
  client: string | null;
}

export interface SubmitInput {
  applicationName?: string;
  applicantId: string;
  created?: string;
  formData?: { data?: Record<string, unknown>; eFormId?: string };
  documentUrls?: string[];
}

export interface ListQuery {
  firstResult: number;
  maxResult: number;
  sortBy: string;
  sortOrder: 'asc' | 'desc';
}

export interface StatisticsQuery {
  startDate?: string;
  endDate?: string;
  registrationName?: string;
  operator?: string;
  role?: string;
  timeframe?: 'day' | 'week' | 'month' | 'year';
}

export class GovstackService {
  constructor(
    private readonly db: Db,
    private readonly applications: ApplicationsService,
    private readonly audit: AuditLog,
  ) {
    // Every submitted application, through any channel, gets its review task in the same transaction.
    applications.addEventSink(async (tx, app, events) => {
      if (!events.some((e) => e.type === 'submitted')) return;
      await tx
        .insertInto('govstack_tasks')
        .values({ task_id: crypto.randomUUID(), main_task_id: app.id, task_name: 'Review application', name: 'Review application', description: app.reference ?? '', application_id: app.id, agency_id: app.agency_id, file_id: null, service_id: null, service_name: null, eform_id: null, role_id: 'operator', assignee_id: null })
        .onConflict((oc) => oc.column('application_id').where('application_id', 'is not', null).doNothing())
        .execute();
    });
  }

  // ------------------------------------------------------------------ services and eForms

  /** A service by its GovStack id: our uuid, or the id it was loaded with (source 'govstack'). */
  async service(id: string, caller?: Caller): Promise<ServiceRow | undefined> {
    let q = this.db.selectFrom('services').selectAll();
    q = UUID.test(id) ? q.where((eb) => eb.or([eb('id', '=', id), eb.and([eb('source', '=', 'govstack'), eb('source_key', '=', id)])])) : q.where('source', '=', 'govstack').where('source_key', '=', id);
    const rows = await q.execute();
    const row = rows.find((r) => r.source === 'govstack' && r.source_key === id) ?? rows[0];
    if (row && caller?.agencyId && row.agency_id !== caller.agencyId) return undefined;
    return row;
  }

  govId(s: Pick<ServiceRow, 'id' | 'source' | 'source_key'>): string {
    return s.source === 'govstack' ? s.source_key : s.id;
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
    let q = this.db
      .selectFrom('services')
      .selectAll()
      .where('status', '=', 'published')
      .where((eb) => eb.exists(eb.selectFrom('application_forms').select('service_id').whereRef('application_forms.service_id', '=', 'services.id')));
    if (caller.agencyId) q = q.where('agency_id', '=', caller.agencyId);
    if (name) {
      const like = `%${name.replace(/[\\%_]/g, (c) => `\\${c}`).toLowerCase()}%`;
      q = q.where((eb) => eb.or([eb(sql`lower(name->>'en')`, 'like', like), eb(sql`lower(name->>'fa')`, 'like', like)]));
    }
    return q.orderBy('slug').limit(1000).execute();
  }

  async eForms(s: ServiceRow, lang: Lang) {
    const forms = await this.db.selectFrom('application_forms').select(['service_id', 'version', 'definition']).where('service_id', '=', s.id).orderBy('version').execute();
    const mapped = await this.db.selectFrom('govstack_eforms').selectAll().where('service_id', '=', s.id).execute();
    const latest = forms.at(-1)?.version;
    return forms.map((f) => {
      const m = mapped.find((x) => x.form_version === f.version);
      const def = f.definition as unknown as FormDefinition;
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
      const m = await this.db.selectFrom('govstack_eforms').selectAll().where('eform_id', '=', eFormId).orderBy('service_id').limit(1).executeTakeFirst();
      if (m) [serviceId, version] = [m.service_id, m.form_version];
    }
    if (!serviceId) return undefined;
    const s = await this.db.selectFrom('services').selectAll().where('id', '=', serviceId).executeTakeFirst();
    if (!s || (caller.agencyId && s.agency_id !== caller.agencyId)) return undefined;
    const form = (await this.eForms(s, lang)).find((f) => f.version === String(version));
    if (!form) return undefined;
    return { eFormId, name: form.name, description: form.description, version: form.version, latest: form.latest, schema: formJsonSchema(form.def, lang) };
  }

  // ------------------------------------------------------------------ applicants

  /** The citizen a GovStack applicantId stands for: a citizen id, a citizen's national ID, or a person record made for it. */
  async applicantCitizens(applicantId: string): Promise<string[]> {
    const ids = new Set<string>();
    if (UUID.test(applicantId)) for (const r of await this.db.selectFrom('citizens').select('id').where('id', '=', applicantId).execute()) ids.add(r.id);
    if (/^[0-9]{10}$/.test(applicantId)) for (const r of await this.db.selectFrom('citizens').select('id').where('national_id', '=', applicantId).execute()) ids.add(r.id);
    for (const r of await this.db.selectFrom('govstack_applicants').select('citizen_id').where('applicant_id', '=', applicantId).execute()) ids.add(r.citizen_id);
    return [...ids];
  }

  async #applicant(applicantId: string): Promise<{ id: string; national_id: string; mobile: string; contactable: boolean }> {
    const found = await this.applicantCitizens(applicantId);
    if (found.length) return this.db.selectFrom('citizens').select(['id', 'national_id', 'mobile', 'contactable']).where('id', '=', found[0]).executeTakeFirstOrThrow();
    // A person record for an applicant Panjereh does not know ("created internally if necessary"): its
    // national ID fails the check digit on purpose, so it can never be a real person's nor be signed in with.
    for (let salt = 0; ; salt++) {
      const digits = BigInt('0x' + crypto.createHash('sha256').update(`${applicantId}:${salt}`).digest('hex').slice(0, 15)) % 1_000_000_000n;
      let nid = digits.toString().padStart(9, '0') + '0';
      for (let d = 0; d < 10 && checkNationalId(nid).ok; d++) nid = nid.slice(0, 9) + String(d);
      if (checkNationalId(nid).ok) continue;
      const made = await this.db.transaction().execute(async (tx) => {
        const c = await tx.insertInto('citizens').values({ national_id: nid, mobile: EXTERNAL_APPLICANT_MOBILE, contactable: false }).onConflict((oc) => oc.column('national_id').doNothing()).returning(['id', 'national_id', 'mobile', 'contactable']).executeTakeFirst();
        if (!c) return null;
        const link = await tx.insertInto('govstack_applicants').values({ applicant_id: applicantId, citizen_id: c.id }).onConflict((oc) => oc.column('applicant_id').doNothing()).executeTakeFirst();
        if (!Number(link.numInsertedOrUpdatedRows ?? 0)) throw new Retry();
        return c;
      }).catch((e) => {
        if (e instanceof Retry) return 'raced' as const;
        throw e;
      });
      if (made === 'raced') return this.#applicant(applicantId); // someone made it at the same moment
      if (made) return made;
    }
  }

  // ------------------------------------------------------------------ documents

  /** Removes a document an upload request stored before the request was refused (not yet attached to anything). */
  async discardDocument(id: string): Promise<void> {
    const row = await this.db.deleteFrom('govstack_documents').where('id', '=', id).where('application_id', 'is', null).returning('storage_key').executeTakeFirst();
    if (row) await this.applications.storage.delete(row.storage_key).catch(() => {});
  }

  /** Stores an uploaded document (any media type, at most 10 MB); returns its id and URL. */
  async storeDocument(content: Readable, fileName: string, metadata: string | null, caller: Caller): Promise<{ id: string; url: string; size: number; type: string }> {
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
    const row = await this.db
      .insertInto('govstack_documents')
      .values({ original_name: safeFileName(fileName || 'document'), content_type: type, size_bytes: stored.size, sha256: stored.sha256, storage_key: stored.key, metadata, agency_id: caller.agencyId, uploaded_by: caller.actor })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, url: DOCUMENT_PATH + row.id, size: stored.size, type };
  }

  async document(id: string, caller: Caller) {
    if (!UUID.test(id)) return undefined;
    const d = await this.db.selectFrom('govstack_documents').selectAll().where('id', '=', id).executeTakeFirst();
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
    const eForms = await this.eForms(service, lang);
    const eFormId = input.formData?.eFormId;
    if (eFormId !== undefined && !eForms.some((f) => f.eFormId === eFormId && f.latest))
      throw new AppError('GOVSTACK_FORM_DATA_INVALID', `formData.eFormId must be the service's latest eForm (${eForms.at(-1)?.eFormId}).`, { problems: [{ field: 'eFormId', message: 'not the latest eForm of this service' }] });

    // documents named by URL must be ours, unattached and (with a key) the agency's
    const docIds: string[] = [];
    const external: string[] = [];
    for (const url of input.documentUrls ?? []) {
      const m = DOCUMENT_URL.exec(url);
      if (m) docIds.push(m[1].toLowerCase());
      else external.push(url);
    }
    if (external.length) throw new AppError('GOVSTACK_DOCUMENT_UNKNOWN', `Upload documents with POST /documents and send the URLs it returns (${DOCUMENT_PATH}<id>).`, { documentUrls: external });
    const docs = docIds.length ? await this.db.selectFrom('govstack_documents').selectAll().where('id', 'in', docIds).execute() : [];
    const answers = this.#answers(form.def, input.formData?.data ?? {}, docs.map((d) => d.id));
    const citizen = await this.#applicant(input.applicantId);
    const draft = await this.applications.startDraft(citizen, service.slug, lang);
    for (const id of docIds) {
      const d = docs.find((x) => x.id === id);
      // ours, not attached to another application (a retry may find it on this draft), and (with a key) the agency's
      if (!d || (d.application_id && d.application_id !== draft.id) || (caller.agencyId && d.agency_id !== caller.agencyId)) throw new AppError('GOVSTACK_DOCUMENT_UNKNOWN', undefined, { documentUrls: [DOCUMENT_PATH + id] });
    }
    // a document given for a file field must be of a kind and size that field accepts
    const fields = new Map(allFields(form.def).map((f) => [f.name, f] as const));
    for (const [docId, name] of answers.fileFields) {
      const d = docs.find((x) => x.id === docId)!;
      const f = fields.get(name)!;
      const accepted = (f.accept ?? []).map((k) => FILE_MIME[k]);
      if (!accepted.includes(d.content_type) || d.size_bytes > (f.maxBytes ?? MAX_FILE_BYTES))
        throw new AppError('GOVSTACK_FORM_DATA_INVALID', `${name}: a ${(f.accept ?? []).join(', ')} file of at most ${f.maxBytes} bytes.`, { problems: [{ field: name, message: `a ${(f.accept ?? []).join(', ')} file of at most ${f.maxBytes} bytes` }] });
    }
    // a person record made for an unknown applicant has no national ID or mobile of theirs to prefill
    const unprefill: Record<string, unknown> = {};
    if (!citizen.contactable) for (const f of allFields(form.def)) if (f.prefill && answers.values[f.name] === undefined) unprefill[f.name] = undefined;
    // required answers are checked before anything is attached, so a corrected retry starts clean
    const merged: Record<string, unknown> = { ...draft.answers, ...unprefill, ...answers.values };
    for (const name of answers.fileFields.values()) merged[name] = true;
    for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
    const missing = visiblePages(form.def, merged).flatMap((p) => p.fields.filter((f) => !f.optional && merged[f.name] === undefined).map((f) => f.name));
    if (missing.length) throw new AppError('GOVSTACK_FORM_DATA_INVALID', `Missing required fields: ${missing.join(', ')}.`, { problems: missing.map((f) => ({ field: f, message: 'required' })) });
    await this.applications.saveAnswers(draft, { ...unprefill, ...answers.values });
    // files: documents named in file fields, and the rest as supporting documents
    const fileAnswers: Record<string, FileAnswer> = {};
    const attached = await this.applications.files(draft);
    for (const d of docs) {
      const field = answers.fileFields.get(d.id) ?? 'govstackDocuments';
      const f =
        attached.find((x) => x.storage_key === d.storage_key) ??
        (await this.applications.repo.insertFile({ application_id: draft.id, field, original_name: d.original_name, content_type: d.content_type, size_bytes: d.size_bytes, sha256: d.sha256, storage_key: d.storage_key, uploaded_by: caller.actor }).catch(() => {
          throw new AppError('GOVSTACK_DOCUMENT_UNKNOWN', undefined, { documentUrls: [DOCUMENT_PATH + d.id] });
        }));
      await this.db.updateTable('govstack_documents').set({ application_id: draft.id }).where('id', '=', d.id).execute();
      if (answers.fileFields.has(d.id)) fileAnswers[field] = { fileId: f.id, name: d.original_name, size: d.size_bytes, type: d.content_type, sha256: d.sha256 };
    }
    if (Object.keys(fileAnswers).length) await this.applications.saveAnswers((await this.applications.repo.byId(draft.id))!, fileAnswers);
    const fresh = (await this.applications.repo.byId(draft.id))!;
    const result = await this.applications.submit(citizen, fresh.id, fresh.submission_token);
    if ('missing' in result) throw new AppError('GOVSTACK_FORM_DATA_INVALID', `Missing required fields: ${result.missing.join(', ')}.`, { problems: result.missing.map((f) => ({ field: f, message: 'required' })) });
    const app = result.app;
    await this.transaction(async (tx) => {
      await tx
        .insertInto('govstack_files')
        .values({ file_id: app.id, application_id: app.id, applicant_id: input.applicantId, application_name: input.applicationName ?? null, client_created_at: input.created ? new Date(input.created) : null, eform_id: eFormId ?? eForms.at(-1)?.eFormId ?? null, document_urls: JSON.stringify(input.documentUrls ?? []), client: caller.client })
        .onConflict((oc) => oc.column('application_id').doNothing())
        .execute();
      await this.audit.record({ actor: caller.actor, action: 'govstack.application.submitted', subject: app.id, detail: { reference: app.reference, serviceId: service.id, client: caller.client } }, tx);
    });
    return this.file(app.id, caller, lang);
  }

  /** GovStack form data to the answers the web form would have produced (each page validated as the web form does). */
  #answers(def: FormDefinition, data: Record<string, unknown>, docIds: string[]): { values: Record<string, unknown>; fileFields: Map<string, string> } {
    const fields = new Map(allFields(def).map((f) => [f.name, f] as const));
    const problems: { field: string; message: string }[] = [];
    for (const k of Object.keys(data)) if (!fields.has(k)) problems.push({ field: k, message: 'no such field in this eForm' });
    // the form-post shape validatePage reads
    const post: Record<string, unknown> = {};
    const fileFields = new Map<string, string>();
    for (const [name, raw] of Object.entries(data)) {
      const f = fields.get(name);
      if (!f) continue;
      const v = raw !== null && typeof raw === 'object' && !Array.isArray(raw) && 'value' in raw ? (raw as { value: unknown }).value : raw;
      if (f.type === 'date') {
        const m = typeof v === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(v) : null;
        if (!m) problems.push({ field: name, message: 'a date as YYYY-MM-DD (Gregorian)' });
        else Object.assign(post, { [`${name}-year`]: m[1], [`${name}-month`]: m[2], [`${name}-day`]: m[3], [`${name}-calendar`]: 'gregorian' });
      } else if (f.type === 'address') {
        const a = (v ?? {}) as Record<string, unknown>;
        if (typeof a !== 'object' || Array.isArray(a)) problems.push({ field: name, message: 'an object with line1, line2, city and postcode' });
        else for (const p of ['line1', 'line2', 'city', 'postcode']) post[`${name}-${p}`] = a[p] === undefined ? '' : String(a[p]);
      } else if (f.type === 'file') {
        const m = typeof v === 'string' ? DOCUMENT_URL.exec(v) : null;
        if (!m || !docIds.includes(m[1].toLowerCase())) problems.push({ field: name, message: `the URL of an uploaded document that is also listed in documentUrls (${DOCUMENT_PATH}<id>)` });
        else fileFields.set(m[1].toLowerCase(), name);
      } else if (f.type === 'checkboxes') post[name] = Array.isArray(v) ? v.map(String) : v === undefined || v === null ? [] : [String(v)];
      else if (v !== null && typeof v === 'object') problems.push({ field: name, message: 'a single value' });
      else post[name] = v === undefined || v === null ? '' : String(v);
    }
    const values: Record<string, unknown> = {};
    for (const page of def.pages) {
      const pageFields = page.fields.filter((f) => f.type !== 'file' && data[f.name] !== undefined);
      if (!pageFields.length) continue;
      const r = validatePage({ ...page, fields: pageFields.map((f) => ({ ...f, optional: true })) }, post);
      for (const e of r.errors) problems.push({ field: e.name, message: e.message.en });
      for (const [k, v] of Object.entries(r.values)) if (v !== undefined) values[k] = v;
    }
    if (problems.length) throw new AppError('GOVSTACK_FORM_DATA_INVALID', problems.map((p) => `${p.field}: ${p.message}`).join('; '), { problems });
    return { values, fileFields };
  }

  /** The application behind a fileId (ours is the application id; loaded ones keep theirs). */
  async #appOf(fileId: string, caller: Caller): Promise<ApplicationRow | undefined> {
    const g = await this.db.selectFrom('govstack_files').select('application_id').where('file_id', '=', fileId).executeTakeFirst();
    const id = g?.application_id ?? (UUID.test(fileId) ? fileId : undefined);
    if (!id) return undefined;
    const app = await this.applications.repo.byId(id);
    if (!app || app.status === 'draft' || (caller.agencyId && app.agency_id !== caller.agencyId)) return undefined;
    return app;
  }

  async file(fileId: string, caller: Caller, lang: Lang) {
    const app = await this.#appOf(fileId, caller);
    if (!app) throw new AppError('GOVSTACK_FILE_NOT_FOUND');
    const [row] = await this.#fileRows(this.#filesQuery(caller).where('a.id', '=', app.id), lang);
    const documents = await this.db.selectFrom('govstack_documents').select('id').where('application_id', '=', app.id).orderBy('created_at').execute();
    const { answers, ...r } = row;
    const g = await this.db.selectFrom('govstack_files').selectAll().where('application_id', '=', app.id).executeTakeFirst();
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
      ...(g?.operator_data ? { operatorData: { formData: { data: g.operator_data, ...(g.operator_eform_id ? { eFormId: g.operator_eform_id } : {}) } } } : {}),
    };
  }

  /** The operator's form data on an application file (kept beside the applicant's answers, which never change). */
  async update(fileId: string, input: SubmitInput, caller: Caller, lang: Lang) {
    const app = await this.#appOf(fileId, caller);
    if (!app) throw new AppError('GOVSTACK_FILE_NOT_FOUND');
    const fresh = await this.#fileRows(this.#filesQuery(caller).where('a.id', '=', app.id), lang);
    await this.transaction(async (tx) => {
      await tx
        .insertInto('govstack_files')
        .values({ file_id: fileId, application_id: app.id, applicant_id: fresh[0].applicantId, document_urls: JSON.stringify(input.documentUrls ?? []), operator_data: JSON.stringify(input.formData?.data ?? {}), operator_eform_id: input.formData?.eFormId ?? null, client: caller.client, application_name: input.applicationName ?? null })
        .onConflict((oc) =>
          oc.column('application_id').doUpdateSet({
            operator_data: JSON.stringify(input.formData?.data ?? {}),
            operator_eform_id: input.formData?.eFormId ?? null,
            ...(input.documentUrls ? { document_urls: JSON.stringify(input.documentUrls) } : {}),
            ...(input.applicationName ? { application_name: input.applicationName } : {}),
            updated_at: sql`now()`,
          }),
        )
        .execute();
      await this.audit.record({ actor: caller.actor, action: 'govstack.application.updated', subject: app.id, detail: { reference: app.reference, client: caller.client } }, tx);
    });
    return this.file(fileId, caller, lang);
  }

  #filesQuery(caller: Caller): FilesQuery {
    let q = filesBase(this.db).where('a.status', '!=', 'draft');
    if (caller.agencyId) q = q.where('a.agency_id', '=', caller.agencyId);
    return q as FilesQuery;
  }

  async #fileRows(q: FilesQuery, lang: Lang) {
    const rows = await q
      .select([
        'a.id', 'a.status', 'a.citizen_id', 'a.created_at', 'a.submitted_at', 'a.answers', 'a.reference', 'a.assigned_to', 'a.form_version',
        's.id as sid', 's.source', 's.source_key', 's.name as sname',
        'g.file_id', 'g.applicant_id', 'g.application_name', 'g.client_created_at', 'g.eform_id', 'g.document_urls', 'g.description', 'g.main_task_id', 'g.task_title', 'g.role_id', 'g.role_name', 'g.assignee_id', 'g.operator_name',
        'st.name as staff_name', 'st.role as staff_role', 't.task_id',
      ])
      .execute();
    return rows.map((r) => ({
      fileId: r.file_id ?? r.id,
      mainTaskId: r.main_task_id ?? r.task_id ?? r.id,
      taskTitle: r.task_title ?? r.application_name ?? r.reference ?? '',
      roleId: r.role_id ?? (r.assigned_to ? String(r.staff_role) : 'operator'),
      roleName: r.role_name ?? (r.assigned_to ? String(r.staff_role) : 'operator'),
      ...(r.assignee_id || r.assigned_to ? { assigneeId: (r.assignee_id ?? r.assigned_to)! } : {}),
      ...(r.operator_name || r.staff_name ? { operatorName: (r.operator_name ?? r.staff_name)! } : {}),
      status: statusModel(govstackStatus(r.status)),
      applicantId: r.applicant_id ?? r.citizen_id,
      created: iso(r.client_created_at ?? r.created_at),
      registered: iso(r.submitted_at ?? r.created_at),
      description: r.description ?? r.reference ?? '',
      serviceName: text(r.sname, lang),
      serviceId: this.govId({ id: r.sid, source: r.source, source_key: r.source_key }),
      eformId: r.eform_id ?? `${r.sid}-v${r.form_version}`,
      documentUrls: r.document_urls ?? [],
      answers: (r.answers ?? {}) as Record<string, unknown>,
    }));
  }

  /** Application files, newest first unless sorted otherwise; empty (never an error) for unknown filters. */
  async files(f: { serviceId?: string; applicantId?: string } & ListQuery, caller: Caller, lang: Lang) {
    let q = this.#filesQuery(caller);
    if (f.serviceId !== undefined) {
      const s = await this.service(f.serviceId, caller);
      if (!s) return [];
      q = q.where('a.service_id', '=', s.id);
    }
    if (f.applicantId !== undefined) {
      const citizens = await this.applicantCitizens(f.applicantId);
      if (!citizens.length) return [];
      q = q.where('a.citizen_id', 'in', citizens);
    }
    const dir = f.sortOrder;
    const sorted =
      f.sortBy === 'dueDate' ? q.orderBy('a.due_at', dir) : f.sortBy === 'assignee' ? q.orderBy('a.assigned_to', dir) : f.sortBy === 'id' ? q.orderBy(sql`coalesce(g.file_id, a.id::text)`, dir) : f.sortBy === 'name' || f.sortBy === 'nameCaseInsensitive' ? q.orderBy(sql`lower(coalesce(g.application_name, a.reference))`, dir) : f.sortBy === 'description' ? q.orderBy(sql`coalesce(g.description, a.reference)`, dir) : q.orderBy('a.created_at', dir);
    const rows = await this.#fileRows(sorted.orderBy('a.id').offset(f.firstResult).limit(f.maxResult) as never, lang);
    return rows.map(({ answers: _a, ...r }) => r);
  }

  // ------------------------------------------------------------------ tasks

  #tasksQuery(caller: Caller) {
    let q = this.db
      .selectFrom('govstack_tasks as t')
      .leftJoin('applications as a', 'a.id', 't.application_id')
      .leftJoin('services as s', 's.id', 'a.service_id')
      .leftJoin('govstack_files as g', 'g.application_id', 'a.id')
      .selectAll('t')
      .select(['a.status as app_status', 'a.assigned_to', 'a.form_version', 's.id as sid', 's.source', 's.source_key', 's.name as sname', 'g.file_id as gfile', 'g.eform_id as geform']);
    if (caller.agencyId) q = q.where('t.agency_id', '=', caller.agencyId);
    return q;
  }

  #taskJson(r: TaskRow & { app_status: ApplicationStatus | null; assigned_to: string | null; form_version: number | null; sid: string | null; source: string | null; source_key: string | null; sname: LocalText | null; gfile: string | null; geform: string | null }, lang: Lang) {
    const linked = r.application_id && r.sid;
    return {
      taskId: r.task_id,
      ...(r.main_task_id ? { mainTaskId: r.main_task_id } : {}),
      ...(r.task_name ? { taskName: r.task_name } : {}),
      ...(r.name ? { name: r.name } : {}),
      ...(r.assignee_id || r.assigned_to ? { assigneeId: (r.assignee_id ?? r.assigned_to)! } : {}),
      ...(r.role_id ? { roleId: r.role_id } : {}),
      created: iso(r.created_at)!,
      ...(r.description !== null ? { description: r.description } : {}),
      ...(linked ? { serviceId: this.govId({ id: r.sid!, source: r.source!, source_key: r.source_key! }), serviceName: text(r.sname, lang) } : { ...(r.service_id ? { serviceId: r.service_id } : {}), ...(r.service_name ? { serviceName: r.service_name } : {}) }),
      ...(linked ? { fileId: r.gfile ?? r.application_id! } : r.file_id ? { fileId: r.file_id } : {}),
      ...(linked ? { eFormId: r.geform ?? `${r.sid}-v${r.form_version}` } : r.eform_id ? { eFormId: r.eform_id } : {}),
      status: statusModel(r.app_status ? govstackStatus(r.app_status) : r.status),
      formVariables: r.form_variables ?? {},
      data: r.data ?? {},
    };
  }

  async tasks(f: { mainTaskId?: string; fileId?: string; assigneeId?: string } & ListQuery, caller: Caller, lang: Lang) {
    let q = this.#tasksQuery(caller);
    if (f.mainTaskId !== undefined) q = q.where('t.main_task_id', '=', f.mainTaskId);
    if (f.fileId !== undefined) q = q.where((eb) => eb.or([eb('t.file_id', '=', f.fileId!), eb('g.file_id', '=', f.fileId!), ...(UUID.test(f.fileId!) ? [eb('t.application_id', '=', f.fileId!)] : [])]));
    if (f.assigneeId !== undefined) q = q.where((eb) => eb.or([eb('t.assignee_id', '=', f.assigneeId!), ...(UUID.test(f.assigneeId!) ? [eb('a.assigned_to', '=', f.assigneeId!)] : [])]));
    const dir = f.sortOrder;
    const sorted = f.sortBy === 'assignee' ? q.orderBy(sql`coalesce(t.assignee_id, a.assigned_to::text)`, dir) : f.sortBy === 'id' ? q.orderBy('t.task_id', dir) : f.sortBy === 'name' || f.sortBy === 'nameCaseInsensitive' ? q.orderBy(sql`lower(coalesce(t.name, t.task_name, ''))`, dir) : f.sortBy === 'description' ? q.orderBy('t.description', dir) : f.sortBy === 'dueDate' ? q.orderBy('a.due_at', dir) : q.orderBy('t.created_at', dir);
    const rows = await sorted.orderBy('t.task_id').offset(f.firstResult).limit(f.maxResult).execute();
    return rows.map((r) => {
      const { taskName: _n, formVariables: _f, data: _d, ...rest } = this.#taskJson(r as never, lang);
      return rest;
    });
  }

  async task(taskId: string, caller: Caller, lang: Lang) {
    const r = await this.#tasksQuery(caller).where('t.task_id', '=', taskId).executeTakeFirst();
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
    const r = await this.#tasksQuery(caller).where('t.task_id', '=', taskId).executeTakeFirst();
    if (!r) throw new AppError('GOVSTACK_TASK_NOT_FOUND');
    await this.transaction(async (tx) => {
      const done = await tx
        .updateTable('govstack_tasks')
        .set({ data: JSON.stringify(data), completed_at: sql`now()` as never, completed_by: caller.actor })
        .where('task_id', '=', taskId)
        .where('completed_at', 'is', null)
        .executeTakeFirst();
      if (!Number(done.numUpdatedRows)) {
        // Completed already: the same outcome again is answered as before (idempotent), another one is a conflict.
        const now = await tx.selectFrom('govstack_tasks').select(['data', 'completed_at']).where('task_id', '=', taskId).executeTakeFirst();
        if (now?.completed_at && sameJson(now.data, data)) return;
        throw new AppError('GOVSTACK_TASK_COMPLETED');
      }
      await this.audit.record({ actor: caller.actor, action: 'govstack.task.completed', subject: taskId, detail: { applicationId: r.application_id, client: caller.client } }, tx);
    });
    const t = this.#taskJson({ ...(r as object), data } as never, lang);
    return { taskId, ...(t.fileId ? { fileId: t.fileId } : {}), ...(t.serviceId ? { serviceId: t.serviceId } : {}), status: t.status, variables: { [r.task_name ?? 'task']: { data } } };
  }

  // ------------------------------------------------------------------ statistics

  /** Decisions and send-backs in a period (by event time), per registration (service), operator and role. */
  async statistics(q: StatisticsQuery, caller: Caller | null) {
    let serviceIds: string[] | null = null;
    if (q.registrationName) {
      const name = q.registrationName.toLowerCase();
      let sq = this.db.selectFrom('services').select('id').where((eb) => eb.or([eb(sql`lower(name->>'en')`, '=', name), eb(sql`lower(name->>'fa')`, '=', name), eb('slug', '=', name)]));
      if (caller?.agencyId) sq = sq.where('agency_id', '=', caller.agencyId);
      serviceIds = (await sq.execute()).map((r) => r.id);
      if (!serviceIds.length) throw new AppError('GOVSTACK_REGISTRATION_NOT_FOUND');
    }
    const today = new Date().toISOString().slice(0, 10);
    const end = q.endDate ?? today;
    // without a start: all time, or with a timeframe the last 30 days, 12 weeks, 12 months or 5 years
    const back = (days: number) => new Date(Date.parse(`${end}T00:00:00Z`) - days * 86400000).toISOString().slice(0, 10);
    const start = q.startDate ?? (q.timeframe === 'day' ? back(29) : q.timeframe === 'week' ? back(7 * 12 - 1) : q.timeframe === 'month' ? `${back(335).slice(0, 7)}-01` : q.timeframe === 'year' ? `${Number(end.slice(0, 4)) - 4}-01-01` : '2000-01-01');
    if (start > end) throw new AppError('GOVSTACK_INVALID_PARAMETER', 'startDate must not be after endDate.');
    const periods = q.timeframe ? splitPeriods(start, end, q.timeframe) : [[start, end] as [string, string]];
    if (periods.length > 1000) throw new AppError('GOVSTACK_INVALID_PARAMETER', 'That is more than 1000 periods: choose a longer timeframe or a shorter range.');
    const rows = await sql<{ day: string; type: string; n: number }>`
      select to_char(e.at at time zone 'UTC', 'YYYY-MM-DD') as day, e.type, count(*) as n
      from application_events e
      join applications a on a.id = e.application_id
      left join staff st on e.actor = 'staff:' || st.id::text
      left join govstack_files g on g.application_id = a.id
      where e.type in ('approved', 'rejected', 'info-requested')
        and e.at >= ${start}::date and e.at < (${end}::date + 1)
        ${serviceIds ? sql`and a.service_id = any(${serviceIds}::uuid[])` : sql``}
        ${caller?.agencyId ? sql`and a.agency_id = ${caller.agencyId}` : sql``}
        ${q.operator ? sql`and lower(coalesce(st.name, g.operator_name, '')) = ${q.operator.toLowerCase()}` : sql``}
        ${q.role ? sql`and lower(coalesce(st.role, g.role_name, '')) = ${q.role.toLowerCase()}` : sql``}
      group by 1, 2`.execute(this.db);
    return periods.map(([from, to]) => {
      const inside = rows.rows.filter((r) => r.day >= from && r.day <= to);
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

  // ------------------------------------------------------------------ loading GovStack data

  transaction<T>(fn: (tx: Transaction<Database>) => Promise<T>) {
    return this.db.transaction().execute(fn);
  }
  applicantFor(applicantId: string) {
    return this.#applicant(applicantId);
  }
}

class Retry extends Error {}

function filesBase(db: Db) {
  return db
    .selectFrom('applications as a')
    .innerJoin('services as s', 's.id', 'a.service_id')
    .leftJoin('govstack_files as g', 'g.application_id', 'a.id')
    .leftJoin('staff as st', 'st.id', 'a.assigned_to')
    .leftJoin('govstack_tasks as t', 't.application_id', 'a.id');
}
type FilesQuery = ReturnType<typeof filesBase>;

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

/** A form definition as the JSON Schema of the data a GovStack client sends (formData.data). */
export function formJsonSchema(def: FormDefinition, lang: Lang): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  const always = new Set(def.pages.filter((p) => !p.showIf).flatMap((p) => p.fields.map((f) => f.name)));
  for (const f of allFields(def)) {
    properties[f.name] = fieldSchema(f, lang);
    if (!f.optional && always.has(f.name)) required.push(f.name);
  }
  return { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', title: def.title ? def.title[lang] : def.service, properties, required, additionalProperties: false };
}

function fieldSchema(f: FormField, lang: Lang): Record<string, unknown> {
  const base = { title: f.label[lang], ...(f.hint ? { description: f.hint[lang] } : {}) };
  switch (f.type) {
    case 'number':
      return { ...base, type: 'number', ...(f.min !== undefined ? { minimum: f.min } : {}), ...(f.max !== undefined ? { maximum: f.max } : {}) };
    case 'date':
      return { ...base, type: 'string', format: 'date' };
    case 'national-id':
      return { ...base, type: 'string', pattern: '^[0-9]{10}$' };
    case 'mobile':
      return { ...base, type: 'string', pattern: '^09[0-9]{9}$' };
    case 'postcode':
      return { ...base, type: 'string', pattern: '^[0-9]{10}$' };
    case 'email':
      return { ...base, type: 'string', format: 'email' };
    case 'select':
    case 'radio':
      return { ...base, type: 'string', enum: f.options!.map((o) => o.value) };
    case 'checkboxes':
      return { ...base, type: 'array', items: { type: 'string', enum: f.options!.map((o) => o.value) }, uniqueItems: true };
    case 'address':
      return { ...base, type: 'object', properties: { line1: { type: 'string' }, line2: { type: 'string' }, city: { type: 'string' }, postcode: { type: 'string', pattern: '^[0-9]{10}$' } }, required: ['line1', 'city', 'postcode'] };
    case 'file':
      return { ...base, type: 'string', description: `URL of a document uploaded with POST /documents (${(f.accept ?? []).join(', ')}, at most ${f.maxBytes} bytes)` };
    default:
      return { ...base, type: 'string', ...(f.minLength !== undefined ? { minLength: f.minLength } : {}), ...(f.maxLength !== undefined ? { maxLength: f.maxLength } : {}) };
  }
}

/** The same JSON value, whatever the order of object keys (jsonb does not keep it). */
export function sameJson(a: unknown, b: unknown): boolean {
  const canon = (v: unknown): unknown => (Array.isArray(v) ? v.map(canon) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon((v as Record<string, unknown>)[k])])) : v);
  return JSON.stringify(canon(typeof a === 'string' ? JSON.parse(a) : a)) === JSON.stringify(canon(b));
}
