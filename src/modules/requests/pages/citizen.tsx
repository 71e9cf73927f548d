// The citizen's pages: /{lang}/requests (their requests and a link to make one), the form to make a
// request (one page: kind, agency or application, category, title, text, privacy choices), and one
// request with its timeline, the answer, and what the citizen can do next (clarify, appeal, rate).
import { formatDate, tr, type Lang } from '../../../platform/i18n.ts';
import { Breadcrumbs, ErrorSummary, SummaryList, TextInput } from '../../../web/components.tsx';
import { Layout } from '../../../web/layout.tsx';
import type { RequestEventRow, RequestRow } from '../requests.repository.ts';
import { CATEGORIES, EXEMPTIONS, KIND_NAME, KINDS, OUTCOMES, name } from '../requests.text.ts';
import type { RequestFileRow } from '../requests.files.repository.ts';
import { FileField, FileList } from './files.tsx';
import { Check, Deadline, other, Select, StatusTag, TextArea, Timeline, type Errors } from './controls.tsx';

export type AgencyOption = { value: string; label: string };

export function MyRequestsPage(p: { lang: Lang; items: RequestRow[]; agencies: Map<string, string>; now: Date }) {
  const { lang } = p;
  const title = tr(lang, 'درخواست‌ها و شکایت‌های من', 'Your requests and complaints');
  return (
    <Layout lang={lang} title={title} altPath={other(lang, `/${lang}/requests`)}>
      <Breadcrumbs lang={lang} items={[{ label: title }]} />
      <h1>{title}</h1>
      <p>
        {tr(
          lang,
          'از یک دستگاه شکایت کنید، مطالبه یا پیشنهادی به دولت بدهید یا از دستگاهی اطلاعات بخواهید. هر دستگاه در مهلت قانونی (به روز کاری) پاسخ می‌دهد.',
          'Complain about an agency, make a demand or suggestion to government, or ask an agency for information. Each agency answers within its legal deadline (in working days).',
        )}
      </p>
      <p>
        <a class="button" href={`/${lang}/requests/new`}>
          {tr(lang, 'ثبت درخواست تازه', 'Make a request')}
        </a>{' '}
        <a href={`/${lang}/foi`}>{tr(lang, 'فهرست عمومی پاسخ‌های دسترسی به اطلاعات', 'Public register of information requests')}</a>
      </p>
      {p.items.length ? (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{tr(lang, 'شماره', 'Reference')}</th>
                <th scope="col">{tr(lang, 'عنوان', 'Title')}</th>
                <th scope="col">{tr(lang, 'دستگاه', 'Agency')}</th>
                <th scope="col">{tr(lang, 'وضعیت', 'Status')}</th>
                <th scope="col">{tr(lang, 'مهلت یا تاریخ پاسخ', 'Due or answered')}</th>
              </tr>
            </thead>
            <tbody>
              {p.items.map((r) => (
                <tr>
                  <td dir="ltr">
                    <a href={`/${lang}/requests/${r.id}`}>{r.reference}</a>
                  </td>
                  <td dir="auto">
                    {r.subject}
                    <br />
                    <span class="hint">{KIND_NAME[r.kind][lang]}</span>
                  </td>
                  <td>{p.agencies.get(r.agency_id) ?? r.agency_id}</td>
                  <td>
                    <StatusTag lang={lang} r={r} />
                  </td>
                  <td>
                    <Deadline lang={lang} r={r} now={p.now} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>{tr(lang, 'هنوز درخواستی ثبت نکرده‌اید.', 'You have not made any requests yet.')}</p>
      )}
    </Layout>
  );
}

export function NewRequestPage(p: {
  lang: Lang;
  csrf: string;
  agencies: AgencyOption[];
  applications: { value: string; label: string }[];
  values: Record<string, string | undefined>;
  errors: Errors;
  /** The service a complaint is about, when the form came from its service card. */
  serviceName?: string;
}) {
  const { lang, values: v, errors } = p;
  const title = tr(lang, 'ثبت درخواست', 'Make a request');
  const list = Object.entries(errors).map(([field, message]) => ({ field, message }));
  return (
    <Layout lang={lang} title={title} altPath={other(lang, `/${lang}/requests/new`)} hasError={list.length > 0}>
      <p>
        <a class="back-link" href={`/${lang}/requests`}>
          {tr(lang, 'بازگشت', 'Back')}
        </a>
      </p>
      <ErrorSummary lang={lang} errors={list} />
      <h1>{title}</h1>
      <form method="post" action={`/${lang}/requests`} enctype="multipart/form-data" novalidate>
        <input type="hidden" name="_csrf" value={p.csrf} />
        {v.service ? <input type="hidden" name="service" value={v.service} /> : null}
        {v.service && p.serviceName ? (
          <p>
            {tr(lang, 'شکایت درباره خدمت: ', 'Complaint about the service: ')}
            <strong dir="auto">{p.serviceName}</strong>
          </p>
        ) : null}
        <Select
          lang={lang}
          id="kind"
          label={tr(lang, 'نوع درخواست', 'What kind of request')}
          value={v.kind}
          error={errors.kind}
          options={KINDS.map((k) => ({ value: k, label: KIND_NAME[k][lang] }))}
        />
        <Select
          lang={lang}
          id="agencyId"
          label={tr(lang, 'دستگاه', 'Agency')}
          hint={tr(
            lang,
            'برای شکایت از یک درخواست خدمت، به جای آن درخواست خدمت را انتخاب کنید.',
            'For a complaint about an application, choose the application instead.',
          )}
          value={v.agencyId}
          error={errors.agencyId}
          options={p.agencies}
        />
        {p.applications.length ? (
          <Select
            lang={lang}
            id="applicationId"
            optional
            label={tr(lang, 'درخواست خدمتی که از آن شکایت دارید (اختیاری)', 'The application you are complaining about (optional)')}
            value={v.applicationId}
            error={errors.applicationId}
            options={p.applications}
          />
        ) : null}
        <Select
          lang={lang}
          id="category"
          optional
          label={tr(lang, 'موضوع مطالبه یا پیشنهاد (فقط برای مطالبه)', 'Category (for a demand or suggestion only)')}
          value={v.category}
          error={errors.category}
          options={Object.entries(CATEGORIES).map(([value, l]) => ({ value, label: l[lang] }))}
        />
        <TextInput id="subject" label={tr(lang, 'عنوان', 'Title')} value={v.subject} error={errors.subject} width="wide" dir="auto" />
        <TextArea
          lang={lang}
          id="body"
          label={tr(lang, 'شرح درخواست', 'Your request')}
          hint={tr(lang, 'اطلاعات شخصی دیگران را ننویسید.', 'Do not include other people’s personal details.')}
          value={v.body}
          error={errors.body}
          rows={8}
        />
        <FileField lang={lang} id="attachment" error={errors.attachment} />
        <fieldset class="plain-fieldset">
          <legend class="label">{tr(lang, 'حریم خصوصی (اختیاری)', 'Privacy (optional)')}</legend>
          <Check
            id="withhold"
            checked={v.withhold === 'yes'}
            label={tr(
              lang,
              'در شکایت: نام من به دستگاه نشان داده نشود (نهاد نظارتی آن را می‌بیند)',
              'For a complaint: do not show my name to the agency (the oversight office still sees it)',
            )}
          />
          <Check
            id="keepPrivate"
            checked={v.keepPrivate === 'yes'}
            label={tr(
              lang,
              'در درخواست اطلاعات: پاسخ در فهرست عمومی منتشر نشود',
              'For an information request: do not publish the answer in the public register',
            )}
          />
        </fieldset>
        <button class="button" type="submit">
          {tr(lang, 'ثبت درخواست', 'Send request')}
        </button>
      </form>
    </Layout>
  );
}

export function RequestPage(p: {
  lang: Lang;
  csrf: string;
  r: RequestRow;
  events: RequestEventRow[];
  files: RequestFileRow[];
  agency: string;
  now: Date;
  errors: Errors;
  values?: Record<string, string | undefined>;
}) {
  const { lang, r, errors } = p;
  const base = `/${lang}/requests/${r.id}`;
  const list = Object.entries(errors).map(([field, message]) => ({ field, message }));
  const canAppeal =
    r.kind === 'foi' && !r.appeal_status && (['partial', 'refused'].includes(r.status) || (r.status === 'open' && r.due_at < p.now));
  return (
    <Layout lang={lang} title={r.subject} altPath={other(lang, base)} hasError={list.length > 0}>
      <Breadcrumbs
        lang={lang}
        items={[{ href: `/${lang}/requests`, label: tr(lang, 'درخواست‌های من', 'Your requests') }, { label: r.reference }]}
      />
      <ErrorSummary lang={lang} errors={list} />
      <h1 dir="auto">{r.subject}</h1>
      <SummaryList
        rows={[
          { key: tr(lang, 'شماره', 'Reference'), value: <span dir="ltr">{r.reference}</span> },
          { key: tr(lang, 'نوع', 'Kind'), value: KIND_NAME[r.kind][lang] },
          { key: tr(lang, 'دستگاه', 'Agency'), value: p.agency },
          { key: tr(lang, 'وضعیت', 'Status'), value: <StatusTag lang={lang} r={r} /> },
          { key: tr(lang, 'مهلت پاسخ', 'Answer due'), value: <Deadline lang={lang} r={r} now={p.now} /> },
          ...(r.category ? [{ key: tr(lang, 'موضوع', 'Category'), value: name(CATEGORIES, r.category, lang) }] : []),
          ...(r.exemption ? [{ key: tr(lang, 'مبنای امتناع', 'Exemption ground'), value: name(EXEMPTIONS, r.exemption, lang) }] : []),
          ...(r.outcome && OUTCOMES[r.outcome] ? [{ key: tr(lang, 'نتیجه', 'Outcome'), value: name(OUTCOMES, r.outcome, lang) }] : []),
          ...(r.appeal_due_at && r.appeal_status === 'open'
            ? [{ key: tr(lang, 'مهلت رأی کمیسیون', 'Commission’s decision due'), value: formatDate(lang, r.appeal_due_at) }]
            : []),
        ]}
      />
      <h2>{tr(lang, 'متن درخواست', 'Your request')}</h2>
      <p dir="auto">{r.body}</p>
      {r.answer ? (
        <>
          <h2>{tr(lang, 'پاسخ دستگاه', 'The agency’s answer')}</h2>
          <p dir="auto">{r.answer}</p>
        </>
      ) : null}
      <FileList lang={lang} files={p.files} href={(f) => `${base}/files/${f.id}`} />
      <h2>{tr(lang, 'مراحل', 'What has happened')}</h2>
      <Timeline lang={lang} events={p.events} />
      {['open', 'clarification'].includes(r.status) ? (
        <form method="post" action={`${base}/reply`} novalidate>
          <input type="hidden" name="_csrf" value={p.csrf} />
          <TextArea
            lang={lang}
            id="text"
            label={
              r.status === 'clarification'
                ? tr(lang, 'توضیح شما', 'Your clarification')
                : tr(lang, 'پیام به دستگاه', 'Message to the agency')
            }
            value={p.values?.text}
            error={errors.text}
          />
          <button class="button" type="submit">
            {tr(lang, 'ارسال', 'Send')}
          </button>
        </form>
      ) : null}
      {canAppeal ? (
        <form method="post" action={`${base}/appeal`} novalidate>
          <input type="hidden" name="_csrf" value={p.csrf} />
          <h2>{tr(lang, 'تجدیدنظرخواهی نزد کمیسیون', 'Appeal to the FOI commission')}</h2>
          <TextArea
            lang={lang}
            id="appeal"
            label={tr(lang, 'چرا با پاسخ (یا بی‌پاسخی) موافق نیستید', 'Why you disagree with the answer (or the lack of one)')}
            value={p.values?.appeal}
            error={errors.appeal}
          />
          <button class="button" type="submit">
            {tr(lang, 'ثبت تجدیدنظرخواهی', 'Appeal')}
          </button>
        </form>
      ) : null}
      {r.answered_at && !r.rating ? (
        <form method="post" action={`${base}/rate`}>
          <input type="hidden" name="_csrf" value={p.csrf} />
          <Select
            lang={lang}
            id="score"
            label={tr(lang, 'از پاسخ چقدر راضی هستید؟', 'How satisfied are you with the answer?')}
            error={errors.score}
            options={[1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: `${n} / 5` }))}
          />
          <button class="button button-secondary" type="submit">
            {tr(lang, 'ثبت امتیاز', 'Rate')}
          </button>
        </form>
      ) : null}
    </Layout>
  );
}
