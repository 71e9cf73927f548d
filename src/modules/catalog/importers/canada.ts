// Government of Canada Service Inventory 2016-2019 (open.canada.ca, Open Government Licence - Canada).
// One row per service per fiscal year: the latest year of each service is kept. English and French
// are kept. Maturity comes from the e-enablement flags (Y / N / NA):
//   e_application, e_decision and e_issuance all Y -> 4 (fully online)
//   e_application Y                                -> 3 (online submission)
//   e_registration or e_authentication Y           -> 2 (online account / partly online)
//   otherwise                                      -> 1 (information)
import { slugify } from '../../../platform/persian.ts';
import type { Channel } from '../../../db/schema.ts';
import type { ImportBatch } from '../catalog.service.ts';
import { readCsv, type CsvRow } from './csv.ts';
import { repairLink } from './urls.ts';

const AUDIENCE: Record<string, string> = {
  person: 'citizens',
  econom: 'businesses',
  NGO: 'businesses',
  intern_gov: 'government',
  PTC: 'government',
  for: 'government',
};
const E_FLAGS = ['e_registration', 'e_authentication', 'e_application', 'e_decision', 'e_issuance', 'e_feedback'] as const;

const present = (v: string) => !!v && v !== 'NA' && v !== 'ND';
const positive = (v: string) => /^\d+$/.test(v) && Number(v) > 0;

function firstSentence(text: string): string {
  const m = /^(.{20,240}?[.!?])(\s|$)/s.exec(text);
  return (m ? m[1] : text.slice(0, 240)).trim();
}

export function maturityFromFlags(flags: Record<string, string>): number {
  const y = (k: string) => flags[k] === 'Y';
  if (y('e_application') && y('e_decision') && y('e_issuance')) return 4;
  if (y('e_application')) return 3;
  if (y('e_registration') || y('e_authentication')) return 2;
  return 1;
}

export function parseCanada(content: string): ImportBatch {
  const { rows, rejects } = readCsv(content, [
    'fiscal_yr',
    'service_id',
    'service_name_en',
    'service_name_fr',
    'department_name_en',
    'department_name_fr',
    ...E_FLAGS,
  ]);
  const latest = new Map<string, CsvRow>();
  for (const r of rows) {
    const id = r.get('service_id');
    if (!id || !/^\d{4}-\d{4}$/.test(r.get('fiscal_yr'))) {
      rejects.push({ line: r.line, reason: !id ? 'service_id is empty' : `fiscal_yr "${r.get('fiscal_yr')}" is not like 2018-2019` });
      continue;
    }
    const prev = latest.get(id);
    if (!prev || r.get('fiscal_yr') > prev.get('fiscal_yr')) latest.set(id, r);
  }

  const agencies = new Map<string, ImportBatch['agencies'][number]>();
  const services: ImportBatch['services'] = [];
  const warnings: ImportBatch['rejects'] = [];
  for (const [id, r] of latest) {
    const dept = r.get('department_name_en');
    if (!dept || !r.get('service_name_en')) {
      rejects.push({ line: r.line, reason: `${!dept ? 'department_name_en' : 'service_name_en'} is empty` });
      continue;
    }
    const agencyId = `ca-${slugify(dept, 70)}`;
    if (!agencies.has(agencyId)) {
      agencies.set(agencyId, {
        line: r.line,
        id: agencyId,
        name: { en: dept, fr: r.get('department_name_fr') || undefined },
        parentMinistry: null,
        website: null,
        contact: {},
        connected: false,
        connectedSince: null,
        source: 'canada-gc',
      });
    }
    const channels: Channel[] = [];
    const rawUrl = r.get('service_url_en');
    const link = repairLink(rawUrl);
    if (link) channels.push({ type: 'online', url: link.url });
    if (link?.repaired) warnings.push({ line: r.line, reason: `service_url_en "${rawUrl}" repaired to ${link.url}` });
    else if (!link && present(rawUrl))
      warnings.push({ line: r.line, reason: `service_url_en "${rawUrl}" is not a link; the service is kept without it` });
    if (positive(r.get('in_person_applications'))) channels.push({ type: 'in-person' });
    if (positive(r.get('calls_received'))) channels.push({ type: 'phone' });
    const flags = Object.fromEntries(E_FLAGS.map((f) => [f, r.get(f)]));
    const descEn = r.get('service_description_en');
    const descFr = r.get('service_description_fr');
    const audience = [
      ...new Set(
        r
          .get('client_target_groups')
          .split(',')
          .map((g) => AUDIENCE[g.trim()])
          .filter(Boolean),
      ),
    ];
    services.push({
      line: r.line,
      slugFromSource: true,
      slug: `ca-${slugify(r.get('service_name_en'), 100)}`,
      source: 'canada-gc',
      sourceKey: id,
      agencyId,
      name: { en: r.get('service_name_en'), fr: r.get('service_name_fr') || undefined },
      summary: { en: present(descEn) ? firstSentence(descEn) : undefined, fr: present(descFr) ? firstSentence(descFr) : undefined },
      description: { en: present(descEn) ? descEn : undefined, fr: present(descFr) ? descFr : undefined },
      categories: [],
      lifeEvents: [],
      audience,
      channels,
      maturity: maturityFromFlags(flags),
      fees:
        r.get('service_fee') === 'Y'
          ? [{ amount: null, description: { en: 'A fee applies', fr: 'Des frais s’appliquent', fa: 'هزینه دارد' } }]
          : [],
      processingDays: null,
      processingTime: {},
      documents: [],
      eligibility: {},
      legalBasis: {},
      extra: {
        country: 'CA',
        fiscalYear: r.get('fiscal_yr'),
        serviceType: r.get('service_type'),
        program: { en: r.get('program_name_en'), fr: r.get('program_name_fr') },
        clientTargetGroups: r.get('client_target_groups'),
        eFlags: flags,
        onlineApplications: r.get('online_applications'),
      },
      status: 'published',
    });
  }
  return { agencies: [...agencies.values()], services, rejects, warnings };
}
