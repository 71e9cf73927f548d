// Demo notary registry: powers of attorney (وکالت‌نامه) registered by notaries, each naming the principal,
// the attorney, the scope (services by slug, or whole categories) and the end date.
// GET /powers?nationalId={id}&as=attorney|principal -> {powers: [...]} where the person is that party.
// Run alone with `node --import tsx src/modules/exchange/registries/notary-registry.ts [port]`.
import { pathToFileURL } from 'node:url';
import type { LocalText } from '../../../db/schema.ts';
import { checkNationalId } from '../../../platform/persian.ts';
import { startJsonServer } from './registry-server.ts';

export const notaryRegistryOpenApi = {
  openapi: '3.0.3',
  info: { title: 'Notary registry: powers of attorney (demo)', version: '1.0.0' },
  paths: {
    '/powers': {
      get: {
        operationId: 'getPowers',
        parameters: [
          { name: 'nationalId', in: 'query', required: true, schema: { type: 'string', pattern: '^\\d{10}$' } },
          { name: 'as', in: 'query', required: true, schema: { type: 'string', enum: ['attorney', 'principal'] } },
        ],
        responses: {
          '200': { description: '{powers: [{id, principal, attorney, scope: {services, categories}, endDate, notary}]}' },
          '400': { description: 'A parameter is not valid' },
        },
      },
    },
  },
};

export interface Party {
  nationalId: string;
  name: LocalText;
}
export interface PowerOfAttorney {
  id: string;
  principal: Party;
  attorney: Party;
  scope: { services: string[]; categories: string[] };
  /** The last day the power holds (YYYY-MM-DD). */
  endDate: string;
  notary: LocalText;
}

const p = (nationalId: string, fa: string, en: string): Party => ({ nationalId, name: { fa, en } });
export const DEMO_POWERS: PowerOfAttorney[] = [
  {
    id: '1402-12-001043',
    principal: p('6789012346', 'محمد صادقی', 'Mohammad Sadeghi'),
    attorney: p('2288990015', 'امیر رضایی', 'Amir Rezaei'),
    scope: { services: [], categories: ['transport-vehicles'] },
    endDate: '2027-12-31',
    notary: { fa: 'دفتر اسناد رسمی شماره ۱۲ تهران', en: 'Notary office No. 12, Tehran' },
  },
  {
    id: '1403-04-000211',
    principal: p('3067543211', 'فاطمه کریمی', 'Fatemeh Karimi'),
    attorney: p('2288990015', 'امیر رضایی', 'Amir Rezaei'),
    scope: { services: ['register-the-sale-of-a-property'], categories: [] },
    endDate: '2027-06-30',
    notary: { fa: 'دفتر اسناد رسمی شماره ۴۸ شیراز', en: 'Notary office No. 48, Shiraz' },
  },
  {
    id: '1401-09-000587',
    principal: p('5123456783', 'نرگس جعفری', 'Narges Jafari'),
    attorney: p('4411223341', 'حسین موسوی', 'Hossein Mousavi'),
    scope: { services: [], categories: ['transport-vehicles'] },
    endDate: '2025-03-20',
    notary: { fa: 'دفتر اسناد رسمی شماره ۷ رشت', en: 'Notary office No. 7, Rasht' },
  },
];

export function startNotaryRegistry(port: number, host = '127.0.0.1', powers: PowerOfAttorney[] = DEMO_POWERS) {
  return startJsonServer(port, host, (req, url) => {
    if (url.pathname !== '/powers') return { status: 404, body: { error: 'not-found', message: 'Use GET /powers?nationalId=&as=' } };
    if (req.method !== 'GET') return { status: 405, body: { error: 'method-not-allowed' } };
    const id = checkNationalId(url.searchParams.get('nationalId') ?? '');
    const as = url.searchParams.get('as');
    if (!id.ok) return { status: 400, body: { error: 'invalid-national-id', reason: id.reason } };
    if (as !== 'attorney' && as !== 'principal') return { status: 400, body: { error: 'invalid-as' } };
    return { status: 200, body: { nationalId: id.value, powers: powers.filter((x) => x[as].nationalId === id.value) } };
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const s = await startNotaryRegistry(Number(process.argv[2] ?? 3104), process.env.HOST ?? '127.0.0.1');
  process.stdout.write(`Demo notary registry on http://127.0.0.1:${s.port}/powers\n`);
}
