// What the citizen's "where is my application?" pages show, one method per page: the list of their
// applications and one application (a draft's task list, or the tracking page of a submitted one). The
// rules live here: only the person's own applications (anyone else's is "not found"), what is overdue
// (isOverdue), and that opening the page marks the agency's messages read. No HTTP, no SQL.
import type { CatalogService } from '../catalog/catalog.service.ts';
import type { BillsService } from '../payments/bills.service.ts';
import type { PaymentsService } from '../payments/payments.service.ts';
import type { RepresentationRow } from '../representation/representation.repository.ts';
import type { ApplicationRow } from './applications.repository.ts';
import type { ApplicationsService } from './applications.service.ts';
import { isOverdue } from './applications.types.ts';

export interface TrackingViewDeps {
  applications: ApplicationsService;
  catalog: Pick<CatalogService, 'getService' | 'getAgency'>;
  payments: () => { payments: Pick<PaymentsService, 'stateOf'>; bills: Pick<BillsService, 'billFor'> };
  representation: () => { recordOf(applicationId: string): Promise<RepresentationRow | undefined> };
}

export type TrackedView = Awaited<ReturnType<TrackingViews['tracked']>>;

export class TrackingViews {
  constructor(private readonly d: TrackingViewDeps) {}

  /** The person's applications, with their services and how many e-box messages are unread. */
  async listView(citizenId: string) {
    const A = this.d.applications;
    const [apps, unread] = await Promise.all([A.mine(citizenId), A.unread(citizenId)]);
    const ids = [...new Set(apps.map((a) => a.service_id))];
    const services = new Map(await Promise.all(ids.map(async (id) => [id, await this.d.catalog.getService(id)] as const)));
    return { apps, unread, services };
  }

  /** One of the person's own applications: a draft's task list, or the tracking page. */
  async detailView(citizenId: string, id: string) {
    const a = await this.d.applications.own(citizenId, id);
    if (a.status === 'draft') {
      const [service, def] = await Promise.all([this.d.catalog.getService(a.service_id), this.d.applications.formOf(a)]);
      return { kind: 'draft' as const, a, def, service };
    }
    return { kind: 'tracked' as const, ...(await this.tracked(a)) };
  }

  /** Everything the tracking page of a submitted application shows; opening it marks the agency's messages read. */
  async tracked(a: ApplicationRow) {
    const A = this.d.applications;
    const [service, agency, events, files, messages, rating, def, payment, actingFor] = await Promise.all([
      this.d.catalog.getService(a.service_id),
      this.d.catalog.getAgency(a.agency_id),
      A.timeline(a),
      A.files(a),
      A.messagesOf(a),
      A.rating(a),
      A.formOf(a),
      this.d.payments().payments.stateOf(a),
      this.d.representation().recordOf(a.id),
    ]);
    if (messages.some((m) => m.sender !== 'citizen' && !m.read_at)) await A.markThreadRead(a);
    const bill = payment?.payable ? await this.d.payments().bills.billFor(a) : null;
    return {
      a,
      service,
      agency,
      events,
      files,
      messages,
      rating,
      def,
      payment,
      bill,
      actingFor,
      decided: a.status === 'approved' || a.status === 'rejected',
      overdue: isOverdue(a),
      request: messages.filter((m) => m.kind === 'info-request').at(-1),
    };
  }
}
