// Pages of the public document check (/fa/verify, /en/verify) and the staff list with revocation.
// Words: documents.words.ts; controls: the shared components.
import type { ComponentChildren } from 'preact';
import { formatDate, type Lang } from '../../platform/i18n.ts';
import {
  BackLink,
  Button,
  CsrfField,
  ErrorMessage,
  ErrorSummary,
  FileUpload,
  Ltr,
  SummaryList,
  Tag,
  TextField,
  type FieldError,
} from '../../web/components.tsx';
import { DataTable } from '../../web/charts.tsx';
import { Layout } from '../../web/layout.tsx';
import { formatCode, maskName } from './documents.code.ts';
import type { DocumentRow } from './documents.repository.ts';
import type { CheckOutcome } from './documents.service.ts';
import { documentWords } from './documents.words.ts';

const other = (lang: Lang) => (lang === 'fa' ? 'en' : 'fa');
const EXAMPLE = 'K7MRT-4XHPA';

/** What was wrong with a typed code. */
export type CodeError = 'codeMissing' | 'codeFormat';

function CodeForm({ lang, value, error }: { lang: Lang; value?: string; error?: CodeError }) {
  const m = documentWords(lang);
  return (
    <form method="get" action={`/${lang}/verify`} novalidate>
      <TextField
        lang={lang}
        id="code"
        label={m('code')}
        hint={
          <>
            {m('codeHint')} <Ltr>{EXAMPLE}</Ltr>
          </>
        }
        value={value}
        error={error ? `${m(error)}${error === 'codeFormat' ? ` ${EXAMPLE}` : ''}` : undefined}
        autocomplete="off"
        dir="ltr"
        spellcheck={false}
      />
      <Button>{m('checkDocument')}</Button>
    </form>
  );
}

export function VerifyStartPage({ lang, value, error }: { lang: Lang; value?: string; error?: CodeError }) {
  const m = documentWords(lang);
  const errors: FieldError[] = error ? [{ field: 'code', message: m(error) }] : [];
  return (
    <Layout lang={lang} title={m('checkTitle')} altPath={`/${other(lang)}/verify`} hasError={!!error}>
      <ErrorSummary lang={lang} errors={errors} />
      <h1>{m('checkTitle')}</h1>
      <p>{m('checkIntro')}</p>
      <CodeForm lang={lang} value={value} error={error} />
    </Layout>
  );
}

export function UnknownCodePage({ lang, code }: { lang: Lang; code: string }) {
  const m = documentWords(lang);
  return (
    <Layout lang={lang} title={m('unknownTitle')} altPath={`/${other(lang)}/verify/${encodeURIComponent(code)}`}>
      <h1>{m('unknownTitle')}</h1>
      <p>
        {m('unknownBefore')}
        <Ltr>
          <code>{code.slice(0, 40)}</code>
        </Ltr>
        {m('unknownAfter')}
      </p>
      <CodeForm lang={lang} value={code.slice(0, 40)} />
    </Layout>
  );
}

/** What was wrong with an uploaded file. */
export type FileError = 'choosePdf' | 'fileTooLarge' | 'notPdf';

export interface DocumentView {
  doc: DocumentRow;
  agencyName: string;
  outcome?: CheckOutcome;
  fileError?: FileError;
}

const OUTCOME = {
  genuine: { good: true, title: 'genuine', more: 'genuineMore' },
  altered: { good: false, title: 'altered', more: 'alteredMore' },
  revoked: { good: false, title: 'revokedOutcome', more: 'revokedMore' },
  'signature-invalid': { good: false, title: 'signatureInvalid', more: 'signatureInvalidMore' },
} as const satisfies Record<CheckOutcome, { good: boolean; title: string; more: string }>;

function Banner({ lang, outcome }: { lang: Lang; outcome: CheckOutcome }) {
  const m = documentWords(lang);
  const o = OUTCOME[outcome];
  return (
    <div class={o.good ? 'notice' : 'error-summary'} role="status" id="result">
      <h2 class="error-summary-title">{m(o.title)}</h2>
      <p>{m(o.more)}</p>
    </div>
  );
}

export function DocumentPage({ lang, v }: { lang: Lang; v: DocumentView }) {
  const m = documentWords(lang);
  const d = v.doc;
  const revoked = d.status === 'revoked';
  const fileError = v.fileError ? m(v.fileError) : undefined;
  const errors: FieldError[] = fileError ? [{ field: 'document', message: fileError }] : [];
  const title = v.outcome ? m(OUTCOME[v.outcome].title) : revoked ? m('revokedTitle') : m('validTitle');
  const rows: { key: ComponentChildren; value: ComponentChildren }[] = [
    {
      key: m('code'),
      value: (
        <Ltr>
          <code>{formatCode(d.code)}</code>
        </Ltr>
      ),
    },
    { key: m('status'), value: revoked ? <Tag tone="grey">{m('revoked')}</Tag> : <Tag tone="green">{m('valid')}</Tag> },
    ...(revoked && d.revoked_at ? [{ key: m('revokedOn'), value: formatDate(lang, d.revoked_at) }] : []),
    { key: m('issuedBy'), value: v.agencyName },
    { key: m('kind'), value: m(d.kind) },
    {
      key: m('title'),
      value: (
        <span lang={d.lang} dir={d.lang === 'fa' ? 'rtl' : 'ltr'}>
          {d.title}
        </span>
      ),
    },
    {
      key: m('holder'),
      value: (
        <span lang={d.lang} dir={d.lang === 'fa' ? 'rtl' : 'ltr'}>
          {maskName(d.holder_name)}
        </span>
      ),
    },
    { key: m('issuedOn'), value: formatDate(lang, d.issued_at) },
  ];
  return (
    <Layout lang={lang} title={title} altPath={`/${other(lang)}/verify/${d.code}`} hasError={errors.length > 0}>
      <ErrorSummary lang={lang} errors={errors} />
      {v.outcome ? <Banner lang={lang} outcome={v.outcome} /> : null}
      <h1>{v.outcome ? m('fileResult') : title}</h1>
      <SummaryList rows={rows} />
      <p>{m('holderMasked')}</p>
      <h2>{m('checkFile')}</h2>
      <p>{m('checkFileIntro')}</p>
      <form method="post" action={`/${lang}/verify/${d.code}`} enctype="multipart/form-data" novalidate>
        <FileUpload lang={lang} id="document" label={m('pdfFile')} error={fileError} accept="application/pdf,.pdf" />
        <Button>{m('checkTheFile')}</Button>
      </form>
      <h2>{m('forSystems')}</h2>
      <p>
        {m('signedStatement')}
        <a href={`/verify/${d.code}.json`}>
          <Ltr>{`/verify/${d.code}.json`}</Ltr>
        </a>
        {m('publicKeys')}
        <a href="/.well-known/panjereh-document-keys.json">
          <Ltr>/.well-known/panjereh-document-keys.json</Ltr>
        </a>
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
  const m = documentWords(lang);
  return (
    <Layout lang={lang} title={m('issuedDocuments')} altPath={`/${other(lang)}/staff/documents`} hasError={!!error}>
      <ErrorSummary lang={lang} errors={error ? [error] : []} />
      <p>
        <BackLink lang={lang} href={`/${lang}/staff`}>
          {m('backToStaff')}
        </BackLink>
      </p>
      <h1>{m('issuedDocuments')}</h1>
      <p>{agencyLabel}</p>
      {message ? (
        <p class="notice" role="status">
          {message}
        </p>
      ) : null}
      <DataTable
        caption={m('newest')}
        head={[m('codeShort'), m('kindShort'), m('title'), m('holder'), m('issuedShort'), m('status'), m('revoke')]}
        rows={docs.map((d) => {
          const id = `reason-${d.code}`;
          const err = error?.field === id ? error.message : undefined;
          return [
            <a href={`/${lang}/verify/${d.code}`}>
              <Ltr>{formatCode(d.code)}</Ltr>
            </a>,
            m(d.kind),
            d.title,
            d.holder_name,
            formatDate(lang, d.issued_at),
            d.status === 'revoked' ? <Tag tone="grey">{m('revoked')}</Tag> : <Tag tone="green">{m('valid')}</Tag>,
            d.status === 'valid' && canRevoke ? (
              <form method="post" action={`/${lang}/staff/documents/${d.code}/revoke`}>
                <CsrfField token={token} />
                <label class="label" for={id}>
                  {m('reason')}
                </label>
                <ErrorMessage id={id} lang={lang} message={err} />
                <input
                  class={`input input-medium${err ? ' input-error' : ''}`}
                  id={id}
                  name="reason"
                  maxLength={500}
                  aria-describedby={err ? `${id}-error` : undefined}
                  aria-invalid={err ? 'true' : undefined}
                />
                <Button variant="secondary">
                  {m('revoke')} <span class="visually-hidden">{formatCode(d.code)}</span>
                </Button>
              </form>
            ) : (
              '–'
            ),
          ];
        })}
      />
    </Layout>
  );
}
