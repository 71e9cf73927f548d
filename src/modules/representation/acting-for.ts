// A form's declaration of whom an application may be made for, as data in the form definition:
//   "actingFor": {"field": "childNationalId", "relation": "parent-or-guardian-of-minor"}
// The named field holds the national ID of the person the application is for; the relation says who may
// apply for them: a parent or guardian of a minor, a company's representative (the field is then a text
// field holding the company's 11-digit national ID of legal persons) or an attorney (the principal's
// national ID). checkActingFor() says what is wrong with a declaration (by JSON path), as checkFee() does
// for fees; the form checker (applications/forms.ts) calls it. The rule itself: representation.service.ts.

/** Who may apply for the person the field names. */
export const RELATIONS = ['parent-or-guardian-of-minor', 'company-representative', 'attorney'] as const;
export type ActingForRelation = (typeof RELATIONS)[number];

export interface ActingForDeclaration {
  /** The national-id field that names the person the application is for. */
  field: string;
  relation: ActingForRelation;
}

/** What the checker needs to know of a form's fields. */
interface FieldLike {
  type: string;
  prefill?: unknown;
  optional?: boolean;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Problems in an "actingFor" declaration (paths are JSON pointers under `base`), given the form's fields by name. */
export function checkActingFor(v: unknown, fields: Map<string, FieldLike>, base = '/actingFor'): { path: string; message: string }[] {
  if (!isObj(v))
    return [
      {
        path: base,
        message: `must be an object {"field": <a national-id field>, "relation": ${RELATIONS.map((r) => `"${r}"`).join(' | ')}}`,
      },
    ];
  const out: { path: string; message: string }[] = [];
  for (const k of Object.keys(v))
    if (k !== 'field' && k !== 'relation') out.push({ path: `${base}/${k}`, message: 'unknown key; allowed: field, relation' });
  const f = typeof v.field === 'string' ? fields.get(v.field) : undefined;
  if (!f) out.push({ path: `${base}/field`, message: 'must name a field of this form' });
  else if (v.relation === 'company-representative' ? f.type !== 'text' : f.type !== 'national-id')
    out.push({
      path: `${base}/field`,
      message:
        v.relation === 'company-representative'
          ? "must name a text field (it holds the company's 11-digit national ID)"
          : 'must name a national-id field',
    });
  else if (f.prefill !== undefined) out.push({ path: `${base}/field`, message: 'must be a field the applicant types (not prefilled)' });
  else if (f.optional) out.push({ path: `${base}/field`, message: 'must be a required field (not optional)' });
  if (!RELATIONS.includes(v.relation as ActingForRelation))
    out.push({ path: `${base}/relation`, message: `must be one of ${RELATIONS.join(', ')}` });
  return out;
}
