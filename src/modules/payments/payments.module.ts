// Composition of the payments module: the gateway adapter chosen by PAYMENTS_GATEWAY, the services, the
// jobs (inquiry of pending payments, settling) on a Poller. The routes: payments.register.ts.
import type { Config } from '../../config.ts';
import type { DatabaseHandle } from '../../db/connect.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { Poller } from '../../platform/poller.ts';
import { AppError } from '../../platform/errors.ts';
import type { ApplicationsService } from '../applications/applications.service.ts';
import type { PaymentGateway } from './gateway.ts';
import { SandboxGateway } from './sandbox/sandbox.gateway.ts';
import { PaymentsService } from './payments.service.ts';
import { BillsService } from './bills.service.ts';
import { PaymentsFinance } from './payments.finance.ts';
import { TreasuryAccounts } from './payments.treasury.ts';
import type { DocumentService } from '../documents/documents.service.ts';

/** The gateway adapter PAYMENTS_GATEWAY names (a real bank's adapter is one more case here). */
export function paymentGateway(config: Config): PaymentGateway | null {
  switch (config.PAYMENTS_GATEWAY) {
    case 'sandbox':
      return new SandboxGateway(
        config.PAYMENTS_GATEWAY_URL,
        config.PAYMENTS_TERMINAL_ID,
        config.PAYMENTS_TERMINAL_KEY ?? '',
        config.PAYMENTS_GATEWAY_TIMEOUT_MS,
        config.PAYMENTS_GATEWAY_BROWSER_URL ?? config.PAYMENTS_GATEWAY_URL,
      );
    default:
      return null;
  }
}

export interface PaymentsModule {
  payments: PaymentsService;
  bills: BillsService;
  finance: PaymentsFinance;
  treasury: TreasuryAccounts;
  jobs: Poller;
}

export function createPayments(
  config: Config,
  database: DatabaseHandle,
  applications: ApplicationsService,
  audit: AuditLog,
  documents: DocumentService,
  log: (msg: string, detail?: Record<string, unknown>) => void,
): PaymentsModule {
  const payments = new PaymentsService(database.db, paymentGateway(config), applications, audit, {
    publicUrl: () => config.PUBLIC_URL ?? `http://127.0.0.1:${config.PORT}`,
    verifyAttempts: config.PAYMENTS_VERIFY_ATTEMPTS,
    inquiryAfterSeconds: config.PAYMENTS_INQUIRY_AFTER_SECONDS,
    log,
  });
  const bills = new BillsService(payments, applications);
  // the decision step: approval needs the fee due at submission; the result document waits for a fee due before issue
  applications.backoffice.addApprovalCheck(async (app) => {
    if (!(await payments.paidOrFree(app, 'approve'))) throw new AppError('PAYMENT_REQUIRED');
  });
  applications.backoffice.addIssueCheck((app) => payments.paidOrFree(app, 'issue'));
  const finance = new PaymentsFinance(payments, applications, documents);
  // a rejection refunds the fee when the service's rule says so
  applications.onEvent((e) => {
    if (e.event.type === 'rejected')
      void finance
        .refundOnRejection(e.application.id)
        .catch((err) => log('refund on rejection failed', { applicationId: e.application.id, err: (err as Error).message }));
  });
  // every pass: pending payments (inquiry), settling, refunds; and once a day the reconciliation of yesterday
  const jobs = new Poller(
    'payments jobs',
    async () => {
      await payments.inquiryPass();
      await finance.refundPass();
      const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
      if (payments.gateway && !(await payments.repo.reconciliation(payments.gateway.name, yesterday))) await finance.reconcile(yesterday);
    },
    config.PAYMENTS_JOBS_INTERVAL_SECONDS * 1000,
    log,
  );
  return { payments, bills, finance, treasury: new TreasuryAccounts(payments.repo, audit), jobs };
}
