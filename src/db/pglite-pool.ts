// A pg.Pool-shaped adapter over PGlite, so Kysely's PostgresDialect (and so the same SQL and
// migrations) runs on the embedded database too. PGlite is a single connection: a mutex hands it to
// one borrower at a time, so an open transaction never sees another request's statements.
import type { PGlite } from '@electric-sql/pglite';

interface QueryResultLike {
  command: string;
  rowCount: number;
  rows: unknown[];
}

class Mutex {
  #tail: Promise<void> = Promise.resolve();
  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const ready = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => next);
    return ready;
  }
}

const COMMAND = /^\s*(?:with\b[\s\S]*?\)\s*)?(insert|update|delete|merge)\b/i;

export class PGlitePool {
  readonly #lite: PGlite;
  readonly #mutex = new Mutex();

  constructor(lite: PGlite) {
    this.#lite = lite;
  }

  async connect() {
    const release = await this.#mutex.acquire();
    const lite = this.#lite;
    let released = false;
    return {
      async query(sql: string, params: unknown[] = []): Promise<QueryResultLike> {
        const res = await lite.query(sql, params);
        const m = COMMAND.exec(sql);
        return { command: m ? m[1].toUpperCase() : 'SELECT', rowCount: res.affectedRows ?? res.rows.length, rows: res.rows };
      },
      release() {
        if (!released) {
          released = true;
          release();
        }
      },
    };
  }

  async end() {
    await this.#lite.close();
  }
}
