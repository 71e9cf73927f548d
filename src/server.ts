// Assembles the Fastify app from the platform pieces and the feature modules. Nothing else.
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import csrf from '@fastify/csrf-protection';
import { smsGateway } from './platform/sms.ts';
import { IdentityService } from './modules/identity/identity.service.ts';
import { citizenCookie } from './modules/identity/citizen.guard.ts';
import { staffCookie } from './modules/identity/staff.guard.ts';
import { DevelopmentOwnershipChecker } from './modules/identity/mobile-ownership.ts';
import { registerIdentityPages } from './modules/identity/identity.pages.tsx';
import { registerAssuranceRoutes } from './modules/identity/assurance.routes.tsx';
import { registerSessionTimeout } from './modules/identity/session-timeout.tsx';
import { StaffService } from './modules/identity/staff.service.ts';
import { registerStaffPages } from './modules/identity/staff.pages.tsx';
import { registerCatalogEditPages } from './modules/catalog/catalog.edit.tsx';
import { registerSearchAdminPages } from './modules/catalog/search.admin.tsx';
import { registerJourneyAdminPages } from './modules/catalog/journey.admin.tsx';
import { registerStaffAdminPages } from './modules/identity/staff.admin.tsx';
import { registerSso } from './modules/sso/sso.routes.tsx';
import { registerSsoAdminPages } from './modules/sso/sso.admin.tsx';
import { AuditLog } from './platform/audit.ts';
import { emailGateway } from './platform/email.ts';
import type { Config } from './config.ts';
import type { AppContext } from './context.ts';
import type { DatabaseHandle } from './db/connect.ts';
import { genReqId, logSerializers, parseForm, registerErrorHandling, registerInputChecks, registerSecurity } from './platform/http.ts';
import { registerWeb, renderErrorPage } from './web/web.routes.tsx';
import { CatalogService } from './modules/catalog/catalog.service.ts';
import { registerCatalogApi } from './modules/catalog/catalog.routes.ts';
import { registerCatalogPages } from './modules/catalog/catalog.pages.tsx';
import { registerOpenApi } from './modules/apidocs/apidocs.routes.tsx';
import { registerHealth } from './modules/health/health.routes.ts';
import { BenchmarkService } from './modules/benchmark/benchmark.service.ts';
import { registerBenchmarkApi } from './modules/benchmark/benchmark.routes.ts';
import { registerBenchmarkPages } from './modules/benchmark/benchmark.pages.tsx';
import { DocumentKeys } from './modules/documents/documents.keys.ts';
import { DocumentService } from './modules/documents/documents.service.ts';
import { registerDocumentPages } from './modules/documents/documents.routes.tsx';
import { AgencyApiService } from './modules/agencyapi/agencyapi.service.ts';
import { registerAgencyApi } from './modules/agencyapi/agencyapi.routes.ts';
import { registerIntegrationPages } from './modules/agencyapi/agencyapi.admin.tsx';
import { WebhookService } from './modules/webhooks/webhooks.service.ts';
import { WebhookWorker } from './modules/webhooks/webhooks.worker.ts';
import multipart from '@fastify/multipart';
import path from 'node:path';
import { LocalDiskStorage } from './platform/storage.ts';
import { ApplicationsService } from './modules/applications/applications.service.ts';
import { NotificationWorker } from './modules/applications/notifications.ts';
import { ApplicationJobs } from './modules/applications/applications.jobs.ts';
import { BackofficeViews } from './modules/applications/backoffice.views.ts';
import { TrackingViews } from './modules/applications/tracking.views.ts';
import { registerApplications } from './modules/applications/applications.routes.ts';
import { MAX_FILE_BYTES } from './modules/applications/forms.ts';
import { ExchangeService } from './modules/exchange/exchange.service.ts';
import { ExchangeMobileOwnershipChecker } from './modules/exchange/exchange.ownership.ts';
import { registerExchangePages } from './modules/exchange/exchange.routes.tsx';
import { applicationMetrics } from './modules/applications/applications.metrics.ts';
import { exchangeMetrics } from './modules/exchange/exchange.metrics.ts';
import { connectApplications } from './modules/applications/applications.integrations.ts';
import { MonitoringService } from './modules/monitoring/monitoring.service.ts';
import { MonitoringResults } from './modules/monitoring/monitoring.results.ts';
import { MetricRegistry, platformSources } from './modules/monitoring/monitoring.metrics.ts';
import { registerMonitoring } from './modules/monitoring/monitoring.routes.ts';
import { SsoRepository } from './modules/sso/sso.repository.ts';
import { WorkingCalendar } from './modules/calendar/calendar.ts';
import { registerCalendarPages } from './modules/calendar/calendar.admin.tsx';
import { registerGovstack } from './modules/govstack/govstack.routes.ts';
import { createPayments } from './modules/payments/payments.module.ts';
import { registerPayments } from './modules/payments/payments.register.ts';
import { paymentMetrics } from './modules/payments/payments.finance.ts';
import { createRepresentation } from './modules/representation/representation.module.ts';
import { registerRepresentationRoutes } from './modules/representation/representation.routes.ts';
import { createRequests } from './modules/requests/requests.module.ts';
import { registerRequestRoutes } from './modules/requests/requests.routes.ts';
import { registerRequestDeskRoutes } from './modules/requests/requests.desk.routes.ts';
import { createCounter } from './modules/counter/counter.module.ts';
import { registerCounterRoutes } from './modules/counter/counter.routes.ts';
import { registerCounterScope } from './modules/counter/counter.scope.ts';
import { counterMetrics } from './modules/counter/counter.metrics.ts';
import { registerSite } from './modules/site/site.routes.ts';
import { createParticipation } from './modules/participation/participation.module.ts';
import { registerParticipation } from './modules/participation/participation.register.ts';
import { participationMetrics } from './modules/participation/participation.metrics.ts';

export async function buildApp(config: Config, database: DatabaseHandle): Promise<{ app: FastifyInstance; ctx: AppContext }> {
  const app = Fastify({
    logger:
      config.LOG_LEVEL === 'silent'
        ? false
        : { level: config.LOG_LEVEL, serializers: logSerializers, redact: ['req.headers.cookie', 'req.headers.authorization'] },
    genReqId,
    requestIdHeader: false,
    trustProxy: config.TRUST_PROXY,
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 200, ignoreTrailingSlash: true },
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
  });
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  database.setLog?.((msg, detail) => app.log.warn(detail, msg));
  const audit = new AuditLog(database.db, { secret: config.SESSION_SECRET });
  const routes: AppContext['routes'] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) if (method !== 'HEAD') routes.push({ method, url: r.url });
  });
  const webhooks = new WebhookService(database.db, config, audit);
  const catalog = new CatalogService(database.db, config.CATALOG_REFRESH_MS, config.SEARCH_CACHE_SIZE);
  const sms = smsGateway(config);
  const email = emailGateway(config);
  const exchange = new ExchangeService(database.db, config, audit);
  const ownership =
    config.MOBILE_OWNERSHIP_CHECK === 'development'
      ? new DevelopmentOwnershipChecker()
      : new ExchangeMobileOwnershipChecker(exchange, config.EXCHANGE_SHAHKAR_SERVICE);
  const staff = new StaffService(database.db, config, audit);
  const calendar = new WorkingCalendar(database.db);
  const metrics = new MetricRegistry();
  const ssoClients = new SsoRepository(database.db, config.SESSION_SECRET);
  for (const source of platformSources({
    catalog,
    activeAccounts: (at) => staff.activeAccountsByAgency(at),
    ssoClients: () => ssoClients.clients(),
  }))
    metrics.register(source);
  for (const source of applicationMetrics(database.db)) metrics.register(source);
  for (const source of exchangeMetrics(database.db, exchange.rollups, catalog)) metrics.register(source);
  for (const source of paymentMetrics(database.db)) metrics.register(source);
  for (const source of participationMetrics(database.db)) metrics.register(source);
  for (const source of counterMetrics(database.db)) metrics.register(source);
  const monitoring = new MonitoringService(database.db, catalog, audit, metrics, config.MONITORING_EVIDENCE_MAX_BYTES);
  const applications = new ApplicationsService(
    database.db,
    catalog,
    new LocalDiskStorage(path.join(config.DATA_DIR, 'files')),
    audit,
    config.PUBLIC_URL,
    calendar,
  );
  // every module built once, in dependency order, before the context that hands them to the routes
  const log = (msg: string, detail?: Record<string, unknown>) => app.log.warn(detail ?? {}, msg);
  const identity = new IdentityService(database.db, config, sms, ownership, audit);
  const documents = new DocumentService(
    database.db,
    config,
    new DocumentKeys(database.db, config.SESSION_SECRET, config.DOCUMENT_SIGNING_KEY),
    webhooks,
  );
  const payments = createPayments(config, database, applications, audit, documents, log);
  const representation = createRepresentation(database, exchange, applications, audit);
  const participation = createParticipation(database, exchange, applications, audit);
  const requests = createRequests(database, { calendar, catalog, applications, audit }, { log, publicUrl: config.PUBLIC_URL });
  for (const source of requests.stats.metrics()) metrics.register(source);
  const counter = createCounter(database, identity, applications, catalog, audit);
  // identity assurance: the civil registry through the exchange, and a live counter-office session counts as in person
  identity.assurance.connect(exchange, (token) => counter.service.scopeOf(token));
  const { issueRequested } = connectApplications({ applications, webhooks, documents, catalog, log });
  const applicationJobs = new ApplicationJobs(
    database.db,
    applications,
    applications.storage,
    issueRequested,
    {
      intervalSeconds: config.APPLICATION_JOBS_INTERVAL_SECONDS,
      documentGraceSeconds: config.DOCUMENT_SWEEP_AFTER_SECONDS,
      draftRetentionDays: config.DRAFT_RETENTION_DAYS,
    },
    log,
  );
  const ctx: AppContext = {
    exchange,
    audit,
    routes,
    config,
    database,
    catalog,
    benchmark: new BenchmarkService(database.db),
    identity,
    staff,
    email,
    webhooks,
    webhookWorker: new WebhookWorker(database.db, config, app.log),
    documents,
    agencyApi: new AgencyApiService(database.db, audit),
    applications,
    backofficeViews: new BackofficeViews({
      applications,
      backoffice: applications.backoffice,
      catalog,
      staff,
      audit,
      payments: () => payments.payments,
      representation: () => representation.service,
    }),
    trackingViews: new TrackingViews({ applications, catalog, payments: () => payments, representation: () => representation.service }),
    applicationJobs,
    notifications: new NotificationWorker(database.db, sms, email, config.NOTIFICATIONS_POLL_MS, log),
    monitoring,
    monitoringResults: new MonitoringResults(monitoring, catalog, metrics),
    calendar,
    payments,
    representation,
    participation,
    requests,
    counter,
  };
  if (config.APPLICATION_JOBS) {
    app.addHook('onReady', async () => ctx.applicationJobs.start());
    app.addHook('onClose', async () => ctx.applicationJobs.stop());
  }
  if (config.APPLICATION_JOBS) {
    // the same switch as the other periodic work: escalation of overdue citizens' requests
    app.addHook('onReady', async () => ctx.requests.jobs.start());
    app.addHook('onClose', async () => ctx.requests.jobs.stop());
  }
  if (config.WEBHOOK_WORKER) {
    app.addHook('onReady', async () => ctx.webhookWorker.start());
    app.addHook('onClose', async () => ctx.webhookWorker.stop());
  }
  if (config.NOTIFICATIONS_WORKER) {
    app.addHook('onReady', async () => ctx.notifications.start());
    app.addHook('onClose', async () => ctx.notifications.stop());
  }

  await registerSecurity(app, config);
  // Defaults for every Set-Cookie, including the ones that clear a cookie: a __Host- cookie cleared without Secure stays.
  await app.register(cookie, { parseOptions: { path: '/', secure: config.NODE_ENV === 'production' } });
  // Whatever is sent to someone signed in is never stored by a browser or proxy (unless a route made it public, like static files).
  app.addHook('onSend', async (req, reply) => {
    const cc = reply.getHeader('cache-control');
    if ((cc === undefined || cc === 'no-cache') && (req.cookies?.[citizenCookie(ctx)] || req.cookies?.[staffCookie(ctx)]))
      reply.header('cache-control', 'private, no-store');
  });
  await app.register(formbody, { parser: parseForm });
  await app.register(csrf, {
    cookieKey: config.NODE_ENV === 'production' ? '__Host-csrf' : 'csrf',
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: config.NODE_ENV === 'production' },
  });
  // One CSRF secret per response: a page and the session-timeout warning both ask for a token, and on a
  // first visit (no csrf cookie yet) each call would otherwise make its own secret, leaving the page's
  // form with a token for a secret the browser never got.
  app.addHook('onRequest', async (_req, reply) => {
    const generate = reply.generateCsrf.bind(reply);
    let token: string | undefined;
    reply.generateCsrf = (opts) => (token ??= generate(opts));
  });
  registerErrorHandling(app, renderErrorPage);
  registerInputChecks(app);
  await registerOpenApi(app);

  // before every route: an assisted (counter office) session's cookie opens only its one draft
  registerCounterScope(app, ctx, ctx.counter.service);
  registerHealth(app, ctx);
  registerWeb(app, ctx);
  registerCatalogApi(app, ctx);
  registerCatalogPages(app, ctx);
  registerBenchmarkApi(app, ctx);
  registerBenchmarkPages(app, ctx);
  registerIdentityPages(app, ctx);
  registerAssuranceRoutes(app, ctx);
  registerSessionTimeout(app, ctx);
  registerStaffPages(app, ctx);
  registerCatalogEditPages(app, ctx);
  registerSearchAdminPages(app, ctx);
  registerJourneyAdminPages(app, ctx);
  registerStaffAdminPages(app, ctx);
  ctx.sso = await registerSso(app, ctx);
  registerSsoAdminPages(app, ctx);
  await registerDocumentPages(app, ctx);
  registerAgencyApi(app, ctx);
  registerIntegrationPages(app, ctx);
  // Each module that takes files registers multipart in its own scope, with its own limits (here streamed,
  // per-field limits stricter still).
  await app.register(async (scope) => {
    await scope.register(multipart, {
      limits: { fileSize: MAX_FILE_BYTES, files: 5, fields: 50, fieldSize: 100_000, parts: 60, headerPairs: 50 },
    });
    registerApplications(scope, ctx);
  });
  await registerGovstack(app, ctx);
  registerExchangePages(app, ctx);
  app.addHook('onClose', () => exchange.close());
  await registerMonitoring(app, ctx);
  registerCalendarPages(app, ctx);
  registerPayments(app, ctx);
  registerRepresentationRoutes(app, ctx, ctx.representation.service);
  registerParticipation(app, ctx);
  registerRequestRoutes(app, ctx, ctx.requests);
  registerRequestDeskRoutes(app, ctx, ctx.requests);
  registerCounterRoutes(app, ctx, ctx.counter.service);
  registerSite(app, ctx);
  return { app, ctx };
}
