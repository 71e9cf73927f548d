// Composition of the requests module (issue 15): the citizen-side service, the agency and oversight desk,
// the public statistics and register, and the escalation job. Routes: requests.routes.ts (citizens and
// public) and requests.desk.routes.ts (staff), registered by server.ts.
import type { DatabaseHandle } from '../../db/connect.ts';
import type { LocalText } from '../../db/schema.ts';
import type { AuditLog } from '../../platform/audit.ts';
import type { ApplicationsService } from '../applications/applications.service.ts';
import type { WorkingCalendar } from '../calendar/calendar.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import { RequestsDesk } from './requests.desk.ts';
import { RequestJobs } from './requests.jobs.ts';
import { DEFAULT_OPTIONS, RequestsService, type Clock, type RequestsOptions } from './requests.service.ts';
import { RequestStats } from './requests.stats.ts';

export interface RequestsModule {
  service: RequestsService;
  desk: RequestsDesk;
  stats: RequestStats;
  jobs: RequestJobs;
  /** The module's time: tests replace `clock.now` to move the legal clocks. */
  clock: Clock;
  /** The catalogue's agencies (id and name), kept for a minute: every page names them. */
  agencies(): Promise<{ id: string; name: LocalText }[]>;
}

export function createRequests(
  database: DatabaseHandle,
  deps: { calendar: WorkingCalendar; catalog: CatalogService; applications: ApplicationsService; audit: AuditLog },
  o: {
    publicUrl?: string;
    intervalMs?: number;
    options?: Partial<RequestsOptions>;
    log?: (msg: string, detail?: Record<string, unknown>) => void;
  } = {},
): RequestsModule {
  const clock: Clock = { now: () => new Date() };
  let cached: { at: number; list: Promise<{ id: string; name: LocalText }[]> } | null = null;
  const agencies = () => {
    if (!cached || Date.now() - cached.at > 60_000) {
      const list = deps.catalog.agencies().then((rows) => rows.map((a) => ({ id: a.id, name: a.name })));
      list.catch(() => (cached = null));
      cached = { at: Date.now(), list };
    }
    return cached.list;
  };
  const service = new RequestsService(
    database.db,
    deps.calendar,
    deps.catalog,
    deps.applications,
    deps.audit,
    clock,
    {
      ...DEFAULT_OPTIONS,
      ...o.options,
    },
    o.publicUrl ?? '',
  );
  return {
    service,
    desk: new RequestsDesk(service, deps.catalog, deps.applications),
    stats: new RequestStats(service),
    jobs: new RequestJobs(service, o.intervalMs ?? 300_000, o.log ?? (() => {})),
    clock,
    agencies,
  };
}
