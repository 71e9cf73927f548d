// `panjereh monitor ...`: indicator sets in and out (CSV or JSON), and automated portal checks.
import fs from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import type { Config } from '../../config.ts';
import type { DatabaseHandle } from '../../db/connect.ts';
import { AppError } from '../../platform/errors.ts';
import { MonitoringRepository } from './monitoring.repository.ts';
import { indicatorCsv, parseIndicatorCsv, parseIndicatorJson } from './monitoring.indicators.ts';
import { MonitoringService } from './monitoring.service.ts';
import { CatalogService } from '../catalog/catalog.service.ts';
import { AuditLog } from '../../platform/audit.ts';
import { MetricRegistry } from './monitoring.metrics.ts';
import { PortalChecker, summarize } from './monitoring.checks.ts';

type WithDb = <T>(fn: (h: DatabaseHandle, cfg: Config) => Promise<T>) => Promise<T>;

export function registerMonitorCommands(program: Command, withDatabase: WithDb, config: () => Config): void {
  const monitor = program.command('monitor').description('Monitoring and evaluation: indicator sets and portal checks');
  const indicators = monitor.command('indicators').description('Versioned indicator sets');

  indicators
    .command('import')
    .description(
      'Import an indicator set from CSV or JSON; a changed set becomes a new version. Refuses wrong columns, out-of-range values and duplicate codes with the line and reason',
    )
    .argument('<file>', 'a .csv or .json file (the format `monitor indicators export` writes)')
    .option('--key <key>', 'CSV only: the set key, like national-maturity')
    .option('--name-fa <name>', 'CSV only: the set name in Persian')
    .option('--name-en <name>', 'CSV only: the set name in English')
    .addOption(new Option('--scope <scope>', 'CSV only: what it evaluates').choices(['agency', 'portal']).default('agency'))
    .addOption(
      new Option('--rollup <rollup>', 'CSV only: criteria (weighted mean of criteria) or pooled (met / assessed)')
        .choices(['criteria', 'pooled'])
        .default('criteria'),
    )
    .option('--json', 'print the summary as JSON')
    .action(
      (
        file: string,
        opts: { key?: string; nameFa?: string; nameEn?: string; scope: 'agency' | 'portal'; rollup: 'criteria' | 'pooled'; json?: boolean },
      ) =>
        withDatabase(async (h) => {
          if (!fs.existsSync(file)) throw new AppError('IMPORT_FAILED', `There is no file ${file}.`);
          const text = fs.readFileSync(file, 'utf8');
          const isJson = path.extname(file).toLowerCase() === '.json';
          const { key, nameFa, nameEn } = opts;
          let parsed;
          if (isJson) parsed = parseIndicatorJson(text);
          else if (!key || !nameFa || !nameEn) throw new AppError('VALIDATION_FAILED', 'A CSV set needs --key, --name-fa and --name-en.');
          else parsed = parseIndicatorCsv(text, { key, name: { fa: nameFa, en: nameEn }, scope: opts.scope, rollup: opts.rollup });
          if (!parsed.ok) {
            if (opts.json) process.stdout.write(JSON.stringify({ ok: false, rejected: parsed.problems }) + '\n');
            else for (const p of parsed.problems) process.stdout.write(`rejected: line ${p.line}: ${p.reason}\n`);
            process.stdout.write(opts.json ? '' : `Nothing imported: ${parsed.problems.length} problem(s).\n`);
            process.exitCode = 1;
            return;
          }
          const svc = new MonitoringService(h.db, new CatalogService(h.db), new AuditLog(h.db), new MetricRegistry());
          const r = await svc.importSet(parsed.set, 'cli');
          if (!r.ok) throw new AppError('IMPORT_FAILED', r.problems.map((p) => `line ${p.line}: ${p.reason}`).join('; '));
          const summary = {
            ok: true,
            key: r.set.key,
            version: r.set.version,
            created: r.created,
            indicators: parsed.set.indicators.length,
            criteria: parsed.set.criteria.length,
          };
          process.stdout.write(
            opts.json
              ? JSON.stringify(summary) + '\n'
              : r.created
                ? `Imported ${summary.indicators} indicators in ${summary.criteria} criteria as ${summary.key} version ${summary.version}.\n`
                : `Unchanged: ${summary.key} version ${summary.version} is identical.\n`,
          );
        }),
    );

  indicators
    .command('export')
    .description('Write an indicator set (latest version, or --version) as CSV or JSON')
    .argument('<key>', 'the set key: national-maturity, un-losi-2024, portal-checklist, ...')
    .addOption(new Option('--format <format>', 'csv or json').choices(['csv', 'json']).default('csv'))
    .option('--version <n>', 'a stored version')
    .action((key: string, opts: { format: 'csv' | 'json'; version?: string }) =>
      withDatabase(async (h) => {
        const repo = new MonitoringRepository(h.db);
        const s = opts.version ? await repo.setVersion(key, Number(opts.version)) : await repo.latestSet(key);
        if (!s)
          throw new AppError(
            'INDICATOR_SET_NOT_FOUND',
            `There is no indicator set ${key}${opts.version ? ` version ${opts.version}` : ''}.`,
          );
        const body = { key: s.key, name: s.name, scope: s.scope, rollup: s.rollup, criteria: s.criteria, indicators: s.indicators };
        process.stdout.write(opts.format === 'csv' ? indicatorCsv(body) : JSON.stringify(body, null, 2) + '\n');
      }),
    );

  indicators
    .command('list')
    .description('Every stored indicator set and version')
    .action(() =>
      withDatabase(async (h) => {
        for (const s of await new MonitoringRepository(h.db).sets())
          process.stdout.write(
            `${s.key.padEnd(22)} v${String(s.version).padEnd(4)} ${String(s.indicators.length).padStart(3)} indicators  ${s.name.en}\n`,
          );
      }),
    );

  monitor
    .command('check-portal')
    .description(
      'Check websites: HTTPS and certificate, response time, page weight, lang/dir, mobile viewport, accessibility (axe-core in Chromium), search, contact details, privacy policy, services list',
    )
    .argument('<url...>', 'one or more addresses, like https://www.example.ir')
    .option('--json', 'print the results as JSON lines')
    .action(async (urls: string[], opts: { json?: boolean }) => {
      const cfg = config();
      const checker = new PortalChecker({ chromiumPath: cfg.CHROMIUM_PATH, timeoutMs: cfg.PORTAL_CHECK_TIMEOUT_MS });
      const started = Date.now();
      let unreachable = 0;
      try {
        for (const [i, url] of urls.entries()) {
          if (process.stderr.isTTY && !opts.json) process.stderr.write(`(${i + 1}/${urls.length}) checking ${url} ...\n`);
          const r = await checker.check(url);
          if (!r.reachable) unreachable++;
          process.stdout.write(opts.json ? JSON.stringify(r) + '\n' : `${url}\n  ${summarize(r).split('; ').join('\n  ')}\n`);
        }
      } finally {
        await checker.close();
      }
      if (!opts.json)
        process.stdout.write(
          `Checked ${urls.length} site(s) in ${((Date.now() - started) / 1000).toFixed(1)} s; ${unreachable} not reachable.\n`,
        );
      if (unreachable) process.exitCode = 2;
    });
}
