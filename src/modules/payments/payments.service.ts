// The rules of paying for an application. A payment moves created -> started (token from the gateway,
// citizen sent to the bank) -> submitted (callback received) -> success | failed | cancelled | error
// (GOV.UK Pay's states). Nothing is paid until the gateway VERIFIES it server to server; the callback's
// own fields are never trusted. Every attempt, confirmation, failure, reversal and refund is a ledger row.
// An application is paid once: the first success inserts paid_applications; a later success is marked
// duplicate and refunded automatically. Network calls are made outside transactions; state changes are
// compare-and-set updates (or a row lock) so concurrent duplicate callbacks confirm a payment once.
import type { Kysely, Transaction } from 'kysely';
import type { Database, PaymentStatus } from '../../db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { present } from '../../platform/invariant.ts';
import type { AuditLog } from '../../platform/audit.ts';
import type { ApplicationsService } from '../applications/applications.service.ts';
import type { ApplicationRow } from '../applications/applications.repository.ts';
import { computeFee, type FeeDeclaration } from './fees.ts';
import { GatewayUnavailable, type PaymentGateway, type VerifyResult } from './gateway.ts';
import { PaymentsRepository, type PaymentRow } from './payments.repository.ts';
import { paymentText } from './payments.text.ts';

export interface PaymentsOptions {
  /** Base of absolute URLs (PUBLIC_URL), read at call time. */
  publicUrl: () => string;
  verifyAttempts: number;
  inquiryAfterSeconds: number;
  log?: (msg: string, detail?: Record<string, unknown>) => void;
}

export interface PaymentState {
  fee: FeeDeclaration;
  amount: number;
  /** Whether the citizen can pay now (due and not paid). */
  payable: boolean;
  /** Why not yet: due after approval. */
  waitingForApproval: boolean;
  paid: (PaymentRow & { paid_at: Date }) | null;
  refunded: number;
  latest: PaymentRow | null;
}

const FINAL: PaymentStatus[] = ['success', 'failed', 'cancelled', 'error'];
const n = (v: string | number) => Number(v);

export class PaymentsService {
  readonly repo: PaymentsRepository;
  /** Called after an application is first paid (server.ts connects the result-document issuing). */
  onPaid: (applicationId: string) => void = () => {};

  constructor(
    db: Kysely<Database>,
    readonly gateway: PaymentGateway | null,
    private readonly applications: ApplicationsService,
    private readonly audit: AuditLog,
    private readonly o: PaymentsOptions,
  ) {
    this.repo = new PaymentsRepository(db);
  }

  // ------------------------------------------------------------ what is due

  /** The fee an application carries, or null (free, or no fee on its form). */
  async feeOf(app: ApplicationRow): Promise<{ fee: FeeDeclaration; amount: number } | null> {
    const def = await this.applications.formOf(app);
    if (!def.fee) return null;
    let amount: number;
    try {
      amount = computeFee(def.fee, app.answers);
    } catch {
      return null; // a draft without the answer the rule needs: nothing to show yet
    }
    return amount > 0 ? { fee: def.fee, amount } : null;
  }

  async stateOf(app: ApplicationRow): Promise<PaymentState | null> {
    const f = await this.feeOf(app);
    if (!f) return null;
    const [paid, all] = await Promise.all([this.repo.paidFor(app.id), this.repo.ofApplication(app.id)]);
    const open = app.status !== 'draft' && app.status !== 'rejected';
    const waitingForApproval = f.fee.due === 'before-issue' && app.status !== 'approved';
    return {
      ...f,
      payable: open && !paid && !waitingForApproval,
      waitingForApproval: open && !paid && waitingForApproval,
      paid: paid ?? null,
      refunded: paid ? n(paid.refunded_amount) : 0,
      latest: all[0] ?? null,
    };
  }

  /** Whether an agency may approve (fee due at submission) or issue the result (fee due before issue). */
  async paidOrFree(app: ApplicationRow, step: 'approve' | 'issue'): Promise<boolean> {
    const f = await this.feeOf(app);
    if (!f) return true;
    if (step === 'approve' && f.fee.due !== 'submission') return true;
    return !!(await this.repo.paidFor(app.id));
  }

  async #treasury(app: ApplicationRow): Promise<string> {
    const acct = await this.repo.treasuryFor(app.agency_id, app.service_id);
    if (!acct) throw new AppError('PAYMENT_NO_ACCOUNT');
    return acct.iban;
  }

  async #payable(citizenId: string, applicationId: string): Promise<{ app: ApplicationRow; amount: number; iban: string }> {
    const app = await this.applications.own(citizenId, applicationId);
    const s = await this.stateOf(app);
    if (!s) throw new AppError('PAYMENT_NOT_DUE');
    if (s.paid) throw new AppError('PAYMENT_ALREADY_PAID');
    if (!s.payable) throw new AppError('PAYMENT_NOT_DUE');
    return { app, amount: s.amount, iban: await this.#treasury(app) };
  }

  // ------------------------------------------------------------ card: start

  /**
   * Starts a card payment: a payment row and an 'attempt' ledger row, then a token from the gateway.
   * If the gateway is down the payment ends 'error' and the citizen can try again (nothing else changes).
   */
  async startCard(
    citizenId: string,
    applicationId: string,
  ): Promise<{ payment: PaymentRow; redirect: { url: string; fields: Record<string, string> } }> {
    if (!this.gateway) throw new AppError('PAYMENT_CARD_OFF');
    const { app, amount, iban } = await this.#payable(citizenId, applicationId);
    const gateway = this.gateway;
    const payment = await this.repo.transaction(async (tx) => {
      const p = await this.repo.insertPayment(tx, {
        application_id: app.id,
        agency_id: app.agency_id,
        service_id: app.service_id,
        citizen_id: app.citizen_id,
        channel: 'card',
        gateway: gateway.name,
        amount,
        iban,
        status: 'created',
      });
      await this.repo.ledger(tx, p, 'attempt', 0, 'citizen', { amount });
      return p;
    });
    let token;
    try {
      token = await gateway.requestToken({
        amount,
        orderId: String(payment.order_id),
        callbackUrl: `${this.o.publicUrl()}/payments/ipg/callback/${payment.id}`,
      });
    } catch (e) {
      if (!(e instanceof GatewayUnavailable)) throw e;
      await this.#fail(payment, ['created'], 'error', 'gateway-unavailable', 'failure');
      throw new AppError('PAYMENT_GATEWAY_UNAVAILABLE');
    }
    const started = await this.repo.move(this.repo.db, payment.id, ['created'], { status: 'started', token: token.token });
    return { payment: started ?? payment, redirect: token.redirect };
  }

  // ------------------------------------------------------------ card: callback, verify, settle

  /**
   * The gateway's callback (the citizen's browser posts it; nothing in it is trusted). Returns the payment
   * as it stands afterwards. Replays and duplicates answer with the payment's current state.
   */
  async callback(paymentId: string, body: Record<string, unknown>): Promise<PaymentRow> {
    if (!this.gateway) throw new AppError('PAYMENT_CARD_OFF');
    const fields = this.gateway.parseCallback(body);
    if (!fields) throw new AppError('PAYMENT_CALLBACK_INVALID');
    const p = /^[0-9a-f-]{36}$/.test(paymentId) ? await this.repo.byId(paymentId) : undefined;
    if (!p) throw new AppError('PAYMENT_NOT_FOUND');
    if (!p.token || fields.token !== p.token || fields.orderId !== String(p.order_id)) throw new AppError('PAYMENT_CALLBACK_MISMATCH');
    if (FINAL.includes(p.status)) return p;
    if (fields.outcome !== 'ok' || !fields.reference) {
      // a decline is believed only when the gateway agrees nothing was paid
      const q = await this.gateway.inquiry(String(p.order_id)).catch(() => null);
      if (q && (q.state === 'paid' || q.state === 'verified' || q.state === 'settled') && q.reference)
        return this.confirm(p, q.reference, 'inquiry');
      if (q && q.state !== 'new' && q.state !== 'unknown')
        await this.#fail(
          p,
          ['started', 'submitted'],
          fields.outcome === 'cancelled' ? 'cancelled' : 'failed',
          fields.outcome === 'cancelled' ? 'cancelled' : 'declined',
          'failure',
        );
      return this.#reread(p.id);
    }
    // stays 'started' until the gateway confirms: a forged reference changes nothing
    return this.confirm(p, fields.reference, 'callback');
  }

  /**
   * Verifies `reference` for payment `p` with the gateway (retrying when it does not answer), then records
   * the outcome once. A reference the gateway does not know is refused without changing the payment.
   */
  async confirm(p: PaymentRow, reference: string, via: 'callback' | 'inquiry'): Promise<PaymentRow> {
    const gateway = this.gateway;
    if (!gateway) throw new AppError('PAYMENT_CARD_OFF');
    // both callers (the callback and the inquiry job) only confirm a payment the gateway gave a token
    const token = present(p.token, `the gateway token of payment ${p.id}`);
    let result: VerifyResult | null = null;
    for (let attempt = 1; attempt <= this.o.verifyAttempts && !result; attempt++) {
      try {
        result = await gateway.verify({ token, reference });
      } catch (e) {
        if (!(e instanceof GatewayUnavailable)) throw e;
        this.o.log?.('payment verify failed', { paymentId: p.id, attempt });
      }
    }
    if (!result) {
      // never answered: reverse, so the citizen's money is returned; if even that fails the inquiry job retries
      const reversed = await gateway.reverse({ reference, orderId: String(p.order_id) }).then(
        () => true,
        () => false,
      );
      if (reversed) await this.#fail(p, ['started', 'submitted'], 'error', 'verify-failed', 'reversal', reference);
      else await this.repo.touch(p.id, { failure: 'verify-failed' });
      return this.#reread(p.id);
    }
    if (result.outcome === 'refused') {
      if (result.code === 'unknown') throw new AppError('PAYMENT_NOT_CONFIRMED');
      await this.#fail(p, ['started', 'submitted'], 'failed', result.code, 'failure');
      return this.#reread(p.id);
    }
    if (result.amount !== n(p.amount) || result.orderId !== String(p.order_id)) {
      await gateway.reverse({ reference: result.reference, orderId: String(p.order_id) }).catch(() => {});
      await this.#fail(p, ['started', 'submitted'], 'error', 'amount-mismatch', 'reversal', result.reference);
      return this.#reread(p.id);
    }
    const done = await this.#succeed(p, result, via);
    if (done.status === 'success' && !done.settled_at) await this.settle(done);
    return this.#reread(p.id);
  }

  /** Payment `id` as it stands now (payments are never deleted, so one the caller holds is there). */
  async #reread(id: string): Promise<PaymentRow> {
    return present(await this.repo.byId(id), `payment ${id}`);
  }

  async #succeed(p: PaymentRow, v: Extract<VerifyResult, { outcome: 'verified' }>, via: string): Promise<PaymentRow> {
    let after: (() => void) | null = null;
    let first = false;
    const row = await this.repo.transaction(async (tx) => {
      const locked = await this.repo.lock(tx, p.id);
      if (!locked || locked.status === 'success') return locked;
      if (FINAL.includes(locked.status)) return locked; // failed or reversed meanwhile: the inquiry job and reconciliation see it
      first = await this.repo.markPaid(tx, p.application_id, p.id);
      // locked and neither a success nor final, so it is in one of the states it moves from
      const moved = present(
        await this.repo.move(tx, p.id, ['created', 'started', 'submitted'], {
          status: 'success',
          reference: v.reference,
          trace: v.trace,
          card_mask: v.cardMask,
          verified_at: new Date(),
          duplicate: !first,
          failure: null,
        }),
        `payment ${p.id} moving to success`,
      );
      await this.repo.ledger(tx, moved, 'confirmation', n(moved.amount), 'gateway', { via, trace: v.trace });
      if (first) after = await this.#paidEvent(tx, moved);
      else
        await this.repo.insertRefund(tx, { payment_id: moved.id, amount: n(moved.amount), reason: 'duplicate', requested_by: 'platform' });
      return moved;
    });
    (after as (() => void) | null)?.();
    if (first) this.onPaid(p.application_id);
    return present(row, `payment ${p.id}`);
  }

  /** The 'payment.succeeded' event on the application (timeline, e-box, SMS, webhook) in `tx`. */
  #paidEvent(tx: Transaction<Database>, p: PaymentRow) {
    const text = paymentText('payment.succeeded', p);
    return this.applications.backoffice.recordEventIn(
      tx,
      p.application_id,
      'payment.succeeded',
      { paymentId: p.id, amount: n(p.amount), channel: p.channel, reference: p.reference },
      text,
    );
  }

  async settle(p: PaymentRow): Promise<void> {
    try {
      // only successful card payments are settled, and a success carries the gateway's reference
      await present(this.gateway, 'the card gateway').settle(present(p.reference, `the reference of payment ${p.id}`));
      await this.repo.touch(p.id, { settled_at: new Date() });
    } catch (e) {
      if (!(e instanceof GatewayUnavailable)) throw e;
      this.o.log?.('payment settle failed; the jobs retry', { paymentId: p.id });
    }
  }

  async #fail(
    p: PaymentRow,
    from: PaymentStatus[],
    status: PaymentStatus,
    failure: string,
    kind: 'failure' | 'reversal',
    reference: string | null = null,
  ): Promise<void> {
    await this.repo.transaction(async (tx) => {
      const moved = await this.repo.move(tx, p.id, from, { status, failure });
      if (moved) await this.repo.ledger(tx, moved, kind, 0, 'gateway', { failure }, reference);
    });
  }

  // ------------------------------------------------------------ the inquiry job

  /**
   * Resolves card payments pending longer than PAYMENTS_INQUIRY_AFTER_SECONDS by asking the gateway:
   * paid but not verified -> verify (the citizen paid; a crash before verify loses nothing), verify failed
   * before -> reverse, nothing paid -> failed. Also retries settling. Returns how many it resolved.
   */
  async inquiryPass(limit = 50): Promise<number> {
    if (!this.gateway) return 0;
    const gateway = this.gateway;
    const claimed = await this.repo.transaction(async (tx) => {
      const rows = await this.repo.claimPending(tx, this.o.inquiryAfterSeconds, limit);
      await this.repo.touchClaimed(
        tx,
        rows.map((r) => r.id),
      );
      return rows;
    });
    let resolved = 0;
    for (const p of claimed) {
      let q;
      try {
        q = await gateway.inquiry(String(p.order_id));
      } catch {
        continue;
      }
      await this.repo.touch(p.id, {}, true);
      if ((q.state === 'paid' || q.state === 'verified' || q.state === 'settled') && q.reference && p.token) {
        if (p.failure === 'verify-failed' && q.state === 'paid') {
          const ok = await gateway.reverse({ reference: q.reference, orderId: String(p.order_id) }).then(
            () => true,
            () => false,
          );
          if (ok) await this.#fail(p, ['started', 'submitted', 'created'], 'error', 'verify-failed', 'reversal', q.reference);
        } else
          await this.confirm(p, q.reference, 'inquiry').catch((e) =>
            this.o.log?.('inquiry confirm failed', { paymentId: p.id, err: (e as Error).message }),
          );
        resolved++;
      } else if (q.state === 'new' || q.state === 'unknown' || q.state === 'failed' || q.state === 'cancelled' || q.state === 'reversed') {
        if (q.state === 'new') await gateway.reverse({ orderId: String(p.order_id) }).catch(() => {});
        await this.#fail(
          p,
          ['created', 'started', 'submitted'],
          q.state === 'cancelled' ? 'cancelled' : 'failed',
          q.state === 'new' ? 'abandoned' : q.state,
          'failure',
        );
        resolved++;
      }
    }
    for (const p of await this.repo.unsettled(limit)) await this.settle(p);
    return resolved;
  }

  // ------------------------------------------------------------ reading

  /** The payment state the agency API shows (no card data beyond the bank's mask). */
  async apiState(app: ApplicationRow) {
    const s = await this.stateOf(app);
    if (!s) return { applicationId: app.id, fee: null, status: 'free' };
    const status = s.paid
      ? s.refunded > 0
        ? 'refunded'
        : 'paid'
      : s.payable
        ? 'unpaid'
        : s.waitingForApproval
          ? 'due-after-approval'
          : 'not-due';
    const payments = await this.repo.ofApplication(app.id);
    return {
      applicationId: app.id,
      fee: { amount: s.amount, due: s.fee.due, currency: 'IRR' },
      status,
      paid: s.paid
        ? {
            paymentId: s.paid.id,
            channel: s.paid.channel,
            reference: s.paid.reference,
            amount: n(s.paid.amount),
            refunded: s.refunded,
            at: new Date(s.paid.paid_at).toISOString(),
          }
        : null,
      attempts: payments.map((p) => ({
        paymentId: p.id,
        channel: p.channel,
        status: p.status,
        amount: n(p.amount),
        duplicate: p.duplicate,
        reference: p.status === 'success' ? p.reference : null,
        at: new Date(p.created_at).toISOString(),
      })),
    };
  }

  async forCitizen(citizenId: string, applicationId: string, paymentId: string): Promise<{ app: ApplicationRow; payment: PaymentRow }> {
    const app = await this.applications.own(citizenId, applicationId);
    const payment = /^[0-9a-f-]{36}$/.test(paymentId) ? await this.repo.byId(paymentId) : undefined;
    if (!payment || payment.application_id !== app.id) throw new AppError('PAYMENT_NOT_FOUND');
    return { app, payment };
  }

  /** The application's language, for the redirect after a callback. */
  async applicationOf(p: PaymentRow): Promise<ApplicationRow> {
    return this.applications.backoffice.forAgency(p.application_id);
  }

  ledgerOf(paymentId: string) {
    return this.repo.ledgerOf(paymentId);
  }
  balance(applicationId: string) {
    return this.repo.balance(applicationId);
  }
  paidSet(applicationIds: string[]) {
    return this.repo.paidSet(applicationIds);
  }

  /** An audit entry for a payment action; with `tx`, in the transaction of the change it records. */
  recordAudit(actor: string, action: string, subject: string, detail: Record<string, unknown>, tx?: Transaction<Database>) {
    return this.audit.record({ actor, action: `payment.${action}`, subject, detail }, tx);
  }
}
