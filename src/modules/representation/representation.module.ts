// Composition of the representation module (acting for others): the service, and its check hooked into
// the applications service (when the page naming the person is saved, and at submission). The routes:
// representation.routes.ts, registered by server.ts.
import type { DatabaseHandle } from '../../db/connect.ts';
import type { AuditLog } from '../../platform/audit.ts';
import type { ApplicationsService } from '../applications/applications.service.ts';
import type { ExchangeService } from '../exchange/exchange.service.ts';
import { RepresentationService } from './representation.service.ts';

export interface RepresentationModule {
  service: RepresentationService;
}

export function createRepresentation(
  database: DatabaseHandle,
  exchange: ExchangeService,
  applications: ApplicationsService,
  audit: AuditLog,
  o: { timeoutMs?: number } = {},
): RepresentationModule {
  const service = new RepresentationService(database.db, exchange, applications, audit, o);
  applications.setActingForCheck(service.check);
  applications.addEventSink(service.noticeSink);
  return { service };
}
