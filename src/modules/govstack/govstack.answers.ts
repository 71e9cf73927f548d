// GovStack form data to the answers Panjereh's web form would have produced: each value put in the
// form-post shape the web form sends, then each page validated as the web form does; file fields name
// uploaded documents by URL. No HTTP, no SQL.
import { AppError } from '../../platform/errors.ts';
import { allFields, type FormDefinition } from '../applications/forms.ts';
import { validatePage } from '../applications/validate.ts';

/** Where uploaded documents are addressed (and how documentUrls refer to them). */
export const DOCUMENT_PATH = '/govstack/registration/documents/';
export const DOCUMENT_URL = /\/govstack\/registration\/documents\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** GovStack form data to the answers the web form would have produced (each page validated as the web form does). */
export function formDataToAnswers(
  def: FormDefinition,
  data: Record<string, unknown>,
  docIds: string[],
): { values: Record<string, unknown>; fileFields: Map<string, string> } {
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
      else
        Object.assign(post, {
          [`${name}-year`]: m[1],
          [`${name}-month`]: m[2],
          [`${name}-day`]: m[3],
          [`${name}-calendar`]: 'gregorian',
        });
    } else if (f.type === 'address') {
      const a = (v ?? {}) as Record<string, unknown>;
      if (typeof a !== 'object' || Array.isArray(a))
        problems.push({ field: name, message: 'an object with line1, line2, city and postcode' });
      else for (const p of ['line1', 'line2', 'city', 'postcode']) post[`${name}-${p}`] = a[p] === undefined ? '' : String(a[p]);
    } else if (f.type === 'file') {
      const m = typeof v === 'string' ? DOCUMENT_URL.exec(v) : null;
      if (!m || !docIds.includes(m[1].toLowerCase()))
        problems.push({
          field: name,
          message: `the URL of an uploaded document that is also listed in documentUrls (${DOCUMENT_PATH}<id>)`,
        });
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
  if (problems.length)
    throw new AppError('GOVSTACK_FORM_DATA_INVALID', problems.map((p) => `${p.field}: ${p.message}`).join('; '), { problems });
  return { values, fileFields };
}
