// The finance officer's page (and the oversight office's, for every agency): payments with refunds,
// the reconciliation with the gateway and its mismatches, and the report by day, service and channel.
import { formatDate, tr, type Lang } from '../../../platform/i18n.ts';
import { ErrorSummary, type FieldError } from '../../../web/components.tsx';
import { Layout } from '../../../web/layout.tsx';
import { formatMoney } from '../fees.ts';
import type { PaymentRow } from '../payments.repository.ts';
import type { Mismatch } from '../payments.finance.ts';
import { paymentStatusTag } from './pay.tsx';

export interface FinanceView {
  lang: Lang;
  path: string;
  csrf: string;
  canRefund: boolean;
  agencyName: string;
  payments: PaymentRow[];
  reconciliations: { day: string; matched: number; mismatches: unknown[]; run_at: Date }[];
  report: { day: string; serviceId: string; channel: string; collected: number; refunded: number; pending: number; payments: number }[];
  serviceName: (id: string) => string;
  from: string;
  to: string;
  errors: FieldError[];
  notice?: string;
}

export function FinancePage(v: FinanceView) {
  const { lang } = v;
  const title = tr(lang, 'پرداخت‌ها و تطبیق', 'Payments and reconciliation');
  const money = (x: number | string) => formatMoney(x, lang);
  return (
    <Layout
      lang={lang}
      title={v.errors.length ? `${tr(lang, 'خطا: ', 'Error: ')}${title}` : title}
      altPath={v.path.replace(/^\/(fa|en)/, `/${lang === 'fa' ? 'en' : 'fa'}`)}
      hasError={v.errors.length > 0}
    >
      <p>
        <a class="back-link" href={`/${lang}/staff`}>
          {tr(lang, 'میز کار کارکنان', 'Staff home')}
        </a>
      </p>
      <ErrorSummary lang={lang} errors={v.errors} />
      {v.notice ? (
        <p class="notice" role="status">
          {v.notice}
        </p>
      ) : null}
      <h1>{title}</h1>
      {v.canRefund ? (
        <p>
          <a href={`/${lang}/staff/payments/accounts`}>
            {tr(lang, 'حساب‌های خزانه (شبا) دستگاه', "The agency's treasury accounts (IBAN)")}
          </a>
        </p>
      ) : null}
      <p class="lead">{v.agencyName}</p>

      <h2 id="report-title">{tr(lang, 'گزارش روزانه', 'Daily report')}</h2>
      <form method="get" action={v.path} class="panel">
        <label class="label" for="from">
          {tr(lang, 'از تاریخ (میلادی، YYYY-MM-DD)', 'From (YYYY-MM-DD)')}
        </label>
        <input class="input" id="from" name="from" value={v.from} inputMode="numeric" />
        <label class="label" for="to">
          {tr(lang, 'تا تاریخ (میلادی، YYYY-MM-DD)', 'To (YYYY-MM-DD)')}
        </label>
        <input class="input" id="to" name="to" value={v.to} inputMode="numeric" />
        <button class="button" type="submit">
          {tr(lang, 'نمایش', 'Show')}
        </button>
      </form>
      <p>
        <a href={`${v.path}/report.csv?from=${v.from}&to=${v.to}`}>{tr(lang, 'دریافت CSV', 'Download CSV')}</a>
      </p>
      <div class="table-wrap">
        <table aria-labelledby="report-title">
          <thead>
            <tr>
              <th scope="col">{tr(lang, 'روز', 'Day')}</th>
              <th scope="col">{tr(lang, 'خدمت', 'Service')}</th>
              <th scope="col">{tr(lang, 'روش', 'Channel')}</th>
              <th scope="col">{tr(lang, 'دریافتی', 'Collected')}</th>
              <th scope="col">{tr(lang, 'بازپرداخت', 'Refunded')}</th>
              <th scope="col">{tr(lang, 'در انتظار', 'Pending')}</th>
            </tr>
          </thead>
          <tbody>
            {v.report.map((r) => (
              <tr>
                <td>{r.day}</td>
                <td>{v.serviceName(r.serviceId)}</td>
                <td>{r.channel === 'card' ? tr(lang, 'کارت', 'Card') : tr(lang, 'قبض', 'Bill')}</td>
                <td>{money(r.collected)}</td>
                <td>{money(r.refunded)}</td>
                <td>{money(r.pending)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2 id="recon-title">{tr(lang, 'تطبیق با گزارش تسویه درگاه', "Reconciliation with the gateway's settlement report")}</h2>
      {v.canRefund ? (
        <form method="post" action={`${v.path}/reconcile`} class="panel">
          <input type="hidden" name="_csrf" value={v.csrf} />
          <label class="label" for="day">
            {tr(lang, 'روز (YYYY-MM-DD)', 'Day (YYYY-MM-DD)')}
          </label>
          <input class="input" id="day" name="day" value={v.to} inputMode="numeric" />
          <button class="button" type="submit">
            {tr(lang, 'تطبیق', 'Reconcile')}
          </button>
        </form>
      ) : null}
      {v.reconciliations.length ? (
        <ul>
          {v.reconciliations.map((r) => (
            <li>
              <strong>{r.day}</strong>: {tr(lang, `${r.matched} مورد مطابق`, `${r.matched} matched`)}
              {r.mismatches.length ? (
                <>
                  {tr(lang, `، ${r.mismatches.length} مغایرت:`, `, ${r.mismatches.length} mismatches:`)}
                  <ul>
                    {(r.mismatches as Mismatch[]).map((m) => (
                      <li>
                        {m.kind === 'missing-at-gateway'
                          ? tr(lang, 'در دفتر هست، در گزارش درگاه نیست', 'in the ledger, not in the gateway report')
                          : m.kind === 'missing-in-ledger'
                            ? tr(lang, 'در گزارش درگاه هست، در دفتر نیست', 'in the gateway report, not in the ledger')
                            : tr(lang, 'مبلغ متفاوت', 'amounts differ')}{' '}
                        — {tr(lang, 'سفارش', 'order')} <bdi>{m.orderId}</bdi>, {tr(lang, 'دفتر', 'ledger')}{' '}
                        {m.ledger === null ? '–' : money(m.ledger)}, {tr(lang, 'درگاه', 'gateway')}{' '}
                        {m.gateway === null ? '–' : money(m.gateway)}
                      </li>
                    ))}
                  </ul>
                </>
              ) : (
                tr(lang, '، بدون مغایرت', ', no mismatches')
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p>{tr(lang, 'هنوز تطبیقی انجام نشده است.', 'No reconciliation yet.')}</p>
      )}

      <h2 id="payments-title">{tr(lang, 'پرداخت‌های اخیر', 'Recent payments')}</h2>
      <div class="table-wrap">
        <table aria-labelledby="payments-title">
          <thead>
            <tr>
              <th scope="col">{tr(lang, 'تاریخ', 'Date')}</th>
              <th scope="col">{tr(lang, 'مرجع', 'Reference')}</th>
              <th scope="col">{tr(lang, 'مبلغ', 'Amount')}</th>
              <th scope="col">{tr(lang, 'وضعیت', 'Status')}</th>
              {v.canRefund ? <th scope="col">{tr(lang, 'بازپرداخت', 'Refund')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {v.payments.map((p) => (
              <tr>
                <td>{formatDate(lang, p.created_at)}</td>
                <td>
                  <bdi>{p.reference ?? p.order_id}</bdi>
                  {p.duplicate ? tr(lang, ' (تکراری)', ' (duplicate)') : ''}
                </td>
                <td>{money(p.amount)}</td>
                <td>{paymentStatusTag(lang, p)}</td>
                {v.canRefund ? (
                  <td>
                    {p.status === 'success' && p.channel === 'card' && Number(p.refunded_amount) < Number(p.amount) ? (
                      <form method="post" action={`${v.path}/${p.id}/refund`}>
                        <input type="hidden" name="_csrf" value={v.csrf} />
                        <label class="label" for={`amount-${p.id}`}>
                          {tr(lang, 'مبلغ (ریال)', 'Amount (rials)')}
                        </label>
                        <input
                          class="input"
                          id={`amount-${p.id}`}
                          name="amount"
                          inputMode="numeric"
                          value={String(Number(p.amount) - Number(p.refunded_amount))}
                        />
                        <label class="label" for={`note-${p.id}`}>
                          {tr(lang, 'دلیل', 'Reason')}
                        </label>
                        <input class="input" id={`note-${p.id}`} name="note" maxLength={500} />
                        <button class="button button-secondary" type="submit">
                          {tr(lang, 'بازپرداخت', 'Refund')}
                        </button>
                      </form>
                    ) : (
                      '–'
                    )}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}
