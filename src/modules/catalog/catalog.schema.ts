// Input shapes of the catalogue and their validation, shared by every importer, the API and the CLI.
import type { AgencyContact, Channel, Fee, LocalText } from '../../db/schema.ts';
import { cleanLocalText } from '../../platform/persian.ts';
import { isLink } from './importers/urls.ts';
import { CATEGORIES, CHANNELS, LIFE_EVENTS, AUDIENCES, STATUSES } from './catalog.taxonomy.ts';
import { isAssurance, type Assurance } from '../identity/assurance.ts';

export interface AgencyInput {
  id: string;
  name: LocalText;
  parentMinistry: LocalText | null;
  website: string | null;
  contact: AgencyContact;
  connected: boolean;
  connectedSince: string | null;
  source: string;
}

export interface ServiceInput {
  slug: string;
  source: string;
  sourceKey: string;
  agencyId: string;
  name: LocalText;
  summary: LocalText;
  description: LocalText;
  categories: string[];
  lifeEvents: string[];
  audience: string[];
  channels: Channel[];
  maturity: number;
  fees: Fee[];
  processingDays: number | null;
  processingTime: LocalText;
  documents: LocalText[];
  eligibility: LocalText;
  legalBasis: LocalText;
  extra: Record<string, unknown>;
  status: (typeof STATUSES)[number];
  /** The identity assurance a citizen's sign-in needs to use the service online (low when left out). */
  assurance?: Assurance;
}

/** An empty card of an agency, as an editor starts one: a draft at maturity stage 1. */
export function blankService(agencyId: string): ServiceInput {
  return {
    slug: 'new',
    source: 'panjereh',
    sourceKey: '',
    agencyId,
    name: {},
    summary: {},
    description: {},
    categories: [],
    lifeEvents: [],
    audience: [],
    channels: [],
    maturity: 1,
    fees: [],
    processingDays: null,
    processingTime: {},
    documents: [],
    eligibility: {},
    legalBasis: {},
    extra: {},
    status: 'draft',
  };
}

/** A row an importer could not take (or took with a repair), with where it was and why. */
export interface Reject {
  line: number;
  reason: string;
}

const codes = (terms: { code: string }[]) => new Set(terms.map((t) => t.code));
const CATEGORY_CODES = codes(CATEGORIES);
const LIFE_EVENT_CODES = codes(LIFE_EVENTS);
const AUDIENCE_CODES = codes(AUDIENCES);
const CHANNEL_CODES = codes(CHANNELS);

const SLUG = /^[a-z0-9][a-z0-9-]{0,119}$/;
const AGENCY_ID = /^[a-z0-9][a-z0-9-]{0,79}$/;
const MAX_TEXT = 20_000;

function hasText(t: LocalText | undefined): boolean {
  return !!t && !!(t.fa?.trim() || t.en?.trim() || t.fr?.trim());
}

function textProblems(field: string, t: unknown): string[] {
  if (t === undefined || t === null) return [];
  if (typeof t !== 'object' || Array.isArray(t)) return [`${field} must be an object with fa/en text`];
  const out: string[] = [];
  for (const [k, v] of Object.entries(t)) {
    if (v === undefined) continue;
    if (!['fa', 'en', 'fr'].includes(k)) out.push(`${field} has an unknown language "${k}" (use fa, en or fr)`);
    else if (typeof v !== 'string') out.push(`${field}.${k} must be text`);
    else if (v.length > MAX_TEXT) out.push(`${field}.${k} is longer than ${MAX_TEXT} characters`);
  }
  return out;
}

/** Every reason the agency cannot be stored; empty when it can. */
export function agencyProblems(a: AgencyInput): string[] {
  const out: string[] = [];
  if (!AGENCY_ID.test(a.id ?? '')) out.push(`agency code "${a.id ?? ''}" must be lower-case letters, digits and dashes (at most 80)`);
  if (!hasText(a.name)) out.push('agency name is missing (give name.fa or name.en)');
  out.push(...textProblems('agency name', a.name), ...textProblems('parentMinistry', a.parentMinistry));
  if (a.website && !isLink(a.website)) out.push(`website "${a.website}" is not a web address (http or https)`);
  if (a.connectedSince && !/^\d{4}-\d{2}-\d{2}$/.test(a.connectedSince))
    out.push(`connectedSince "${a.connectedSince}" must be a date YYYY-MM-DD`);
  if (a.connectedSince && !a.connected) out.push('connectedSince is set but connected is false');
  return out;
}

/** Every reason the service card cannot be stored; empty when it can. */
export function serviceProblems(s: ServiceInput, knownAgencies: (id: string) => boolean): string[] {
  const out: string[] = [];
  if (!SLUG.test(s.slug ?? '')) out.push(`slug "${s.slug ?? ''}" must be lower-case letters, digits and dashes (at most 120)`);
  if (!s.sourceKey) out.push('source key is missing');
  if (!s.agencyId) out.push('agency is missing');
  else if (!knownAgencies(s.agencyId)) out.push(`agency "${s.agencyId}" is not in the catalogue`);
  if (!hasText(s.name)) out.push('service name is missing (give name.fa or name.en)');
  for (const [f, v] of [
    ['name', s.name],
    ['summary', s.summary],
    ['description', s.description],
    ['processingTime', s.processingTime],
    ['eligibility', s.eligibility],
    ['legalBasis', s.legalBasis],
  ] as const) {
    out.push(...textProblems(f, v));
  }
  if (!Number.isInteger(s.maturity) || s.maturity < 1 || s.maturity > 5)
    out.push(`maturity "${s.maturity}" must be a whole number from 1 to 5`);
  if (!(STATUSES as readonly string[]).includes(s.status)) out.push(`status "${s.status}" must be draft, published or retired`);
  for (const c of s.categories) if (!CATEGORY_CODES.has(c)) out.push(`category "${c}" is not known`);
  for (const c of s.lifeEvents) if (!LIFE_EVENT_CODES.has(c)) out.push(`life event "${c}" is not known`);
  for (const c of s.audience) if (!AUDIENCE_CODES.has(c)) out.push(`audience "${c}" must be citizens, businesses or government`);
  for (const ch of s.channels) {
    if (!CHANNEL_CODES.has(ch?.type)) out.push(`channel "${ch?.type}" must be window, online, mobile-app, in-person or phone`);
    else if (ch.url !== undefined && !isLink(ch.url)) out.push(`channel URL "${ch.url}" is not a web address (http, https or ftp)`);
    else if (ch.type === 'online' && !ch.url) out.push('an online channel needs its URL');
  }
  for (const f of s.fees) {
    if (f.amount !== null && (!Number.isFinite(f.amount) || f.amount < 0))
      out.push(`fee amount "${f.amount}" must be a number of rials, 0 or more`);
  }
  if (s.processingDays !== null && (!Number.isInteger(s.processingDays) || s.processingDays < 0 || s.processingDays > 3650)) {
    out.push(`processingDays "${s.processingDays}" must be a whole number of days from 0 to 3650`);
  }
  if (s.documents.some((d) => !hasText(d))) out.push('every required document needs a name');
  if (s.assurance !== undefined && !isAssurance(s.assurance))
    out.push(`assurance "${String(s.assurance)}" must be low, substantial or high`);
  return out;
}

/** The human text of an agency, cleaned by the platform's one text rule (cleanText) before it is stored. */
export function cleanAgencyInput<A extends AgencyInput>(a: A): A {
  return { ...a, name: cleanLocalText(a.name), parentMinistry: a.parentMinistry ? cleanLocalText(a.parentMinistry) : a.parentMinistry };
}

/** The human text of a service card (names, summaries, descriptions, documents, fees, channels), cleaned by cleanText. */
export function cleanServiceInput<S extends Partial<ServiceInput>>(s: S): S {
  const out: Partial<ServiceInput> = { ...s };
  const one = <T extends LocalText | undefined>(t: T, multiline = false): T =>
    t && typeof t === 'object' ? cleanLocalText(t, multiline) : t;
  for (const k of ['name', 'summary', 'processingTime'] as const) if (s[k]) out[k] = one(s[k]);
  for (const k of ['description', 'eligibility', 'legalBasis'] as const) if (s[k]) out[k] = one(s[k], true);
  if (Array.isArray(s.documents)) out.documents = s.documents.map((d) => one(d));
  if (Array.isArray(s.fees)) out.fees = s.fees.map((f) => (f && typeof f === 'object' ? { ...f, description: one(f.description) } : f));
  if (Array.isArray(s.channels))
    out.channels = s.channels.map((c) =>
      c && typeof c === 'object' ? { ...c, ...(c.name ? { name: one(c.name) } : {}), ...(c.where ? { where: one(c.where) } : {}) } : c,
    );
  return out as S;
}
