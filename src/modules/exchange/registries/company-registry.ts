// Demo company registry (in Iran: the companies registration office of the Deeds and Estates
// Registration Organization). Legal persons by their 11-digit national ID, with their authorised
// signatories (who may sign and act for the company) and since when, and until when for a role that ended.
// GET /companies/{legalId} -> the company and its signatories, or 404 (400: not a valid legal ID).
// GET /persons/{nationalId}/companies -> the companies where the person is or was a signatory.
// Run alone with `node --import tsx src/modules/exchange/registries/company-registry.ts [port]`.
import { pathToFileURL } from 'node:url';
import type { LocalText } from '../../../db/schema.ts';
import { checkNationalId } from '../../../platform/persian.ts';
import { checkLegalId } from './legal-id.ts';
import { startJsonServer } from './registry-server.ts';

export const companyRegistryOpenApi = {
  openapi: '3.0.3',
  info: { title: 'Company registry: legal persons and their authorised signatories (demo)', version: '1.0.0' },
  paths: {
    '/companies/{legalId}': {
      get: {
        operationId: 'getCompany',
        parameters: [{ name: 'legalId', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d{11}$' } }],
        responses: {
          '200': { description: '{legalId, name, status, signatories: [{nationalId, name, role, from, until}]}' },
          '404': { description: 'No legal person with this national ID' },
          '400': { description: 'Not a valid national ID of a legal person' },
        },
      },
    },
    '/persons/{nationalId}/companies': {
      get: {
        operationId: 'getCompaniesOfPerson',
        parameters: [{ name: 'nationalId', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d{10}$' } }],
        responses: {
          '200': { description: '{nationalId, companies: [{legalId, name, role, from, until}]}' },
          '400': { description: 'Not valid' },
        },
      },
    },
  },
};

export interface Signatory {
  nationalId: string;
  name: LocalText;
  role: 'managing-director' | 'chair' | 'board-member';
  from: string;
  /** The day the role ended (null: it holds). */
  until: string | null;
}
export interface DemoCompany {
  legalId: string;
  name: LocalText;
  status: 'active' | 'dissolved';
  signatories: Signatory[];
}

export const DEMO_COMPANIES: DemoCompany[] = [
  {
    legalId: '10101234565',
    name: { fa: 'شرکت نشر پارس (سهامی خاص)', en: 'Pars Publishing Co. (private joint stock)' },
    status: 'active',
    signatories: [
      {
        nationalId: '2288990015',
        name: { fa: 'امیر رضایی', en: 'Amir Rezaei' },
        role: 'managing-director',
        from: '2020-01-15',
        until: null,
      },
      {
        nationalId: '5123456783',
        name: { fa: 'نرگس جعفری', en: 'Narges Jafari' },
        role: 'board-member',
        from: '2020-01-15',
        until: '2026-05-01',
      },
    ],
  },
  {
    legalId: '10860543218',
    name: { fa: 'شرکت فناوری کویر (با مسئولیت محدود)', en: 'Kavir Technology Ltd' },
    status: 'active',
    signatories: [
      {
        nationalId: '1122334451',
        name: { fa: 'زهرا حسینی', en: 'Zahra Hosseini' },
        role: 'managing-director',
        from: '2024-06-01',
        until: null,
      },
    ],
  },
];

export function startCompanyRegistry(port: number, host = '127.0.0.1', companies: DemoCompany[] = DEMO_COMPANIES) {
  return startJsonServer(port, host, (req, url) => {
    if (req.method !== 'GET') return { status: 405, body: { error: 'method-not-allowed' } };
    const company = /^\/companies\/([^/]+)$/.exec(url.pathname);
    if (company) {
      const id = checkLegalId(decodeURIComponent(company[1]));
      if (!id.ok) return { status: 400, body: { error: 'invalid-legal-id', reason: id.reason } };
      const c = companies.find((x) => x.legalId === id.value);
      return c
        ? { status: 200, body: c }
        : { status: 404, body: { error: 'not-found', message: 'No legal person is registered with this ID.' } };
    }
    const person = /^\/persons\/([^/]+)\/companies$/.exec(url.pathname);
    if (person) {
      const id = checkNationalId(decodeURIComponent(person[1]));
      if (!id.ok) return { status: 400, body: { error: 'invalid-national-id', reason: id.reason } };
      const out = companies.flatMap((c) =>
        c.signatories
          .filter((s) => s.nationalId === id.value)
          .map((s) => ({ legalId: c.legalId, name: c.name, status: c.status, role: s.role, from: s.from, until: s.until })),
      );
      return { status: 200, body: { nationalId: id.value, companies: out } };
    }
    return { status: 404, body: { error: 'not-found', message: 'Use GET /companies/{legalId} or /persons/{nationalId}/companies.' } };
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const s = await startCompanyRegistry(Number(process.argv[2] ?? 3103), process.env.HOST ?? '127.0.0.1');
  process.stdout.write(`Demo company registry on http://127.0.0.1:${s.port}/companies/{legalId}\n`);
}
