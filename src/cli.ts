// `panjereh <command>`: serve, migrate, seed, catalog import/export, config.
import fs from 'node:fs';
import { Command, Option } from 'commander';
import { describeConfig, loadConfig, type Config } from './config.ts';
import { openPrepared, seedDemo, seedIfWanted } from './bootstrap.ts';
import { buildApp } from './server.ts';
import { AppError } from './platform/errors.ts';
import { CatalogService, type ImportSummary } from './modules/catalog/catalog.service.ts';
import { IMPORT_FORMATS, parseCatalogFile } from './modules/catalog/importers/index.ts';
import { agencyToJson, serviceToJson, toPanjerehCsv } from './modules/catalog/importers/panjereh.ts';
import type { DatabaseHandle } from './db/connect.ts';
import { BenchmarkService } from './modules/benchmark/benchmark.service.ts';
import { AuditLog } from './platform/audit.ts';
import { StaffService } from './modules/identity/staff.service.ts';
import type { StaffRole } from './db/schema.ts';
import { clientProblems, SsoRepository } from './modules/sso/sso.repository.ts';
import { SSO_SCOPES } from './modules/sso/sso.provider.ts';
import { documentService, registerDocumentCommands } from './modules/documents/documents.cli.ts';
import { issueDemoDocument } from './modules/documents/documents.demo.ts';

import { importFormText } from './modules/applications/forms.import.ts';
import { ApplicationsService } from './modules/applications/applications.service.ts';
import { LocalDiskStorage } from './platform/storage.ts';
import path from 'node:path';
import { registerExchangeCommands } from './modules/exchange/exchange.cli.ts';
import { startDemoRegistries, startExchange } from './modules/exchange/exchange.runtime.ts';
import { registerMonitorCommands } from './modules/monitoring/monitoring.cli.ts';
import { seedGovstackConformance } from './modules/govstack/govstack.seed.ts';
import { startSandboxBank } from './modules/payments/sandbox/sandbox.server.ts';

const program = new Command('panjereh').description('Panjereh: the national single window for government e-services').showHelpAfterError();

function config(): Config {
  return loadConfig();
}

async function withDatabase<T>(fn: (h: DatabaseHandle, cfg: Config) => Promise<T>): Promise<T> {
  const cfg = config();
  const handle = await openPrepared(cfg);
  try {
    return await fn(handle, cfg);
  } finally {
    await handle.close();
  }
}

function printImportSummary(s: ImportSummary, ms: number, json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify({ ...s, ms }) + '\n');
    return;
  }
  for (const w of s.warnings) process.stdout.write(`warning: line ${w.line}: ${w.reason}\n`);
  for (const r of s.rejected) process.stdout.write(`rejected: line ${r.line}: ${r.reason}\n`);
  process.stdout.write(
    `Imported in ${(ms / 1000).toFixed(1)} s: ${s.agencies} agencies; services ${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged, ${s.rejected.length} rejected; ${s.warnings.length} warnings.\n`,
  );
}

program
  .command('serve')
  .description('Start the web server (migrates, and loads the demo data into an empty database)')
  .action(async () => {
    const cfg = config();
    const handle = await openPrepared(cfg);
    const seeded = await seedIfWanted(cfg, handle);
    const { app, ctx } = await buildApp(cfg, handle);
    await ctx.catalog.index(); // build the search index before the first visitor arrives
    if (seeded) app.log.info({ services: seeded.created, agencies: seeded.agencies }, 'demo catalogue loaded');
    if (seeded) {
      const d = await issueDemoDocument(ctx.documents);
      app.log.info({ code: d.code, check: `/fa/verify/${d.code}` }, 'demo document issued: open /fa/verify/' + d.code);
    }
    // Requests already being handled finish before the database closes (for at most 10 s).
    let inFlight = 0;
    app.addHook('onRequest', (_req, _reply, done) => {
      inFlight++;
      done();
    });
    app.addHook('onResponse', (_req, _reply, done) => {
      inFlight--;
      done();
    });
    // The exchange's own TLS port, and the demo registries it fronts (outside production).
    const exchange = cfg.EXCHANGE_PORT ? await startExchange(ctx, cfg.EXCHANGE_PORT) : null;
    if (exchange) app.log.info({ port: exchange.port, instance: cfg.EXCHANGE_INSTANCE }, 'exchange listening (mutual TLS)');
    const registries = cfg.EXCHANGE_DEMO_REGISTRY_PORT && cfg.SEED_DEMO !== 'never' && cfg.NODE_ENV !== 'production' ? await startDemoRegistries(cfg.EXCHANGE_DEMO_REGISTRY_PORT) : null;
    if (registries) app.log.info({ civilRegistry: registries.civil, shahkar: registries.shahkar }, 'demo registries listening');
    const sandboxBank = cfg.PAYMENTS_GATEWAY === 'sandbox' && cfg.PAYMENTS_SANDBOX_PORT && cfg.NODE_ENV !== 'production' ? await startSandboxBank(cfg.PAYMENTS_SANDBOX_PORT, { terminalId: cfg.PAYMENTS_TERMINAL_ID, terminalKey: cfg.PAYMENTS_TERMINAL_KEY }) : null;
    if (sandboxBank) app.log.info({ port: sandboxBank.port }, 'sandbox bank listening (test cards 6037-9900-0000-0001..4)');
    const stop = async (signal: string) => {
      app.log.info({ signal }, 'shutting down');
      await exchange?.stop();
      await registries?.stop();
      await sandboxBank?.close();
      const closed = app.close();
      for (let waited = 0; inFlight > 0 && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
      await Promise.race([closed, new Promise((r) => setTimeout(r, 1000))]);
      await handle.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
    await app.listen({ port: cfg.PORT, host: cfg.HOST });
    app.log.info({ database: handle.kind }, 'Panjereh is running');
  });

program
  .command('migrate')
  .description('Apply database migrations')
  .action(() => withDatabase(async (h) => void process.stdout.write(`Database (${h.kind}) is at the latest migration.\n`)));

const seed = program.command('seed').description('Load data sets');
seed
  .command('demo')
  .description('Load (or refresh) the demo catalogue of Iranian agencies and services')
  .option('--json', 'print the summary as JSON')
  .action((opts: { json?: boolean }) =>
    withDatabase(async (h, cfg) => {
      const t = Date.now();
      printImportSummary(await seedDemo(h, { registryPort: cfg.EXCHANGE_DEMO_REGISTRY_PORT }), Date.now() - t, !!opts.json);
      if (!opts.json) {
        const d = await issueDemoDocument(documentService(h, config()));
        process.stdout.write(`Demo document issued: ${d.verifyUrl}\n`);
      }
    }),
  );

seed
  .command('un-egov')
  .description('Reload the UN E-Government Survey 2005-2024 (loaded automatically into an empty database)')
  .action(() =>
    withDatabase(async (h) => {
      const r = await new BenchmarkService(h.db).loadShipped();
      process.stdout.write(`Loaded ${r.scores} scores of ${r.countries} countries.\n`);
    }),
  );

seed
  .command('govstack-conformance')
  .description('Load the records GovStack\'s Registration conformance tests expect, and a registration named "MCTS" (running it again changes nothing)')
  .option('--json', 'print the summary as JSON')
  .action((opts: { json?: boolean }) =>
    withDatabase(async (h, cfg) => {
      const catalog = new CatalogService(h.db);
      const audit = new AuditLog(h.db);
      const r = await seedGovstackConformance(h.db, catalog, new ApplicationsService(h.db, catalog, new LocalDiskStorage(path.join(cfg.DATA_DIR, 'files')), audit), audit);
      if (opts.json) process.stdout.write(JSON.stringify(r) + '\n');
      else process.stdout.write(`GovStack conformance data: ${r.services} services, applications ${r.applications.created} created and ${r.applications.existing} already there, ${r.tasks} tasks.\n`);
    }),
  );

const catalog = program.command('catalog').description('The service catalogue');
catalog
  .command('import')
  .description('Import agencies and service cards; re-importing a file updates instead of duplicating')
  .argument('<file>', 'the file to import')
  .addOption(new Option('--format <format>', 'the file format').choices(Object.keys(IMPORT_FORMATS)).makeOptionMandatory())
  .option('--author <name>', 'recorded in each card version', 'cli')
  .option('--json', 'print the summary as JSON')
  .action((file: string, opts: { format: string; author: string; json?: boolean }) =>
    withDatabase(async (h) => {
      if (!fs.existsSync(file)) throw new AppError('IMPORT_FAILED', `There is no file ${file}.`);
      const t = Date.now();
      if (process.stderr.isTTY) process.stderr.write(`Reading ${file} ...\n`);
      const batch = parseCatalogFile(opts.format, fs.readFileSync(file, 'utf8'));
      if (process.stderr.isTTY) process.stderr.write(`Storing ${batch.services.length} services of ${batch.agencies.length} agencies ...\n`);
      const summary = await new CatalogService(h.db).importBatch(batch, `${opts.author}:${opts.format}`);
      printImportSummary(summary, Date.now() - t, !!opts.json);
      if (summary.created + summary.updated + summary.unchanged === 0 && batch.services.length > 0) process.exitCode = 1;
    }),
  );
catalog
  .command('export')
  .description('Export every service card (all statuses) in the format panjereh-csv / panjereh-json reads back')
  .addOption(new Option('--format <format>', 'csv or json').choices(['csv', 'json']).default('csv'))
  .option('--out <file>', 'write to a file instead of standard output')
  .action((opts: { format: 'csv' | 'json'; out?: string }) =>
    withDatabase(async (h) => {
      const { agencies, services } = await new CatalogService(h.db).exportAll();
      const body =
        opts.format === 'csv'
          ? toPanjerehCsv(services, agencies)
          : JSON.stringify({ agencies: agencies.map(agencyToJson), services: services.map(serviceToJson) }, null, 2) + '\n';
      if (opts.out) {
        fs.writeFileSync(opts.out, body);
        process.stderr.write(`Wrote ${services.length} services of ${agencies.length} agencies to ${opts.out}\n`);
      } else process.stdout.write(body);
    }),
  );

const admin = program.command('admin').description('Staff accounts');
admin
  .command('create')
  .description('Create a staff account (the first platform administrator, or any role) and print its one-time setup link')
  .requiredOption('--email <email>', 'the person’s email address')
  .addOption(new Option('--role <role>', 'the role').choices(['platform-admin', 'oversight-analyst', 'agency-admin', 'service-editor', 'operator']).default('platform-admin'))
  .option('--agency <id>', 'the agency, for agency-scoped roles')
  .action((opts: { email: string; role: StaffRole; agency?: string }) =>
    withDatabase(async (h, cfg) => {
      const scoped = !['platform-admin', 'oversight-analyst'].includes(opts.role);
      if (scoped !== !!opts.agency) throw new AppError('VALIDATION_FAILED', scoped ? `--agency is required for the ${opts.role} role.` : `--agency is only for agency roles, not ${opts.role}.`);
      if (opts.agency) await new CatalogService(h.db).getAgency(opts.agency);
      const { token } = await new StaffService(h.db, cfg, new AuditLog(h.db)).invite(opts.email, opts.role, opts.agency ?? null, 'cli');
      const base = cfg.PUBLIC_URL?.replace(/\/$/, '') ?? `http://localhost:${cfg.PORT}`;
      process.stdout.write(`One-time setup link for ${opts.email} (valid 24 hours):\n${base}/en/staff/setup/${token}\n`);
    }),
  );

const oidcCmd = program.command('oidc').description('Single sign-on for agencies’ portals (OpenID Connect)');
const oidcClient = oidcCmd.command('client').description('Relying parties');
oidcClient
  .command('add')
  .description('Register a portal; prints its client id and secret (the secret is shown only now)')
  .requiredOption('--name <name>', 'the portal’s name, shown to citizens on the consent page')
  .requiredOption('--redirect-uri <uri...>', 'allowed redirect URI(s)')
  .option('--scope <scope...>', 'extra scopes it may ask for: national_id, phone', [])
  .option('--post-logout-redirect-uri <uri...>', 'where RP-initiated logout may return', [])
  .action((opts: { name: string; redirectUri: string[]; scope: string[]; postLogoutRedirectUri: string[] }) =>
    withDatabase(async (h, cfg) => {
      const problems = clientProblems(opts.name, [...opts.redirectUri, ...opts.postLogoutRedirectUri], opts.scope, SSO_SCOPES);
      if (problems.length) throw new AppError('VALIDATION_FAILED', problems.join('; '));
      const c = await new SsoRepository(h.db, cfg.SESSION_SECRET!).addClient(opts.name, opts.redirectUri, opts.scope, opts.postLogoutRedirectUri);
      process.stdout.write(`client_id: ${c.clientId}\nclient_secret: ${c.clientSecret}\nscopes: ${c.metadata.scope}\n`);
    }),
  );
oidcCmd
  .command('keys')
  .description('Signing keys')
  .command('rotate')
  .description('Add a new signing key; every node signs with it within SSO_KEYS_REFRESH_MS (no restart), older keys stay published')
  .action(() =>
    withDatabase(async (h, cfg) => {
      const kid = await new SsoRepository(h.db, cfg.SESSION_SECRET!).rotateKey();
      process.stdout.write(`New signing key ${kid}. Restart the app nodes to sign with it.\n`);
    }),
  );

registerDocumentCommands(program, withDatabase);

const audit = program.command('audit').description('The audit log of sign-ins and staff actions');
audit
  .command('verify')
  .description('Check the audit log hash chain; exit code 1 and the first broken entry when it does not hold')
  .action(() =>
    withDatabase(async (h) => {
      const r = await new AuditLog(h.db).verify();
      if (r.ok) process.stdout.write(`Audit log intact: ${r.entries} entries, every link holds.\n`);
      else {
        process.stdout.write(`Audit log broken at entry ${r.seq}: ${r.reason}.\n`);
        process.exitCode = 1;
      }
    }),
  );

const forms = program.command('forms').description('Online application forms (one JSON definition per service version)');
forms
  .command('import')
  .description('Check a form definition file and publish it as the next version of its service\'s form (existing applications keep theirs)')
  .argument('<files...>', 'JSON form definition files (see datasets/demo/forms)')
  .option('--json', 'print a JSON summary')
  .action((files: string[], opts: { json?: boolean }) =>
    withDatabase(async (h, cfg) => {
      const service = new ApplicationsService(h.db, new CatalogService(h.db), new LocalDiskStorage(path.join(cfg.DATA_DIR, 'files')), new AuditLog(h.db));
      const results = [];
      for (const file of files) {
        let text: string;
        try {
          text = fs.readFileSync(file, 'utf8');
        } catch (e) {
          results.push({ file, ok: false, problems: [{ line: 0, path: '', message: (e as Error).message }] });
          continue;
        }
        results.push({ file, ...(await importFormText(service, text, 'cli')) });
      }
      if (opts.json) process.stdout.write(JSON.stringify(results) + '\n');
      else
        for (const r of results) {
          if (r.ok) process.stdout.write(`${r.file}: published ${'slug' in r ? r.slug : ''} version ${'version' in r ? r.version : ''}\n`);
          else for (const p of 'problems' in r ? r.problems : []) process.stdout.write(`${r.file}:${p.line}: ${p.path || '(file)'}: ${p.message}\n`);
        }
      const failed = results.filter((r) => !r.ok).length;
      if (!opts.json) process.stdout.write(`${results.length - failed} published, ${failed} refused.\n`);
      if (failed) process.exitCode = 1;
    }),
  );
registerExchangeCommands(program, withDatabase);
registerMonitorCommands(program, withDatabase, config);

program
  .command('config')
  .description('List every environment variable Panjereh reads')
  .action(() => {
    for (const v of describeConfig()) process.stdout.write(`${v.name.padEnd(26)} ${v.description}\n`);
  });

program.parseAsync(process.argv).catch((e: unknown) => {
  const msg = e instanceof AppError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
  process.stderr.write(`panjereh: ${msg}\n`);
  process.exit(e instanceof AppError && e.code === 'DATABASE_IN_USE' ? 3 : 1);
});
