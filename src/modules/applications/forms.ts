// Form definitions: what a service's online application asks, page by page, as JSON. One definition
// per service version; checkDefinition() says exactly what is wrong with one (by JSON path) so that
// `panjereh forms import` can point at the line.
import type { LocalText } from '../../db/schema.ts';
import { checkFee, type FeeDeclaration } from '../payments/fees.ts';
import { checkActingFor, type ActingForDeclaration } from '../representation/acting-for.ts';

export const FIELD_TYPES = [
  'text',
  'textarea',
  'number',
  'date',
  'national-id',
  'mobile',
  'postcode',
  'email',
  'select',
  'radio',
  'checkboxes',
  'address',
  'file',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];
export const FILE_KINDS = ['pdf', 'png', 'jpeg'] as const;
export type FileKind = (typeof FILE_KINDS)[number];
export const PREFILL = ['nationalId', 'mobile'] as const;

/**
 * Registries a form may prefill from through the exchange, only after the citizen agrees on the page.
 * Each names the exchange service, the provider (shown to the citizen) and the fields it can give, with
 * the field types each can fill.
 */
export const REGISTRY_SOURCES = {
  'civil-registry': {
    service: 'GOV/NOCR/REGISTRY/person',
    provider: { fa: 'سازمان ثبت احوال کشور', en: 'National Organization for Civil Registration' },
    record: { fa: 'مشخصات ثبت‌شده شما در ثبت احوال', en: 'your registered particulars at the civil registry' },
    fields: {
      fullName: { types: ['text'], label: { fa: 'نام و نام خانوادگی', en: 'full name' } },
      firstName: { types: ['text'], label: { fa: 'نام', en: 'first name' } },
      lastName: { types: ['text'], label: { fa: 'نام خانوادگی', en: 'last name' } },
      fatherName: { types: ['text'], label: { fa: 'نام پدر', en: "father's name" } },
      birthDate: { types: ['date'], label: { fa: 'تاریخ تولد', en: 'date of birth' } },
      birthPlace: { types: ['text'], label: { fa: 'محل تولد', en: 'place of birth' } },
      gender: { types: ['radio', 'select'], label: { fa: 'جنسیت', en: 'sex' }, values: ['female', 'male'] },
    },
  },
} as const satisfies Record<
  string,
  {
    service: string;
    provider: Bilingual;
    record: Bilingual;
    fields: Record<string, { types: readonly string[]; label: Bilingual; values?: readonly string[] }>;
  }
>;
export type RegistrySource = keyof typeof REGISTRY_SOURCES;
export interface RegistryPrefill {
  from: RegistrySource;
  field: string;
  /** false: once filled from the registry the citizen sees the value but cannot change it here. Default true. */
  editable?: boolean;
}
export const isRegistryPrefill = (p: FormField['prefill']): p is RegistryPrefill => typeof p === 'object' && p !== null;
/** The fields of a form that a registry can fill, by source. */
export function registryFields(def: FormDefinition): Map<RegistrySource, FormField[]> {
  const out = new Map<RegistrySource, FormField[]>();
  for (const f of allFields(def)) if (isRegistryPrefill(f.prefill)) out.set(f.prefill.from, [...(out.get(f.prefill.from) ?? []), f]);
  return out;
}

export interface Bilingual {
  fa: string;
  en: string;
}

export interface FieldOption {
  value: string;
  label: Bilingual;
}

export interface FormField {
  name: string;
  type: FieldType;
  label: Bilingual;
  hint?: Bilingual;
  optional?: boolean;
  /**
   * Filled in from the signed-in person's profile ("nationalId", "mobile"), or from a registry through
   * the exchange after the citizen agrees ({"from": "civil-registry", "field": "birthDate"}).
   */
  prefill?: (typeof PREFILL)[number] | RegistryPrefill;
  minLength?: number;
  maxLength?: number;
  min?: number;
  max?: number;
  /** Dates: 'past' (today or before) or 'future' (today or after). */
  when?: 'past' | 'future';
  options?: FieldOption[];
  /** Files: accepted kinds and the largest size in bytes. */
  accept?: FileKind[];
  maxBytes?: number;
}

export interface FormPage {
  id: string;
  title: Bilingual;
  fields: FormField[];
  /** Shown only when an earlier answer equals (or, for checkboxes, includes) this value. */
  showIf?: { field: string; equals: string };
}

export interface FormDefinition {
  service: string;
  title?: Bilingual;
  pages: FormPage[];
  /** What an application costs and when it is due (src/modules/payments/fees.ts). No fee: free. */
  fee?: FeeDeclaration;
  /** Whom the application is for, and who may apply for them (src/modules/representation/acting-for.ts). */
  actingFor?: ActingForDeclaration;
}

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
const NAME = /^[a-z][a-zA-Z0-9]{0,39}$/;
const PAGE_ID = /^[a-z][a-z0-9-]{0,39}$/;

export interface DefinitionProblem {
  /** JSON pointer into the definition, e.g. /pages/2/fields/0/type */
  path: string;
  message: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function bilingual(v: unknown, path: string, problems: DefinitionProblem[], required = true): void {
  if (v === undefined && !required) return;
  if (!isObj(v)) return void problems.push({ path, message: 'must be an object with "fa" and "en" text' });
  for (const l of ['fa', 'en'] as const) {
    if (typeof v[l] !== 'string' || !(v[l] as string).trim())
      problems.push({ path: `${path}/${l}`, message: `must be non-empty ${l === 'fa' ? 'Persian' : 'English'} text` });
    else if ((v[l] as string).length > 500) problems.push({ path: `${path}/${l}`, message: 'must be at most 500 characters' });
  }
  for (const k of Object.keys(v))
    if (k !== 'fa' && k !== 'en') problems.push({ path: `${path}/${k}`, message: 'unknown key (only "fa" and "en")' });
}

const FIELD_KEYS = new Set([
  'name',
  'type',
  'label',
  'hint',
  'optional',
  'prefill',
  'minLength',
  'maxLength',
  'min',
  'max',
  'when',
  'options',
  'accept',
  'maxBytes',
]);

function checkField(f: unknown, path: string, problems: DefinitionProblem[], seen: Map<string, FormField>): void {
  if (!isObj(f)) return void problems.push({ path, message: 'must be an object' });
  for (const k of Object.keys(f))
    if (!FIELD_KEYS.has(k)) problems.push({ path: `${path}/${k}`, message: `unknown key; allowed: ${[...FIELD_KEYS].join(', ')}` });
  if (typeof f.name !== 'string' || !NAME.test(f.name))
    problems.push({ path: `${path}/name`, message: 'must be a camelCase name: a letter, then letters or digits (at most 40)' });
  else if (seen.has(f.name))
    problems.push({ path: `${path}/name`, message: `"${f.name}" is used by another field; names must be unique in a form` });
  else seen.set(f.name, f as unknown as FormField);
  if (typeof f.type !== 'string' || !(FIELD_TYPES as readonly string[]).includes(f.type))
    problems.push({ path: `${path}/type`, message: `must be one of ${FIELD_TYPES.join(', ')}` });
  bilingual(f.label, `${path}/label`, problems);
  bilingual(f.hint, `${path}/hint`, problems, false);
  if (f.optional !== undefined && typeof f.optional !== 'boolean')
    problems.push({ path: `${path}/optional`, message: 'must be true or false' });
  if (isObj(f.prefill)) checkRegistryPrefill(f.prefill, f.type, f.options, `${path}/prefill`, problems);
  else if (f.prefill !== undefined) {
    if (!(PREFILL as readonly string[]).includes(f.prefill as string))
      problems.push({ path: `${path}/prefill`, message: `must be one of ${PREFILL.join(', ')}` });
    else if ((f.prefill === 'nationalId' && f.type !== 'national-id') || (f.prefill === 'mobile' && f.type !== 'mobile'))
      problems.push({
        path: `${path}/prefill`,
        message: `${f.prefill} can prefill only a ${f.prefill === 'nationalId' ? 'national-id' : 'mobile'} field`,
      });
  }
  for (const k of ['minLength', 'maxLength', 'maxBytes'] as const) {
    if (f[k] !== undefined && (!Number.isInteger(f[k]) || (f[k] as number) < 0))
      problems.push({ path: `${path}/${k}`, message: 'must be a whole number, 0 or more' });
  }
  if (typeof f.maxLength === 'number' && f.maxLength > 5000) problems.push({ path: `${path}/maxLength`, message: 'must be at most 5000' });
  if (typeof f.minLength === 'number' && typeof f.maxLength === 'number' && f.minLength > f.maxLength)
    problems.push({ path: `${path}/minLength`, message: 'must not be more than maxLength' });
  for (const k of ['min', 'max'] as const)
    if (f[k] !== undefined && (typeof f[k] !== 'number' || !Number.isFinite(f[k])))
      problems.push({ path: `${path}/${k}`, message: 'must be a number' });
  if (typeof f.min === 'number' && typeof f.max === 'number' && f.min > f.max)
    problems.push({ path: `${path}/min`, message: 'must not be more than max' });
  if (f.when !== undefined && (f.type !== 'date' || !['past', 'future'].includes(f.when as string)))
    problems.push({ path: `${path}/when`, message: 'only for date fields: "past" or "future"' });
  const choice = f.type === 'select' || f.type === 'radio' || f.type === 'checkboxes';
  if (choice) {
    if (!Array.isArray(f.options) || f.options.length < 1 || f.options.length > 100)
      problems.push({ path: `${path}/options`, message: 'must be a list of 1 to 100 options' });
    else {
      const values = new Set<string>();
      f.options.forEach((o, i) => {
        const p = `${path}/options/${i}`;
        if (!isObj(o)) return void problems.push({ path: p, message: 'must be an object with "value" and "label"' });
        if (typeof o.value !== 'string' || !/^[a-z0-9][a-z0-9-]{0,59}$/.test(o.value))
          problems.push({ path: `${p}/value`, message: 'must be lowercase letters, digits and dashes' });
        else if (values.has(o.value)) problems.push({ path: `${p}/value`, message: `"${o.value}" appears twice` });
        else values.add(o.value);
        bilingual(o.label, `${p}/label`, problems);
      });
    }
  } else if (f.options !== undefined)
    problems.push({ path: `${path}/options`, message: 'only select, radio and checkboxes fields have options' });
  if (f.type === 'file') {
    if (!Array.isArray(f.accept) || !f.accept.length || f.accept.some((a) => !(FILE_KINDS as readonly string[]).includes(a as string)))
      problems.push({ path: `${path}/accept`, message: `must list one or more of ${FILE_KINDS.join(', ')}` });
    if (f.maxBytes === undefined || (typeof f.maxBytes === 'number' && (f.maxBytes < 1 || f.maxBytes > MAX_FILE_BYTES)))
      problems.push({ path: `${path}/maxBytes`, message: `must be from 1 to ${MAX_FILE_BYTES} bytes` });
  } else if (f.accept !== undefined || f.maxBytes !== undefined)
    problems.push({
      path: `${path}/${f.accept !== undefined ? 'accept' : 'maxBytes'}`,
      message: 'only file fields have accept and maxBytes',
    });
}

function checkRegistryPrefill(
  p: Record<string, unknown>,
  type: unknown,
  options: unknown,
  path: string,
  problems: DefinitionProblem[],
): void {
  for (const k of Object.keys(p))
    if (!['from', 'field', 'editable'].includes(k))
      problems.push({ path: `${path}/${k}`, message: 'unknown key; allowed: from, field, editable' });
  const source = typeof p.from === 'string' && Object.hasOwn(REGISTRY_SOURCES, p.from) ? REGISTRY_SOURCES[p.from as RegistrySource] : null;
  if (!source)
    return void problems.push({
      path: `${path}/from`,
      message: `must be one of ${Object.keys(REGISTRY_SOURCES).join(', ')} (or write "nationalId" or "mobile" to prefill from the profile)`,
    });
  const fields = source.fields as Record<string, { types: readonly string[]; values?: readonly string[] }>;
  const spec = typeof p.field === 'string' && Object.hasOwn(fields, p.field) ? fields[p.field] : null;
  if (!spec) return void problems.push({ path: `${path}/field`, message: `must be one of ${Object.keys(fields).join(', ')}` });
  if (!spec.types.includes(type as string))
    problems.push({ path: `${path}/field`, message: `${p.field} can prefill only a ${spec.types.join(' or ')} field` });
  else if (spec.values && Array.isArray(options)) {
    const have = new Set(options.map((o) => (isObj(o) ? o.value : undefined)));
    const lacking = spec.values.filter((v) => !have.has(v));
    if (lacking.length)
      problems.push({
        path: `${path}/field`,
        message: `the field's options must include ${lacking.map((v) => `"${v}"`).join(', ')} (the values the registry gives)`,
      });
  }
  if (p.editable !== undefined && typeof p.editable !== 'boolean')
    problems.push({ path: `${path}/editable`, message: 'must be true or false' });
}

/** Every problem in a definition (empty when it is fine). */
export function checkDefinition(def: unknown): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  if (!isObj(def)) return [{ path: '', message: 'a form definition must be a JSON object' }];
  for (const k of Object.keys(def))
    if (!['service', 'title', 'pages', 'version', '$schema', 'fee', 'actingFor'].includes(k))
      problems.push({ path: `/${k}`, message: 'unknown key; allowed: service, title, pages, version, fee, actingFor' });
  if (typeof def.service !== 'string' || !/^[a-z0-9][a-z0-9-]{0,119}$/.test(def.service))
    problems.push({ path: '/service', message: "must be the service's slug (lowercase letters, digits and dashes)" });
  bilingual(def.title, '/title', problems, false);
  if (!Array.isArray(def.pages) || def.pages.length < 1 || def.pages.length > 50)
    return [...problems, { path: '/pages', message: 'must be a list of 1 to 50 pages' }];
  const seen = new Map<string, FormField>();
  const pageIds = new Set<string>();
  def.pages.forEach((p, i) => {
    const path = `/pages/${i}`;
    if (!isObj(p)) return void problems.push({ path, message: 'must be an object' });
    for (const k of Object.keys(p))
      if (!['id', 'title', 'fields', 'showIf'].includes(k))
        problems.push({ path: `${path}/${k}`, message: 'unknown key; allowed: id, title, fields, showIf' });
    if (typeof p.id !== 'string' || !PAGE_ID.test(p.id))
      problems.push({ path: `${path}/id`, message: 'must be lowercase letters, digits and dashes (at most 40)' });
    else if (pageIds.has(p.id) || p.id === 'check')
      problems.push({ path: `${path}/id`, message: `"${p.id}" is ${p.id === 'check' ? 'reserved' : 'used by another page'}` });
    else pageIds.add(p.id);
    bilingual(p.title, `${path}/title`, problems);
    if (p.showIf !== undefined) {
      const s = p.showIf as Record<string, unknown>;
      const target = isObj(s) && typeof s.field === 'string' ? seen.get(s.field) : undefined;
      if (!isObj(s) || typeof s.equals !== 'string')
        problems.push({ path: `${path}/showIf`, message: 'must be {"field": <an earlier field>, "equals": <one of its option values>}' });
      else if (!target) problems.push({ path: `${path}/showIf/field`, message: 'must name a field on an earlier page' });
      else if (!target.options?.some((o) => o.value === s.equals))
        problems.push({ path: `${path}/showIf/equals`, message: `must be one of the option values of "${target.name}"` });
    }
    if (!Array.isArray(p.fields) || p.fields.length < 1 || p.fields.length > 10)
      return void problems.push({ path: `${path}/fields`, message: 'must be a list of 1 to 10 fields (one thing per page)' });
    p.fields.forEach((f, j) => checkField(f, `${path}/fields/${j}`, problems, seen));
  });
  if (def.fee !== undefined) problems.push(...checkFee(def.fee, seen));
  if (def.actingFor !== undefined) problems.push(...checkActingFor(def.actingFor, seen));
  return problems;
}

export const allFields = (def: FormDefinition): FormField[] => def.pages.flatMap((p) => p.fields);

/** The pages that apply, given the answers so far (conditional pages drop out). */
export function visiblePages(def: FormDefinition, answers: Record<string, unknown>): FormPage[] {
  return def.pages.filter((p) => {
    if (!p.showIf) return true;
    const a = answers[p.showIf.field];
    return Array.isArray(a) ? a.includes(p.showIf.equals) : a === p.showIf.equals;
  });
}

/** Answers limited to the fields on visible pages (answers to pages that dropped out are not kept). */
export function relevantAnswers(def: FormDefinition, answers: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of visiblePages(def, answers)) for (const f of p.fields) if (answers[f.name] !== undefined) out[f.name] = answers[f.name];
  return out;
}

export const pick = (b: Bilingual | LocalText | undefined, lang: 'fa' | 'en'): string => (b ? (b[lang] ?? b.fa ?? b.en ?? '') : '');
