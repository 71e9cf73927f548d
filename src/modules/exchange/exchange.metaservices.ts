// X-Road REST metaservices (pr-mrest): listClients, listMethods, allowedMethods, getOpenAPI,
// answered from the registry in the shapes X-Road's security server returns.
import type { ExchangeService, Registry } from './exchange.service.ts';
import { matchMethod, matchPath } from './exchange.schema.ts';

export function listClients(reg: Registry, instance: string) {
  const member: unknown[] = [];
  for (const m of reg.members.values()) {
    member.push({
      id: { member_class: m.member_class, member_code: m.member_code, object_type: 'MEMBER', xroad_instance: instance },
      name: m.name.en ?? m.name.fa ?? m.id,
    });
    for (const s of reg.subsystems.values()) {
      if (s.member_id === m.id)
        member.push({
          id: {
            member_class: m.member_class,
            member_code: m.member_code,
            subsystem_code: s.subsystem_code,
            object_type: 'SUBSYSTEM',
            xroad_instance: instance,
          },
          name: m.name.en ?? m.name.fa ?? m.id,
        });
    }
  }
  return { member };
}

/** listMethods (clientId null) or allowedMethods (only what this client may call). */
export function listMethods(
  ex: ExchangeService,
  reg: Registry,
  instance: string,
  subsystemId: string,
  clientId: string | null,
): { body: unknown; contentType?: string } {
  const [cls, code, sub] = subsystemId.split('/');
  const service: unknown[] = [];
  for (const svc of reg.services.values()) {
    if (svc.subsystem_id !== subsystemId) continue;
    let endpoints = ex.endpoints(svc);
    if (clientId) {
      const grants = ex.grantsFor(reg, clientId, svc.id);
      if (!grants.length) continue;
      const whole = grants.some((g) => g.method === '*' && g.path === '/**');
      if (!whole) {
        // Endpoints described in OpenAPI that a grant covers, plus each grant's own pattern.
        const covered = endpoints.filter((e) => grants.some((g) => matchMethod(g.method, e.method) && matchPath(g.path, e.path)));
        const own = grants.map((g) => ({ method: g.method, path: g.path }));
        endpoints = [...covered, ...own.filter((o) => !covered.some((c) => c.method === o.method && c.path === o.path))];
      }
    }
    service.push({
      member_class: cls,
      member_code: code,
      object_type: 'SERVICE',
      service_code: svc.service_code,
      service_type: svc.openapi ? 'OPENAPI' : 'REST',
      subsystem_code: sub,
      xroad_instance: instance,
      endpoint_list: endpoints,
    });
  }
  return { body: { service } };
}

export function getOpenApi(
  reg: Registry,
  subsystemId: string,
  serviceCode: string | null,
): { body: unknown; contentType?: string } | { error: string } {
  if (!serviceCode) return { error: 'getOpenAPI needs the query parameter serviceCode.' };
  const svc = reg.services.get(`${subsystemId}/${serviceCode}`);
  if (!svc) return { error: `Unknown service: ${subsystemId}/${serviceCode}` };
  if (!svc.openapi) return { error: `The service ${serviceCode} has no OpenAPI description.` };
  return { body: svc.openapi, contentType: 'application/json; charset=utf-8' };
}
