// Panjereh's own catalogue formats, read and written: panjereh-json (agencies and services, the demo
// data's format) and panjereh-csv (one service card per row; agency names ride along so the file can
// be loaded into an empty catalogue). Export writes exactly what import reads.
import { toSafeCsv as stringify } from '../../../platform/csv.ts';
import type { LocalText } from '../../../db/schema.ts';
import { AppError } from '../../../platform/errors.ts';
import type { AgencyInput, Reject, ServiceInput } from '../catalog.schema.ts';
import type { ImportBatch } from '../catalog.service.ts';
import type { AgencyRow } from '../catalog.repository.ts';
import { readCsv } from './csv.ts';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = <T = unknown>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
const text = (v: unknown): LocalText => obj(v) as LocalText;

export function agencyToJson(a: AgencyRow) {
  return {
    code: a.id,
    name: a.name,
    parentMinistry: a.parent_ministry,
    website: a.website,
    contact: a.contact,
    connected: a.connected,
    connectedSince: a.connected_since,
  };
}

export function serviceToJson(s: ServiceInput) {
  return {
    slug: s.slug,
    source: s.source,
    sourceKey: s.sourceKey,
    agency: s.agencyId,
    name: s.name,
    summary: s.summary,
    description: s.description,
    categories: s.categories,
    lifeEvents: s.lifeEvents,
    audience: s.audience,
    channels: s.channels,
    maturity: s.maturity,
    fees: s.fees,
    processingDays: s.processingDays,
    processingTime: s.processingTime,
    documents: s.documents,
    eligibility: s.eligibility,
    legalBasis: s.legalBasis,
    extra: s.extra,
    status: s.status,
    ...(s.assurance && s.assurance !== 'low' ? { assurance: s.assurance } : {}),
  };
}

function agencyFromJson(a: Json, line: number): AgencyInput & { line: number } {
  return {
    line,
    id: String(a.code ?? a.id ?? ''),
    name: text(a.name),
    parentMinistry: a.parentMinistry ? text(a.parentMinistry) : null,
    website: typeof a.website === 'string' && a.website ? a.website : null,
    contact: obj(a.contact),
    connected: a.connected === true,
    connectedSince: typeof a.connectedSince === 'string' ? a.connectedSince : null,
    source: 'panjereh',
  };
}

function numberOrNull(v: unknown): number | null {
  if (v === null || v === undefined || v === '') return null;
  return typeof v === 'number' ? v : Number(v);
}

function serviceFromJson(s: Json, line: number): ServiceInput & { line: number } {
  const slug = String(s.slug ?? '');
  const extra = obj(s.extra);
  if (s.featured === true) extra.featured = true;
  return {
    line,
    slug,
    source: typeof s.source === 'string' && s.source ? s.source : 'panjereh',
    sourceKey: typeof s.sourceKey === 'string' && s.sourceKey ? s.sourceKey : slug,
    agencyId: String(s.agency ?? ''),
    name: text(s.name),
    summary: text(s.summary),
    description: text(s.description),
    categories: arr<string>(s.categories).map(String),
    lifeEvents: arr<string>(s.lifeEvents).map(String),
    audience: arr<string>(s.audience).map(String),
    channels: arr(s.channels) as ServiceInput['channels'],
    maturity: Number(s.maturity),
    fees: arr<Json>(s.fees).map((f) => ({
      amount: numberOrNull(f.amount),
      currency: typeof f.currency === 'string' ? f.currency : undefined,
      description: text(f.description),
    })),
    processingDays: numberOrNull(s.processingDays),
    processingTime: text(s.processingTime),
    documents: arr(s.documents).map(text),
    eligibility: text(s.eligibility),
    legalBasis: text(s.legalBasis),
    extra,
    status: (s.status ?? 'published') as ServiceInput['status'],
    ...(s.assurance !== undefined ? { assurance: s.assurance as ServiceInput['assurance'] } : {}),
  };
}

export function parsePanjerehJson(content: string): ImportBatch {
  let doc: Json;
  try {
    doc = obj(JSON.parse(content));
  } catch (e) {
    throw new AppError('IMPORT_FAILED', `The file is not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(doc.services) && !Array.isArray(doc.agencies)) {
    throw new AppError('IMPORT_FAILED', 'The JSON has neither an "agencies" nor a "services" list.');
  }
  // JSON records are numbered by their place in the file: agencies first, then services.
  const agencies = arr<Json>(doc.agencies).map((a, i) => agencyFromJson(obj(a), i + 1));
  const services = arr<Json>(doc.services).map((s, i) => serviceFromJson(obj(s), agencies.length + i + 1));
  return { agencies, services, rejects: [] };
}

const CSV_COLUMNS = [
  'slug',
  'source',
  'source_key',
  'status',
  'agency',
  'agency_name_fa',
  'agency_name_en',
  'name_fa',
  'name_en',
  'name_fr',
  'summary_fa',
  'summary_en',
  'summary_fr',
  'description_fa',
  'description_en',
  'description_fr',
  'categories',
  'life_events',
  'audience',
  'maturity',
  'channels',
  'fees',
  'processing_days',
  'processing_time_fa',
  'processing_time_en',
  'documents',
  'eligibility_fa',
  'eligibility_en',
  'legal_basis_fa',
  'legal_basis_en',
  'extra',
  'assurance',
] as const;

const list = (v: string) =>
  v
    .split(';')
    .map((x) => x.trim())
    .filter(Boolean);
const pair = (fa: string, en: string, fr = ''): LocalText =>
  Object.fromEntries(Object.entries({ fa, en, fr }).filter(([, v]) => v)) as LocalText;

export function parsePanjerehCsv(content: string): ImportBatch {
  const { rows, rejects } = readCsv(content, ['slug', 'agency', 'name_fa', 'name_en', 'maturity', 'status']);
  const agencies = new Map<string, AgencyInput & { line: number }>();
  const services: ImportBatch['services'] = [];
  for (const r of rows) {
    const jsonCell = (c: string): unknown => {
      const v = r.get(c);
      if (!v) return undefined;
      try {
        return JSON.parse(v);
      } catch {
        throw new Error(`column ${c} is not valid JSON`);
      }
    };
    try {
      const agency = r.get('agency');
      if (agency && (r.get('agency_name_fa') || r.get('agency_name_en')) && !agencies.has(agency)) {
        // Creates the agency only when it is new; an existing agency keeps its full record.
        agencies.set(agency, {
          ...agencyFromJson({ code: agency, name: pair(r.get('agency_name_fa'), r.get('agency_name_en')) }, r.line),
          source: 'panjereh-csv',
        });
      }
      const slug = r.get('slug');
      services.push({
        ...serviceFromJson(
          {
            slug,
            source: r.get('source') || undefined,
            sourceKey: r.get('source_key') || undefined,
            agency,
            status: r.get('status'),
            name: pair(r.get('name_fa'), r.get('name_en'), r.get('name_fr')),
            summary: pair(r.get('summary_fa'), r.get('summary_en'), r.get('summary_fr')),
            description: pair(r.get('description_fa'), r.get('description_en'), r.get('description_fr')),
            categories: list(r.get('categories')),
            lifeEvents: list(r.get('life_events')),
            audience: list(r.get('audience')),
            maturity: r.get('maturity') === '' ? NaN : Number(r.get('maturity')),
            channels: jsonCell('channels'),
            fees: jsonCell('fees'),
            processingDays: r.get('processing_days'),
            processingTime: pair(r.get('processing_time_fa'), r.get('processing_time_en')),
            documents: jsonCell('documents'),
            eligibility: pair(r.get('eligibility_fa'), r.get('eligibility_en')),
            legalBasis: pair(r.get('legal_basis_fa'), r.get('legal_basis_en')),
            extra: jsonCell('extra'),
            // the identity assurance the service needs (low, substantial, high); an empty cell leaves it as it is
            ...(r.get('assurance') ? { assurance: r.get('assurance') } : {}),
          },
          r.line,
        ),
      });
    } catch (e) {
      rejects.push({ line: r.line, reason: (e as Error).message } satisfies Reject);
    }
  }
  return { agencies: [...agencies.values()], services, rejects };
}

/** The CSV that panjereh-csv reads back. An optional first comment line carries the licence. */
export function toPanjerehCsv(services: ServiceInput[], agencies: AgencyRow[], licenceLine?: string): string {
  const agencyById = new Map(agencies.map((a) => [a.id, a]));
  const j = (v: unknown) =>
    v === undefined || (Array.isArray(v) && !v.length) || (v && typeof v === 'object' && !Object.keys(v).length) ? '' : JSON.stringify(v);
  const rows = services.map((s) => {
    const a = agencyById.get(s.agencyId);
    return [
      s.slug,
      s.source,
      s.sourceKey,
      s.status,
      s.agencyId,
      a?.name.fa ?? '',
      a?.name.en ?? '',
      s.name.fa ?? '',
      s.name.en ?? '',
      s.name.fr ?? '',
      s.summary.fa ?? '',
      s.summary.en ?? '',
      s.summary.fr ?? '',
      s.description.fa ?? '',
      s.description.en ?? '',
      s.description.fr ?? '',
      s.categories.join(';'),
      s.lifeEvents.join(';'),
      s.audience.join(';'),
      String(s.maturity),
      j(s.channels),
      j(s.fees),
      s.processingDays ?? '',
      s.processingTime.fa ?? '',
      s.processingTime.en ?? '',
      j(s.documents),
      s.eligibility.fa ?? '',
      s.eligibility.en ?? '',
      s.legalBasis.fa ?? '',
      s.legalBasis.en ?? '',
      j(s.extra),
      s.assurance && s.assurance !== 'low' ? s.assurance : '',
    ];
  });
  const body = stringify([[...CSV_COLUMNS], ...rows]);
  return licenceLine ? `# ${licenceLine}\n${body}` : body;
}
