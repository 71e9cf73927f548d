// The agency's and the oversight office's pages: the queue (filters: kind, status, overdue, mine) and one
// request with its timeline and the forms of the actions open to the staff member.
import { formatDate, formatNumber, tr, type Lang } from '../../../platform/i18n.ts';
import { ErrorSummary, SummaryList, Tag, TextInput } from '../../../web/components.tsx';
import type { RequestFileRow } from '../requests.files.repository.ts';
import { FileField, FileList } from './files.tsx';
import { Layout } from '../../../web/layout.tsx';
import type { RequestEventRow, RequestRow } from '../requests.repository.ts';
import { CATEGORIES, EXEMPTIONS, KIND_NAME, KINDS, OUTCOMES, name } from '../requests.text.ts';
import type { DeskAction } from '../requests.desk.ts';
import { Deadline, other, Select, StatusTag, TextArea, Timeline, type Errors } from './controls.tsx';

const options = (names: Record<string, { fa: string; en: string }>, lang: Lang) =>
  Object.entries(names).map(([value, l]) => ({ value, label: l[lang] }));

export function DeskQueuePage(p: {
  lang: Lang;
  url: string;
  oversight: boolean;
  /** The agency's admin: may set its deadlines. */
  configure?: boolean;
  q: { kind?: string; status?: string; overdue?: string; mine?: string };
  items: RequestRow[];
  total: number;
  agencies: Map<string, string>;
  now: Date;
}) {
  const { lang, q } = p;
  const title = p.oversight
    ? tr(lang, 'درخواست‌های مردمی: نهاد نظارتی', 'Citizens’ requests: oversight office')
    : tr(lang, 'درخواست‌های مردمی', 'Citizens’ requests');
  return (
    <Layout lang={lang} title={title} altPath={other(lang, p.url)}>
      <p>
        <a href={`/${lang}/staff`}>{tr(lang, 'میز کار کارکنان', 'Staff home')}</a>
        {p.configure ? (
          <>
            {' · '}
            <a href={`/${lang}/staff/requests/deadlines`}>{tr(lang, 'مهلت‌های پاسخ دستگاه', 'The agency’s deadlines')}</a>
          </>
        ) : null}
      </p>
      <h1>{title}</h1>
      <form method="get" action={`/${lang}/staff/requests`} class="panel">
        <div class="grid grid-2">
          <Select
            lang={lang}
            id="kind"
            optional
            label={tr(lang, 'نوع', 'Kind')}
            value={q.kind}
            options={KINDS.map((k) => ({ value: k, label: KIND_NAME[k][lang] }))}
          />
          <Select
            lang={lang}
            id="status"
            label={tr(lang, 'وضعیت', 'Status')}
            value={q.status ?? 'open'}
            options={[
              { value: 'open', label: tr(lang, 'باز', 'Open') },
              { value: 'closed', label: tr(lang, 'پاسخ‌داده یا بسته', 'Answered or closed') },
              { value: 'all', label: tr(lang, 'همه', 'All') },
            ]}
          />
        </div>
        <div class="checkbox">
          <input type="checkbox" id="overdue" name="overdue" value="1" checked={q.overdue === '1'} />
          <label for="overdue">{tr(lang, 'فقط مهلت‌گذشته', 'Overdue only')}</label>
        </div>
        <div class="checkbox">
          <input type="checkbox" id="mine" name="mine" value="1" checked={q.mine === '1'} />
          <label for="mine">{tr(lang, 'فقط ارجاع‌شده به من', 'Assigned to me only')}</label>
        </div>
        <button class="button" type="submit">
          {tr(lang, 'اعمال', 'Apply')}
        </button>
      </form>
      <p>{tr(lang, `${formatNumber(lang, p.total)} درخواست`, `${formatNumber(lang, p.total)} requests`)}</p>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{tr(lang, 'شماره', 'Reference')}</th>
              <th scope="col">{tr(lang, 'عنوان', 'Title')}</th>
              <th scope="col">{tr(lang, 'دستگاه', 'Agency')}</th>
              <th scope="col">{tr(lang, 'وضعیت', 'Status')}</th>
              <th scope="col">{tr(lang, 'مهلت', 'Due')}</th>
            </tr>
          </thead>
          <tbody>
            {p.items.map((r) => (
              <tr>
                <td dir="ltr">
                  <a href={`/${lang}/staff/requests/${r.id}`}>{r.reference}</a>
                </td>
                <td dir="auto">
                  {r.subject}
                  <br />
                  <span class="hint">{KIND_NAME[r.kind][lang]}</span>{' '}
                  {r.escalation ? (
                    <Tag tone="red">
                      {r.escalation > 1
                        ? tr(lang, 'ارجاع به نظارت', 'Escalated to oversight')
                        : tr(lang, 'ارجاع به مسئول شکایات', 'Escalated to head of complaints')}
                    </Tag>
                  ) : null}{' '}
                  {r.appeal_status === 'open' ? <Tag tone="orange">{tr(lang, 'تجدیدنظرخواهی', 'Appeal')}</Tag> : null}{' '}
                  {r.publication === 'pending' ? <Tag tone="blue">{tr(lang, 'منتظر انتشار', 'Awaiting publication')}</Tag> : null}
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
    </Layout>
  );
}

export function DeskRequestPage(p: {
  lang: Lang;
  csrf: string;
  r: RequestRow;
  events: RequestEventRow[];
  files: RequestFileRow[];
  identityShown: boolean;
  oversight: boolean;
  agencies: { value: string; label: string }[];
  officers: { value: string; label: string }[];
  now: Date;
  errors: Errors;
  failed?: DeskAction;
}) {
  const { lang, r, errors } = p;
  const base = `/${lang}/staff/requests/${r.id}`;
  const list = Object.entries(errors).map(([field, message]) => ({ field: `${p.failed}-${field}`, message }));
  const err = (a: DeskAction, f: string) => (p.failed === a ? errors[f] : undefined);
  const open = ['open', 'clarification'].includes(r.status);
  const agencyName = p.agencies.find((a) => a.value === r.agency_id)?.label ?? r.agency_id;
  const Form = ({
    action,
    label,
    children,
    files,
  }: {
    action: DeskAction;
    label: string;
    children?: preact.ComponentChildren;
    files?: boolean;
  }) => (
    <form method="post" action={`${base}/${action}`} novalidate class="panel" enctype={files ? 'multipart/form-data' : undefined}>
      <input type="hidden" name="_csrf" value={p.csrf} />
      {children}
      {files ? <FileField lang={lang} id={`${action}-attachment`} error={err(action, 'attachment')} /> : null}
      <button class="button" type="submit">
        {label}
      </button>
    </form>
  );
  const text = (a: DeskAction, label: string) => <TextArea lang={lang} id={`${a}-text`} label={label} error={err(a, 'text')} />;
  return (
    <Layout lang={lang} title={r.subject} altPath={other(lang, base)} hasError={list.length > 0}>
      <p>
        <a href={`/${lang}/staff/requests`}>{tr(lang, 'بازگشت به صف', 'Back to the queue')}</a>
      </p>
      <ErrorSummary lang={lang} errors={list} />
      <h1 dir="auto">{r.subject}</h1>
      <SummaryList
        rows={[
          { key: tr(lang, 'شماره', 'Reference'), value: <span dir="ltr">{r.reference}</span> },
          { key: tr(lang, 'نوع', 'Kind'), value: KIND_NAME[r.kind][lang] },
          { key: tr(lang, 'دستگاه', 'Agency'), value: agencyName },
          {
            key: tr(lang, 'درخواست‌کننده', 'Requester'),
            value: p.identityShown ? (
              <span dir="ltr">{r.requester_national_id}</span>
            ) : (
              tr(lang, 'محرمانه به خواست شهروند (نهاد نظارتی می‌بیند)', 'Withheld at the citizen’s request (oversight can see it)')
            ),
          },
          { key: tr(lang, 'وضعیت', 'Status'), value: <StatusTag lang={lang} r={r} /> },
          { key: tr(lang, 'مهلت', 'Due'), value: <Deadline lang={lang} r={r} now={p.now} /> },
          ...(r.category ? [{ key: tr(lang, 'موضوع', 'Category'), value: name(CATEGORIES, r.category, lang) }] : []),
          ...(r.appeal_status
            ? [
                {
                  key: tr(lang, 'تجدیدنظرخواهی', 'Appeal'),
                  value: `${r.appeal_status}${r.appeal_due_at ? ` · ${formatDate(lang, r.appeal_due_at)}` : ''}`,
                },
              ]
            : []),
        ]}
      />
      <h2>{tr(lang, 'متن درخواست', 'Request')}</h2>
      <p dir="auto">{r.body}</p>
      {r.answer ? (
        <>
          <h2>{tr(lang, 'پاسخ', 'Answer')}</h2>
          <p dir="auto">{r.answer}</p>
        </>
      ) : null}
      <FileList lang={lang} files={p.files} href={(f) => `${base}/files/${f.id}`} />
      <h2>{tr(lang, 'مراحل', 'Timeline')}</h2>
      <Timeline lang={lang} events={p.events} />
      <h2>{tr(lang, 'اقدام', 'Act')}</h2>
      {!p.oversight && open ? (
        <>
          <Form action="claim" label={tr(lang, 'برعهده می‌گیرم', 'Claim')} />
          {p.officers.length ? (
            <Form action="assign" label={tr(lang, 'ارجاع', 'Assign')}>
              <Select
                lang={lang}
                id="officer"
                label={tr(lang, 'کارشناس', 'Officer')}
                options={p.officers}
                error={err('assign', 'officer')}
              />
            </Form>
          ) : null}
          {r.status === 'open' ? (
            <Form action="clarify" files label={tr(lang, 'درخواست توضیح (مهلت متوقف می‌شود)', 'Ask for clarification (pauses the clock)')}>
              {text('clarify', tr(lang, 'چه توضیحی لازم است', 'What you need to know'))}
            </Form>
          ) : null}
          <Form action="answer" files label={tr(lang, 'ارسال پاسخ', 'Send answer')}>
            {text('answer', tr(lang, 'پاسخ', 'Answer'))}
            <Select
              lang={lang}
              id="answer-outcome"
              label={tr(lang, 'نتیجه', 'Outcome')}
              options={options(OUTCOMES, lang)}
              error={err('answer', 'outcome')}
            />
            {r.kind === 'foi' && !r.keep_private ? (
              <>
                <TextInput
                  id="answer-publicSubject"
                  label={tr(lang, 'عنوان برای فهرست عمومی (بدون اطلاعات شخصی)', 'Title for the public register (personal data removed)')}
                  error={err('answer', 'publicSubject')}
                  width="wide"
                  dir="auto"
                />
                <TextArea
                  lang={lang}
                  id="answer-publicText"
                  label={tr(
                    lang,
                    'متن پاسخ برای فهرست عمومی (بدون اطلاعات شخصی)',
                    'Answer for the public register (personal data removed)',
                  )}
                  error={err('answer', 'publicText')}
                />
              </>
            ) : null}
          </Form>
          {r.kind === 'foi' ? (
            <Form action="partial" files label={tr(lang, 'پاسخ با امتناع جزئی', 'Answer with a partial refusal')}>
              {text('partial', tr(lang, 'پاسخ (بخش‌هایی که داده می‌شود)', 'Answer (the parts given)'))}
              <Select
                lang={lang}
                id="partial-exemption"
                label={tr(lang, 'مبنای قانونی امتناع', 'Legal exemption ground')}
                options={options(EXEMPTIONS, lang)}
                error={err('partial', 'exemption')}
              />
              {!r.keep_private ? (
                <>
                  <TextInput
                    id="partial-publicSubject"
                    label={tr(lang, 'عنوان برای فهرست عمومی (بدون اطلاعات شخصی)', 'Title for the public register (personal data removed)')}
                    error={err('partial', 'publicSubject')}
                    width="wide"
                    dir="auto"
                  />
                  <TextArea
                    lang={lang}
                    id="partial-publicText"
                    label={tr(
                      lang,
                      'متن پاسخ برای فهرست عمومی (بدون اطلاعات شخصی)',
                      'Answer for the public register (personal data removed)',
                    )}
                    error={err('partial', 'publicText')}
                  />
                </>
              ) : null}
            </Form>
          ) : null}
          <Form action="transfer" label={tr(lang, 'انتقال (مهلت از نو)', 'Transfer (the clock restarts)')}>
            <Select
              lang={lang}
              id="transfer-agencyId"
              label={tr(lang, 'دستگاه مقصد', 'Agency to transfer to')}
              options={p.agencies.filter((a) => a.value !== r.agency_id)}
              error={err('transfer', 'agencyId')}
            />
            {text('transfer', tr(lang, 'یادداشت برای شهروند', 'Note for the citizen'))}
          </Form>
          <Form action="split" label={tr(lang, 'جدا کردن بخشی از درخواست (با مهلت خودش)', 'Split off a part (with its own clock)')}>
            <Select
              lang={lang}
              id="split-agencyId"
              label={tr(lang, 'دستگاهی که به آن بخش پاسخ می‌دهد', 'Agency to answer that part')}
              options={p.agencies}
              value={r.agency_id}
              error={err('split', 'agencyId')}
            />
            <TextInput
              id="split-partSubject"
              label={tr(lang, 'عنوان بخش جداشده', 'Title of the part')}
              error={err('split', 'partSubject')}
              width="wide"
              dir="auto"
            />
            <TextArea
              lang={lang}
              id="split-partBody"
              label={tr(lang, 'متن بخش جداشده', 'Text of the part')}
              error={err('split', 'partBody')}
            />
          </Form>
          {r.kind !== 'foi' ? (
            <Form action="close" label={tr(lang, 'بستن', 'Close')}>
              <Select
                lang={lang}
                id="close-outcome"
                label={tr(lang, 'نتیجه', 'Outcome')}
                options={options(OUTCOMES, lang)}
                error={err('close', 'outcome')}
              />
            </Form>
          ) : null}
          <Form action="vexatious" label={tr(lang, 'مزاحمت‌آمیز: به نهاد نظارتی', 'Vexatious: send to oversight')}>
            {text('vexatious', tr(lang, 'چرا', 'Why'))}
          </Form>
        </>
      ) : null}
      {p.oversight ? (
        <>
          {r.publication === 'pending' ? (
            <>
              <Form action="publish" label={tr(lang, 'انتشار در فهرست عمومی', 'Publish in the register')}>
                <TextArea
                  lang={lang}
                  id="publish-publicText"
                  label={tr(lang, 'متن منتشرشونده', 'Text to publish')}
                  value={r.answer_public ?? ''}
                  error={err('publish', 'publicText')}
                />
                <TextInput
                  id="publish-publicSubject"
                  label={tr(lang, 'عنوان منتشرشونده', 'Title to publish')}
                  value={r.subject_public ?? ''}
                  error={err('publish', 'publicSubject')}
                  width="wide"
                  dir="auto"
                />
                {p.files.some((f) => f.side === 'agency') ? (
                  <fieldset class="plain-fieldset">
                    <legend class="label">{tr(lang, 'پیوست‌های دستگاه که منتشر شوند', 'The agency’s attachments to publish')}</legend>
                    {p.files
                      .filter((f) => f.side === 'agency')
                      .map((f) => (
                        <div class="checkbox">
                          <input type="checkbox" id={`publish-file-${f.id}`} name="publish-publishFiles" value={f.id} />
                          <label for={`publish-file-${f.id}`} dir="auto">
                            {f.original_name}
                          </label>
                        </div>
                      ))}
                  </fieldset>
                ) : null}
              </Form>
              <Form action="unpublish" label={tr(lang, 'منتشر نشود', 'Do not publish')} />
            </>
          ) : r.publication === 'published' ? (
            <Form action="unpublish" label={tr(lang, 'برداشتن از فهرست عمومی', 'Take down from the register')} />
          ) : null}
          {r.appeal_status === 'open' ? (
            <>
              <Form action="appeal-upheld" label={tr(lang, 'پذیرش تجدیدنظرخواهی', 'Uphold the appeal')}>
                {text('appeal-upheld', tr(lang, 'رأی', 'Decision'))}
              </Form>
              <Form action="appeal-dismissed" label={tr(lang, 'رد تجدیدنظرخواهی', 'Dismiss the appeal')}>
                {text('appeal-dismissed', tr(lang, 'رأی', 'Decision'))}
              </Form>
            </>
          ) : null}
          {r.status === 'vexatious-review' ? (
            <>
              <Form action="vexatious-confirm" label={tr(lang, 'تأیید مزاحمت‌آمیز بودن', 'Confirm vexatious')}>
                {text('vexatious-confirm', tr(lang, 'دلیل', 'Reason'))}
              </Form>
              <Form action="vexatious-reject" label={tr(lang, 'بازگرداندن به دستگاه', 'Send back to the agency')}>
                {text('vexatious-reject', tr(lang, 'دلیل', 'Reason'))}
              </Form>
            </>
          ) : null}
        </>
      ) : null}
    </Layout>
  );
}
