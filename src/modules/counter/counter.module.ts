// Composition of the counter module (assisted applications at counter offices): the service, its sink in
// the applications service's transactions (the record at submission), and the listener that ends the
// citizen session once the submission is committed. The scope hook and the pages: counter.scope.ts and
// counter.routes.ts, registered by server.ts.
import type { DatabaseHandle } from '../../db/connect.ts';
import type { AuditLog } from '../../platform/audit.ts';
import type { ApplicationsService } from '../applications/applications.service.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import type { IdentityService } from '../identity/identity.service.ts';
import { CounterService } from './counter.service.ts';

export interface CounterModule {
  service: CounterService;
}

export function createCounter(
  database: DatabaseHandle,
  identity: IdentityService,
  applications: ApplicationsService,
  catalog: CatalogService,
  audit: AuditLog,
): CounterModule {
  const service = new CounterService(database.db, identity, applications, catalog, audit);
  applications.addEventSink(service.onEvents);
  applications.onEvent(async ({ event, application }) => {
    if (event.type === 'submitted') await service.afterSubmitted(application.id);
  });
  return { service };
}
