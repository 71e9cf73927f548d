// The periodic pass over citizens' requests: an open request past its legal deadline escalates to the
// agency's head of complaints (the agency admins see it flagged in their queue), and, if it is still
// unanswered `escalateAfterDays` working days later, to the oversight office. The citizen sees each step
// on their timeline. Runs on a Poller (started with the server when REQUEST_JOBS is on); `runOnce(now)`
// takes the moment so tests can use a fake clock.
import { Poller } from '../../platform/poller.ts';
import type { RequestsService } from './requests.service.ts';

export class RequestJobs {
  readonly #poller: Poller;

  constructor(
    private readonly requests: RequestsService,
    intervalMs: number,
    log: (msg: string, detail?: Record<string, unknown>) => void,
  ) {
    this.#poller = new Poller('requests-escalation', () => this.runOnce(), intervalMs, log, intervalMs, true);
  }

  start(): void {
    this.#poller.start();
  }

  stop(): Promise<void> {
    return this.#poller.stop();
  }

  /** Escalates what is due at `now` (in batches); the number of requests escalated. */
  async runOnce(now: Date = this.requests.clock.now(), batch = 200): Promise<number> {
    const { repo, calendar, options, audit } = this.requests;
    let total = 0;
    for (;;) {
      const n = await repo.transaction(async (tx) => {
        const due = await repo.dueForEscalation(tx, now, batch);
        for (const r of due) {
          const level = r.escalation + 1;
          const escalateAt = level === 1 ? await calendar.addWorkingDays(now, options.escalateAfterDays) : null;
          const row = await repo.update(tx, r.id, { escalation: level, escalate_at: escalateAt });
          // the citizen sees every step: an e-box message and an SMS (once per step: the dedupe key)
          await this.requests.notices.send(
            tx,
            row,
            level === 1 ? 'escalated-head' : 'escalated-oversight',
            `escalation-${level}:${r.due_at.getTime()}`,
          );
          await repo.event(tx, {
            request_id: r.id,
            at: now,
            actor: 'system',
            staff_id: null,
            kind: level === 1 ? 'escalated-head' : 'escalated-oversight',
            note: null,
            agency_id: r.agency_id,
          });
          await audit.record(
            { actor: 'system:requests', action: 'requests.escalate', subject: r.id, detail: { reference: r.reference, level } },
            tx,
          );
        }
        return due.length;
      });
      total += n;
      if (n < batch) return total;
    }
  }
}
