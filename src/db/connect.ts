// Opens the database: PostgreSQL when DATABASE_URL is set, otherwise embedded PGlite in DATA_DIR.
// The embedded database may be open in one process only; a lock file guards it.
import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { PGlitePool } from './pglite-pool.ts';
import type { Database } from './schema.ts';
import { AppError } from '../platform/errors.ts';
import { describeDatabaseError } from './unavailable.ts';

// Dates stay 'YYYY-MM-DD' strings and bigint counts become numbers, the same on both databases.
pg.types.setTypeParser(1082, (v) => v);
pg.types.setTypeParser(20, (v) => Number(v));
const liteParsers = { 1082: (v: string) => v, 20: (v: string) => Number(v) };

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
  /** PGlite only: the whole database as a tarball (tests start from such a template). */
  dump?: () => Promise<Blob>;
  /** PostgreSQL only: where lost connections are logged (standard error until the server gives its logger). */
  setLog?: (log: DatabaseLog) => void;
}

export type DatabaseLog = (msg: string, detail: { code?: string; err: string }) => void;

export interface OpenOptions {
  databaseUrl?: string;
  dataDir: string;
  poolSize?: number;
  /** PostgreSQL only: how long opening a connection may take before the query fails as "unavailable" (default 5 s). */
  connectTimeoutMs?: number;
  /** An in-memory PGlite, empty or loaded from a dump (tests). */
  memory?: boolean;
  pgliteDump?: Blob;
}

export async function openDatabase(opts: OpenOptions): Promise<DatabaseHandle> {
  if (opts.databaseUrl) {
    // A server that accepts the TCP connection but never answers (a half-dead host, a black-holed network)
    // would otherwise keep every request waiting for good: after the timeout the query fails as
    // unavailable (503 with Retry-After) and workers back off.
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
    });
    let log: DatabaseLog = (msg, d) => process.stderr.write(`${msg}: ${d.err}\n`);
    // PostgreSQL can cut any connection (a restart, a failover, a dropped database, the network). pg then
    // emits 'error' on that client, idle in the pool or in use by a query or transaction; an 'error'
    // without a listener would end the process. Every client gets a listener when it connects. The
    // query or transaction under way fails with the error (a 503 for a request, a retry for a worker);
    // the broken client is not queryable any more, so the pool discards it on release instead of handing
    // it out again, and opens new connections once PostgreSQL answers.
    pool.on('connect', (client) => client.on('error', (err) => log('PostgreSQL connection lost', describeDatabaseError(err))));
    pool.on('error', () => {}); // the same error on an idle client, already logged by the client's own listener
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy(), setLog: (l) => void (log = l) };
  }
  if (opts.memory || opts.pgliteDump) {
    const lite = await PGlite.create({ loadDataDir: opts.pgliteDump, parsers: liteParsers });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new PGlitePool(lite) as unknown as pg.Pool }) });
    return { db, kind: 'pglite', close: () => db.destroy(), dump: () => lite.dumpDataDir('none') as Promise<Blob> };
  }
  const dir = path.join(opts.dataDir, 'pglite');
  fs.mkdirSync(dir, { recursive: true });
  const unlock = takeLock(path.join(opts.dataDir, 'pglite.lock'));
  try {
    const lite = await PGlite.create({ dataDir: dir, parsers: liteParsers });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new PGlitePool(lite) as unknown as pg.Pool }) });
    return {
      db,
      kind: 'pglite',
      close: async () => {
        await db.destroy();
        unlock();
      },
    };
  } catch (e) {
    unlock();
    throw e;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the embedded database's lock file, or refuses when a live process holds it. */
function takeLock(file: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      let held = true;
      const release = () => {
        if (!held) return;
        held = false;
        try {
          if (fs.readFileSync(file, 'utf8') === String(process.pid)) fs.unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
      process.once('exit', release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(fs.readFileSync(file, 'utf8').trim());
      if (pid && pid !== process.pid && pidAlive(pid)) {
        throw new AppError(
          'DATABASE_IN_USE',
          `The embedded database in ${path.dirname(file)} is open in another Panjereh process (pid ${pid}), ` +
            'probably a running server. Opening it twice would corrupt it. Stop that process first, ' +
            'or point DATABASE_URL at PostgreSQL, which many processes can share.',
          { pid },
        );
      }
      fs.unlinkSync(file); // stale: its process is gone
    }
  }
  throw new Error(`Could not take the database lock ${file}`);
}

/** Does the database answer `select 1` within `timeoutMs`? */
export async function ping(db: Kysely<Database>, timeoutMs = 3000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      sql`select 1`.execute(db),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), timeoutMs))),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
