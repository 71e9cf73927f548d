// Demo mobile-ownership service ("Shahkar", run in Iran by the Communications Regulatory Authority).
// GET /ownership?nationalId=..&mobile=.. -> { match: true|false }. Run alone with
// `node --import tsx src/modules/exchange/registries/shahkar.ts [port]`.
import { pathToFileURL } from 'node:url';
import { checkNationalId } from '../../../platform/persian.ts';
import { demoPeople, startJsonServer } from './registry-server.ts';

export const shahkarOpenApi = {
  openapi: '3.0.3',
  info: { title: 'Shahkar: is this mobile number registered to this national ID? (demo)', version: '1.0.0' },
  paths: {
    '/ownership': {
      get: {
        operationId: 'checkOwnership',
        parameters: [
          { name: 'nationalId', in: 'query', required: true, schema: { type: 'string' } },
          { name: 'mobile', in: 'query', required: true, schema: { type: 'string', pattern: '^09\\d{9}$' } },
        ],
        responses: { '200': { description: '{ "match": boolean }' }, '400': { description: 'A parameter is not valid' } },
      },
    },
  },
};

export function startShahkar(port: number, host = '127.0.0.1') {
  const owners = new Map<string, string>();
  for (const p of demoPeople()) for (const m of p.mobiles) owners.set(m, p.nationalId);
  return startJsonServer(port, host, (req, url) => {
    if (url.pathname !== '/ownership')
      return { status: 404, body: { error: 'not-found', message: 'Use GET /ownership?nationalId=&mobile=' } };
    if (req.method !== 'GET') return { status: 405, body: { error: 'method-not-allowed' } };
    const id = checkNationalId(url.searchParams.get('nationalId') ?? '');
    const mobile = url.searchParams.get('mobile') ?? '';
    if (!id.ok) return { status: 400, body: { error: 'invalid-national-id', reason: id.reason } };
    if (!/^09\d{9}$/.test(mobile)) return { status: 400, body: { error: 'invalid-mobile' } };
    // Numbers the demo registry does not know follow the development rule (…9999 is someone else's),
    // so people signing in to the demo with any number still get in.
    const owner = owners.get(mobile);
    const match = owner ? owner === id.value : !mobile.endsWith('9999');
    return { status: 200, body: { nationalId: id.value, mobile, match } };
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const s = await startShahkar(Number(process.argv[2] ?? 3102), process.env.HOST ?? '127.0.0.1');
  process.stdout.write(`Demo Shahkar on http://127.0.0.1:${s.port}/ownership\n`);
}
