// The citizen's payment pages: what is due and how to pay (card or bill), the hand-over to the bank (a
// form POST: works without JavaScript), the page after the bank sends the citizen back, and the payment
// panel on the application page.
import { formatDate, tr, type Lang } from '../../../platform/i18n.ts';
import { SummaryList, Tag } from '../../../web/components.tsx';
import { Layout } from '../../../web/layout.tsx';
import { formatMoney } from '../fees.ts';
import type { PaymentRow } from '../payments.repository.ts';
import type { PaymentState } from '../payments.service.ts';

const otherLang = (lang: Lang, path: string) => path.replace(/^\/(fa|en)/, `/${lang === 'fa' ? 'en' : 'fa'}`);
export interface BillView {
  billId: string;
  paymentId: string;
  barcode: string;
  status: string;
}

export function Bill({ lang, bill }: { lang: Lang; bill: BillView }) {
  return (
    <SummaryList
      rows={[
        {
          key: tr(lang, 'شناسه قبض', 'Bill ID'),
          value: (
            <bdi class="reference-number" dir="ltr">
              {bill.billId}
            </bdi>
          ),
        },
        {
          key: tr(lang, 'شناسه پرداخت', 'Payment ID'),
          value: (
            <bdi class="reference-number" dir="ltr">
              {bill.paymentId}
            </bdi>
          ),
        },
        {
          key: tr(lang, 'بارکد', 'Barcode'),
          value: (
            <bdi class="barcode" dir="ltr" aria-label={tr(lang, `بارکد ${bill.barcode}`, `Barcode ${bill.barcode}`)}>
              {bill.barcode}
            </bdi>
          ),
        },
      ]}
    />
  );
}

export function PayPage(p: {
  lang: Lang;
  path: string;
  appPath: string;
  serviceName: string;
  reference: string;
  state: PaymentState;
  cardOn: boolean;
  csrf: string;
  bill: BillView | null;
  error?: string;
}) {
  const { lang, state } = p;
  const title = tr(lang, 'پرداخت هزینه درخواست', 'Pay for your application');
  const show = state.fee.show ?? 'rial';
  return (
    <Layout
      lang={lang}
      title={p.error ? `${tr(lang, 'خطا: ', 'Error: ')}${title}` : title}
      altPath={otherLang(lang, p.path)}
      hasError={!!p.error}
    >
      <p>
        <a class="back-link" href={p.appPath}>
          {tr(lang, 'بازگشت به درخواست', 'Back to your application')}
        </a>
      </p>
      {p.error ? (
        <div class="error-summary" role="alert" tabIndex={-1}>
          <h2 class="error-summary-title">{tr(lang, 'مشکلی پیش آمد', 'There is a problem')}</h2>
          <p>{p.error}</p>
        </div>
      ) : null}
      <h1>{title}</h1>
      <SummaryList
        rows={[
          { key: tr(lang, 'خدمت', 'Service'), value: p.serviceName },
          { key: tr(lang, 'شماره پیگیری', 'Reference'), value: <bdi>{p.reference}</bdi> },
          { key: tr(lang, 'مبلغ', 'Amount'), value: <strong>{formatMoney(state.amount, lang, show)}</strong> },
        ]}
      />
      {state.paid ? (
        <p class="inset">{tr(lang, 'این درخواست پرداخت شده است.', 'This application has been paid.')}</p>
      ) : !state.payable ? (
        <p class="inset">
          {state.waitingForApproval
            ? tr(
                lang,
                'این هزینه پس از پذیرش درخواست و پیش از صدور نتیجه پرداخت می‌شود. پس از پذیرش به شما خبر می‌دهیم.',
                'This fee is paid after the application is approved, before the result is issued. We will tell you when it is approved.',
              )
            : tr(lang, 'اکنون پرداختی لازم نیست.', 'Nothing is due now.')}
        </p>
      ) : (
        <>
          {p.cardOn ? (
            <>
              <h2>{tr(lang, 'پرداخت با کارت بانکی', 'Pay by bank card')}</h2>
              <p>
                {tr(
                  lang,
                  'به درگاه پرداخت بانک می‌روید و پس از پرداخت به همین‌جا برمی‌گردید. هر کارت عضو شتاب پذیرفته می‌شود.',
                  "You go to the bank's payment page and come back here afterwards. Any Shetab card is accepted.",
                )}
              </p>
              <form method="post" action={p.path}>
                <input type="hidden" name="_csrf" value={p.csrf} />
                <button class="button" type="submit">
                  {tr(lang, 'پرداخت با کارت', 'Pay by card')}
                </button>
              </form>
            </>
          ) : null}
          {p.bill ? (
            <>
              <h2>{tr(lang, 'پرداخت با شناسه قبض', 'Pay by bill')}</h2>
              <p>
                {tr(
                  lang,
                  'با این شناسه‌ها در هر بانک، خودپرداز، همراه‌بانک یا اینترنت‌بانک پرداخت کنید. پرداخت خودبه‌خود ثبت می‌شود.',
                  'Pay with these IDs at any bank, cash machine, mobile or internet bank. The payment is recorded automatically.',
                )}
              </p>
              <Bill lang={lang} bill={p.bill} />
            </>
          ) : null}
        </>
      )}
    </Layout>
  );
}

/** The hand-over to the bank: a form POST of the gateway's fields (one button without JavaScript). */
export function RedirectPage({
  lang,
  path,
  redirect,
}: {
  lang: Lang;
  path: string;
  redirect: { url: string; fields: Record<string, string> };
}) {
  const title = tr(lang, 'رفتن به درگاه پرداخت بانک', "Go to the bank's payment page");
  return (
    <Layout lang={lang} title={title} altPath={otherLang(lang, path)}>
      <h1>{title}</h1>
      <p>
        {tr(
          lang,
          'برای پرداخت به صفحه امن بانک می‌روید. اطلاعات کارت را فقط در صفحه بانک وارد کنید.',
          "You are going to the bank's secure page to pay. Enter your card details only on the bank's page.",
        )}
      </p>
      <form method="post" action={redirect.url}>
        {Object.entries(redirect.fields).map(([k, v]) => (
          <input type="hidden" name={k} value={v} />
        ))}
        <button class="button" type="submit">
          {tr(lang, 'ادامه در درگاه بانک', "Continue to the bank's page")}
        </button>
      </form>
    </Layout>
  );
}

export function paymentStatusTag(lang: Lang, p: PaymentRow) {
  if (p.status === 'success')
    return (
      <Tag tone={Number(p.refunded_amount) > 0 ? 'orange' : 'green'}>
        {Number(p.refunded_amount) > 0 ? tr(lang, 'بازپرداخت‌شده', 'Refunded') : tr(lang, 'پرداخت‌شده', 'Paid')}
      </Tag>
    );
  if (p.status === 'failed' || p.status === 'cancelled')
    return <Tag tone="red">{p.status === 'cancelled' ? tr(lang, 'لغوشده', 'Cancelled') : tr(lang, 'ناموفق', 'Failed')}</Tag>;
  if (p.status === 'error') return <Tag tone="red">{tr(lang, 'بازگشت داده شد', 'Reversed')}</Tag>;
  return <Tag tone="blue">{tr(lang, 'در انتظار تأیید بانک', 'Waiting for the bank')}</Tag>;
}

/** After the bank: what happened, and what to do next. */
export function ReturnPage({
  lang,
  path,
  appPath,
  payment,
  receiptHref,
}: {
  lang: Lang;
  path: string;
  appPath: string;
  payment: PaymentRow;
  receiptHref: string | null;
}) {
  const ok = payment.status === 'success' && !payment.duplicate;
  const pending = ['created', 'started', 'submitted'].includes(payment.status);
  const title = ok
    ? tr(lang, 'پرداخت انجام شد', 'Payment complete')
    : payment.duplicate
      ? tr(lang, 'این درخواست پیش‌تر پرداخت شده بود', 'This application was already paid')
      : pending
        ? tr(lang, 'در حال بررسی پرداخت با بانک', 'We are checking your payment with the bank')
        : tr(lang, 'پرداخت انجام نشد', 'Your payment did not go through');
  return (
    <Layout lang={lang} title={title} altPath={otherLang(lang, path)}>
      {ok ? (
        <div class="confirmation-panel">
          <h1>{title}</h1>
          <p>{tr(lang, 'شماره مرجع پرداخت', 'Payment reference')}</p>
          <p class="reference">
            <bdi>{payment.reference}</bdi>
          </p>
        </div>
      ) : (
        <h1>{title}</h1>
      )}
      <SummaryList
        rows={[
          { key: tr(lang, 'مبلغ', 'Amount'), value: formatMoney(payment.amount, lang) },
          { key: tr(lang, 'وضعیت', 'Status'), value: paymentStatusTag(lang, payment) },
          { key: tr(lang, 'تاریخ', 'Date'), value: formatDate(lang, payment.updated_at) },
          ...(payment.card_mask ? [{ key: tr(lang, 'کارت', 'Card'), value: <bdi dir="ltr">{payment.card_mask}</bdi> }] : []),
        ]}
      />
      {payment.duplicate ? (
        <p>
          {tr(
            lang,
            'مبلغ این پرداخت دوم خودبه‌خود به کارت شما بازگردانده می‌شود.',
            'The money from this second payment is refunded to your card automatically.',
          )}
        </p>
      ) : null}
      {pending ? (
        <p>
          {tr(
            lang,
            'بانک هنوز نتیجه را تأیید نکرده است. چند دقیقه دیگر این صفحه را دوباره باز کنید؛ اگر پولی از حسابتان کم شده باشد یا ثبت می‌شود یا بازگردانده می‌شود.',
            'The bank has not confirmed the outcome yet. Open this page again in a few minutes: if money left your account it is either recorded or returned.',
          )}
        </p>
      ) : null}
      {payment.status === 'error' ? (
        <p>
          {tr(
            lang,
            'بانک پرداخت را تأیید نکرد و آن را برگرداند. اگر پولی از حسابتان کم شده، ظرف ۷۲ ساعت بازمی‌گردد. می‌توانید دوباره پرداخت کنید.',
            'The bank did not confirm the payment and reversed it. If money left your account it comes back within 72 hours. You can pay again.',
          )}
        </p>
      ) : null}
      {payment.status === 'failed' || payment.status === 'cancelled' ? (
        <p>
          {tr(
            lang,
            'پولی از حساب شما برداشته نشد. می‌توانید دوباره تلاش کنید یا با شناسه قبض پرداخت کنید.',
            'No money was taken. You can try again, or pay by bill.',
          )}
        </p>
      ) : null}
      <ul>
        {receiptHref ? (
          <li>
            <a href={receiptHref}>{tr(lang, 'رسید پرداخت (PDF)', 'Payment receipt (PDF)')}</a>
          </li>
        ) : null}
        {!ok && !pending && !payment.duplicate ? (
          <li>
            <a href={`${appPath}/pay`}>{tr(lang, 'دوباره پرداخت کنید', 'Try paying again')}</a>
          </li>
        ) : null}
        <li>
          <a href={appPath}>{tr(lang, 'پیگیری درخواست', 'Track your application')}</a>
        </li>
      </ul>
    </Layout>
  );
}

/** The payment section of the citizen's application page. */
export function PaymentPanel({
  lang,
  appPath,
  state,
  bill,
  receiptHref,
}: {
  lang: Lang;
  appPath: string;
  state: PaymentState;
  bill: BillView | null;
  receiptHref: string | null;
}) {
  const show = state.fee.show ?? 'rial';
  return (
    <section aria-labelledby="payment-title" class="panel">
      <h2 id="payment-title">{tr(lang, 'پرداخت', 'Payment')}</h2>
      {state.paid ? (
        <>
          <p>
            {paymentStatusTag(lang, state.paid)} {formatMoney(state.amount, lang, show)} — {tr(lang, 'شماره مرجع', 'reference')}{' '}
            <bdi>{state.paid.reference}</bdi>
          </p>
          {state.refunded > 0 ? (
            <p>
              {tr(
                lang,
                `مبلغ ${formatMoney(state.refunded, lang, show)} بازپرداخت شده است.`,
                `${formatMoney(state.refunded, lang, show)} has been refunded.`,
              )}
            </p>
          ) : null}
          {receiptHref ? (
            <p>
              <a href={receiptHref}>{tr(lang, 'رسید پرداخت (PDF)', 'Payment receipt (PDF)')}</a>
            </p>
          ) : null}
        </>
      ) : state.payable ? (
        <>
          <p>
            {tr(lang, 'هزینه این درخواست', 'The fee for this application is')} <strong>{formatMoney(state.amount, lang, show)}</strong>
            {tr(lang, ' است و هنوز پرداخت نشده است.', ' and it has not been paid yet.')}
          </p>
          <p>
            <a class="button" href={`${appPath}/pay`}>
              {tr(lang, 'پرداخت هزینه', 'Pay the fee')}
            </a>
          </p>
          {bill ? <Bill lang={lang} bill={bill} /> : null}
        </>
      ) : state.waitingForApproval ? (
        <p>
          {tr(
            lang,
            `هزینه ${formatMoney(state.amount, lang, show)} پس از پذیرش درخواست و پیش از صدور نتیجه پرداخت می‌شود.`,
            `The fee of ${formatMoney(state.amount, lang, show)} is paid after approval, before the result is issued.`,
          )}
        </p>
      ) : (
        <p>{tr(lang, 'پرداختی لازم نیست.', 'Nothing to pay.')}</p>
      )}
    </section>
  );
}

/** One line for the agency's operators: paid (reference), unpaid, refunded, or due after approval. */
export function PaymentSummary({ lang, state }: { lang: Lang; state: PaymentState }) {
  const money = formatMoney(state.amount, lang, state.fee.show ?? 'rial');
  if (state.paid)
    return (
      <span>
        {paymentStatusTag(lang, state.paid)} {money} — {tr(lang, 'مرجع', 'reference')} <bdi>{state.paid.reference}</bdi>
      </span>
    );
  return (
    <span>
      <Tag tone="grey">{tr(lang, 'پرداخت‌نشده', 'Unpaid')}</Tag> {money}
      {state.fee.due === 'submission'
        ? tr(lang, ' (پیش از پذیرش لازم است)', ' (needed before approval)')
        : tr(lang, ' (پس از پذیرش، پیش از صدور نتیجه)', ' (after approval, before the result is issued)')}
    </span>
  );
}
