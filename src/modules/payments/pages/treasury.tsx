// The agency's treasury accounts: where each service's fees are paid into (the agency's account unless a
// service has its own), and the form to set one. Works without JavaScript; errors are listed at the top
// and next to their field (GOV.UK pattern).
import { formatDate, tr, type Lang } from '../../../platform/i18n.ts';
import { ErrorSummary, TextInput, type FieldError } from '../../../web/components.tsx';
import { Layout } from '../../../web/layout.tsx';

export interface TreasuryView {
  lang: Lang;
  path: string;
  csrf: string;
  agencyName: string;
  accounts: { service_id: string | null; iban: string; holder: { fa?: string; en?: string }; created_at: Date }[];
  services: { id: string; name: string }[];
  values: { serviceId: string; iban: string; holderFa: string; holderEn: string };
  errors: FieldError[];
  saved: boolean;
}

/** IR06 0170 0000 0012 3456 7890 01: in groups of four, as printed on bank statements. */
const grouped = (iban: string) => iban.replace(/(.{4})(?=.)/g, '$1 ');

export function TreasuryPage(v: TreasuryView) {
  const { lang } = v;
  const title = tr(lang, 'حساب‌های خزانه', 'Treasury accounts');
  const err = (f: string) => v.errors.find((e) => e.field === f)?.message;
  const serviceName = new Map(v.services.map((s) => [s.id, s.name]));
  return (
    <Layout
      lang={lang}
      title={v.errors.length ? `${tr(lang, 'خطا: ', 'Error: ')}${title}` : title}
      altPath={v.path.replace(/^\/(fa|en)/, `/${lang === 'fa' ? 'en' : 'fa'}`)}
      hasError={v.errors.length > 0}
    >
      <p>
        <a class="back-link" href={`/${lang}/staff/payments`}>
          {tr(lang, 'پرداخت‌ها و تطبیق', 'Payments and reconciliation')}
        </a>
      </p>
      <ErrorSummary lang={lang} errors={v.errors} />
      {v.saved ? (
        <p class="notice" role="status">
          {tr(lang, 'حساب ثبت شد. پرداخت‌های تازه به این حساب واریز می‌شوند.', 'The account is saved. New payments go into it.')}
        </p>
      ) : null}
      <h1>{title}</h1>
      <p>{v.agencyName}</p>
      <p>
        {tr(
          lang,
          'کارمزد هر خدمت به حساب همان خدمت واریز می‌شود، و اگر خدمت حساب جداگانه‌ای ندارد به حساب دستگاه.',
          "Each service's fees go into that service's account, or into the agency's account when the service has none.",
        )}
      </p>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{tr(lang, 'برای', 'For')}</th>
              <th scope="col">{tr(lang, 'شماره شبا', 'IBAN')}</th>
              <th scope="col">{tr(lang, 'صاحب حساب', 'Account holder')}</th>
              <th scope="col">{tr(lang, 'از تاریخ', 'Since')}</th>
            </tr>
          </thead>
          <tbody>
            {v.accounts.length ? (
              v.accounts.map((a) => (
                <tr>
                  <td>
                    {a.service_id
                      ? (serviceName.get(a.service_id) ?? a.service_id)
                      : tr(lang, 'همه خدمات دستگاه', 'All services of the agency')}
                  </td>
                  <td>
                    <bdi dir="ltr">{grouped(a.iban)}</bdi>
                  </td>
                  <td>{(lang === 'fa' ? a.holder.fa : a.holder.en) ?? a.holder.fa ?? ''}</td>
                  <td>{formatDate(lang, a.created_at)}</td>
                </tr>
              ))
            ) : (
              <tr>
                <td colSpan={4}>
                  {tr(
                    lang,
                    'هنوز حسابی ثبت نشده است؛ تا ثبت نشود پرداخت پذیرفته نمی‌شود.',
                    'No account yet; payments cannot be taken until one is set.',
                  )}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <h2>{tr(lang, 'ثبت یا تغییر حساب', 'Set or change an account')}</h2>
      <form method="post" action={v.path} class="panel" novalidate>
        <input type="hidden" name="_csrf" value={v.csrf} />
        <div class="field">
          <label class="label" for="serviceId">
            {tr(lang, 'برای', 'For')}
          </label>
          {err('serviceId') ? (
            <p class="error-message" id="serviceId-error">
              {err('serviceId')}
            </p>
          ) : null}
          <select class="input" id="serviceId" name="serviceId" aria-describedby={err('serviceId') ? 'serviceId-error' : undefined}>
            <option value="">{tr(lang, 'همه خدمات دستگاه', 'All services of the agency')}</option>
            {v.services.map((s) => (
              <option value={s.id} selected={s.id === v.values.serviceId}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <TextInput
          id="iban"
          label={tr(lang, 'شماره شبا', 'IBAN')}
          hint={tr(lang, 'IR و ۲۴ رقم؛ فاصله‌ها مهم نیستند', 'IR and 24 digits; spaces do not matter')}
          value={v.values.iban}
          error={err('iban')}
          autocomplete="off"
          width="wide"
        />
        <TextInput
          id="holderFa"
          label={tr(lang, 'نام صاحب حساب (فارسی)', "Account holder's name (Persian)")}
          value={v.values.holderFa}
          error={err('holderFa')}
          width="wide"
          dir="rtl"
        />
        <TextInput
          id="holderEn"
          label={tr(lang, 'نام صاحب حساب (انگلیسی)', "Account holder's name (English)")}
          value={v.values.holderEn}
          error={err('holderEn')}
          width="wide"
        />
        <button class="button" type="submit">
          {tr(lang, 'ثبت حساب', 'Save the account')}
        </button>
      </form>
    </Layout>
  );
}
