// Demo civil registration service (in Iran: the National Organization for Civil Registration).
// GET /persons/{nationalId} -> the person's registered particulars, or 404.
// GET /persons/{nationalId}/children -> the person's children and wards (under a guardianship the court
// gave them), each with the relation and the birth date, so the asker can tell a minor (404: no such person).
// GET /persons/{nationalId}/card-check?serial=S -> {nationalId, match}: whether S is the serial of the
// person's national smart card; the serial itself is never returned (the identity step-up's secret factor).
// Run alone with
// `node --import tsx src/modules/exchange/registries/civil-registry.ts [port]`.
import { pathToFileURL } from 'node:url';
import { checkNationalId } from '../../../platform/persian.ts';
import type { LocalText } from '../../../db/schema.ts';
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
    '/persons/{nationalId}/card-check': {
      get: {
        operationId: 'checkCardSerial',
        parameters: [
          { name: 'nationalId', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d{10}$' } },
          { name: 'serial', in: 'query', required: true, schema: { type: 'string', maxLength: 20 } },
        ],
        responses: {
          '200': { description: "{nationalId, match: boolean}: whether the serial is that of the person's national card" },
          '404': { description: 'No person with this national ID' },
          '400': { description: 'Not a valid national ID' },
        },
      },
    },
    '/persons/{nationalId}/children': {
      get: {
        operationId: 'getChildrenAndWards',
        parameters: [{ name: 'nationalId', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d{10}$' } }],
        responses: {
          '200': {
            description: '{nationalId, children: [{nationalId, relation: "child" | "ward", firstName, lastName, birthDate, alive}]}',
          },
          '404': { description: 'No person with this national ID' },
          '400': { description: 'Not a valid national ID' },
        },
      },
    },
  },
};

/** A child or ward as the registry answers it (what the asker needs to decide, nothing more). */
export interface RegistryRelation {
  nationalId: string;
  relation: 'child' | 'ward';
  firstName: LocalText;
  lastName: LocalText;
  birthDate: string;
  alive: boolean;
}

/** A card serial as compared: Persian/Arabic digits as Latin, upper case, no spaces or dashes. */
export function cardSerialKey(s: string): string {
  return s
    .replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\s-]/g, '')
    .toUpperCase()
    .slice(0, 20);
}

export function startCivilRegistry(port: number, host = '127.0.0.1') {
  const people = new Map(demoPeople().map((p) => [p.nationalId, p]));
  return startJsonServer(port, host, (req, url) => {
    const m = /^\/persons\/([^/]+)(\/children|\/card-check)?$/.exec(url.pathname);
    if (!m)
      return { status: 404, body: { error: 'not-found', message: 'Use GET /persons/{nationalId} or /persons/{nationalId}/children.' } };
    if (req.method !== 'GET') return { status: 405, body: { error: 'method-not-allowed' } };
    const id = checkNationalId(decodeURIComponent(m[1]));
    if (!id.ok) return { status: 400, body: { error: 'invalid-national-id', reason: id.reason } };
    const p = people.get(id.value);
    if (!p) return { status: 404, body: { error: 'not-found', message: 'No person is registered with this national ID.' } };
    if (m[2] === '/card-check') {
      const serial = cardSerialKey(url.searchParams.get('serial') ?? '');
      return { status: 200, body: { nationalId: p.nationalId, match: !!serial && serial === cardSerialKey(p.cardSerial) } };
    }
    if (m[2]) {
      const children: RegistryRelation[] = [];
      for (const c of people.values()) {
        const relation = c.parents?.includes(p.nationalId) ? 'child' : c.guardians?.includes(p.nationalId) ? 'ward' : null;
        if (relation)
          children.push({
            nationalId: c.nationalId,
            relation,
            firstName: c.firstName,
            lastName: c.lastName,
            birthDate: c.birthDate,
            alive: c.alive,
          });
      }
      return { status: 200, body: { nationalId: p.nationalId, children } };
    }
    const { mobiles: _m, parents: _p, guardians: _g, cardSerial: _s, ...particulars } = p;
    return { status: 200, body: particulars };
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const s = await startCivilRegistry(Number(process.argv[2] ?? 3101), process.env.HOST ?? '127.0.0.1');
  process.stdout.write(`Demo civil registry on http://127.0.0.1:${s.port}/persons/{nationalId}\n`);
}
