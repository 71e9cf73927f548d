// The demo exchange's registries for acting for others (src/modules/representation/): the company
// registry (legal persons and their signatories) and the notary registry (powers of attorney), both run
// by the Deeds and Estates Registration Organization, with Panjereh's rights to ask them.
import type { ExchangeRepository } from '../exchange.repository.ts';
import { companyRegistryOpenApi } from './company-registry.ts';
import { notaryRegistryOpenApi } from './notary-registry.ts';

export const COMPANY_REGISTRY_SERVICE = 'GOV/SSAA/COMPANIES/company';
export const NOTARY_REGISTRY_SERVICE = 'GOV/SSAA/NOTARIES/power-of-attorney';

export async function seedRepresentationRegistries(repo: ExchangeRepository, registryPort: number, agencies: Set<string>): Promise<void> {
  await repo.addMember({
    id: 'GOV/SSAA',
    member_class: 'GOV',
    member_code: 'SSAA',
    name: { fa: 'سازمان ثبت اسناد و املاک کشور', en: 'Deeds and Estates Registration Organization' },
    agency_id: agencies.has('ir-ssaa') ? 'ir-ssaa' : null,
  });
  await repo.addSubsystem({ id: 'GOV/SSAA/COMPANIES', member_id: 'GOV/SSAA', subsystem_code: 'COMPANIES' });
  await repo.addSubsystem({ id: 'GOV/SSAA/NOTARIES', member_id: 'GOV/SSAA', subsystem_code: 'NOTARIES' });
  await repo.putService({
    id: COMPANY_REGISTRY_SERVICE,
    subsystem_id: 'GOV/SSAA/COMPANIES',
    service_code: 'company',
    title: { fa: 'استعلام شخص حقوقی و صاحبان امضای مجاز', en: 'Legal person and its authorised signatories' },
    upstream_url: `http://127.0.0.1:${registryPort + 2}`,
    timeout_ms: 5000,
    openapi: JSON.stringify(companyRegistryOpenApi),
    subject_location: { in: 'path', index: 2 },
    log_bodies: true,
  });
  await repo.putService({
    id: NOTARY_REGISTRY_SERVICE,
    subsystem_id: 'GOV/SSAA/NOTARIES',
    service_code: 'power-of-attorney',
    title: { fa: 'استعلام وکالت‌نامه رسمی', en: 'Powers of attorney registered by notaries' },
    upstream_url: `http://127.0.0.1:${registryPort + 3}`,
    timeout_ms: 5000,
    openapi: JSON.stringify(notaryRegistryOpenApi),
    subject_location: { in: 'query', name: 'nationalId' },
    log_bodies: true,
  });
  for (const path of ['/companies/*', '/persons/*/companies'])
    await repo.addGrant({
      service_id: COMPANY_REGISTRY_SERVICE,
      client_subsystem_id: 'GOV/ITO/PANJEREH',
      group_code: null,
      method: 'GET',
      path,
      created_by: 'seed:demo',
    });
  await repo.addGrant({
    service_id: NOTARY_REGISTRY_SERVICE,
    client_subsystem_id: 'GOV/ITO/PANJEREH',
    group_code: null,
    method: 'GET',
    path: '/powers',
    created_by: 'seed:demo',
  });
}
