// Opens the database, applies migrations and loads the demo catalogue when it is empty.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from './config.ts';
import { openDatabase, type DatabaseHandle } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import { CatalogService, type ImportSummary } from './modules/catalog/catalog.service.ts';
import { parsePanjerehJson } from './modules/catalog/importers/panjereh.ts';
import { BenchmarkService } from './modules/benchmark/benchmark.service.ts';
import { ApplicationsService } from './modules/applications/applications.service.ts';
import { loadDemoForms } from './modules/applications/forms.import.ts';
import { AuditLog } from './platform/audit.ts';
import { LocalDiskStorage } from './platform/storage.ts';
import { seedExchangeDemo } from './modules/exchange/exchange.demo.ts';
import { ensureBuiltinSets } from './modules/monitoring/monitoring.service.ts';
import { seedMonitoringDemo } from './modules/monitoring/monitoring.demo.ts';
import { seedPaymentsDemo } from './modules/payments/payments.demo.ts';
import { seedParticipationDemo } from './modules/participation/participation.demo.ts';
import { seedCounterDemo } from './modules/counter/counter.demo.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEMO_CATALOG = path.join(ROOT, 'datasets', 'demo', 'catalog.json');

export async function openPrepared(config: Config): Promise<DatabaseHandle> {
  const handle = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    poolSize: config.DATABASE_POOL_SIZE,
    connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
  });
  try {
    await migrateToLatest(handle.db);
    await loadReferenceData(handle);
    return handle;
  } catch (e) {
    await handle.close();
    throw e;
  }
}

/** Public reference data the product needs whatever SEED_DEMO says: the UN E-Government Survey. */
export async function loadReferenceData(handle: DatabaseHandle): Promise<void> {
  await new BenchmarkService(handle.db).loadIfEmpty();
  await ensureBuiltinSets(handle.db);
}

export async function seedDemo(handle: DatabaseHandle, opts: { registryPort?: number } = {}): Promise<ImportSummary> {
  const batch = parsePanjerehJson(fs.readFileSync(DEMO_CATALOG, 'utf8'));
  const catalog = new CatalogService(handle.db);
  const summary = await catalog.importBatch(batch, 'seed:demo');
  // online application forms for some demo services (datasets/demo/forms); files are not touched here
  await loadDemoForms(
    new ApplicationsService(handle.db, catalog, new LocalDiskStorage(path.join(ROOT, 'data', 'files')), new AuditLog(handle.db)),
  );
  await seedExchangeDemo(handle.db, opts.registryPort || 3101);
  await seedMonitoringDemo(handle.db);
  await seedPaymentsDemo(handle.db);
  await seedParticipationDemo(handle.db);
  await seedCounterDemo(handle.db);
  return summary;
}

/** Loads the demo data when SEED_DEMO says so: always, or (auto) when there is no service yet. */
export async function seedIfWanted(config: Config, handle: DatabaseHandle): Promise<ImportSummary | null> {
  if (config.SEED_DEMO === 'never') return null;
  if (config.SEED_DEMO === 'auto' && (await new CatalogService(handle.db).countServices()) > 0) return null;
  return seedDemo(handle, { registryPort: config.EXCHANGE_DEMO_REGISTRY_PORT });
}
