// Assembles the Fastify app from the platform pieces and the feature modules. Nothing else.
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import csrf from '@fastify/csrf-protection';
import { smsGateway } from './platform/sms.ts';
import { IdentityService } from './modules/identity/identity.service.ts';
import { DevelopmentOwnershipChecker } from './modules/identity/mobile-ownership.ts';
import { registerIdentityPages } from './modules/identity/identity.pages.tsx';
import { StaffService } from './modules/identity/staff.service.ts';
import { registerStaffPages } from './modules/identity/staff.pages.tsx';
import { registerCatalogEditPages } from './modules/catalog/catalog.edit.tsx';
import { registerStaffAdminPages } from './modules/identity/staff.admin.tsx';
import { registerSso } from './modules/sso/sso.routes.tsx';
import { registerSsoAdminPages } from './modules/sso/sso.admin.tsx';
import { AuditLog } from './platform/audit.ts';
import { emailGateway, type EmailGateway } from './platform/email.ts';
import type { Config } from './config.ts';
import type { DatabaseHandle } from './db/connect.ts';
import { genReqId, logSerializers, registerErrorHandling, registerSecurity } from './platform/http.ts';
import { registerWeb, renderErrorPage } from './web/web.routes.tsx';
import { CatalogService } from './modules/catalog/catalog.service.ts';
import { registerCatalogApi } from './modules/catalog/catalog.routes.ts';
import { registerCatalogPages } from './modules/catalog/catalog.pages.tsx';
import { registerOpenApi } from './modules/apidocs/apidocs.routes.tsx';
import { registerHealth } from './modules/health/health.routes.ts';
import { BenchmarkService } from './modules/benchmark/benchmark.service.ts';
import { registerBenchmarkApi } from './modules/benchmark/benchmark.routes.ts';
import { registerBenchmarkPages } from './modules/benchmark/benchmark.pages.tsx';
import { MonitoringService } from './modules/monitoring/monitoring.service.ts';
import { MonitoringResults } from './modules/monitoring/monitoring.results.ts';
import { MetricRegistry, platformSources } from './modules/monitoring/monitoring.metrics.ts';
import { registerMonitoring } from './modules/monitoring/monitoring.routes.ts';
import { SsoRepository } from './modules/sso/sso.repository.ts';

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
  /** Monitoring and evaluation rounds; ctx.monitoring.metrics is where data sources register (MetricSource). */
  monitoring: MonitoringService;
  monitoringResults: MonitoringResults;
}

export async function buildApp(config: Config, database: DatabaseHandle): Promise<{ app: FastifyInstance; ctx: AppContext }> {
  const app = Fastify({
    logger: config.LOG_LEVEL === 'silent' ? false : { level: config.LOG_LEVEL, serializers: logSerializers, redact: ['req.headers.cookie', 'req.headers.authorization'] },
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

  const audit = new AuditLog(database.db);
  const catalog = new CatalogService(database.db, config.CATALOG_REFRESH_MS, config.SEARCH_CACHE_SIZE);
  const staff = new StaffService(database.db, config, audit);
  const metrics = new MetricRegistry();
  const ssoClients = new SsoRepository(database.db, config.SESSION_SECRET!);
  for (const source of platformSources({ catalog, activeAccounts: (at) => staff.activeAccountsByAgency(at), ssoClients: () => ssoClients.clients() })) metrics.register(source);
  const monitoring = new MonitoringService(database.db, catalog, audit, metrics, config.MONITORING_EVIDENCE_MAX_BYTES);
  const ctx: AppContext = {
    audit,
    config,
    database,
    catalog,
    benchmark: new BenchmarkService(database.db),
    identity: new IdentityService(database.db, config, smsGateway(config), new DevelopmentOwnershipChecker(), audit),
    staff,
    email: emailGateway(config),
    monitoring,
    monitoringResults: new MonitoringResults(monitoring, catalog, metrics),
  };

  await registerSecurity(app, config);
  await app.register(cookie);
  await app.register(formbody);
  await app.register(csrf, { cookieKey: config.NODE_ENV === 'production' ? '__Host-csrf' : 'csrf', cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: config.NODE_ENV === 'production' } });
  registerErrorHandling(app, renderErrorPage);
  await registerOpenApi(app);

  registerHealth(app, ctx);
  registerWeb(app, ctx);
  registerCatalogApi(app, ctx);
  registerCatalogPages(app, ctx);
  registerBenchmarkApi(app, ctx);
  registerBenchmarkPages(app, ctx);
  registerIdentityPages(app, ctx);
  registerStaffPages(app, ctx);
  registerCatalogEditPages(app, ctx);
  registerStaffAdminPages(app, ctx);
  await registerSso(app, ctx);
  registerSsoAdminPages(app, ctx);
  await registerMonitoring(app, ctx);
  return { app, ctx };
}
