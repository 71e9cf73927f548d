// Where applications meet the other modules:
// - every application event becomes a webhook delivery for the agency's subscribed endpoints, written in
//   the event's own transaction (so a committed event is never without its delivery);
// - an approval's 'document.requested' event issues the signed result document (documents module) and
//   records it on the application (timeline, e-box, SMS) in one transaction. Issuing runs after the
//   approval commits; if it fails, or the process dies in between, the approval stands and the sweeper
//   in ApplicationJobs issues it later (exactly once: see ApplicationsService.issueRequested).
import type { ApplicationsService } from './applications.service.ts';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { ApplicationEventRow, ApplicationRow } from './applications.repository.ts';
import type { DocumentService } from '../documents/documents.service.ts';
import type { WebhookService } from '../webhooks/webhooks.service.ts';
import type { WebhookEvent } from '../webhooks/webhooks.events.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';

const WEBHOOK_OF: Record<string, WebhookEvent> = {
  submitted: 'application.submitted',
  'in-review': 'application.status_changed',
  'info-requested': 'application.info_requested',
  resubmitted: 'application.resubmitted',
  approved: 'application.approved',
  rejected: 'application.rejected',
  message: 'message.sent',
  'payment.succeeded': 'payment.succeeded',
  'payment.refunded': 'payment.refunded',
};

export function connectApplications(o: {
  applications: ApplicationsService;
  webhooks: WebhookService;
  documents: DocumentService;
  catalog: CatalogService;
  log: (msg: string, detail?: Record<string, unknown>) => void;
}): {
  issueRequested: (applicationId: string, requestId: number, wait?: boolean) => Promise<'issued' | 'already' | 'busy' | 'not-approved'>;
} {
  // No personal data in webhook payloads: ids, reference, status and time. Agency systems read the
  // answers through the agency API with their key.
  o.applications.addEventSink(async (tx, app, events: ApplicationEventRow[]) => {
    for (const e of events) {
      const event = WEBHOOK_OF[e.type];
      if (!event) continue;
      await o.webhooks.emit(tx, app.agency_id, event, {
        applicationId: app.id,
        reference: app.reference,
        serviceId: app.service_id,
        status: app.status,
        event: e.type,
        eventId: String(e.id),
        at: new Date(e.at).toISOString(),
      });
    }
  });

  /** The decision certificate for an approved application, issued inside the caller's transaction. */
  const issueFor = async (
    app: ApplicationRow,
    tx: Transaction<Database>,
    service: Awaited<ReturnType<CatalogService['getService']>> | null,
  ) => {
    const lang = app.lang;
    const name = service ? (service.name[lang] ?? service.name.fa ?? service.name.en ?? '') : '';
    const answers = app.answers as Record<string, unknown>;
    const holder =
      typeof answers.fullName === 'string' && answers.fullName.trim() ? answers.fullName.trim() : lang === 'fa' ? 'متقاضی' : 'Applicant';
    const doc = await o.documents.issue(
      {
        agencyId: app.agency_id,
        serviceId: app.service_id,
        applicationRef: app.reference ?? undefined,
        kind: 'certificate',
        lang,
        title: lang === 'fa' ? `نتیجهٔ درخواست: ${name}` : `Decision on your application: ${name}`,
        holderName: holder,
        fields: [
          { label: lang === 'fa' ? 'خدمت' : 'Service', value: name },
          { label: lang === 'fa' ? 'شمارهٔ پیگیری' : 'Reference', value: app.reference ?? '' },
          { label: lang === 'fa' ? 'نتیجه' : 'Decision', value: lang === 'fa' ? 'پذیرفته شد' : 'Approved' },
        ],
      },
      tx,
    );
    return { code: doc.code, url: doc.downloadUrl };
  };

  /** Issues a requested document once (see ApplicationsService.issueRequested); used right after approval and by the sweeper. */
  const issueRequested = async (applicationId: string, requestId: number, wait = true) => {
    // what needs the pool is read before the transaction (embedded PGlite has a single connection)
    const pre = await o.applications.repo.byId(applicationId);
    if (!pre) return 'not-approved' as const;
    const service = await o.catalog.getService(pre.service_id).catch(() => null);
    await o.documents.keys.active();
    return o.applications.backoffice.issueRequested(applicationId, requestId, (app, tx) => issueFor(app, tx, service), { wait });
  };

  o.applications.onEvent(async ({ event, application: app }) => {
    if (event.type !== 'document.requested') return;
    try {
      await issueRequested(app.id, event.id);
    } catch (err) {
      // the sweeper (ApplicationJobs) tries again later
      o.log('issuing the result document failed', { application: app.id, err: (err as Error).message });
    }
  });
  return { issueRequested };
}
