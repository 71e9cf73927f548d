// The portal check worker: checks a round asks for are queued in monitor_check_jobs and run here,
// outside any request (each takes seconds: a page load and axe-core in headless Chromium). It is a
// JobRunner (src/platform/jobs.ts): jobs are claimed with FOR UPDATE SKIP LOCKED under a lease, so several
// nodes may run a worker, and a job whose worker died comes back by itself when its lease runs out. A check
// that throws is retried with back-off (3 attempts); a round published meanwhile fails the job.
import { AppError } from '../../platform/errors.ts';
import { backoffMs, JobRunner } from '../../platform/jobs.ts';
import type { PortalCheckResult } from './monitoring.checks.ts';
import { CHECK_JOBS, type CheckJobRow } from './monitoring.repository.ts';
import type { MonitoringService } from './monitoring.service.ts';

export const CHECK_MAX_ATTEMPTS = 3;
/** Retry n waits 30 s * 2^(n-1), capped at 10 minutes, with jitter (the job primitive's one back-off). */
export const CHECK_BACKOFF = { baseMs: 30_000, capMs: 600_000 };
export const checkBackoffSeconds = (attempt: number, random = Math.random) =>
  backoffMs(CHECK_BACKOFF.baseMs, CHECK_BACKOFF.capMs, attempt, random) / 1000;

const FINAL_CODES = new Set(['ROUND_LOCKED', 'ROUND_NOT_FOUND', 'ROUND_SUBJECT_NOT_FOUND']);

export interface Checker {
  check(url: string): Promise<PortalCheckResult>;
  close(): Promise<void>;
}

export class PortalCheckWorker {
  readonly #runner: JobRunner<CheckJobRow>;
  /** One browser per pass, opened by the first job that needs it. */
  #checker: Checker | null = null;

  constructor(
    private readonly monitoring: MonitoringService,
    private readonly newChecker: () => Checker,
    /** A claimed job belongs to its worker this long (more than one check can take). */
    leaseSeconds: number,
    pollMs = 1000,
    log: (msg: string, detail?: Record<string, unknown>) => void = () => {},
  ) {
    this.#runner = new JobRunner<CheckJobRow>(monitoring.repo.db, {
      name: 'portal check worker',
      table: CHECK_JOBS,
      maxAttempts: CHECK_MAX_ATTEMPTS,
      backoff: CHECK_BACKOFF,
      leaseSeconds,
      batch: 1, // one at a time: Chromium is heavy
      pollMs,
      log,
      failureMessage: 'portal check failed',
      handler: async (job) => {
        this.#checker ??= this.newChecker();
        const result = await this.#checker.check(job.url);
        const { checkId, proposed } = await this.monitoring.completePortalCheck(job, result);
        return { ok: true, set: { check_id: checkId, proposed } };
      },
      failure: (e) => {
        const code = e instanceof AppError ? e.code : null;
        return {
          error: code === 'ROUND_LOCKED' ? 'the round was published before the check ran' : String((e as Error).message).slice(0, 300),
          final: !!code && FINAL_CODES.has(code),
        };
      },
    });
  }

  start(): void {
    this.#runner.start();
  }

  /** Stops polling (and the pass under way between jobs) and waits for it to finish. */
  async stop(): Promise<void> {
    await this.#runner.stop();
  }

  /** One pass: claims due jobs one at a time and runs them. Returns how many finished (done or failed for good). */
  async runOnce(max = 5): Promise<number> {
    try {
      return (await this.#runner.runOnce(max)).finished;
    } finally {
      await this.#checker?.close();
      this.#checker = null;
    }
  }
}
