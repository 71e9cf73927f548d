// `panjereh seed govstack-conformance`: loads the records GovStack's conformance tests expect
// (spec/govstack-registration-bb-conformance-data.json) plus a registration named "MCTS", through the
// catalogue and applications services. Idempotent: services are upserted by (source 'govstack', id),
// forms are published once, applications and tasks are keyed by their GovStack ids (tasks are reset to
// the file's state, so the conformance run can complete them again).
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database, GovstackStatus, LocalText } from '../../db/schema.ts';
import type { AuditLog } from '../../platform/audit.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import type { ApplicationsService } from '../applications/applications.service.ts';
import type { FormDefinition } from '../applications/forms.ts';
import { GovstackRepository } from './govstack.repository.ts';
import { GovstackService } from './govstack.service.ts';

export const CONFORMANCE_AGENCY = 'govstack-conformance';
const DATA = path.join(import.meta.dirname, 'spec', 'govstack-registration-bb-conformance-data.json');

interface ConfService {
  id: string;
  name: string;
  version: string;
  type: string;
  isExecutable: boolean;
  isClosed: boolean;
  description: string;
  serviceBody: { code: string; value: string }[];
  eForms: { eFormId: string; name: string; description: string; version: string; latest: boolean }[];
}
interface ConfApplication {
  fileId: string;
  mainTaskId: string;
  taskTitle: string;
  roleId: string;
  roleName: string;
  assigneeId: string;
  operatorName: string;
  status: { code: GovstackStatus };
  applicantId: string;
  created: string;
  description: string;
  serviceName: string;
  serviceId: string;
  eformId: string;
  documentUrls: string[];
}
interface ConfTask {
  taskId: string;
  taskName?: string;
  mainTaskId?: string;
  name?: string;
  assigneeId?: string;
  roleId?: string;
  created: string;
  description?: string;
  serviceId?: string;
  serviceName?: string;
  fileId?: string;
  eFormId?: string;
  status: { code: GovstackStatus };
  formVariables?: Record<string, unknown>;
  data?: Record<string, unknown>;
}

/** Persian names of the conformance services (the catalogue is Persian first). */
const FA: Record<string, string> = {
  'Mother and Child Registration': 'ثبت مادر و کودک',
  'Good Health and Well-Being': 'سلامت و بهزیستی',
  'Industry and Infrastructure': 'صنعت و زیرساخت',
  'Zero Hunger': 'پایان گرسنگی',
  'Hunger Zero v2': 'پایان گرسنگی، نسخه ۲',
  Registration: 'ثبت',
  'Post partum registration service': 'خدمت ثبت پس از زایمان',
  MCTS: 'ثبت مادر و کودک (MCTS)',
};

const slugOf = (id: string) =>
  `govstack-${id
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')}`.slice(0, 120);

/** The one-page form every conformance service gets: all optional, so an application with no form data is complete. */
function conformanceForm(slug: string, name: string): FormDefinition {
  return {
    service: slug,
    title: { fa: FA[name] ?? name, en: name },
    pages: [
      {
        id: 'details',
        title: { fa: 'جزئیات درخواست', en: 'Application details' },
        fields: [
          { name: 'applicantName', type: 'text', label: { fa: 'نام متقاضی', en: "Applicant's name" }, optional: true, maxLength: 200 },
          { name: 'notes', type: 'textarea', label: { fa: 'توضیحات', en: 'Notes' }, optional: true, maxLength: 2000 },
        ],
      },
    ],
  };
}

export interface SeedSummary {
  services: number;
  applications: { created: number; existing: number };
  tasks: number;
}

export async function seedGovstackConformance(
  db: Kysely<Database>,
  catalog: CatalogService,
  applications: ApplicationsService,
  audit: AuditLog,
): Promise<SeedSummary> {
  const data = JSON.parse(fs.readFileSync(DATA, 'utf8')) as { services: ConfService[]; applications: ConfApplication[]; tasks: ConfTask[] };
  const govstack = new GovstackService(db, applications, audit);
  const repo = new GovstackRepository(db);

  // services: the file's, the ones its applications name but the file lists no card for, and "MCTS"
  const services = new Map<string, ConfService>();
  for (const s of data.services) services.set(s.id, s);
  for (const a of data.applications)
    if (!services.has(a.serviceId))
      services.set(a.serviceId, {
        id: a.serviceId,
        name: a.serviceName,
        version: '1',
        type: 'None',
        isExecutable: true,
        isClosed: false,
        description: a.serviceName,
        serviceBody: [],
        eForms: [{ eFormId: a.eformId, name: 'FORM', description: '', version: '1', latest: true }],
      });
  services.set('MCTS', {
    id: 'MCTS',
    name: 'MCTS',
    version: '1',
    type: 'Public',
    isExecutable: true,
    isClosed: false,
    description: 'Mother and Child Tracking System registration',
    serviceBody: [],
    eForms: [{ eFormId: 'mcts-form', name: 'MCTS', description: 'Mother and child registration form', version: '1', latest: true }],
  });

  const summary = await catalog.importBatch(
    {
      agencies: [
        {
          line: 1,
          id: CONFORMANCE_AGENCY,
          name: { fa: 'دستگاه آزمون انطباق GovStack', en: 'GovStack conformance test agency' },
          parentMinistry: null,
          website: null,
          contact: {},
          connected: true,
          connectedSince: null,
          source: 'govstack',
        },
      ],
      services: [...services.values()].map((s, i) => ({
        line: i + 2,
        slug: slugOf(s.id),
        source: 'govstack',
        sourceKey: s.id,
        agencyId: CONFORMANCE_AGENCY,
        name: { fa: FA[s.name] ?? s.name, en: s.name } as LocalText,
        summary: { en: s.description } as LocalText,
        description: {},
        categories: [],
        lifeEvents: [],
        audience: ['citizens'],
        channels: [],
        maturity: 4,
        fees: [],
        processingDays: 30,
        processingTime: {},
        documents: [],
        eligibility: {},
        legalBasis: {},
        extra: {
          govstack: { version: s.version, type: s.type, isClosed: s.isClosed, description: s.description, serviceBody: s.serviceBody },
        },
        status: 'published' as const,
      })),
      rejects: [],
    },
    'govstack-conformance',
  );
  if (summary.rejected.length) throw new Error(`conformance services rejected: ${summary.rejected.map((r) => r.reason).join('; ')}`);

  // one form per service (published once), and the eForm ids the file gives it
  for (const s of services.values()) {
    const row = await govstack.service(s.id);
    if (!row) throw new Error(`service ${s.id} was not stored`);
    let form = await applications.currentForm(row.id);
    if (!form) {
      const r = await applications.publishForm(conformanceForm(row.slug, s.name), 'govstack-conformance');
      if (!r.ok) throw new Error(`form of ${s.id}: ${r.problems.map((p) => `${p.path} ${p.message}`).join('; ')}`);
      const published = await applications.currentForm(row.id);
      if (!published) throw new Error(`form of ${s.id} was not stored`);
      form = published;
    }
    for (const e of s.eForms)
      await repo.putEForm({
        eform_id: e.eFormId,
        service_id: row.id,
        form_version: form.version,
        name: e.name,
        description: e.description,
      });
  }

  // applications: submitted through the applications service once, then found by their fileId
  let created = 0;
  let existing = 0;
  for (const a of data.applications) {
    if ((await repo.applicationOfFile(a.fileId)) !== undefined) {
      existing++;
      continue;
    }
    const row = await govstack.service(a.serviceId);
    if (!row) throw new Error(`service ${a.serviceId} of application ${a.fileId} was not loaded`);
    const citizen = await govstack.applicantFor(a.applicantId);
    const draft = await applications.startDraft(citizen, row.slug, 'en');
    const r = await applications.submit(citizen, draft.id, draft.submission_token);
    if ('missing' in r) throw new Error(`application ${a.fileId}: missing ${r.missing.join(', ')}`);
    await repo.insertFile({
      file_id: a.fileId,
      application_id: r.app.id,
      applicant_id: a.applicantId,
      application_name: a.taskTitle,
      client_created_at: new Date(a.created),
      eform_id: a.eformId,
      document_urls: JSON.stringify(a.documentUrls),
      description: a.description,
      main_task_id: a.mainTaskId,
      task_title: a.taskTitle,
      role_id: a.roleId,
      role_name: a.roleName,
      assignee_id: a.assigneeId,
      operator_name: a.operatorName,
      client: 'govstack-conformance',
    });
    created++;
  }

  // tasks: as in the file (reset each time), linked to the agency of the service they name when there is one
  for (const t of data.tasks) {
    const s = t.serviceId ? await govstack.service(t.serviceId) : undefined;
    const v = {
      main_task_id: t.mainTaskId ?? null,
      task_name: t.taskName ?? null,
      name: t.name ?? null,
      description: t.description ?? null,
      agency_id: s?.agency_id ?? CONFORMANCE_AGENCY,
      file_id: t.fileId ?? null,
      service_id: t.serviceId ?? null,
      service_name: t.serviceName ?? null,
      eform_id: t.eFormId ?? null,
      role_id: t.roleId ?? null,
      assignee_id: t.assigneeId ?? null,
      status: t.status.code,
      form_variables: JSON.stringify(t.formVariables ?? {}),
      data: JSON.stringify(t.data ?? {}),
    };
    await repo.putTask(t.taskId, t.created, v);
  }
  await audit.record({
    actor: 'cli',
    action: 'govstack.conformance.seeded',
    subject: CONFORMANCE_AGENCY,
    detail: { services: services.size, created, existing, tasks: data.tasks.length },
  });
  return { services: services.size, applications: { created, existing }, tasks: data.tasks.length };
}
