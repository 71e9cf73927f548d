// What one acting-for check found, whichever registry it asked: the shape the service records (one row,
// one audit entry) and the message the applicant reads when it refuses.
import type { LocalText } from '../../db/schema.ts';
import type { RepresentationRow } from './representation.repository.ts';

export type Outcome = RepresentationRow['outcome'];
export type Relation = RepresentationRow['relation'];

export interface Evaluation {
  outcome: Outcome;
  relation: Relation;
  /** Who or what the application is for, as the registry names them. */
  subjectName: LocalText | null;
  subjectBirthDate: string | null;
  exchangeService: string;
  requestId: string | null;
  /** Whom to tell, once submitted, that someone applied on their behalf (national IDs; adults and signatories). */
  notify?: string[];
  /** For a refusal: what is wrong and what to do (fa and en). */
  message: { fa: string; en: string } | null;
}

/** The service the application is for (grants and powers of attorney are scoped to services and categories). */
export interface ServiceScope {
  slug: string;
  categories: string[];
  name: LocalText;
}

/** The registries by exchange service, as the citizen and the agency read them. */
export const REGISTRY_NAMES: Record<string, LocalText> = {
  'GOV/NOCR/REGISTRY/person': { fa: 'سازمان ثبت احوال کشور', en: 'National Organization for Civil Registration' },
  'GOV/SSAA/COMPANIES/company': { fa: 'اداره ثبت شرکت‌ها', en: 'Companies Registration Office' },
  'GOV/SSAA/NOTARIES/power-of-attorney': { fa: 'سامانه ثبت وکالت‌نامه‌های رسمی', en: 'notary registry of powers of attorney' },
};
