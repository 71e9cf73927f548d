// The demo exchange: the civil registry and Shahkar as providers, Panjereh and the tax administration's
// portal as consumers, and the rights between them. Loaded with the demo catalogue.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { CatalogRepository } from '../catalog/catalog.repository.ts';
import { ExchangeRepository } from './exchange.repository.ts';
import { civilRegistryOpenApi } from './registries/civil-registry.ts';
import { shahkarOpenApi } from './registries/shahkar.ts';
import { seedRepresentationRegistries } from './registries/representation.demo.ts';

export const DEMO_SERVICES = { person: 'GOV/NOCR/REGISTRY/person', shahkar: 'GOV/CRA/SHAHKAR/mobile-ownership' } as const;

export async function seedExchangeDemo(db: Kysely<Database>, registryPort = 3101): Promise<void> {
  const repo = new ExchangeRepository(db);
  const members = [
    {
      id: 'GOV/NOCR',
      member_class: 'GOV',
      member_code: 'NOCR',
      name: { fa: 'سازمان ثبت احوال کشور', en: 'National Organization for Civil Registration' },
      agency_id: 'ir-nocr',
    },
    {
      id: 'GOV/CRA',
      member_class: 'GOV',
      member_code: 'CRA',
      name: { fa: 'سازمان تنظیم مقررات و ارتباطات رادیویی', en: 'Communications Regulatory Authority' },
      agency_id: null,
    },
    {
      id: 'GOV/ITO',
      member_class: 'GOV',
      member_code: 'ITO',
      name: { fa: 'سازمان فناوری اطلاعات ایران', en: 'Information Technology Organization of Iran' },
      agency_id: 'ir-ito',
    },
    {
      id: 'GOV/TAX',
      member_class: 'GOV',
      member_code: 'TAX',
      name: { fa: 'سازمان امور مالیاتی کشور', en: 'Iranian National Tax Administration' },
      agency_id: 'ir-tax',
    },
  ];
  const agencies = new Set((await new CatalogRepository(db).agencyIds()).map((a) => a.id));
  for (const m of members) await repo.addMember({ ...m, agency_id: m.agency_id && agencies.has(m.agency_id) ? m.agency_id : null });
  for (const [member, sub] of [
    ['GOV/NOCR', 'REGISTRY'],
    ['GOV/CRA', 'SHAHKAR'],
    ['GOV/ITO', 'PANJEREH'],
    ['GOV/TAX', 'PORTAL'],
  ])
    await repo.addSubsystem({ id: `${member}/${sub}`, member_id: member, subsystem_code: sub });
  await repo.putService({
    id: DEMO_SERVICES.person,
    subsystem_id: 'GOV/NOCR/REGISTRY',
    service_code: 'person',
    title: { fa: 'استعلام مشخصات فرد با کد ملی', en: 'Person by national ID' },
    upstream_url: `http://127.0.0.1:${registryPort}`,
    timeout_ms: 5000,
    openapi: JSON.stringify(civilRegistryOpenApi),
    subject_location: { in: 'path', index: 2 },
    log_bodies: true,
  });
  await repo.putService({
    id: DEMO_SERVICES.shahkar,
    subsystem_id: 'GOV/CRA/SHAHKAR',
    service_code: 'mobile-ownership',
    title: { fa: 'استعلام مالکیت شماره همراه (شاهکار)', en: 'Mobile number ownership (Shahkar)' },
    upstream_url: `http://127.0.0.1:${registryPort + 1}`,
    timeout_ms: 3000,
    openapi: JSON.stringify(shahkarOpenApi),
    subject_location: { in: 'query', name: 'nationalId' },
    log_bodies: false,
  });
  await repo.addGroup('once-only-portals', 'Portals that may check identity data once, instead of asking citizens for paper', [
    'GOV/ITO/PANJEREH',
    'GOV/TAX/PORTAL',
  ]);
  await repo.addGrant({
    service_id: DEMO_SERVICES.person,
    client_subsystem_id: 'GOV/ITO/PANJEREH',
    group_code: null,
    method: 'GET',
    path: '/persons/*',
    created_by: 'seed:demo',
  });
  // acting for others (src/modules/representation/): is this child the applicant's minor child or ward?
  await repo.addGrant({
    service_id: DEMO_SERVICES.person,
    client_subsystem_id: 'GOV/ITO/PANJEREH',
    group_code: null,
    method: 'GET',
    path: '/persons/*/children',
    created_by: 'seed:demo',
  });
  // the identity step-up (src/modules/identity/assurance.service.ts): does this card serial match? (yes/no only)
  await repo.addGrant({
    service_id: DEMO_SERVICES.person,
    client_subsystem_id: 'GOV/ITO/PANJEREH',
    group_code: null,
    method: 'GET',
    path: '/persons/*/card-check',
    created_by: 'seed:demo',
  });
  await repo.addGrant({
    service_id: DEMO_SERVICES.person,
    client_subsystem_id: 'GOV/TAX/PORTAL',
    group_code: null,
    method: 'GET',
    path: '/persons/*',
    created_by: 'seed:demo',
  });
  await repo.addGrant({
    service_id: DEMO_SERVICES.shahkar,
    client_subsystem_id: null,
    group_code: 'once-only-portals',
    method: '*',
    path: '/**',
    created_by: 'seed:demo',
  });
  // acting for others: the company registry and the notary registry (registries/representation.demo.ts)
  await seedRepresentationRegistries(repo, registryPort, agencies);
}
