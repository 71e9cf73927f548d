// The one job primitive: rows of a job table are claimed with a lease (FOR UPDATE SKIP LOCKED, so several
// nodes may run the same runner; a row whose lease ran out, because its node died, is claimed again),
// a handler runs per row, and the runner records the outcome: done; or a retry after backoffMs(); or,
// after maxAttempts (or a failure the handler calls final), the dead-letter state with the last error,
// which the pages show. Passes repeat on a Poller, which keeps its own back-off while the database is away.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { jobsRepo, type JobOutcome, type JobTable } from './jobs.repository.ts';
import { Poller } from './poller.ts';

export type { JobOutcome, JobTable } from './jobs.repository.ts';

/** The columns every job row has. */
export interface JobRow {
  id: string | number;
  attempts: number;
}

/** Delay before retry `attempt` (1-based): base * 2^(attempt-1), capped, between half and all of it (jitter). */
export function backoffMs(baseMs: number, capMs: number, attempt: number, random = Math.random): number {
  const full = Math.min(baseMs * 2 ** Math.max(0, attempt - 1), capMs);
  return Math.round(full / 2 + (random() * full) / 2);
}

/** What a handler says about one attempt; a handler that throws has failed (see `failure`). */
export type HandlerResult<Note = unknown> = ({ ok: true } | { ok: false; error: string; final?: boolean }) & {
  /** The table's own columns to set with the outcome. */
  set?: Record<string, unknown>;
  /** Handed to onFinish (what to log about the attempt). */
  note?: Note;
};

export interface JobRunnerOptions<Row extends JobRow, Note = unknown> {
  name: string;
  table: JobTable;
  handler: (job: Row) => Promise<HandlerResult<Note>>;
  maxAttempts: number;
  backoff: { baseMs: number; capMs: number };
  /** A claimed row belongs to its runner this long (more than one attempt can take). */
  leaseSeconds: number;
  /** Rows claimed (and run side by side) at a time. */
  batch?: number;
  pollMs: number;
  firstDelayMs?: number;
  log?: (msg: string, detail?: Record<string, unknown>) => void;
  /** Turns a thrown error into the recorded failure (default: its message; retried). */
  failure?: (e: unknown, job: Row) => { error: string; final?: boolean };
  /** Runs in the transaction that records the outcome (an attempt log, say). */
  onFinish?: (tx: Transaction<Database>, job: Row, outcome: JobOutcome, note: Note | undefined) => Promise<unknown>;
  /** Log each failed attempt with this message (none when unset). */
  failureMessage?: string;
}

export class JobRunner<Row extends JobRow, Note = unknown> {
  readonly #poller: Poller;
  #stopping = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly o: JobRunnerOptions<Row, Note>,
  ) {
    this.#poller = new Poller(o.name, () => this.runOnce(), o.pollMs, o.log ?? (() => {}), o.firstDelayMs ?? o.pollMs);
  }

  start(): void {
    this.#stopping = false;
    this.#poller.start();
  }

  /** Stops polling (and the pass under way between batches) and waits for it to finish. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#poller.stop();
  }

  /** Claims one batch (no more than `max` rows); for tests and for one step of a pass. */
  claim(max = this.o.batch ?? 1, leaseSeconds = this.o.leaseSeconds): Promise<Row[]> {
    return jobsRepo.claim<Row>(this.db, this.o.table, max, leaseSeconds);
  }

  /** One pass: claims and runs due rows batch by batch until none is due or `max` were claimed. */
  async runOnce(max = Infinity): Promise<{ claimed: number; finished: number; done: number }> {
    const batch = this.o.batch ?? 1;
    const tally = { claimed: 0, finished: 0, done: 0 };
    while (tally.claimed < max && !this.#stopping) {
      const rows = await this.claim(Math.min(batch, max - tally.claimed));
      if (!rows.length) break;
      tally.claimed += rows.length;
      for (const outcome of await Promise.all(rows.map((r) => this.#run(r)))) {
        if (outcome.kind !== 'retry') tally.finished++;
        if (outcome.kind === 'done') tally.done++;
      }
      if (rows.length < batch) break;
    }
    return tally;
  }

  async #run(job: Row): Promise<JobOutcome> {
    let r: HandlerResult<Note>;
    try {
      r = await this.o.handler(job);
    } catch (e) {
      const f = this.o.failure ? this.o.failure(e, job) : { error: String((e as Error)?.message ?? e).slice(0, 300) };
      r = { ok: false, ...f };
    }
    const outcome: JobOutcome = r.ok
      ? { kind: 'done' }
      : r.final || job.attempts >= this.o.maxAttempts
        ? { kind: 'dead', error: r.error }
        : { kind: 'retry', error: r.error, retryInMs: backoffMs(this.o.backoff.baseMs, this.o.backoff.capMs, job.attempts) };
    if (!r.ok && this.o.failureMessage)
      this.o.log?.(this.o.failureMessage, { job: job.id, attempt: job.attempts, final: outcome.kind === 'dead' });
    await jobsRepo.transaction(this.db, async (tx) => {
      await jobsRepo.finish(tx, this.o.table, job.id, outcome, r.set);
      await this.o.onFinish?.(tx, job, outcome, r.note);
    });
    return outcome;
  }
}
