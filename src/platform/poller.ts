// A background pass run again and again: the next pass starts `intervalMs` after the last one ended (never two
// at once in one process), failures are logged and the loop goes on, and stop() waits for a pass under way.
// Workers that share rows across nodes claim them with FOR UPDATE SKIP LOCKED inside their pass.
//
// When passes keep failing (PostgreSQL restarting, out of reach), the wait between them doubles up to
// MAX_BACKOFF_MS (never below the interval), the first failure is logged and then one line a minute, and
// the first pass that works again logs that the worker resumed: an outage costs a few log lines, not
// thousands, and the worker picks up by itself within a few seconds of the database returning.

/** The longest wait between failing passes (unless the interval itself is longer). */
export const MAX_BACKOFF_MS = 5000;
const LOG_EVERY_MS = 60_000;

/** The wait before the next pass after `failures` failed passes in a row. */
export function nextDelay(intervalMs: number, failures: number): number {
  if (failures <= 0) return intervalMs;
  return Math.max(intervalMs, Math.min(Math.max(intervalMs, 1) * 2 ** Math.min(failures, 30), MAX_BACKOFF_MS));
}

export class Poller {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<unknown> | null = null;
  #stopped = true;
  #failures = 0;
  #loggedAt = 0;

  constructor(
    private readonly name: string,
    private readonly pass: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly log: (msg: string, detail?: Record<string, unknown>) => void,
    /** Delay before the first pass (default: one interval). */
    private readonly firstDelayMs = intervalMs,
    /** Do not keep the process alive for this loop alone. */
    private readonly unref = false,
  ) {}

  /** Failed passes in a row (0 when the last pass worked). */
  get failures(): number {
    return this.#failures;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    const tick = async () => {
      if (this.#stopped) return;
      this.#running = this.pass().then(
        () => this.#succeeded(),
        (e) => this.#failed(e),
      );
      await this.#running;
      this.#running = null;
      if (!this.#stopped) this.#schedule(nextDelay(this.intervalMs, this.#failures), tick);
    };
    this.#schedule(this.firstDelayMs, tick);
  }

  #schedule(ms: number, fn: () => void): void {
    this.#timer = setTimeout(fn, ms);
    if (this.unref) this.#timer.unref();
  }

  #succeeded(): void {
    if (this.#failures) this.log(`${this.name} resumed`, { failedPasses: this.#failures });
    this.#failures = 0;
  }

  #failed(e: unknown): void {
    this.#failures++;
    const now = Date.now();
    if (this.#failures === 1 || now - this.#loggedAt >= LOG_EVERY_MS) {
      this.#loggedAt = now;
      this.log(this.#failures === 1 ? `${this.name} pass failed` : `${this.name} still failing`, {
        err: (e as Error)?.message,
        failedPasses: this.#failures,
      });
    }
  }

  /** Stops polling and waits for a pass under way to finish. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }
}
