// GovStack's shapes shared by the registration service (govstack.service.ts) and its tasks and
// statistics (govstack.tasks.ts): who is asking, list paging, status codes, and an eForm's JSON Schema.
import type { Selectable } from 'kysely';
import type { ApplicationStatus, Database, GovstackStatus, LocalText } from '../../db/schema.ts';
import { allFields, type FormDefinition, type FormField } from '../applications/forms.ts';
import type { GovstackRepository } from './govstack.repository.ts';

export type ServiceRow = Selectable<Database['services']>;
export type Lang = 'fa' | 'en';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const STATUS_TITLE: Record<GovstackStatus, string> = {
  PENDING: 'Pending',
  APPROVED: 'Approved',
  SENDBACK: 'Sent back',
  REJECTED: 'Rejected',
};
export function govstackStatus(s: ApplicationStatus): GovstackStatus {
  if (s === 'approved') return 'APPROVED';
  if (s === 'rejected') return 'REJECTED';
  if (s === 'info-requested') return 'SENDBACK';
  return 'PENDING';
}
export const statusModel = (code: GovstackStatus) => ({ code, title: STATUS_TITLE[code] });
export const text = (t: LocalText | null | undefined, lang: Lang): string => (t ? (t[lang] ?? t.en ?? t.fa ?? '') : '');
export const iso = (d: Date | string | null | undefined): string | undefined => (d ? new Date(d).toISOString() : undefined);

/** Who is asking: an agency's key (scoped to it) or, with GOVSTACK_ACCESS=open, anyone (agencyId null). */
export interface Caller {
  agencyId: string | null;
  actor: string;
  client: string | null;
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

/** A service's GovStack id: the id it was loaded with (source 'govstack'), else our uuid. */
export function govId(s: Pick<ServiceRow, 'id' | 'source' | 'source_key'>): string {
  return s.source === 'govstack' ? s.source_key : s.id;
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
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    title: def.title ? def.title[lang] : def.service,
    properties,
    required,
    additionalProperties: false,
  };
}

function fieldSchema(f: FormField, lang: Lang): Record<string, unknown> {
  const base = { title: f.label[lang], ...(f.hint ? { description: f.hint[lang] } : {}) };
  switch (f.type) {
    case 'number':
      return {
        ...base,
        type: 'number',
        ...(f.min !== undefined ? { minimum: f.min } : {}),
        ...(f.max !== undefined ? { maximum: f.max } : {}),
      };
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
      return { ...base, type: 'string', enum: (f.options ?? []).map((o) => o.value) };
    case 'checkboxes':
      return { ...base, type: 'array', items: { type: 'string', enum: (f.options ?? []).map((o) => o.value) }, uniqueItems: true };
    case 'address':
      return {
        ...base,
        type: 'object',
        properties: {
          line1: { type: 'string' },
          line2: { type: 'string' },
          city: { type: 'string' },
          postcode: { type: 'string', pattern: '^[0-9]{10}$' },
        },
        required: ['line1', 'city', 'postcode'],
      };
    case 'file':
      return {
        ...base,
        type: 'string',
        description: `URL of a document uploaded with POST /documents (${(f.accept ?? []).join(', ')}, at most ${f.maxBytes} bytes)`,
      };
    default:
      return {
        ...base,
        type: 'string',
        ...(f.minLength !== undefined ? { minLength: f.minLength } : {}),
        ...(f.maxLength !== undefined ? { maxLength: f.maxLength } : {}),
      };
  }
}

/** One application file row (govstack.repository.ts fileRows) in GovStack's terms. */
export function fileRowView(r: Awaited<ReturnType<GovstackRepository['fileRows']>>[number], lang: Lang) {
  return {
    fileId: r.file_id ?? r.id,
    mainTaskId: r.main_task_id ?? r.task_id ?? r.id,
    taskTitle: r.task_title ?? r.application_name ?? r.reference ?? '',
    roleId: r.role_id ?? (r.assigned_to ? String(r.staff_role) : 'operator'),
    roleName: r.role_name ?? (r.assigned_to ? String(r.staff_role) : 'operator'),
    ...(r.assignee_id || r.assigned_to ? { assigneeId: r.assignee_id ?? r.assigned_to ?? '' } : {}),
    ...(r.operator_name || r.staff_name ? { operatorName: r.operator_name ?? r.staff_name ?? '' } : {}),
    status: statusModel(govstackStatus(r.status)),
    applicantId: r.applicant_id ?? r.citizen_id,
    created: iso(r.client_created_at ?? r.created_at),
    registered: iso(r.submitted_at ?? r.created_at),
    description: r.description ?? r.reference ?? '',
    serviceName: text(r.sname, lang),
    serviceId: govId({ id: r.sid, source: r.source, source_key: r.source_key }),
    eformId: r.eform_id ?? `${r.sid}-v${r.form_version}`,
    documentUrls: r.document_urls ?? [],
    answers: (r.answers ?? {}) as Record<string, unknown>,
  };
}
