// Money after the payment: refunds (a duplicate payment, a rejection where the form says so, or a
// finance officer's decision; audited), through the gateway's refund call with a 'refund' ledger row;
// the signed receipt (the documents module issues and signs it); the daily reconciliation of the
// ledger with the gateway's settlement report (mismatches listed, never fixed); reports and the
// monitoring metric "share of fees payable online".
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { present } from '../../platform/invariant.ts';
import type { ApplicationsService } from '../applications/applications.service.ts';
import type { DocumentService } from '../documents/documents.service.ts';
import type { Measure, MetricSource } from '../monitoring/monitoring.metrics.ts';
import { formatMoney } from './fees.ts';
import { GatewayUnavailable } from './gateway.ts';
import { PaymentsRepository, type PaymentRow } from './payments.repository.ts';
import type { PaymentsService } from './payments.service.ts';
import { paymentText } from './payments.text.ts';

export interface Mismatch {
  kind: 'missing-at-gateway' | 'missing-in-ledger' | 'amount-differs';
  orderId: string;
  reference: string | null;
  ledger: number | null;
  gateway: number | null;
}

const n = (v: string | number) => Number(v);

export class PaymentsFinance {
  constructor(
    private readonly payments: PaymentsService,
    private readonly applications: ApplicationsService,
    private readonly documents: DocumentService | null,
  ) {}
  get repo() {
    return this.payments.repo;
  }

  // ------------------------------------------------------------ refunds

  /** A finance officer refunds (part of) a card payment of their agency; audited. */
  async refundByOfficer(officer: { id: string; agency_id: string | null }, paymentId: string, amount: number, note: string): Promise<void> {
    const p = /^[0-9a-f-]{36}$/.test(paymentId) ? await this.repo.byId(paymentId) : undefined;
    if (!p || p.agency_id !== officer.agency_id) throw new AppError('PAYMENT_NOT_FOUND');
    const pending = (await this.repo.refundsOf(p.id)).filter((r) => r.status === 'pending').reduce((s, r) => s + n(r.amount), 0);
    if (
      p.status !== 'success' ||
      p.channel !== 'card' ||
      !Number.isSafeInteger(amount) ||
      amount < 1 ||
      amount > n(p.amount) - n(p.refunded_amount) - pending
    )
      throw new AppError('PAYMENT_REFUND_INVALID');
    await this.repo.transaction(async (tx) => {
      await this.repo.insertRefund(tx, {
        payment_id: p.id,
        amount,
        reason: 'officer',
        note: note.slice(0, 500) || null,
        requested_by: `staff:${officer.id}`,
      });
      await this.payments.recordAudit(`staff:${officer.id}`, 'refund', p.id, { amount, applicationId: p.application_id }, tx);
    });
    await this.refundPass();
  }

  /** On rejection, when the form says so: refunds the application's payment (once). */
  async refundOnRejection(applicationId: string): Promise<void> {
    const app = await this.applications.backoffice.forAgency(applicationId);
    const def = await this.applications.formOf(app);
    if (!def.fee?.refundOnRejection) return;
    const paid = await this.repo.paidFor(applicationId);
    if (!paid || paid.channel !== 'card') return;
    await this.repo.insertRefund(this.repo.db, {
      payment_id: paid.id,
      amount: n(paid.amount) - n(paid.refunded_amount),
      reason: 'rejection',
      requested_by: 'platform',
    });
    await this.refundPass();
  }

  /** Sends pending refunds to the gateway; each is claimed with a row lock, so it is sent once. */
  async refundPass(limit = 20): Promise<number> {
    const gateway = this.payments.gateway;
    if (!gateway) return 0;
    let done = 0;
    for (const r of await this.repo.pendingRefunds(limit)) {
      const p = present(await this.repo.byId(r.payment_id), `payment ${r.payment_id} of refund ${r.id}`);
      if (p.channel !== 'card' || !p.reference) continue; // bill duplicates are listed for the finance officer
      if (!p.settled_at) await this.payments.settle(p);
      let ref: { reference: string };
      try {
        ref = await gateway.refund(p.reference, n(r.amount));
      } catch (e) {
        if (!(e instanceof GatewayUnavailable)) throw e;
        await this.repo.refundFailed(r.id, r.attempts + 1 >= 10);
        continue;
      }
      let after: (() => void) | null = null;
      await this.repo.transaction(async (tx) => {
        const locked = await this.repo.lockRefund(tx, r.id);
        if (!locked) return;
        await this.repo.refundDone(tx, r.id, p.id, n(r.amount), ref.reference);
        await this.repo.ledger(
          tx,
          p,
          'refund',
          -n(r.amount),
          r.requested_by,
          { reason: r.reason, refundReference: ref.reference },
          ref.reference,
        );
        if (!p.duplicate)
          after = await this.applications.backoffice.recordEventIn(
            tx,
            p.application_id,
            'payment.refunded',
            { paymentId: p.id, amount: n(r.amount), reason: r.reason },
            paymentText('payment.refunded', p, n(r.amount)),
          );
      });
      (after as (() => void) | null)?.();
      done++;
    }
    return done;
  }

  // ------------------------------------------------------------ receipt

  /** The signed receipt of a successful payment (issued the first time it is asked for). */
  async receipt(p: PaymentRow): Promise<{ code: string; url: string }> {
    if (p.status !== 'success' || p.duplicate) throw new AppError('PAYMENT_NOT_FOUND');
    if (p.receipt_code && p.receipt_url) return { code: p.receipt_code, url: p.receipt_url };
    if (!this.documents) throw new AppError('PAYMENT_NOT_FOUND');
    const app = await this.applications.backoffice.forAgency(p.application_id);
    const lang = app.lang;
    const holder = typeof app.answers.fullName === 'string' ? app.answers.fullName : lang === 'fa' ? 'متقاضی' : 'Applicant';
    const fa = lang === 'fa';
    const doc = await this.documents.issue({
      agencyId: p.agency_id,
      serviceId: p.service_id,
      applicationRef: app.reference,
      kind: 'letter',
      lang,
      title: fa ? 'رسید پرداخت' : 'Payment receipt',
      holderName: holder,
      fields: [
        { label: fa ? 'شماره پیگیری درخواست' : 'Application reference', value: app.reference ?? '' },
        { label: fa ? 'مبلغ' : 'Amount', value: formatMoney(p.amount, lang) },
        {
          label: fa ? 'روش پرداخت' : 'Paid by',
          value: p.channel === 'bill' ? (fa ? 'شناسه قبض' : 'bill') : fa ? 'کارت بانکی' : 'bank card',
        },
        { label: fa ? 'شماره مرجع' : 'Reference', value: p.reference ?? '' },
        { label: fa ? 'شماره سفارش' : 'Order', value: String(p.order_id) },
        { label: fa ? 'واریز به حساب (شبا)' : 'Paid into (IBAN)', value: p.iban },
        { label: fa ? 'تاریخ' : 'Date', value: new Date(p.verified_at ?? p.updated_at).toISOString().slice(0, 10) },
      ],
    });
    await this.repo.setReceipt(p.id, doc.code, doc.downloadUrl);
    // set just now, or first by a concurrent request (setReceipt keeps the first): read back whichever it is
    const row = present(await this.repo.byId(p.id), `payment ${p.id}`);
    return {
      code: present(row.receipt_code, `the receipt code of payment ${p.id}`),
      url: present(row.receipt_url, `the receipt URL of payment ${p.id}`),
    };
  }

  // ------------------------------------------------------------ reconciliation

  /** Compares one UTC day of the ledger with the gateway's settlement report; stores and returns the result. */
  /** Compares the day's ledger with the gateway's settlement report; the result (and who ran it) is stored and audited together. */
  async reconcile(day: string, actor = 'platform') {
    const gateway = this.payments.gateway;
    if (!gateway) throw new AppError('PAYMENT_CARD_OFF');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(day)))
      throw new AppError('VALIDATION_FAILED', 'day must be a date like 2026-12-03.', { field: 'day' });
    const report = await gateway.settlementReport(day).catch((e) => {
      throw e instanceof GatewayUnavailable ? new AppError('PAYMENT_GATEWAY_UNAVAILABLE') : e;
    });
    const ledger = await this.repo.ledgerDay(gateway.name, day);
    const key = (kind: string, orderId: string, reference: string | null) =>
      `${kind === 'confirmation' || kind === 'settlement' ? 'in' : 'out'}:${orderId}:${kind === 'confirmation' || kind === 'settlement' ? '' : reference}`;
    const ours = new Map<string, { orderId: string; reference: string | null; amount: number }>();
    for (const l of ledger)
      ours.set(key(l.kind, String(l.order_id), l.reference), { orderId: String(l.order_id), reference: l.reference, amount: n(l.amount) });
    const mismatches: Mismatch[] = [];
    let matched = 0;
    for (const item of report) {
      const k = key(item.kind, item.orderId, item.reference);
      const mine = ours.get(k);
      if (!mine)
        mismatches.push({
          kind: 'missing-in-ledger',
          orderId: item.orderId,
          reference: item.reference,
          ledger: null,
          gateway: item.amount,
        });
      else if (mine.amount !== item.amount)
        mismatches.push({
          kind: 'amount-differs',
          orderId: item.orderId,
          reference: item.reference,
          ledger: mine.amount,
          gateway: item.amount,
        });
      else matched++;
      ours.delete(k);
    }
    for (const m of ours.values())
      mismatches.push({ kind: 'missing-at-gateway', orderId: m.orderId, reference: m.reference, ledger: m.amount, gateway: null });
    return this.repo.transaction(async (tx) => {
      const saved = await this.repo.saveReconciliation({ gateway: gateway.name, day, matched, mismatches }, tx);
      await this.payments.recordAudit(actor, 'reconcile', day, { matched, mismatches: mismatches.length }, tx);
      return saved;
    });
  }

  reconciliations() {
    return this.repo.reconciliations();
  }

  // ------------------------------------------------------------ reports

  async report(o: { agencyId?: string; from: Date; to: Date }) {
    const [money, pending] = await Promise.all([this.repo.report(o), this.repo.pendingReport(o)]);
    const rows = new Map<
      string,
      {
        day: string;
        agencyId: string;
        serviceId: string;
        channel: string;
        collected: number;
        refunded: number;
        pending: number;
        payments: number;
      }
    >();
    const at = (day: string, agencyId: string, serviceId: string, channel: string) => {
      const k = `${day}|${agencyId}|${serviceId}|${channel}`;
      let row = rows.get(k);
      if (!row) {
        row = { day, agencyId, serviceId, channel, collected: 0, refunded: 0, pending: 0, payments: 0 };
        rows.set(k, row);
      }
      return row;
    };
    for (const r of money)
      Object.assign(at(r.day, r.agency_id, r.service_id, r.channel), {
        collected: n(r.collected),
        refunded: n(r.refunded),
        payments: n(r.payments),
      });
    for (const r of pending) at(r.day, r.agency_id, r.service_id, r.channel).pending = n(r.pending);
    return [...rows.values()].sort(
      (a, b) => a.day.localeCompare(b.day) || a.agencyId.localeCompare(b.agencyId) || a.channel.localeCompare(b.channel),
    );
  }
}

/** A CSV cell that a spreadsheet will not run as a formula (= + - @ and tab/CR first are prefixed with '). */
export function csvCell(v: string | number): string {
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Monitoring: the share of an agency's services that declare a fee on their card and can be paid online
 * (their current form declares the fee). Reads the catalogue and form tables read-only.
 */
export function paymentMetrics(db: Kysely<Database>): MetricSource[] {
  const rows = () => new PaymentsRepository(db).feeServicesByAgency();
  const measure = (withFee: number, online: number): Measure => ({
    value: Math.round((1000 * online) / withFee) / 10,
    detail: { numerator: online, denominator: withFee },
  });
  const none = {
    noData: true as const,
    reason: { fa: 'هیچ خدمتی از این دستگاه هزینه اعلام نکرده است.', en: 'None of its services declares a fee.' },
  };
  return [
    {
      metric: 'payments.online-share',
      label: { fa: 'سهم هزینه‌های قابل پرداخت برخط', en: 'Share of fees payable online' },
      measure: async (ids) => {
        const by = new Map((await rows()).map((r) => [r.agency_id, r]));
        return new Map(
          ids.map((id): [string, Measure] => {
            const r = by.get(id);
            return [id, r ? measure(n(r.with_fee), n(r.online)) : none];
          }),
        );
      },
      national: async () => {
        const r = await rows();
        const withFee = r.reduce((s, x) => s + n(x.with_fee), 0);
        return withFee
          ? measure(
              withFee,
              r.reduce((s, x) => s + n(x.online), 0),
            )
          : none;
      },
    },
  ];
}
