// SQL for the notification worker over notification_outbox (Kysely only): claim due rows under a lease,
// mark rows sent, schedule a retry or dead-letter a row.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

export interface ClaimedNotification {
  id: number;
  channel: 'sms' | 'email';
  recipient: string;
  subject: string;
  body: string;
  attempts: number;
}

export class NotificationsRepository {
  constructor(readonly db: Kysely<Database>) {}

  /** Claims up to `batch` due pending rows (SKIP LOCKED), counting the attempt and leasing each for `leaseSeconds`. */
  async claimDue(batch: number, leaseSeconds: number): Promise<ClaimedNotification[]> {
    const claimed = await sql<ClaimedNotification>`
      update notification_outbox set attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => ${leaseSeconds})
      where id in (
        select id from notification_outbox where status = 'pending' and next_attempt_at <= now()
        order by id limit ${batch} for update skip locked)
      returning id, channel, recipient, subject, body, attempts`.execute(this.db);
    return claimed.rows;
  }

  /** A failed attempt: tried again after `retryInSeconds`, or dead (`dead`) with the last error. */
  async failed(id: number, dead: boolean, error: string, retryInSeconds: number): Promise<void> {
    await this.db
      .updateTable('notification_outbox')
      .set({
        status: dead ? 'dead' : 'pending',
        last_error: error,
        next_attempt_at: sql`now() + make_interval(secs => ${retryInSeconds})`,
      })
      .where('id', '=', id)
      .execute();
  }

  async markSent(ids: number[]): Promise<void> {
    await this.db
      .updateTable('notification_outbox')
      .set({ status: 'sent', sent_at: sql`now()`, last_error: null })
      .where('id', 'in', ids)
      .where('status', '=', 'pending')
      .execute();
  }
}
