// Each test file gets its own database, copied from a template that test/run.ts migrated and seeded
// once: a PGlite dump loaded in memory, or (with DATABASE_URL) a PostgreSQL database made from a
// template database. Run alone (without test/run.ts) a file builds its own template.
import fs from 'node:fs';
import crypto from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { loadReferenceData, seedDemo } from '../../src/bootstrap.ts';

export const onPostgres = () => !!process.env.DATABASE_URL;

/** Builds the template: migrated, with the demo catalogue. Returns a PGlite dump, or nothing on PostgreSQL. */
export async function buildTemplate(target: { databaseUrl?: string }): Promise<Blob | null> {
  if (target.databaseUrl) {
    const h = await openDatabase({ databaseUrl: target.databaseUrl, dataDir: '' });
    await migrateToLatest(h.db);
    await loadReferenceData(h);
    await seedDemo(h);
    await h.close();
    return null;
  }
  const h = await openDatabase({ dataDir: '', memory: true });
  await migrateToLatest(h.db);
  await loadReferenceData(h);
  await seedDemo(h);
  const dump = await h.dump!();
  await h.close();
  return dump;
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function adminQuery(databaseUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(databaseUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

let localTemplate: Promise<Blob> | null = null;

/** A database of its own for one test file, with the demo catalogue loaded. */
export async function freshDatabase(): Promise<DatabaseHandle> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const template = process.env.PANJEREH_TEST_PG_TEMPLATE;
    const name = `${new URL(url).pathname.slice(1)}_t_${crypto.randomBytes(4).toString('hex')}`;
    if (template) await adminQuery(url, `create database "${name}" template "${template}"`);
    else await adminQuery(url, `create database "${name}"`);
    const dbUrl = withDatabase(url, name);
    if (!template) await buildTemplate({ databaseUrl: dbUrl });
    const h = await openDatabase({ databaseUrl: dbUrl, dataDir: '' });
    return {
      ...h,
      close: async () => {
        await h.close();
        await adminQuery(url, `drop database if exists "${name}" with (force)`);
      },
    };
  }
  const dumpFile = process.env.PANJEREH_TEST_PGLITE_DUMP;
  const dump = dumpFile ? new Blob([fs.readFileSync(dumpFile)]) : await (localTemplate ??= buildTemplate({}) as Promise<Blob>);
  return openDatabase({ dataDir: '', memory: true, pgliteDump: dump });
}
