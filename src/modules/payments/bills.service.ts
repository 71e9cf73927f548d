// Paying by bill: a bill ID and payment ID per payable application, which any bank channel accepts, and
// the P2G API banks call (GovStack Payments BB bill inquiry and bill payment): inquiry answers the amount
// due and the status; a payment notification marks the bill paid exactly once (the bill row is locked,
// the bill moves open -> paid once, and the application is paid through the same paid_applications row
// as a card payment: a bill paid after a card payment is a duplicate and is listed for refund).
import crypto from 'node:crypto';
import { AppError } from '../../platform/errors.ts';
import { present } from '../../platform/invariant.ts';
import type { ApplicationsService } from '../applications/applications.service.ts';
import type { ApplicationRow } from '../applications/applications.repository.ts';
import { billBarcode, makeBill, parseBillId, parsePaymentId } from './bills.ts';
import type { PaymentsService } from './payments.service.ts';
import type { PaymentRow } from './payments.repository.ts';
import type { BillView } from './pages/pay.tsx';
import { billText, paymentText } from './payments.text.ts';

export interface Bank {
  id: string;
  code: string;
}
const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

export class BillsService {
  constructor(
    private readonly payments: PaymentsService,
    private readonly applications: ApplicationsService,
  ) {}
  get repo() {
    return this.payments.repo;
  }

  /** The application's bill (issued the first time it is asked for while payable); null when bills cannot carry the amount. */
  async billFor(app: ApplicationRow): Promise<BillView | null> {
    const existing = await this.repo.billOf(app.id);
    if (existing)
      return {
        billId: existing.bill_id,
        paymentId: existing.payment_id,
        barcode: billBarcode(existing.bill_id, existing.payment_id),
        status: existing.status,
      };
    const state = await this.payments.stateOf(app);
    if (!state?.payable || state.amount % 1000 !== 0) return null;
    const acct = await this.repo.treasuryFor(app.agency_id, app.service_id);
    if (!acct) return null;
    const serial = await this.repo.nextBillSerial();
    if (serial.length > 8) return null;
    const b = makeBill({ serial, companyCode: acct.bill_company_code, amount: state.amount });
    const inserted = await this.repo.insertBill({
      application_id: app.id,
      agency_id: app.agency_id,
      bill_id: b.billId,
      payment_id: b.paymentId,
      amount: state.amount,
    });
    if (inserted) {
      // the citizen's e-box keeps the bill too (any bank channel accepts it)
      const text = billText(b.billId, b.paymentId, state.amount);
      const after = await this.repo.transaction((tx) =>
        this.applications.backoffice.recordEventIn(
          tx,
          app.id,
          'payment.bill-issued',
          { billId: b.billId, paymentId: b.paymentId, amount: state.amount },
          text,
        ),
      );
      after();
    }
    const row = present(await this.repo.billOf(app.id), `the bill of application ${app.id}`);
    return { billId: row.bill_id, paymentId: row.payment_id, barcode: billBarcode(row.bill_id, row.payment_id), status: row.status };
  }

  // ------------------------------------------------------------ banks

  async authenticate(authorization: string | undefined): Promise<Bank> {
    const m = /^Bearer\s+(\S{20,200})$/i.exec(authorization ?? '');
    if (!m) throw new AppError('BANK_KEY_MISSING');
    const bank = await this.repo.bankByKeyHash(sha256(m[1]));
    if (!bank) throw new AppError('BANK_KEY_INVALID');
    return { id: bank.id, code: bank.code };
  }

  /** A new bank credential; the key is shown once. */
  async addBank(code: string, name: string, by: string): Promise<{ key: string }> {
    if (!/^[A-Z0-9-]{2,20}$/.test(code))
      throw new AppError('VALIDATION_FAILED', 'The bank code is 2 to 20 capital letters, digits or dashes.', { field: 'code' });
    const key = `p2g_${crypto.randomBytes(24).toString('base64url')}`;
    await this.repo.insertBank({
      code,
      name: JSON.stringify({ fa: name, en: name }),
      key_hash: sha256(key),
      key_prefix: key.slice(0, 8),
      created_by: by,
    });
    await this.payments.recordAudit(by, 'bank.add', code, {});
    return { key };
  }

  #checked(rawBillId: string, rawPaymentId?: string) {
    const b = parseBillId(rawBillId);
    if (!b.ok) throw new AppError(b.reason === 'format' ? 'BILL_ID_INVALID' : 'BILL_ID_CHECK_DIGIT');
    if (rawPaymentId === undefined) return { billId: b.billId };
    const p = parsePaymentId(b.billId, rawPaymentId);
    if (!p.ok) throw new AppError(p.reason === 'format' ? 'BILL_ID_INVALID' : 'BILL_PAYMENT_ID_CHECK_DIGIT');
    return { billId: b.billId, paymentId: p.paymentId };
  }

  /** Bill inquiry: the amount due and the status. */
  async inquiry(rawBillId: string) {
    const { billId } = this.#checked(rawBillId);
    const bill = await this.repo.billById(billId);
    if (!bill) throw new AppError('BILL_NOT_FOUND');
    const app = await this.applications.backoffice.forAgency(bill.application_id);
    const paidElsewhere = bill.status === 'open' && !!(await this.repo.paidFor(app.id));
    return {
      bill,
      status:
        bill.status === 'paid' || paidElsewhere ? 'PAID' : bill.status === 'open' && app.status !== 'rejected' ? 'UNPAID' : 'CANCELLED',
    };
  }

  /**
   * A bank's payment notification: marks the bill paid exactly once. Same reference again: the same answer
   * (idempotent); a different payment for a paid bill, a wrong amount, or a payment ID of another bill are refused.
   */
  async notifyPaid(
    bank: Bank,
    o: { billId: string; paymentId: string; reference: string; amount: number },
  ): Promise<{ payment: PaymentRow; already: boolean }> {
    const { billId, paymentId } = this.#checked(o.billId, o.paymentId);
    if (!/^[A-Za-z0-9-]{4,32}$/.test(o.reference))
      throw new AppError('VALIDATION_FAILED', 'paymentReferenceID must be 4 to 32 letters, digits or dashes.', {
        field: 'paymentReferenceID',
      });
    let after: (() => void) | null = null;
    let first = false;
    const result = await this.repo.transaction(async (tx) => {
      const bill = await this.repo.lockBill(tx, billId);
      if (!bill) throw new AppError('BILL_NOT_FOUND');
      if (bill.payment_id !== paymentId) throw new AppError('BILL_PAYMENT_ID_UNKNOWN');
      if (bill.status === 'paid') {
        const prior = await this.repo.byIdIn(tx, present(bill.paid_payment, `the payment of paid bill ${billId}`));
        if (bill.bank === bank.code && bill.bank_reference === o.reference) return { payment: prior, already: true };
        throw new AppError('BILL_ALREADY_PAID');
      }
      if (bill.status !== 'open') throw new AppError('BILL_NOT_PAYABLE');
      if (o.amount !== Number(bill.amount)) throw new AppError('BILL_AMOUNT_MISMATCH', undefined, { due: Number(bill.amount) });
      const app = await this.repo.applicationFor(tx, bill.application_id);
      const acct = await this.repo.treasuryFor(app.agency_id, app.service_id, tx);
      const p = await this.repo.insertPayment(tx, {
        application_id: app.id,
        agency_id: app.agency_id,
        service_id: app.service_id,
        citizen_id: app.citizen_id,
        channel: 'bill',
        gateway: `bank:${bank.code}`,
        amount: Number(bill.amount),
        iban: acct?.iban ?? 'IR000000000000000000000000',
        status: 'success',
        reference: `${bank.code}-${o.reference}`,
      });
      await this.repo.settledNow(tx, p.id);
      await this.repo.markBillPaid(tx, bill.id, p.id, bank.code, o.reference);
      await this.payments.recordAudit(`bank:${bank.code}`, 'bill-paid', app.id, { billId, paymentId: p.id }, tx);
      await this.repo.ledger(tx, p, 'attempt', 0, `bank:${bank.code}`, { billId });
      await this.repo.ledger(tx, p, 'confirmation', Number(bill.amount), `bank:${bank.code}`, { billId });
      first = await this.repo.markPaid(tx, app.id, p.id);
      if (first)
        after = await this.applications.backoffice.recordEventIn(
          tx,
          app.id,
          'payment.succeeded',
          { paymentId: p.id, amount: Number(p.amount), channel: 'bill', reference: p.reference },
          paymentText('payment.succeeded', p),
        );
      else {
        await this.repo.markDuplicate(tx, p.id);
        // a bill cannot be refunded through a card gateway: listed for the finance officer as a duplicate
        await this.repo.insertRefund(tx, {
          payment_id: p.id,
          amount: Number(p.amount),
          reason: 'duplicate',
          requested_by: 'platform',
          note: 'bill paid after another payment',
        });
      }
      return { payment: p, already: false };
    });
    (after as (() => void) | null)?.();
    if (first) this.payments.onPaid(result.payment.application_id);
    return result;
  }
}
