// The context the composition root (server.ts) hands to the modules' route registrations. Types only:
// it lives apart from server.ts so that modules depend on this shape, not on the file that imports them all.
import type { AgencyApiService } from './modules/agencyapi/agencyapi.service.ts';
import type { ApplicationJobs } from './modules/applications/applications.jobs.ts';
import type { ApplicationsService } from './modules/applications/applications.service.ts';
import type { BackofficeViews } from './modules/applications/backoffice.views.ts';
import type { TrackingViews } from './modules/applications/tracking.views.ts';
import type { AuditLog } from './platform/audit.ts';
import type { BenchmarkService } from './modules/benchmark/benchmark.service.ts';
import type { CatalogService } from './modules/catalog/catalog.service.ts';
import type { Config } from './config.ts';
import type { DatabaseHandle } from './db/connect.ts';
import type { DocumentService } from './modules/documents/documents.service.ts';
import type { EmailGateway } from './platform/email.ts';
import type { ExchangeService } from './modules/exchange/exchange.service.ts';
import type { IdentityService } from './modules/identity/identity.service.ts';
import type { MonitoringResults } from './modules/monitoring/monitoring.results.ts';
import type { MonitoringService } from './modules/monitoring/monitoring.service.ts';
import type { NotificationWorker } from './modules/applications/notifications.ts';
import type { ProviderHolder } from './modules/sso/sso.holder.ts';
import type { StaffService } from './modules/identity/staff.service.ts';
import type { WebhookService } from './modules/webhooks/webhooks.service.ts';
import type { WebhookWorker } from './modules/webhooks/webhooks.worker.ts';
import type { WorkingCalendar } from './modules/calendar/calendar.ts';
import type { PaymentsModule } from './modules/payments/payments.module.ts';
import type { RepresentationModule } from './modules/representation/representation.module.ts';
import type { ParticipationModule } from './modules/participation/participation.module.ts';
import type { RequestsModule } from './modules/requests/requests.module.ts';
import type { CounterModule } from './modules/counter/counter.module.ts';

export interface AppContext {
  config: Config;
  database: DatabaseHandle;
  catalog: CatalogService;
  benchmark: BenchmarkService;
  identity: IdentityService;
  staff: StaffService;
  email: EmailGateway;
  /** The one hash-chained audit log every module records staff and sign-in actions in. */
  audit: AuditLog;
  /** The OpenID Connect provider of the moment (set once the routes are registered). */
  sso?: ProviderHolder;
  /** Every route the app serves (method and URL pattern), for the authorization test and API docs. */
  routes: { method: string; url: string }[];
  /** Signed result documents: issue, verify, revoke. */
  documents: DocumentService;
  /** Agency API keys with scopes. */
  agencyApi: AgencyApiService;
  /** Webhook endpoints and the event outbox (emit inside your transaction). */
  webhooks: WebhookService;
  webhookWorker: WebhookWorker;
  /** Online applications, the e-box and ratings. */
  applications: ApplicationsService;
  /** What the back office's pages show (queue, statistics, one application) and its actions, one method per page. */
  backofficeViews: BackofficeViews;
  /** What the citizen's "where is my application?" pages show, one method per page. */
  trackingViews: TrackingViews;
  /** The document sweeper and the draft clean-up (started with the server when APPLICATION_JOBS is on). */
  applicationJobs: ApplicationJobs;
  /** Sends queued SMS and email notifications (started with the server when NOTIFICATIONS_WORKER is on). */
  notifications: NotificationWorker;
  /** The exchange between agencies (registry, CA, message log; `exchange.call()` to consume services). */
  exchange: ExchangeService;
  /** Monitoring and evaluation rounds; ctx.monitoring.metrics is where data sources register (MetricSource). */
  monitoring: MonitoringService;
  monitoringResults: MonitoringResults;
  /** Working days in Iran (weekends, fixed and announced holidays) for deadlines. */
  calendar: WorkingCalendar;
  /** Payments: card (gateway), bills and the P2G API, refunds, reconciliation. */
  payments: PaymentsModule;
  /** Acting for others: who may apply for whom (a parent or guardian for their minor child), checked with the civil registry. */
  representation: RepresentationModule;
  /** Participation: processes, consultations on texts, comments, proposals, polls, outcome reports. */
  participation: ParticipationModule;
  /** Citizens' requests: complaints, public demands and freedom-of-information requests (issue 15). */
  requests: RequestsModule;
  /** Counter offices: assisted applications for walk-in citizens, with the citizen's SMS consent code. */
  counter: CounterModule;
}
