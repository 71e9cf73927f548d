// A background pass run again and again: the next pass starts `intervalMs` after the last one ended (never two
// at once in one process), failures are logged and the loop goes on, and stop() waits for a pass under way.
// Workers that share rows across nodes claim them with FOR UPDATE SKIP LOCKED inside their pass.
export class Poller {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<unknown> | null = null;
  #stopped = true;

  constructor(
    private readonly name: string,
    private readonly pass: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly log: (msg: string, detail?: Record<string, unknown>) => void,
    /** Delay before the first pass (default: one interval). */
    private readonly firstDelayMs = intervalMs,
  ) {}

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    const tick = async () => {
      if (this.#stopped) return;
      this.#running = this.pass().catch((e) => this.log(`${this.name} pass failed`, { err: (e as Error).message }));
      await this.#running;
      this.#running = null;
      if (!this.#stopped) this.#timer = setTimeout(tick, this.intervalMs);
    };
    this.#timer = setTimeout(tick, this.firstDelayMs);
  }

  /** Stops polling and waits for a pass under way to finish. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }
}
