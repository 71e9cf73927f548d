// SQL for the e-box (messages between agencies and citizens) and the notification outbox rows queued with them (Kysely only).
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, EboxMessageTable, LocalText } from '../../db/schema.ts';

export type EboxMessageRow = Selectable<EboxMessageTable>;
type Db = Kysely<Database>;

export class EboxRepository {
  constructor(readonly db: Db) {}

  insertMessage(
    tx: Db,
    v: {
      citizen_id: string;
      application_id: string | null;
      agency_id: string | null;
      sender: 'agency' | 'citizen' | 'platform';
      kind: EboxMessageRow['kind'];
      subject: LocalText;
      body: LocalText;
      file_ids?: string[];
      in_reply_to?: string | null;
    },
  ) {
    return tx
      .insertInto('ebox_messages')
      .values({
        ...v,
        subject: JSON.stringify(v.subject),
        body: JSON.stringify(v.body),
        file_ids: JSON.stringify(v.file_ids ?? []),
        in_reply_to: v.in_reply_to ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }
  /** Where the citizen's notifications go (read in the change's transaction). */
  citizenContact(tx: Db, citizenId: string) {
    return tx.selectFrom('citizens').select(['id', 'mobile', 'contactable']).where('id', '=', citizenId).executeTakeFirstOrThrow();
  }
  inbox(citizenId: string) {
    return this.db
      .selectFrom('ebox_messages')
      .selectAll()
      .where('citizen_id', '=', citizenId)
      .where('sender', '!=', 'citizen')
      .orderBy('sent_at', 'desc')
      .limit(200)
      .execute();
  }
  message(citizenId: string, id: string) {
    return this.db.selectFrom('ebox_messages').selectAll().where('citizen_id', '=', citizenId).where('id', '=', id).executeTakeFirst();
  }
  async markRead(id: string) {
    await this.db
      .updateTable('ebox_messages')
      .set({ read_at: sql`now()` })
      .where('id', '=', id)
      .where('read_at', 'is', null)
      .execute();
  }
  /** Every message of one application its citizen has now seen on the application page. */
  async markApplicationRead(citizenId: string, applicationId: string) {
    await this.db
      .updateTable('ebox_messages')
      .set({ read_at: sql`now()` })
      .where('citizen_id', '=', citizenId)
      .where('application_id', '=', applicationId)
      .where('sender', '!=', 'citizen')
      .where('read_at', 'is', null)
      .execute();
  }
  messagesOf(applicationId: string) {
    return this.db.selectFrom('ebox_messages').selectAll().where('application_id', '=', applicationId).orderBy('sent_at').execute();
  }
  async unread(citizenId: string): Promise<number> {
    const r = await this.db
      .selectFrom('ebox_messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('citizen_id', '=', citizenId)
      .where('sender', '!=', 'citizen')
      .where('read_at', 'is', null)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  // notifications
  async enqueue(tx: Db, rows: { dedupe_key: string; channel: 'sms' | 'email'; recipient: string; subject?: string; body: string }[]) {
    if (!rows.length) return;
    await tx
      .insertInto('notification_outbox')
      .values(rows)
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .execute();
  }
}
