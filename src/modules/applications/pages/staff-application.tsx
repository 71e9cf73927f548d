// The back office's page of one application: its facts, answers, files, messages (with read times) and
// timeline, and the forms of the actions the officer may take now (claim, assign, ask, approve, reject, message).
import { formatDate, formatNumber, tr, type Lang } from '../../../platform/i18n.ts';
import { ErrorSummary, SummaryList, type FieldError } from '../../../web/components.tsx';
import { Layout } from '../../../web/layout.tsx';
import { PaymentSummary } from '../../payments/pages/pay.tsx';
import { ActingForPanel } from '../../representation/pages/panel.tsx';
import type { RepresentationRow } from '../../representation/representation.repository.ts';
import type { StaffRow } from '../../identity/staff.service.ts';
import type { PaymentsService } from '../../payments/payments.service.ts';
import { pick as pickText } from '../../catalog/catalog.taxonomy.ts';
import type { CatalogService } from '../../catalog/catalog.service.ts';
import { pick, visiblePages, type FormDefinition } from '../forms.ts';
import type { ApplicationEventRow, ApplicationFileRow, ApplicationRow } from '../applications.repository.ts';
import type { EboxMessageRow } from '../ebox.repository.ts';
import { isAssignable } from '../applications.types.ts';
import { eventDetail, STAFF_EVENT_NAME } from '../applications.text.ts';
import { showAnswer } from './fields.tsx';
import { other, StatusTag } from './common.tsx';
import { messageTime } from './thread.tsx';
import { overdue } from './queue.tsx';

export interface StaffApplicationProps {
  lang: Lang;
  staff: StaffRow;
  a: ApplicationRow;
  errors: FieldError[];
  token: string;
  service: Awaited<ReturnType<CatalogService['getService']>>;
  events: ApplicationEventRow[];
  files: ApplicationFileRow[];
  messages: EboxMessageRow[];
  def: FormDefinition;
  people: StaffRow[];
  citizen: { national_id: string } | undefined;
  payment: Awaited<ReturnType<PaymentsService['stateOf']>>;
  /** Who applied for whom, when the form declares "actingFor" (representation). */
  actingFor?: RepresentationRow | null;
  /** The action just done (after POST-redirect-GET), for the success banner. */
  done?: string;
}

/** The success banner after an action (the redirect carries ?done=<action>). */
const DONE: Record<string, { fa: string; en: string }> = {
  approve: { fa: 'درخواست پذیرفته شد و به متقاضی خبر داده شد.', en: 'The application was approved and the applicant told.' },
  reject: { fa: 'درخواست رد شد و دلیل آن برای متقاضی فرستاده شد.', en: 'The application was rejected and the applicant sent the reason.' },
  'request-info': { fa: 'درخواست اطلاعات برای متقاضی فرستاده شد.', en: 'Your request for information was sent to the applicant.' },
  message: { fa: 'پیام فرستاده شد.', en: 'Your message was sent.' },
  claim: { fa: 'این درخواست به شما سپرده شد.', en: 'The application is now assigned to you.' },
  assign: { fa: 'درخواست به کارشناس سپرده شد.', en: 'The application was assigned.' },
};

export function StaffApplicationPage({
  lang,
  staff,
  a,
  errors,
  token,
  service,
  events,
  files,
  messages,
  def,
  people,
  citizen,
  payment,
  actingFor,
  done,
}: StaffApplicationProps) {
  const path = `/${lang}/staff/applications/${a.id}`;
  const open = ['submitted', 'in-review', 'resubmitted'].includes(a.status);
  const names = new Map(people.map((p) => [p.id, p.name || p.email]));
  const fileHref = (id: string) => `${path}/files/${id}`;
  const err = (f: string) => errors.find((e) => e.field === f)?.message;
  const area = (id: string, label: string, hint?: string) => (
    <div class="field">
      <label class="label" for={id}>
        {label}
      </label>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {err(id) ? (
        <p class="error-message" id={`${id}-error`}>
          {err(id)}
        </p>
      ) : null}
      <textarea
        class="input textarea input-wide"
        id={id}
        name="text"
        rows={3}
        maxLength={2000}
        aria-describedby={[hint ? `${id}-hint` : '', err(id) ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined}
      ></textarea>
    </div>
  );
  return (
    <Layout
      lang={lang}
      title={`${tr(lang, 'درخواست', 'Application')} ${a.reference}`}
      altPath={other(lang, path)}
      hasError={errors.length > 0}
    >
      <p>
        <a class="back-link" href={`/${lang}/staff/applications`}>
          {tr(lang, 'صف درخواست‌ها', 'Applications queue')}
        </a>
      </p>
      <ErrorSummary lang={lang} errors={errors} />
      {done && DONE[done] ? (
        <div class="notice" role="status" id="done">
          <p>{DONE[done][lang]}</p>
        </div>
      ) : null}
      <h1>
        {tr(lang, 'درخواست', 'Application')} <bdi>{a.reference}</bdi>
      </h1>
      <SummaryList
        rows={[
          { key: tr(lang, 'خدمت', 'Service'), value: pickText(service.name, lang).text },
          { key: tr(lang, 'وضعیت', 'Status'), value: <StatusTag status={a.status} lang={lang} /> },
          { key: tr(lang, 'کد ملی متقاضی', "Applicant's national ID"), value: <bdi>{citizen?.national_id}</bdi> },
          { key: tr(lang, 'تاریخ ثبت', 'Submitted'), value: a.submitted_at ? formatDate(lang, a.submitted_at) : '' },
          {
            key: tr(lang, 'موعد تصمیم', 'Decision due'),
            value: (
              <span class={overdue(a) ? 'overdue' : undefined}>
                {a.due_at ? formatDate(lang, a.due_at) : ''}
                {overdue(a) ? tr(lang, ' (از موعد گذشته)', ' (overdue)') : ''}
              </span>
            ),
          },
          {
            key: tr(lang, 'کارشناس', 'Officer'),
            value: a.assigned_to ? (names.get(a.assigned_to) ?? '') : tr(lang, 'سپرده نشده', 'Not assigned'),
          },
          { key: tr(lang, 'نسخه فرم', 'Form version'), value: formatNumber(lang, a.form_version) },
          ...(payment ? [{ key: tr(lang, 'پرداخت', 'Payment'), value: <PaymentSummary lang={lang} state={payment} /> }] : []),
          ...(a.decision_reason
            ? [{ key: tr(lang, 'دلیل تصمیم', 'Reason'), value: <span class="pre-line">{a.decision_reason}</span> }]
            : []),
        ]}
      />
      {actingFor ? <ActingForPanel lang={lang} row={actingFor} audience="staff" /> : null}
      <h2>{tr(lang, 'پاسخ‌ها', 'Answers')}</h2>
      <SummaryList
        rows={visiblePages(def, a.answers).flatMap((p) =>
          p.fields.map((f) => ({ key: pick(f.label, lang), value: showAnswer(f, a.answers[f.name], lang, fileHref) })),
        )}
      />
      <h2>{tr(lang, 'پرونده‌ها', 'Files')}</h2>
      <ul>
        {files.map((f) => (
          <li>
            <a href={fileHref(f.id)}>
              <bdi>{f.original_name}</bdi>
            </a>{' '}
            ({f.content_type}, {formatNumber(lang, f.size_bytes)} {tr(lang, 'بایت', 'bytes')}, SHA-256 <code>{f.sha256.slice(0, 16)}…</code>
            )
          </li>
        ))}
      </ul>
      <h2>{tr(lang, 'پیام‌ها', 'Messages')}</h2>
      <ul>
        {messages.map((m) => (
          <li>
            <strong>{m.subject[lang] ?? m.subject.fa}</strong> – {tr(lang, 'فرستاده', 'sent')} {messageTime(lang, m.sent_at)}
            {m.sender !== 'citizen' ? (
              <>
                {' '}
                –{' '}
                {m.read_at ? (
                  <>
                    {tr(lang, 'خوانده شده', 'read')} {messageTime(lang, m.read_at)}
                  </>
                ) : (
                  tr(lang, 'هنوز خوانده نشده', 'not read yet')
                )}
              </>
            ) : null}
            {m.sender === 'citizen' || m.kind === 'info-request' || m.kind === 'message' ? (
              <p class="pre-line">{m.body[lang] ?? m.body.fa}</p>
            ) : null}
          </li>
        ))}
      </ul>
      <h2>{tr(lang, 'روند', 'Timeline')}</h2>
      <ol class="timeline">
        {events.map((e) => (
          <li>
            <strong>{STAFF_EVENT_NAME[e.type]?.[lang] ?? e.type}</strong>
            {messageTime(lang, e.at)}
            {e.actor.startsWith('staff:') ? <span> – {names.get(e.actor.slice(6)) ?? ''}</span> : null}
            {eventDetail(e.data, lang) ? <span class="hint"> {eventDetail(e.data, lang)}</span> : null}
          </li>
        ))}
      </ol>
      <div class="actions">
        <h2>{tr(lang, 'کارها', 'Actions')}</h2>
        {open || a.status === 'info-requested' ? (
          <>
            {a.assigned_to !== staff.id ? (
              <form method="post" action={`${path}/claim`}>
                <input type="hidden" name="_csrf" value={token} />
                <button class="button button-secondary" type="submit">
                  {tr(lang, 'برداشتن این درخواست برای خودم', 'Claim this application')}
                </button>
              </form>
            ) : null}
            <form method="post" action={`${path}/assign`}>
              <input type="hidden" name="_csrf" value={token} />
              <label class="label" for="assignee">
                {tr(lang, 'سپردن به کارشناس', 'Assign to an officer')}
              </label>
              <select class="input" id="assignee" name="assignee">
                {people
                  .filter((p) => isAssignable(p, a.agency_id))
                  .map((p) => (
                    <option value={p.id} selected={p.id === a.assigned_to}>
                      {p.name || p.email}
                    </option>
                  ))}
              </select>
              <button class="button button-secondary" type="submit">
                {tr(lang, 'سپردن', 'Assign')}
              </button>
            </form>
          </>
        ) : null}
        {open ? (
          <>
            <form method="post" action={`${path}/request-info`} novalidate>
              <input type="hidden" name="_csrf" value={token} />
              {area(
                'request',
                tr(lang, 'درخواست اطلاعات بیشتر از متقاضی', 'Ask the applicant for more information'),
                tr(lang, 'بنویسید دقیقاً چه چیزی لازم است.', 'Say exactly what you need.'),
              )}
              <button class="button button-secondary" type="submit">
                {tr(lang, 'فرستادن درخواست اطلاعات', 'Send request for information')}
              </button>
            </form>
            <form method="post" action={`${path}/approve`} novalidate>
              <input type="hidden" name="_csrf" value={token} />
              {area('approve', tr(lang, 'توضیح پذیرش (اختیاری)', 'Note with the approval (optional)'))}
              <button class="button" type="submit">
                {tr(lang, 'پذیرفتن درخواست', 'Approve application')}
              </button>
            </form>
            <form method="post" action={`${path}/reject`} novalidate>
              <input type="hidden" name="_csrf" value={token} />
              {area(
                'reject',
                tr(lang, 'دلیل رد درخواست', 'Reason for rejecting'),
                tr(lang, 'متقاضی این دلیل را می‌بیند.', 'The applicant will see this reason.'),
              )}
              <button class="button button-secondary" type="submit">
                {tr(lang, 'رد درخواست', 'Reject application')}
              </button>
            </form>
          </>
        ) : null}
        <form method="post" action={`${path}/message`} novalidate>
          <input type="hidden" name="_csrf" value={token} />
          {area('message', tr(lang, 'پیام به متقاضی', 'Message to the applicant'))}
          <button class="button button-secondary" type="submit">
            {tr(lang, 'فرستادن پیام', 'Send message')}
          </button>
        </form>
      </div>
    </Layout>
  );
}
