// The portal check worker: checks a round asks for are queued in monitor_check_jobs and run here,
// outside any request (each takes seconds: a page load and axe-core in headless Chromium). Jobs are
// claimed with FOR UPDATE SKIP LOCKED under a lease, like the notification worker: several nodes may
// run a worker, and a job whose worker died comes back by itself when its lease runs out. A check
// that throws is retried with back-off (3 attempts); a round published meanwhile fails the job.
import { AppError } from '../../platform/errors.ts';
import type { PortalCheckResult } from './monitoring.checks.ts';
import type { MonitoringService } from './monitoring.service.ts';
import { Poller } from '../../platform/poller.ts';

export const CHECK_MAX_ATTEMPTS = 3;
export const checkBackoffSeconds = (attempt: number) => Math.min(600, 30 * 2 ** Math.max(0, attempt - 1));

export interface Checker {
  check(url: string): Promise<PortalCheckResult>;
  close(): Promise<void>;
}

export class PortalCheckWorker {
  readonly #poller: Poller;
  #stopping = false;

  constructor(
    private readonly monitoring: MonitoringService,
    private readonly newChecker: () => Checker,
    /** A claimed job belongs to its worker this long (more than one check can take). */
    private readonly leaseSeconds: number,
    private readonly pollMs = 1000,
    private readonly log: (msg: string, detail?: Record<string, unknown>) => void = () => {},
  ) {
    this.#poller = new Poller('portal check worker', () => this.runOnce(), pollMs, log);
  }

  start(): void {
    this.#stopping = false;
    this.#poller.start();
  }

  /** Stops polling (and the pass under way between jobs) and waits for it to finish. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#poller.stop();
  }

  /** One pass: claims due jobs one at a time (Chromium is heavy) and runs them. Returns how many finished. */
  async runOnce(max = 5): Promise<number> {
    const repo = this.monitoring.repo;
    let done = 0;
    let checker: Checker | null = null;
    try {
      for (let i = 0; i < max && !this.#stopping; i++) {
        const [job] = await repo.claimChecks(1, this.leaseSeconds);
        if (!job) break;
        try {
          checker ??= this.newChecker();
          const result = await checker.check(job.url);
          const { checkId, proposed } = await this.monitoring.completePortalCheck(job, result);
          await repo.finishCheck(job.id, { status: 'done', check_id: checkId, proposed, last_error: null });
          done++;
        } catch (e) {
          const code = e instanceof AppError ? e.code : null;
          const final = code === 'ROUND_LOCKED' || code === 'ROUND_NOT_FOUND' || code === 'ROUND_SUBJECT_NOT_FOUND' || job.attempts >= CHECK_MAX_ATTEMPTS;
          const reason = code === 'ROUND_LOCKED' ? 'the round was published before the check ran' : String((e as Error).message).slice(0, 300);
          await repo.finishCheck(job.id, final ? { status: 'failed', last_error: reason } : { status: 'queued', last_error: reason, retryInSeconds: checkBackoffSeconds(job.attempts) });
          this.log('portal check failed', { job: job.id, attempt: job.attempts, final });
          if (final) done++;
        }
      }
    } finally {
      await checker?.close();
    }
    return done;
  }
}
