// What the citizen is told, outside the request's own page: an e-box message and an SMS (through the
// applications module's e-box and notification outbox, in the caller's transaction, so a change and its
// notice commit together) on each escalation step and on the agency's answer. The SMS names the step and
// links to the request (an absolute URL from PUBLIC_URL); it never carries the request's text.
import type { Kysely, Transaction } from 'kysely';
import type { Database, LocalText } from '../../db/schema.ts';
import type { ApplicationsService } from '../applications/applications.service.ts';
import type { RequestRow } from './requests.repository.ts';

export type NoticeKind = 'escalated-head' | 'escalated-oversight' | 'answered' | 'partial' | 'refused' | 'clarification' | 'transferred';

const TEXT: Record<NoticeKind, LocalText & { fa: string; en: string }> = {
  'escalated-head': {
    fa: 'مهلت پاسخ درخواست شما گذشت و به مدیر رسیدگی به شکایات دستگاه ارجاع شد',
    en: 'Your request is overdue and went to the agency’s head of complaints',
  },
  'escalated-oversight': {
    fa: 'درخواست شما همچنان بی‌پاسخ ماند و به دفتر نظارت ارجاع شد',
    en: 'Your request is still unanswered and went to the oversight office',
  },
  answered: { fa: 'به درخواست شما پاسخ داده شد', en: 'Your request has been answered' },
  partial: { fa: 'به درخواست شما پاسخ داده شد (بخشی از آن رد شد)', en: 'Your request has been answered (in part refused)' },
  refused: { fa: 'درخواست شما رد شد', en: 'Your request has been refused' },
  clarification: { fa: 'دستگاه برای رسیدگی به درخواست شما توضیح خواسته است', en: 'The agency asks you to clarify your request' },
  transferred: { fa: 'درخواست شما به دستگاه دیگری ارجاع شد', en: 'Your request was transferred to another agency' },
};

export class RequestNotices {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly publicUrl: string,
  ) {}

  async send(tx: Transaction<Database>, r: RequestRow, kind: NoticeKind, eventKey: string): Promise<void> {
    const t = TEXT[kind];
    const subject = { fa: `${t.fa} (${r.reference})`, en: `${t.en} (${r.reference})` };
    const link = `${this.publicUrl}/fa/requests/${r.id}`;
    const db = tx as unknown as Kysely<Database>;
    await this.applications.ebox.insertMessage(db, {
      citizen_id: r.citizen_id,
      application_id: null,
      agency_id: r.agency_id,
      sender: 'platform',
      kind: 'status',
      subject,
      body: { fa: `${t.fa}.\n${link}`, en: `${t.en}.\n${this.publicUrl}/en/requests/${r.id}` },
    });
    const contact = await this.applications.ebox.citizenContact(db, r.citizen_id);
    if (contact.contactable && contact.mobile)
      await this.applications.ebox.enqueue(db, [
        { dedupe_key: `request:${r.id}:${eventKey}:sms`, channel: 'sms', recipient: contact.mobile, body: `پنجره: ${subject.fa}\n${link}` },
      ]);
  }
}
