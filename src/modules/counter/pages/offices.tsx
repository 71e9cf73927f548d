// The platform administrator's list of counter offices (with how many applications each submitted and
// the share of all applications made at offices) and the form to register one.
import { digits, formatNumber, tr, type Lang } from '../../../platform/i18n.ts';
import { ErrorSummary, TextInput, type FieldError } from '../../../web/components.tsx';
import { Layout } from '../../../web/layout.tsx';
import { formatMoney } from '../../payments/fees.ts';
import type { OfficeRow } from '../counter.repository.ts';

export interface OfficesView {
  lang: Lang;
  csrf: string;
  offices: (OfficeRow & { submitted: number })[];
  total: number;
  atOffices: number;
  /** Per office (by id) and month key: applications submitted; the months in the page's calendar. */
  monthly: { months: { key: string; label: string }[]; counts: Map<string, Map<string, number>> };
  input: Record<string, string>;
  errors: FieldError[];
  notice?: string;
}

export function OfficesPage(v: OfficesView) {
  const { lang } = v;
  const path = `/${lang}/staff/counter/offices`;
  const title = tr(lang, 'دفترهای پیشخوان دولت', 'Government counter offices');
  const err = (f: string) => v.errors.find((e) => e.field === f)?.message;
  const share = v.total ? Math.round((v.atOffices / v.total) * 1000) / 10 : null;
  const field = (id: string, fa: string, en: string, hint?: [string, string]) => (
    <TextInput
      id={id}
      label={tr(lang, fa, en)}
      hint={hint ? tr(lang, ...hint) : undefined}
      value={v.input[id]}
      error={err(id)}
      dir="auto"
    />
  );
  return (
    <Layout
      lang={lang}
      title={v.errors.length ? `${tr(lang, 'خطا: ', 'Error: ')}${title}` : title}
      altPath={path.replace(/^\/(fa|en)/, `/${lang === 'fa' ? 'en' : 'fa'}`)}
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
      <p class="lead">
        {share === null
          ? tr(lang, 'هنوز درخواستی ثبت نشده است.', 'No application has been submitted yet.')
          : tr(
              lang,
              `از ${formatNumber('fa', v.total)} درخواست ثبت‌شده، ${formatNumber('fa', v.atOffices)} درخواست (${formatNumber('fa', share)}٪) در دفترهای پیشخوان و بقیه برخط ثبت شده است.`,
              `Of ${v.total} submitted applications, ${v.atOffices} (${share}%) were made at counter offices and the rest online.`,
            )}
      </p>
      <table class="table">
        <thead>
          <tr>
            <th scope="col">{tr(lang, 'کد', 'Code')}</th>
            <th scope="col">{tr(lang, 'نام', 'Name')}</th>
            <th scope="col">{tr(lang, 'استان و شهر', 'Province and city')}</th>
            <th scope="col">{tr(lang, 'پروانه', 'Licence')}</th>
            <th scope="col">{tr(lang, 'کارمزد', 'Counter fee')}</th>
            <th scope="col">{tr(lang, 'درخواست‌های ثبت‌شده', 'Applications submitted')}</th>
          </tr>
        </thead>
        <tbody>
          {v.offices.map((o) => (
            <tr>
              <td>
                <bdi>{digits(lang, o.code)}</bdi>
              </td>
              <td>
                {o.name[lang] ?? o.name.fa}
                <br />
                <span class="hint">{o.address}</span>
              </td>
              <td>
                {o.province}، {o.city}
              </td>
              <td>
                <bdi>{o.licence_number}</bdi>
              </td>
              <td>{formatMoney(o.counter_fee_rials, lang)}</td>
              <td>{formatNumber(lang, o.submitted)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2 id="monthly">{tr(lang, 'درخواست‌های ثبت‌شده در هر دفتر، ماه به ماه', 'Applications submitted at each office, by month')}</h2>
      <div class="table-wrap">
        <table class="table" aria-labelledby="monthly">
          <thead>
            <tr>
              <th scope="col">{tr(lang, 'دفتر', 'Office')}</th>
              {v.monthly.months.map((m) => (
                <th scope="col">{m.label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {v.offices.map((o) => (
              <tr>
                <th scope="row">
                  <bdi>{digits(lang, o.code)}</bdi> {o.name[lang] ?? o.name.fa}
                </th>
                {v.monthly.months.map((m) => (
                  <td>{formatNumber(lang, v.monthly.counts.get(o.id)?.get(m.key) ?? 0)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{tr(lang, 'ثبت دفتر تازه', 'Register an office')}</h2>
      <form method="post" action={path} novalidate>
        <input type="hidden" name="_csrf" value={v.csrf} />
        {field('code', 'کد دفتر', 'Office code', ['۵ تا ۸ رقم', '5 to 8 digits'])}
        {field('nameFa', 'نام فارسی', 'Name in Persian')}
        {field('nameEn', 'نام انگلیسی', 'Name in English')}
        {field('province', 'استان', 'Province')}
        {field('city', 'شهر', 'City')}
        {field('address', 'نشانی', 'Address')}
        {field('licence', 'شماره پروانه بهره‌برداری', 'Operating licence number')}
        {field('fee', 'کارمزد قانونی (ریال)', 'Legal counter fee (rials)', ['عدد درست، مانند ۱۵۰۰۰۰', 'A whole number, like 150000'])}
        <button class="button" type="submit">
          {tr(lang, 'ثبت دفتر', 'Register the office')}
        </button>
      </form>
    </Layout>
  );
}
