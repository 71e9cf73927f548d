// `panjereh <command>`: serve, migrate, seed, catalog import/export, config.
// Start-up stays cheap: this file imports only commander, the config schema, the error type and the
// catalog's file parsers (their names are the choices of --format); every command loads what it needs
// inside its action, and the modules' command groups (documents, apikey, exchange, monitor) are registered
// only when their noun is on the command line (all of them for help and unknown commands).
// `panjereh config` therefore never loads the app, the database drivers or oidc-provider.
import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { checkProductionConfig, describeConfig, loadConfig, type Config } from './config.ts';
import { AppError } from './platform/errors.ts';
import { IMPORT_FORMATS } from './modules/catalog/importers/index.ts';
import type { ImportSummary } from './modules/catalog/catalog.service.ts';
import type { DatabaseHandle } from './db/connect.ts';
import type { StaffRole } from './db/schema.ts';

const program = new Command('panjereh').description('Panjereh: the national single window for government e-services').showHelpAfterError();

function config(): Config {
  return loadConfig();
}

async function withDatabase<T>(fn: (h: DatabaseHandle, cfg: Config) => Promise<T>): Promise<T> {
  const cfg = config();
  const { openPrepared } = await import('./bootstrap.ts');
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
    const [{ openPrepared, seedIfWanted }, { buildApp }, { issueDemoDocument }, { startDemoRegistries, startExchange }, { guardProcess }] =
      await Promise.all([
        import('./bootstrap.ts'),
        import('./server.ts'),
        import('./modules/documents/documents.demo.ts'),
        import('./modules/exchange/exchange.runtime.ts'),
        import('./platform/process-guard.ts'),
      ]);
    const handle = await openPrepared(cfg);
    const seeded = await seedIfWanted(cfg, handle);
    const { app, ctx } = await buildApp(cfg, handle);
    guardProcess(app.log);
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
    ctx.audit.start(cfg.AUDIT_LOG_SIGN_MS, (msg, detail) => app.log.warn(detail ?? {}, msg));
    const exchange = cfg.EXCHANGE_PORT ? await startExchange(ctx, cfg.EXCHANGE_PORT, cfg.EXCHANGE_HOST, app.log) : null;
    if (exchange) app.log.info({ port: exchange.port, instance: cfg.EXCHANGE_INSTANCE }, 'exchange listening (mutual TLS)');
    const registries =
      cfg.EXCHANGE_DEMO_REGISTRY_PORT && cfg.SEED_DEMO !== 'never' && cfg.NODE_ENV !== 'production'
        ? await startDemoRegistries(cfg.EXCHANGE_DEMO_REGISTRY_PORT)
        : null;
    if (registries) app.log.info({ civilRegistry: registries.civil, shahkar: registries.shahkar }, 'demo registries listening');
    const sandboxBank =
      cfg.PAYMENTS_GATEWAY === 'sandbox' && cfg.PAYMENTS_SANDBOX_PORT && cfg.NODE_ENV !== 'production'
        ? await (
            await import('./modules/payments/sandbox/sandbox.server.ts')
          ).startSandboxBank(cfg.PAYMENTS_SANDBOX_PORT, { terminalId: cfg.PAYMENTS_TERMINAL_ID, terminalKey: cfg.PAYMENTS_TERMINAL_KEY })
        : null;
    if (sandboxBank) app.log.info({ port: sandboxBank.port }, 'sandbox bank listening (test cards 6037-9900-0000-0001..4)');
    const stop = async (signal: string) => {
      app.log.info({ signal }, 'shutting down');
      await exchange?.stop();
      await registries?.stop();
      await sandboxBank?.close();
      const closed = app.close();
      for (let waited = 0; inFlight > 0 && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
      await Promise.race([closed, new Promise((r) => setTimeout(r, 1000))]);
      await ctx.audit.stop().catch((e: unknown) => app.log.error({ err: e }, 'signing the audit log failed'));
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
  .action((opts: { json?: boolean }) => {
    if (config().NODE_ENV === 'production')
      throw new AppError(
        'VALIDATION_FAILED',
        'The demo data (catalogue, exchange members, monitoring round, a demo document) is not loaded in production.',
      );
    return withDatabase(async (h, cfg) => {
      const [{ seedDemo }, { issueDemoDocument }, { documentService }] = await Promise.all([
        import('./bootstrap.ts'),
        import('./modules/documents/documents.demo.ts'),
        import('./modules/documents/documents.cli.ts'),
      ]);
      const t = Date.now();
      printImportSummary(await seedDemo(h, { registryPort: cfg.EXCHANGE_DEMO_REGISTRY_PORT }), Date.now() - t, !!opts.json);
      if (!opts.json) {
        const d = await issueDemoDocument(documentService(h, config()));
        process.stdout.write(`Demo document issued: ${d.verifyUrl}\n`);
      }
    });
  });

seed
  .command('un-egov')
  .description('Reload the UN E-Government Survey 2005-2024 (loaded automatically into an empty database)')
  .action(() =>
    withDatabase(async (h) => {
      const { BenchmarkService } = await import('./modules/benchmark/benchmark.service.ts');
      const r = await new BenchmarkService(h.db).loadShipped();
      process.stdout.write(`Loaded ${r.scores} scores of ${r.countries} countries.\n`);
    }),
  );

seed
  .command('govstack-conformance')
  .description(
    'Load the records GovStack\'s Registration conformance tests expect, and a registration named "MCTS" (running it again changes nothing)',
  )
  .option('--json', 'print the summary as JSON')
  .action((opts: { json?: boolean }) =>
    withDatabase(async (h, cfg) => {
      const [{ CatalogService }, { AuditLog }, { ApplicationsService }, { LocalDiskStorage }, { seedGovstackConformance }] =
        await Promise.all([
          import('./modules/catalog/catalog.service.ts'),
          import('./platform/audit.ts'),
          import('./modules/applications/applications.service.ts'),
          import('./platform/storage.ts'),
          import('./modules/govstack/govstack.seed.ts'),
        ]);
      const catalog = new CatalogService(h.db);
      const audit = new AuditLog(h.db);
      const r = await seedGovstackConformance(
        h.db,
        catalog,
        new ApplicationsService(h.db, catalog, new LocalDiskStorage(path.join(cfg.DATA_DIR, 'files')), audit, cfg.PUBLIC_URL),
        audit,
      );
      if (opts.json) process.stdout.write(JSON.stringify(r) + '\n');
      else
        process.stdout.write(
          `GovStack conformance data: ${r.services} services, applications ${r.applications.created} created and ${r.applications.existing} already there, ${r.tasks} tasks.\n`,
        );
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
      const [{ CatalogService }, { parseCatalogFile }] = await Promise.all([
        import('./modules/catalog/catalog.service.ts'),
        import('./modules/catalog/importers/index.ts'),
      ]);
      const batch = parseCatalogFile(opts.format, fs.readFileSync(file, 'utf8'));
      if (process.stderr.isTTY)
        process.stderr.write(`Storing ${batch.services.length} services of ${batch.agencies.length} agencies ...\n`);
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
      const [{ CatalogService }, { agencyToJson, serviceToJson, toPanjerehCsv }] = await Promise.all([
        import('./modules/catalog/catalog.service.ts'),
        import('./modules/catalog/importers/panjereh.ts'),
      ]);
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
  .addOption(
    new Option('--role <role>', 'the role')
      .choices(['platform-admin', 'oversight-analyst', 'agency-admin', 'service-editor', 'operator'])
      .default('platform-admin'),
  )
  .option('--agency <id>', 'the agency, for agency-scoped roles')
  .action((opts: { email: string; role: StaffRole; agency?: string }) =>
    withDatabase(async (h, cfg) => {
      const scoped = !['platform-admin', 'oversight-analyst'].includes(opts.role);
      if (scoped !== !!opts.agency)
        throw new AppError(
          'VALIDATION_FAILED',
          scoped ? `--agency is required for the ${opts.role} role.` : `--agency is only for agency roles, not ${opts.role}.`,
        );
      const [{ CatalogService }, { StaffService }, { AuditLog }] = await Promise.all([
        import('./modules/catalog/catalog.service.ts'),
        import('./modules/identity/staff.service.ts'),
        import('./platform/audit.ts'),
      ]);
      if (opts.agency) await new CatalogService(h.db).getAgency(opts.agency);
      const { token } = await new StaffService(h.db, cfg, new AuditLog(h.db)).invite(opts.email, opts.role, opts.agency ?? null, 'cli');
      process.stdout.write(`One-time setup link for ${opts.email} (valid 24 hours):\n${cfg.PUBLIC_URL}/en/staff/setup/${token}\n`);
    }),
  );

admin
  .command('reset-authenticator')
  .description(
    'For someone who lost their authenticator app and recovery codes (for example the only platform administrator): the old app and codes stop working, every session ends, and a one-time link to set up a new app (valid 24 hours, asks for the current password) is printed',
  )
  .requiredOption('--email <email>', 'the person’s email address')
  .action((opts: { email: string }) =>
    withDatabase(async (h, cfg) => {
      const [{ StaffService }, { AuditLog }] = await Promise.all([
        import('./modules/identity/staff.service.ts'),
        import('./platform/audit.ts'),
      ]);
      const staff = new StaffService(h.db, cfg, new AuditLog(h.db));
      const target = (await staff.listAll()).find((s) => s.email === opts.email.trim().toLowerCase());
      if (!target) throw new AppError('NOT_FOUND', `There is no staff account ${opts.email}.`);
      const token = await staff.resetAuthenticator(target, null);
      const base = cfg.PUBLIC_URL?.replace(/\/$/, '') ?? `http://localhost:${cfg.PORT}`;
      process.stdout.write(
        `One-time link for ${target.email} to set up a new authenticator (valid 24 hours):\n${base}/en/staff/authenticator/${token}\n`,
      );
    }),
  );

const counterCmd = program.command('counter').description('Government counter offices (assisted applications)');
counterCmd
  .command('add-operator')
  .description("Create a counter operator's account attached to one office and print its one-time setup link")
  .requiredOption('--email <email>', 'the person’s email address')
  .requiredOption('--office <code>', 'the office code (see /en/staff/counter/offices; the demo has 11020304)')
  .action((opts: { email: string; office: string }) =>
    withDatabase(async (h, cfg) => {
      const { addCounterOperator } = await import('./modules/counter/counter.cli.ts');
      const token = await addCounterOperator(h.db, cfg, opts.email, opts.office);
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
      const [{ clientProblems, SsoRepository }, { SSO_SCOPES }] = await Promise.all([
        import('./modules/sso/sso.repository.ts'),
        import('./modules/sso/sso.provider.ts'),
      ]);
      const problems = clientProblems(opts.name, [...opts.redirectUri, ...opts.postLogoutRedirectUri], opts.scope, SSO_SCOPES);
      if (problems.length) throw new AppError('VALIDATION_FAILED', problems.join('; '));
      const c = await new SsoRepository(h.db, cfg.SESSION_SECRET).addClient(
        opts.name,
        opts.redirectUri,
        opts.scope,
        opts.postLogoutRedirectUri,
      );
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
      const { SsoRepository } = await import('./modules/sso/sso.repository.ts');
      const kid = await new SsoRepository(h.db, cfg.SESSION_SECRET).rotateKey();
      process.stdout.write(`New signing key ${kid}. Restart the app nodes to sign with it.\n`);
    }),
  );

const audit = program.command('audit').description('The audit log of sign-ins and staff actions');
audit
  .command('verify')
  .description(
    'Check the audit log: the hash chain and the signed batches. Exit code 1 naming the first broken entry or batch (altered, removed, inserted, rewritten, a removed tail, a bad signature)',
  )
  .option('--json', 'print the result as JSON')
  .action((opts: { json?: boolean }) =>
    withDatabase(async (h) => {
      const { AuditLog } = await import('./platform/audit.ts');
      const t = Date.now();
      const tty = process.stderr.isTTY && !opts.json;
      const r = await new AuditLog(h.db).inspect({
        onProgress: tty ? (seq) => process.stderr.write(`\rchecked up to entry ${seq}`) : undefined,
      });
      if (tty) process.stderr.write('\n');
      if (opts.json) process.stdout.write(JSON.stringify({ ...r, ms: Date.now() - t }) + '\n');
      else if (r.ok)
        process.stdout.write(
          `Audit log intact: ${r.entries} entries, every link holds; ${r.batches} signed batches, ${r.unsignedTail} entries not yet signed${r.head ? `; head entry ${r.head.seq} ${r.head.hash}` : ''} (${Date.now() - t} ms).\n`,
        );
      else
        process.stdout.write(
          `Audit log broken at entry ${r.seq ?? '-'}${r.batch ? ` (batch ${r.batch})` : ''}: ${r.reason}. ${r.entries} entries before it verified.\n`,
        );
      if (!r.ok) process.exitCode = 1;
    }),
  );
audit
  .command('sign')
  .description('Sign the audit-log entries not yet in a signed batch (the server does this every AUDIT_LOG_SIGN_MS and on shutdown)')
  .action(() =>
    withDatabase(async (h, cfg) => {
      const { AuditLog } = await import('./platform/audit.ts');
      const b = await new AuditLog(h.db, { secret: cfg.SESSION_SECRET }).signPending();
      process.stdout.write(
        b ? `Signed ${b.entries} entries (${b.from}-${b.to}) in ${b.batches} batch${b.batches === 1 ? '' : 'es'}.\n` : 'Nothing to sign.\n',
      );
    }),
  );

const forms = program.command('forms').description('Online application forms (one JSON definition per service version)');
forms
  .command('import')
  .description("Check a form definition file and publish it as the next version of its service's form (existing applications keep theirs)")
  .argument('<files...>', 'JSON form definition files (see datasets/demo/forms)')
  .option('--json', 'print a JSON summary')
  .action((files: string[], opts: { json?: boolean }) =>
    withDatabase(async (h, cfg) => {
      const [{ ApplicationsService }, { CatalogService }, { LocalDiskStorage }, { AuditLog }, { importFormText }] = await Promise.all([
        import('./modules/applications/applications.service.ts'),
        import('./modules/catalog/catalog.service.ts'),
        import('./platform/storage.ts'),
        import('./platform/audit.ts'),
        import('./modules/applications/forms.import.ts'),
      ]);
      const service = new ApplicationsService(
        h.db,
        new CatalogService(h.db),
        new LocalDiskStorage(path.join(cfg.DATA_DIR, 'files')),
        new AuditLog(h.db),
        cfg.PUBLIC_URL,
      );
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
          else
            for (const p of 'problems' in r ? r.problems : [])
              process.stdout.write(`${r.file}:${p.line}: ${p.path || '(file)'}: ${p.message}\n`);
        }
      const failed = results.filter((r) => !r.ok).length;
      if (!opts.json) process.stdout.write(`${results.length - failed} published, ${failed} refused.\n`);
      if (failed) process.exitCode = 1;
    }),
  );

program
  .command('config')
  .description('List every environment variable Panjereh reads')
  .option(
    '--check',
    'check this environment as a production start would (NODE_ENV=production) and list every problem; exit code 1 if there is any',
  )
  .action((opts: { check?: boolean }) => {
    if (!opts.check) {
      for (const v of describeConfig()) process.stdout.write(`${v.name.padEnd(26)} ${v.description}\n`);
      return;
    }
    const problems = checkProductionConfig();
    if (!process.env.NODE_ENV)
      process.stdout.write('NODE_ENV is not set: checked as NODE_ENV=production (set it when you start the server).\n');
    if (!problems.length) {
      process.stdout.write('Ready for production: a start with NODE_ENV=production would accept this configuration.\n');
      return;
    }
    process.stdout.write(
      `A production start would refuse this configuration (${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}):\n${problems.map((p) => `  - ${p}\n`).join('')}`,
    );
    process.exitCode = 1;
  });

// The modules' command groups, by the nouns they add; loaded only when needed (see the top of this file).
const registerDocuments = async () =>
  (await import('./modules/documents/documents.cli.ts')).registerDocumentCommands(program, withDatabase);
const moduleCommands: Record<string, () => Promise<void>> = {
  documents: registerDocuments,
  apikey: registerDocuments,
  exchange: async () => (await import('./modules/exchange/exchange.cli.ts')).registerExchangeCommands(program, withDatabase),
  monitor: async () => (await import('./modules/monitoring/monitoring.cli.ts')).registerMonitorCommands(program, withDatabase, config),
};

async function main(argv: string[]): Promise<void> {
  const noun = argv.slice(2).find((a) => !a.startsWith('-'));
  const own = program.commands.some((c) => c.name() === noun);
  const wanted = noun && moduleCommands[noun] ? [moduleCommands[noun]] : own ? [] : [...new Set(Object.values(moduleCommands))];
  for (const register of wanted) await register();
  await program.parseAsync(argv);
}

main(process.argv).catch((e: unknown) => {
  const msg = e instanceof AppError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
  process.stderr.write(`panjereh: ${msg}\n`);
  process.exit(e instanceof AppError && e.code === 'DATABASE_IN_USE' ? 3 : 1);
});
