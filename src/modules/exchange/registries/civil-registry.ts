// Demo civil registration service (in Iran: the National Organization for Civil Registration).
// GET /persons/{nationalId} -> the person's registered particulars, or 404. Run alone with
// `node --import tsx src/modules/exchange/registries/civil-registry.ts [port]`.
import { pathToFileURL } from 'node:url';
import { checkNationalId } from '../../../platform/persian.ts';
import { demoPeople, startJsonServer } from './registry-server.ts';

export const civilRegistryOpenApi = {
  openapi: '3.0.3',
  info: { title: 'Civil registry: person by national ID (demo)', version: '1.0.0' },
  paths: {
    '/persons/{nationalId}': {
      get: {
        operationId: 'getPerson',
        parameters: [{ name: 'nationalId', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d{10}$' } }],
        responses: {
          '200': { description: 'The person' },
          '404': { description: 'No person with this national ID' },
          '400': { description: 'Not a valid national ID' },
        },
      },
    },
  },
};

export function startCivilRegistry(port: number, host = '127.0.0.1') {
  const people = new Map(demoPeople().map((p) => [p.nationalId, p]));
  return startJsonServer(port, host, (req, url) => {
    const m = /^\/persons\/([^/]+)$/.exec(url.pathname);
    if (!m) return { status: 404, body: { error: 'not-found', message: 'Use GET /persons/{nationalId}.' } };
    if (req.method !== 'GET') return { status: 405, body: { error: 'method-not-allowed' } };
    const id = checkNationalId(decodeURIComponent(m[1]));
    if (!id.ok) return { status: 400, body: { error: 'invalid-national-id', reason: id.reason } };
    const p = people.get(id.value);
    if (!p) return { status: 404, body: { error: 'not-found', message: 'No person is registered with this national ID.' } };
    const { mobiles: _m, ...particulars } = p;
    return { status: 200, body: particulars };
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const s = await startCivilRegistry(Number(process.argv[2] ?? 3101), process.env.HOST ?? '127.0.0.1');
  process.stdout.write(`Demo civil registry on http://127.0.0.1:${s.port}/persons/{nationalId}\n`);
}
