// The notification worker: sends what #transition() queued in notification_outbox, by SMS and email
// through the platform gateways. Rows are claimed with FOR UPDATE SKIP LOCKED (many nodes may run a
// worker) under a lease: a claimed row's next_attempt_at moves LEASE_SECONDS ahead, so a crashed
// worker's rows come back by themselves. Delivery is AT-LEAST-ONCE: nothing queued is ever lost (the
// row is written in the same transaction as the change), and a row is marked sent right after the
// gateway accepts it; only a crash in the instant between "gateway accepted" and "marked sent" sends
// that one message again. The dedupe key (one row per event and channel) makes sure retries of the
// state change itself never queue a second message. When the database goes away between "gateway
// accepted" and "marked sent" (a PostgreSQL restart) while the process lives on, the worker keeps the
// row's id and marks it sent on its next pass that reaches the database, so that message is not sent again.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { SmsGateway } from '../../platform/sms.ts';
import type { EmailGateway } from '../../platform/email.ts';
import { Poller } from '../../platform/poller.ts';
import { NotificationsRepository } from './notifications.repository.ts';

export const LEASE_SECONDS = 60;
export const MAX_ATTEMPTS = 8;
/** Back-off after the n-th failed attempt: 30 s, 1 min, 2 min, ... at most 1 hour. */
export const backoffSeconds = (attempt: number) => Math.min(3600, 30 * 2 ** Math.max(0, attempt - 1));

export class NotificationWorker {
  readonly #poller: Poller;
  /** Rows the gateway accepted that could not be marked sent yet (the database was away). */
  readonly #sentUnmarked = new Set<number>();
  readonly #repo: NotificationsRepository;

  constructor(
    db: Kysely<Database>,
    private readonly sms: SmsGateway,
    private readonly email: EmailGateway,
    private readonly pollMs = 1000,
    private readonly log: (msg: string, detail?: Record<string, unknown>) => void = () => {},
  ) {
    this.#repo = new NotificationsRepository(db);
    this.#poller = new Poller('notification worker', () => this.runOnce(), pollMs, log);
  }

  start(): void {
    this.#poller.start();
  }

  /** Stops polling and waits for a pass under way to finish. */
  stop(): Promise<void> {
    return this.#poller.stop();
  }

  /** One pass: claims due rows, sends each, marks it sent or schedules a retry. Returns how many were sent. */
  async runOnce(batch = 50): Promise<number> {
    await this.#markSent();
    const claimed = await this.#repo.claimDue(batch, LEASE_SECONDS);
    let sent = 0;
    let unmarked: unknown = null;
    for (const n of claimed) {
      let accepted = false;
      try {
        if (n.channel === 'sms') await this.sms.send(n.recipient, n.body);
        else await this.email.send({ to: n.recipient, subject: n.subject, text: n.body });
        accepted = true;
        sent++;
        this.#sentUnmarked.add(n.id);
        await this.#markSent();
      } catch (e) {
        if (accepted) {
          unmarked = e; // sent, but the database is away: marked sent on a later pass, never sent again
          continue;
        }
        const dead = n.attempts >= MAX_ATTEMPTS;
        await this.#repo.failed(n.id, dead, String((e as Error).message).slice(0, 500), backoffSeconds(n.attempts));
        this.log('notification not sent', { id: n.id, channel: n.channel, attempt: n.attempts, dead });
      }
    }
    if (unmarked) throw unmarked;
    return sent;
  }

  async #markSent(): Promise<void> {
    if (!this.#sentUnmarked.size) return;
    const ids = [...this.#sentUnmarked];
    await this.#repo.markSent(ids);
    for (const id of ids) this.#sentUnmarked.delete(id);
  }
}
