// The one way an application's status changes: transition() in ONE transaction updates the application,
// appends an application_events row (the timeline and the durable event feed), puts a message in the
// citizen's e-box, queues the SMS/email notifications, runs the event sinks and writes the audit entry;
// after the commit the in-process listeners hear of it. Used by the citizen side (applications.service.ts)
// and the agency side (backoffice.service.ts) alike.
import type { Transaction } from 'kysely';
import type { ApplicationStatus, Database, LocalText } from '../../db/schema.ts';
import type { AuditEvent, AuditLog } from '../../platform/audit.ts';
import type { ApplicationEventRow, ApplicationRow, ApplicationsRepository } from './applications.repository.ts';
import type { EboxRepository } from './ebox.repository.ts';
import type { ApplicationEventListener, ApplicationEventSink } from './applications.types.ts';
import { nextStep, statusText } from './applications.text.ts';

export interface TransitionResult {
  after: ApplicationRow;
  events: ApplicationEventRow[];
  messageId: string | null;
}

export class ApplicationTransitions {
  #listeners: ApplicationEventListener[] = [];
  #sinks: ApplicationEventSink[] = [];

  constructor(
    private readonly repo: ApplicationsRepository,
    private readonly ebox: EboxRepository,
    private readonly audit: AuditLog,
    private readonly publicUrl?: string,
  ) {}

  /**
   * Runs `listener` after every committed application event (submitted, in-review, info-requested,
   * resubmitted, approved, document.requested, rejected, message, document.issued, ...). In-process and
   * best effort: for guaranteed delivery read application_events by id (eventsAfter) as a feed.
   */
  onEvent(listener: ApplicationEventListener): () => void {
    this.#listeners.push(listener);
    return () => void (this.#listeners = this.#listeners.filter((l) => l !== listener));
  }

  /** Adds a sink that runs in every event's own transaction: committed with it, or not at all. */
  addEventSink(sink: ApplicationEventSink): void {
    this.#sinks.push(sink);
  }

  emit(events: ApplicationEventRow[], application: ApplicationRow): void {
    for (const event of events)
      for (const l of this.#listeners) {
        try {
          void Promise.resolve(l({ event, application })).catch(() => {});
        } catch {
          /* a listener's failure never undoes a committed change */
        }
      }
  }

  async transition(
    id: string,
    from: ApplicationStatus[],
    to: ApplicationStatus,
    actor: string,
    o: TransitionOptions,
  ): Promise<ApplicationRow | null> {
    return (await this.transitionResult(id, from, to, actor, o))?.after ?? null;
  }

  async transitionResult(id: string, from: ApplicationStatus[], to: ApplicationStatus, actor: string, o: TransitionOptions) {
    const result = await this.repo.transaction(async (tx: Transaction<Database>) => {
      const app = await this.repo.lockById(tx, id);
      if (!app || !from.includes(app.status)) return null;
      return this.transitionIn(tx, app, to, actor, o);
    });
    if (!result) return null;
    this.emit(result.events, result.after);
    return result;
  }

  /** The change itself, inside `tx`, on an application row the caller has locked. */
  async transitionIn(
    tx: Transaction<Database>,
    app: ApplicationRow,
    to: ApplicationStatus,
    actor: string,
    o: TransitionOptions,
  ): Promise<{ after: ApplicationRow; events: ApplicationEventRow[]; messageId: string | null }> {
    const id = app.id;
    const now = new Date();
    const set = { ...(o.set?.(now) ?? {}), ...(to !== app.status ? { status: to } : {}) };
    const after = Object.keys(set).length ? await this.repo.updateApplication(tx, id, set) : app;
    const events = [
      await this.repo.insertEvent(tx, {
        application_id: id,
        type: o.type,
        from_status: app.status,
        to_status: to,
        actor,
        data: o.data ?? {},
      }),
    ];
    for (const x of o.extra ?? [])
      events.push(
        await this.repo.insertEvent(tx, { application_id: id, type: x.type, from_status: to, to_status: to, actor, data: x.data }),
      );
    for (const sink of this.#sinks) await sink(tx, after, events);
    let messageId: string | null = null;
    if (!o.quiet) {
      const citizen = await this.ebox.citizenContact(tx, app.citizen_id);
      const status = statusText(o.type, after.reference ?? '', String(o.data?.reason ?? ''));
      const msg =
        o.message ??
        (o.type === 'submitted' || o.type === 'in-review'
          ? { sender: 'platform' as const, kind: 'status' as const, subject: status.subject, body: status.body }
          : null);
      if (msg)
        messageId = (await this.ebox.insertMessage(tx, { citizen_id: citizen.id, application_id: id, agency_id: app.agency_id, ...msg }))
          .id;
      if (o.notify !== false && msg && msg.sender !== 'citizen' && citizen.contactable) {
        const lang = after.lang;
        const link = `${this.publicUrl ?? ''}/${lang}/applications/${id}`;
        // what happened, the next step and an absolute link; the email carries the message itself (the
        // officer's question, the decision's reason), not only the status
        const next = nextStep(o.type, lang);
        const sms = `${lang === 'fa' ? 'پنجره' : 'Panjereh'}: ${status.subject[lang]}\n${next}\n${link}`;
        const what = msg.body[lang] || msg.body.fa || status.body[lang] || '';
        const email = typeof after.answers.email === 'string' ? after.answers.email : null;
        await this.ebox.enqueue(tx, [
          { dedupe_key: `event:${events[0].id}:sms`, channel: 'sms', recipient: citizen.mobile, body: sms },
          ...(email
            ? [
                {
                  dedupe_key: `event:${events[0].id}:email`,
                  channel: 'email' as const,
                  recipient: email,
                  subject: status.subject[lang] ?? '',
                  body: `${what}\n\n${next}\n${link}`,
                },
              ]
            : []),
        ]);
      }
    }
    if (o.audit) await this.audit.record(o.audit, tx); // last: the audit chain's lock is held until commit
    return { after, events, messageId };
  }
}

export interface TransitionOptions {
  type: string;
  /** The audit entry of this change, written in its transaction. */
  audit?: AuditEvent;
  data?: Record<string, unknown>;
  set?: (now: Date) => Record<string, unknown>;
  message?: {
    sender: 'agency' | 'citizen' | 'platform';
    kind: 'status' | 'message' | 'info-request' | 'reply';
    subject: LocalText;
    body: LocalText;
    file_ids?: string[];
    in_reply_to?: string | null;
  };
  extra?: { type: string; data: Record<string, unknown> }[];
  notify?: boolean;
  quiet?: boolean;
}
