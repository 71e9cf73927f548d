// Pages of the public document check (/fa/verify, /en/verify) and the staff list with revocation.
import type { ComponentChildren } from 'preact';
import { formatDate, tr, type Lang } from '../../platform/i18n.ts';
import { ErrorSummary, SummaryList, Tag, TextInput, type FieldError } from '../../web/components.tsx';
import { DataTable } from '../../web/charts.tsx';
import { Layout } from '../../web/layout.tsx';
import { formatCode, maskName } from './documents.code.ts';
import type { DocumentRow } from './documents.repository.ts';
import type { CheckOutcome } from './documents.service.ts';

const other = (lang: Lang) => (lang === 'fa' ? 'en' : 'fa');
export const KIND_NAMES = {
  certificate: { fa: 'گواهی', en: 'Certificate' },
  licence: { fa: 'پروانه', en: 'Licence' },
  letter: { fa: 'نامه', en: 'Letter' },
};

function CodeForm({ lang, value, error }: { lang: Lang; value?: string; error?: string }) {
  return (
    <form method="get" action={`/${lang}/verify`} novalidate>
      <TextInput
        id="code"
        label={tr(lang, 'کد سند', 'Document code')}
        hint={tr(
          lang,
          'کد ۱۰ نویسه‌ای پایین سند، مانند K7MRT-4XHPA',
          'The 10-character code at the bottom of the document, like K7MRT-4XHPA',
        )}
        value={value}
        error={error}
        autocomplete="off"
      />
      <button class="button" type="submit">
        {tr(lang, 'بررسی سند', 'Check document')}
      </button>
    </form>
  );
}

export function VerifyStartPage({ lang, value, error }: { lang: Lang; value?: string; error?: string }) {
  const errors: FieldError[] = error ? [{ field: 'code', message: error }] : [];
  return (
    <Layout
      lang={lang}
      title={tr(lang, 'بررسی اصالت سند', 'Check a document is genuine')}
      altPath={`/${other(lang)}/verify`}
      hasError={!!error}
    >
      <ErrorSummary lang={lang} errors={errors} />
      <h1>{tr(lang, 'بررسی اصالت سند', 'Check a document is genuine')}</h1>
      <p>
        {tr(
          lang,
          'گواهی‌ها، پروانه‌ها و نامه‌هایی که دستگاه‌ها از راه پنجره صادر می‌کنند امضای دیجیتال دارند. کد سند را وارد کنید تا ببینید چه کسی آن را صادر کرده و هنوز معتبر است یا نه.',
          'Certificates, licences and letters agencies issue through Panjereh are digitally signed. Enter the document’s code to see who issued it and whether it is still valid.',
        )}
      </p>
      <CodeForm lang={lang} value={value} error={error} />
    </Layout>
  );
}

export function UnknownCodePage({ lang, code }: { lang: Lang; code: string }) {
  return (
    <Layout
      lang={lang}
      title={tr(lang, 'سندی با این کد پیدا نشد', 'No document has this code')}
      altPath={`/${other(lang)}/verify/${encodeURIComponent(code)}`}
    >
      <h1>{tr(lang, 'سندی با این کد پیدا نشد', 'No document has this code')}</h1>
      <p>
        {tr(lang, 'هیچ سندی با کد ', 'No document was issued with the code ')}
        <bdi>
          <code>{code.slice(0, 40)}</code>
        </bdi>
        {tr(
          lang,
          ' صادر نشده است. کد را با سند مقایسه کنید: ۱۰ نویسه است، از حروف انگلیسی و رقم‌های ۲ تا ۹. اگر درست وارد کرده‌اید، این سند از پنجره صادر نشده است.',
          '. Compare it with the document: it has 10 characters, English letters and the digits 2 to 9. If you typed it correctly, this document was not issued through Panjereh.',
        )}
      </p>
      <CodeForm lang={lang} value={code.slice(0, 40)} />
    </Layout>
  );
}

export interface DocumentView {
  doc: DocumentRow;
  agencyName: string;
  outcome?: CheckOutcome;
  fileError?: string;
}

const OUTCOME: Record<CheckOutcome, { tone: 'good' | 'bad'; fa: string; en: string; fa2: string; en2: string }> = {
  genuine: {
    tone: 'good',
    fa: 'این پرونده همان سند اصلی و دست‌نخورده است',
    en: 'This file is the genuine, unaltered document',
    fa2: 'اثر انگشت (SHA-256) پرونده با سند صادرشده یکی است و امضای پنجره درست است.',
    en2: 'The file’s fingerprint (SHA-256) matches the issued document and Panjereh’s signature checks out.',
  },
  altered: {
    tone: 'bad',
    fa: 'این پرونده با سند صادرشده یکی نیست',
    en: 'This file is not the document that was issued',
    fa2: 'پرونده تغییر کرده یا پرونده دیگری است. به آن اعتماد نکنید و نسخه اصلی را از دارنده یا دستگاه صادرکننده بخواهید.',
    en2: 'It has been altered or is a different file. Do not rely on it: ask the holder or the issuing agency for the original.',
  },
  revoked: {
    tone: 'bad',
    fa: 'پرونده دست‌نخورده است، اما سند باطل شده است',
    en: 'The file is unaltered, but the document has been revoked',
    fa2: 'دستگاه صادرکننده این سند را باطل کرده و دیگر معتبر نیست.',
    en2: 'The issuing agency has revoked it; it is no longer valid.',
  },
  'signature-invalid': {
    tone: 'bad',
    fa: 'اصالت این سند تأیید نمی‌شود',
    en: 'This document cannot be confirmed',
    fa2: 'سابقه این سند در پنجره امضای درستی ندارد. با دستگاه صادرکننده تماس بگیرید.',
    en2: 'Panjereh’s record of this document fails its signature check. Contact the issuing agency.',
  },
};

function Banner({ lang, outcome }: { lang: Lang; outcome: CheckOutcome }) {
  const o = OUTCOME[outcome];
  return (
    <div class={o.tone === 'good' ? 'notice' : 'error-summary'} role="status" id="result">
      <h2 class="error-summary-title">{tr(lang, o.fa, o.en)}</h2>
      <p>{tr(lang, o.fa2, o.en2)}</p>
    </div>
  );
}

export function DocumentPage({ lang, v }: { lang: Lang; v: DocumentView }) {
  const d = v.doc;
  const revoked = d.status === 'revoked';
  const errors: FieldError[] = v.fileError ? [{ field: 'document', message: v.fileError }] : [];
  const title = v.outcome
    ? tr(lang, OUTCOME[v.outcome].fa, OUTCOME[v.outcome].en)
    : revoked
      ? tr(lang, 'این سند باطل شده است', 'This document has been revoked')
      : tr(lang, 'این سند را پنجره صادر کرده و معتبر است', 'This document was issued through Panjereh and is valid');
  const rows: { key: ComponentChildren; value: ComponentChildren }[] = [
    {
      key: tr(lang, 'کد سند', 'Document code'),
      value: (
        <bdi>
          <code>{formatCode(d.code)}</code>
        </bdi>
      ),
    },
    {
      key: tr(lang, 'وضعیت', 'Status'),
      value: revoked ? <Tag tone="grey">{tr(lang, 'باطل‌شده', 'Revoked')}</Tag> : <Tag tone="green">{tr(lang, 'معتبر', 'Valid')}</Tag>,
    },
    ...(revoked && d.revoked_at ? [{ key: tr(lang, 'تاریخ ابطال', 'Revoked on'), value: formatDate(lang, d.revoked_at) }] : []),
    { key: tr(lang, 'صادرکننده', 'Issued by'), value: v.agencyName },
    { key: tr(lang, 'نوع سند', 'Kind'), value: KIND_NAMES[d.kind][lang] },
    {
      key: tr(lang, 'عنوان', 'Title'),
      value: (
        <span lang={d.lang} dir={d.lang === 'fa' ? 'rtl' : 'ltr'}>
          {d.title}
        </span>
      ),
    },
    {
      key: tr(lang, 'دارنده', 'Holder'),
      value: (
        <span lang={d.lang} dir={d.lang === 'fa' ? 'rtl' : 'ltr'}>
          {maskName(d.holder_name)}
        </span>
      ),
    },
    { key: tr(lang, 'تاریخ صدور', 'Date of issue'), value: formatDate(lang, d.issued_at) },
  ];
  return (
    <Layout lang={lang} title={title} altPath={`/${other(lang)}/verify/${d.code}`} hasError={errors.length > 0}>
      <ErrorSummary lang={lang} errors={errors} />
      {v.outcome ? <Banner lang={lang} outcome={v.outcome} /> : null}
      <h1>{v.outcome ? tr(lang, 'نتیجه بررسی پرونده', 'Result of the file check') : title}</h1>
      <SummaryList rows={rows} />
      <p>
        {tr(
          lang,
          'نام دارنده برای حفظ حریم خصوصی کامل نمایش داده نمی‌شود. آن را با سندی که در دست دارید مقایسه کنید.',
          'The holder’s name is partly hidden for privacy: compare it with the document you hold.',
        )}
      </p>
      <h2>{tr(lang, 'بررسی پرونده‌ای که در دست دارید', 'Check the file you have')}</h2>
      <p>
        {tr(
          lang,
          'پرونده PDF را انتخاب کنید تا مطمئن شوید همان سند صادرشده است و تغییری نکرده. پرونده فقط برای مقایسه خوانده می‌شود و نگه داشته نمی‌شود.',
          'Choose the PDF file to make sure it is the issued document and has not been changed. The file is only compared, never kept.',
        )}
      </p>
      <form method="post" action={`/${lang}/verify/${d.code}`} enctype="multipart/form-data" novalidate>
        <div class="field">
          <label class="label" for="document">
            {tr(lang, 'پرونده PDF سند', 'The document’s PDF file')}
          </label>
          {v.fileError ? (
            <p class="error-message" id="document-error">
              {v.fileError}
            </p>
          ) : null}
          <input
            class="input input-wide"
            type="file"
            id="document"
            name="document"
            accept="application/pdf,.pdf"
            aria-describedby={v.fileError ? 'document-error' : undefined}
            aria-invalid={v.fileError ? 'true' : undefined}
          />
        </div>
        <button class="button" type="submit">
          {tr(lang, 'بررسی پرونده', 'Check the file')}
        </button>
      </form>
      <h2>{tr(lang, 'برای سامانه‌ها', 'For computer systems')}</h2>
      <p>
        {tr(lang, 'بیانیه امضاشده این سند: ', 'The signed statement of this document: ')}
        <a href={`/verify/${d.code}.json`}>{`/verify/${d.code}.json`}</a>
        {tr(lang, '؛ کلیدهای عمومی: ', '; public keys: ')}
        <a href="/.well-known/panjereh-document-keys.json">/.well-known/panjereh-document-keys.json</a>
      </p>
    </Layout>
  );
}

export function StaffDocumentsPage({
  lang,
  docs,
  token,
  agencyLabel,
  message,
  canRevoke,
  error,
}: {
  lang: Lang;
  docs: Pick<DocumentRow, 'code' | 'kind' | 'title' | 'holder_name' | 'issued_at' | 'status' | 'agency_id'>[];
  token: string;
  agencyLabel: string;
  message?: string;
  canRevoke: boolean;
  error?: FieldError;
}) {
  return (
    <Layout
      lang={lang}
      title={tr(lang, 'سندهای صادرشده', 'Issued documents')}
      altPath={`/${other(lang)}/staff/documents`}
      hasError={!!error}
    >
      <ErrorSummary lang={lang} errors={error ? [error] : []} />
      <p>
        <a class="back-link" href={`/${lang}/staff`}>
          {tr(lang, 'بازگشت به میز کار', 'Back to staff home')}
        </a>
      </p>
      <h1>{tr(lang, 'سندهای صادرشده', 'Issued documents')}</h1>
      <p>{agencyLabel}</p>
      {message ? (
        <p class="notice" role="status">
          {message}
        </p>
      ) : null}
      <DataTable
        caption={tr(lang, '۵۰ سند تازه', 'The 50 newest documents')}
        head={[
          tr(lang, 'کد', 'Code'),
          tr(lang, 'نوع', 'Kind'),
          tr(lang, 'عنوان', 'Title'),
          tr(lang, 'دارنده', 'Holder'),
          tr(lang, 'تاریخ صدور', 'Issued'),
          tr(lang, 'وضعیت', 'Status'),
          tr(lang, 'ابطال', 'Revoke'),
        ]}
        rows={docs.map((d) => [
          <a href={`/${lang}/verify/${d.code}`}>
            <bdi>{formatCode(d.code)}</bdi>
          </a>,
          KIND_NAMES[d.kind][lang],
          d.title,
          d.holder_name,
          formatDate(lang, d.issued_at),
          d.status === 'revoked' ? (
            <Tag tone="grey">{tr(lang, 'باطل‌شده', 'Revoked')}</Tag>
          ) : (
            <Tag tone="green">{tr(lang, 'معتبر', 'Valid')}</Tag>
          ),
          d.status === 'valid' && canRevoke ? (
            <form method="post" action={`/${lang}/staff/documents/${d.code}/revoke`}>
              <input type="hidden" name="_csrf" value={token} />
              <label class="label" for={`reason-${d.code}`}>
                {tr(lang, 'دلیل ابطال', 'Reason')}
              </label>
              {error?.field === `reason-${d.code}` ? (
                <p class="error-message" id={`reason-${d.code}-error`}>
                  {error.message}
                </p>
              ) : null}
              <input
                class="input input-medium"
                id={`reason-${d.code}`}
                name="reason"
                maxLength={500}
                aria-describedby={error?.field === `reason-${d.code}` ? `reason-${d.code}-error` : undefined}
              />
              <button class="button button-secondary" type="submit">
                {tr(lang, 'ابطال', 'Revoke')} <span class="visually-hidden">{formatCode(d.code)}</span>
              </button>
            </form>
          ) : (
            '–'
          ),
        ])}
      />
    </Layout>
  );
}
