// Kenya's eCitizen service list (karaalv/kenya-ecitizen-services-dataset, CC BY 4.0):
// service_id, service_name, service_url, agency_name, department_name, ministry_name.
// The list has names and links only. Maturity: a service on an ecitizen.go.ke host is applied for
// online on eCitizen (stage 3); one linked to an agency's own site is counted as information (stage 1).
import { slugify } from '../../../platform/persian.ts';
import type { ImportBatch } from '../catalog.service.ts';
import { readCsv } from './csv.ts';
import { repairLink } from './urls.ts';

export function parseKenya(content: string): ImportBatch {
  const { rows, rejects } = readCsv(content, [
    'service_id',
    'service_name',
    'service_url',
    'agency_name',
    'department_name',
    'ministry_name',
  ]);
  const agencies = new Map<string, ImportBatch['agencies'][number]>();
  const services: ImportBatch['services'] = [];
  const warnings: ImportBatch['rejects'] = [];
  for (const r of rows) {
    const id = r.get('service_id');
    const name = r.get('service_name');
    const agencyName = r.get('agency_name');
    const link = repairLink(r.get('service_url'));
    if (r.get('service_url') && !link)
      warnings.push({ line: r.line, reason: `service_url "${r.get('service_url')}" is not a link; the service is kept without it` });
    if (link?.repaired) warnings.push({ line: r.line, reason: `service_url "${r.get('service_url')}" repaired to ${link.url}` });
    const url = link?.url ?? '';
    const missing = [!id && 'service_id', !name && 'service_name', !agencyName && 'agency_name'].filter(Boolean);
    if (missing.length) {
      rejects.push({ line: r.line, reason: `${missing.join(', ')} is empty` });
      continue;
    }
    const agencyId = `ke-${slugify(agencyName, 70)}`;
    if (!agencies.has(agencyId)) {
      const ministry = r.get('ministry_name');
      agencies.set(agencyId, {
        line: r.line,
        id: agencyId,
        name: { en: agencyName },
        parentMinistry: ministry && ministry !== agencyName ? { en: ministry } : null,
        website: null,
        contact: {},
        connected: false,
        connectedSince: null,
        source: 'kenya-ecitizen',
      });
    }
    let host = '';
    try {
      host = new URL(url).hostname;
    } catch {
      /* reported by validation below */
    }
    services.push({
      line: r.line,
      slugFromSource: true,
      slug: `ke-${slugify(name, 100)}`,
      source: 'kenya-ecitizen',
      sourceKey: id,
      agencyId,
      name: { en: name },
      summary: {},
      description: {},
      categories: [],
      lifeEvents: [],
      audience: [],
      channels: url ? [{ type: 'online', url }] : [],
      maturity: host === 'ecitizen.go.ke' || host.endsWith('.ecitizen.go.ke') ? 3 : 1,
      fees: [],
      processingDays: null,
      processingTime: {},
      documents: [],
      eligibility: {},
      legalBasis: {},
      extra: { department: r.get('department_name'), country: 'KE' },
      status: 'published',
    });
  }
  return { agencies: [...agencies.values()], services, rejects, warnings };
}
