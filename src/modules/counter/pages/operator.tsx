// The counter operator's pages: the office's desk (start an assisted application for a walk-in citizen,
// the office's recent ones) and one session (the citizen's SMS code; then continue, end, or what was done).
import { digits, formatDate, tr, type Lang } from '../../../platform/i18n.ts';
import { ErrorSummary, SummaryList, Tag, TextInput, type FieldError } from '../../../web/components.tsx';
import { Layout } from '../../../web/layout.tsx';
import { formatMoney } from '../../payments/fees.ts';
import type { CounterSessionRow, OfficeRow } from '../counter.repository.ts';
import { Select } from './fields.tsx';

const alt = (lang: Lang, path: string) => path.replace(/^\/(fa|en)/, `/${lang === 'fa' ? 'en' : 'fa'}`);
const local = (t: { fa?: string; en?: string }, lang: Lang) => t[lang] ?? t.fa ?? t.en ?? '';

export const STATUS: Record<CounterSessionRow['status'], [string, string, 'blue' | 'green' | 'grey' | 'red' | 'orange']> = {
  'code-sent': ['کد فرستاده شد', 'Code sent', 'blue'],
  active: ['نشست باز', 'Session open', 'orange'],
  submitted: ['ثبت شد', 'Submitted', 'green'],
  ended: ['بسته شد', 'Ended', 'grey'],
  refused: ['رد شد', 'Refused', 'red'],
};

export interface DeskView {
  lang: Lang;
  csrf: string;
  office: OfficeRow;
  services: { slug: string; name: string }[];
  input: { nationalId?: string; mobile?: string; service?: string };
  errors: FieldError[];
  notice?: string;
  recent: {
    id: string;
    status: CounterSessionRow['status'];
    created_at: Date;
    reference: string | null;
    service_name: { fa?: string; en?: string };
    operator_name: string;
  }[];
}

export function DeskPage(v: DeskView) {
  const { lang } = v;
  const path = `/${lang}/staff/counter`;
  const title = tr(lang, 'ثبت درخواست برای شهروند حاضر در دفتر', 'Apply for a citizen at the counter');
  const err = (f: string) => v.errors.find((e) => e.field === f)?.message;
  return (
    <Layout lang={lang} title={title} altPath={alt(lang, path)} hasError={v.errors.length > 0}>
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
      <p class="muted">
        {local(v.office.name, lang)} ({tr(lang, 'کد دفتر', 'office code')} <bdi>{digits(lang, v.office.code)}</bdi>)
      </p>
      <h1>{title}</h1>
      <p>
        {tr(
          lang,
          'شهروند باید خودش در دفتر باشد. برای او پیامکی می‌فرستیم که نام این دفتر و خدمت را می‌گوید و کدی دارد؛ با دادن کد به شما، می‌پذیرد که این دفتر فقط همین یک درخواست را برایش ثبت کند.',
          'The citizen must be at the office in person. We text them a code that names this office and the service; by giving you the code they agree that this office makes this one application for them.',
        )}
      </p>
      <form method="post" action={`${path}/sessions`} novalidate>
        <input type="hidden" name="_csrf" value={v.csrf} />
        <TextInput
          id="nationalId"
          label={tr(lang, 'کد ملی شهروند', "The citizen's national ID")}
          hint={tr(lang, '۱۰ رقم، از روی کارت ملی', '10 digits, from the national ID card')}
          value={v.input.nationalId}
          error={err('nationalId')}
          inputMode="numeric"
        />
        <TextInput
          id="mobile"
          label={tr(lang, 'شماره همراه شهروند', "The citizen's mobile number")}
          hint={tr(
            lang,
            'شماره‌ای که به نام خود شهروند است؛ کد به این شماره پیامک می‌شود',
            'A number in the citizen’s own name; the code is texted to it',
          )}
          value={v.input.mobile}
          error={err('mobile')}
          type="tel"
          inputMode="numeric"
        />
        <Select
          lang={lang}
          id="service"
          label={tr(lang, 'خدمت', 'Service')}
          value={v.input.service}
          error={err('service')}
          options={v.services.map((s) => ({ value: s.slug, label: s.name }))}
        />
        <p>
          {tr(lang, 'کارمزد قانونی این دفتر: ', 'This office’s legal counter fee: ')}
          <strong>{formatMoney(v.office.counter_fee_rials, lang)}</strong>
          {tr(lang, ' (جدا از هزینه دولتی خدمت)', ' (apart from the government fee of the service)')}
        </p>
        <button class="button" type="submit">
          {tr(lang, 'فرستادن کد به شهروند', 'Text the code to the citizen')}
        </button>
      </form>
      <h2>{tr(lang, 'درخواست‌های اخیر این دفتر', 'This office’s recent requests')}</h2>
      {v.recent.length ? (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{tr(lang, 'زمان', 'When')}</th>
              <th scope="col">{tr(lang, 'خدمت', 'Service')}</th>
              <th scope="col">{tr(lang, 'کاربر', 'Operator')}</th>
              <th scope="col">{tr(lang, 'وضعیت', 'Status')}</th>
            </tr>
          </thead>
          <tbody>
            {v.recent.map((r) => (
              <tr>
                <td>
                  <a href={`${path}/sessions/${r.id}`}>{formatDate(lang, r.created_at)}</a>
                </td>
                <td>{local(r.service_name, lang)}</td>
                <td>{r.operator_name}</td>
                <td>
                  <Tag tone={STATUS[r.status][2]}>{tr(lang, STATUS[r.status][0], STATUS[r.status][1])}</Tag>
                  {r.reference ? <bdi> {r.reference}</bdi> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{tr(lang, 'هنوز درخواستی نیست.', 'No requests yet.')}</p>
      )}
    </Layout>
  );
}

export interface SessionView {
  lang: Lang;
  csrf: string;
  office: OfficeRow;
  session: CounterSessionRow;
  serviceName: string;
  reference: string | null;
  governmentFee: number | null;
  error?: string;
}

export function SessionPage(v: SessionView) {
  const { lang, session: s } = v;
  const path = `/${lang}/staff/counter/sessions/${s.id}`;
  const masked = `******${s.national_id.slice(-4)}`;
  const title =
    s.status === 'code-sent'
      ? tr(lang, 'کدی را که شهروند پیامک گرفته است وارد کنید', 'Enter the code the citizen was texted')
      : s.status === 'submitted'
        ? tr(lang, 'درخواست شهروند ثبت شد', 'The citizen’s application is submitted')
        : tr(lang, 'نشست حضوری', 'Assisted session');
  const rows = [
    { key: tr(lang, 'خدمت', 'Service'), value: v.serviceName },
    { key: tr(lang, 'کد ملی شهروند', 'Citizen’s national ID'), value: <bdi>{digits(lang, masked)}</bdi> },
    { key: tr(lang, 'وضعیت', 'Status'), value: <Tag tone={STATUS[s.status][2]}>{tr(lang, STATUS[s.status][0], STATUS[s.status][1])}</Tag> },
  ];
  if (v.reference) rows.push({ key: tr(lang, 'شماره پیگیری', 'Reference number'), value: <bdi class="reference">{v.reference}</bdi> });
  if (s.status === 'submitted') {
    rows.push({
      key: tr(lang, 'هزینه دولتی خدمت', 'Government fee'),
      value: v.governmentFee ? formatMoney(v.governmentFee, lang) : tr(lang, 'ندارد', 'None'),
    });
    rows.push({
      key: tr(lang, 'کارمزد دفتر پیشخوان (جدا)', 'Counter office fee (separate)'),
      value: formatMoney(s.counter_fee_rials ?? v.office.counter_fee_rials, lang),
    });
  }
  return (
    <Layout lang={lang} title={v.error ? `${tr(lang, 'خطا: ', 'Error: ')}${title}` : title} altPath={alt(lang, path)} hasError={!!v.error}>
      <p>
        <a class="back-link" href={`/${lang}/staff/counter`}>
          {tr(lang, 'میز دفتر پیشخوان', 'Counter desk')}
        </a>
      </p>
      <ErrorSummary lang={lang} errors={v.error ? [{ field: 'code', message: v.error }] : []} />
      <h1>{title}</h1>
      <SummaryList rows={rows} />
      {s.status === 'code-sent' ? (
        <form method="post" action={`${path}/code`} novalidate>
          <input type="hidden" name="_csrf" value={v.csrf} />
          <TextInput
            id="code"
            label={tr(lang, 'کد ۶ رقمی', '6-digit code')}
            hint={tr(lang, 'کد را خود شهروند از پیامکش می‌خواند', 'The citizen reads the code from their text message')}
            error={v.error}
            inputMode="numeric"
            autocomplete="off"
          />
          <button class="button" type="submit">
            {tr(lang, 'تأیید و آغاز درخواست', 'Confirm and start the application')}
          </button>
        </form>
      ) : null}
      {s.status === 'active' ? (
        <>
          <p>
            <a class="button" href={`/${lang}/applications/${s.application_id}`}>
              {tr(lang, 'ادامه فرم درخواست', 'Continue the application form')}
            </a>
          </p>
          <form method="post" action={`${path}/end`}>
            <input type="hidden" name="_csrf" value={v.csrf} />
            <button class="button button-secondary" type="submit">
              {tr(lang, 'بستن نشست بدون ثبت', 'End the session without submitting')}
            </button>
          </form>
        </>
      ) : null}
      {s.status === 'submitted' ? (
        <p>
          {tr(
            lang,
            'نشست حضوری بسته شد. شهروند پیامک ثبت درخواست را می‌گیرد و آن را در حساب خود، با نام این دفتر، می‌بیند.',
            'The assisted session is closed. The citizen gets a text that the application was received and sees it in their account, with this office named.',
          )}
        </p>
      ) : null}
    </Layout>
  );
}
