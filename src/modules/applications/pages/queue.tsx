// The back office's queue page: filters (status, service, officer, payment, sort, overdue), the table
// (overdue deadlines stand out; paid and refunded tags) and paging. The route gathers the data.
import { formatDate, formatNumber, tr, type Lang } from '../../../platform/i18n.ts';
import { Tag } from '../../../web/components.tsx';
import { Layout } from '../../../web/layout.tsx';
import type { ApplicationStatus } from '../../../db/schema.ts';
import type { ApplicationRow } from '../applications.repository.ts';
import { STATUS_NAME } from '../applications.text.ts';
import { isOverdue } from '../applications.types.ts';
import { other, StatusTag } from './common.tsx';

export const STATUSES: (ApplicationStatus | 'open' | 'all')[] = [
  'open',
  'submitted',
  'in-review',
  'info-requested',
  'resubmitted',
  'approved',
  'rejected',
  'all',
];
/** The one rule (applications.types.ts): past its due date and still open. */
export const overdue = (a: ApplicationRow) => isOverdue(a);

export function QueuePage(props: {
  lang: Lang;
  url: string;
  agencyId: string;
  q: Record<string, string | undefined>;
  status: ApplicationStatus | 'open' | 'all';
  sort: string;
  payment: string | undefined;
  serviceId: string | undefined;
  services: { id: string }[];
  names: Map<string, string>;
  people: Map<string, string>;
  paid: Map<string, { refunded: boolean }>;
  items: ApplicationRow[];
  total: number;
  page: number;
  pages: number;
  qs: (over: Record<string, string | undefined>) => string;
}) {
  const { lang, agencyId, q, status, sort, payment, serviceId, services, names, people, paid, items, total, page, pages, qs } = props;
  const req = { url: props.url };
  const title = tr(lang, 'صف درخواست‌ها', 'Applications queue');
  return (
    <Layout lang={lang} title={title} altPath={other(lang, req.url)}>
      <p>
        <a href={`/${lang}/staff`}>{tr(lang, 'میز کار کارکنان', 'Staff home')}</a> ·{' '}
        <a href={`/${lang}/staff/applications/stats`}>{tr(lang, 'آمار', 'Statistics')}</a> ·{' '}
        <a href={`/${lang}/staff/agencies/${agencyId}/offline-applications`}>
          {tr(lang, 'درخواست‌های حضوری و کاغذی', 'Counter applications')}
        </a>
      </p>
      <h1>{title}</h1>
      <form method="get" action={`/${lang}/staff/applications`} class="panel">
        <div class="grid grid-2">
          <div>
            <label class="label" for="status">
              {tr(lang, 'وضعیت', 'Status')}
            </label>
            <select class="input" id="status" name="status">
              {STATUSES.map((s) => (
                <option value={s} selected={s === status}>
                  {s === 'open' ? tr(lang, 'همه باز', 'All open') : s === 'all' ? tr(lang, 'همه', 'All') : STATUS_NAME[s][lang]}
                </option>
              ))}
            </select>
            <label class="label" for="service">
              {tr(lang, 'خدمت', 'Service')}
            </label>
            <select class="input" id="service" name="service">
              <option value="">{tr(lang, 'همه خدمات', 'All services')}</option>
              {services.map((s) => (
                <option value={s.id} selected={s.id === serviceId}>
                  {names.get(s.id)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label class="label" for="assigned">
              {tr(lang, 'کارشناس', 'Officer')}
            </label>
            <select class="input" id="assigned" name="assigned">
              <option value="">{tr(lang, 'همه', 'Anyone')}</option>
              <option value="me" selected={q.assigned === 'me'}>
                {tr(lang, 'سپرده به من', 'Assigned to me')}
              </option>
              <option value="none" selected={q.assigned === 'none'}>
                {tr(lang, 'سپرده نشده', 'Not assigned')}
              </option>
            </select>
            <label class="label" for="payment">
              {tr(lang, 'پرداخت', 'Payment')}
            </label>
            <select class="input" id="payment" name="payment">
              <option value="">{tr(lang, 'همه', 'Any')}</option>
              <option value="unpaid" selected={payment === 'unpaid'}>
                {tr(lang, 'پرداخت‌نشده', 'Unpaid')}
              </option>
              <option value="paid" selected={payment === 'paid'}>
                {tr(lang, 'پرداخت‌شده', 'Paid')}
              </option>
              <option value="refunded" selected={payment === 'refunded'}>
                {tr(lang, 'بازپرداخت‌شده', 'Refunded')}
              </option>
            </select>
            <label class="label" for="sort">
              {tr(lang, 'ترتیب', 'Sort by')}
            </label>
            <select class="input" id="sort" name="sort">
              <option value="due" selected={sort === 'due'}>
                {tr(lang, 'نزدیک‌ترین موعد', 'Deadline, soonest first')}
              </option>
              <option value="submitted" selected={sort === 'submitted'}>
                {tr(lang, 'قدیمی‌ترین', 'Oldest first')}
              </option>
              <option value="-submitted" selected={sort === '-submitted'}>
                {tr(lang, 'تازه‌ترین', 'Newest first')}
              </option>
            </select>
            <div class="checkbox">
              <input type="checkbox" id="overdue" name="overdue" value="1" checked={q.overdue === '1'} />
              <label for="overdue">{tr(lang, 'فقط از موعد گذشته‌ها', 'Only overdue')}</label>
            </div>
          </div>
        </div>
        <button class="button" type="submit">
          {tr(lang, 'نمایش', 'Show')}
        </button>
      </form>
      <p id="results-count">{tr(lang, `${formatNumber(lang, total)} درخواست`, `${formatNumber(lang, total)} applications`)}</p>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{tr(lang, 'شماره پیگیری', 'Reference')}</th>
              <th scope="col">{tr(lang, 'خدمت', 'Service')}</th>
              <th scope="col">{tr(lang, 'وضعیت', 'Status')}</th>
              <th scope="col">{tr(lang, 'تاریخ ثبت', 'Submitted')}</th>
              <th scope="col">{tr(lang, 'موعد', 'Deadline')}</th>
              <th scope="col">{tr(lang, 'کارشناس', 'Officer')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr>
                <td>
                  <a href={`/${lang}/staff/applications/${a.id}`}>
                    <bdi>{a.reference}</bdi>
                  </a>
                </td>
                <td>{names.get(a.service_id) ?? ''}</td>
                <td>
                  <StatusTag status={a.status} lang={lang} /> <PaidTag lang={lang} payment={paid.get(a.id)} />
                </td>
                <td>{a.submitted_at ? formatDate(lang, a.submitted_at) : ''}</td>
                <td class={overdue(a) ? 'overdue' : undefined}>
                  {a.due_at ? formatDate(lang, a.due_at) : ''}
                  {overdue(a) ? tr(lang, ' (گذشته)', ' (overdue)') : ''}
                </td>
                <td>{a.assigned_to ? (people.get(a.assigned_to) ?? '') : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 ? (
        <nav class="pagination" aria-label={tr(lang, 'صفحه‌ها', 'Pages')}>
          {page > 1 ? <a href={qs({ page: String(page - 1) })}>{tr(lang, 'قبلی', 'Previous')}</a> : null}
          <span>{tr(lang, `صفحه ${formatNumber(lang, page)} از ${formatNumber(lang, pages)}`, `Page ${page} of ${pages}`)}</span>
          {page < pages ? <a href={qs({ page: String(page + 1) })}>{tr(lang, 'بعدی', 'Next')}</a> : null}
        </nav>
      ) : null}
    </Layout>
  );
}

/** Paid or refunded, for an application in the payments module's paid list; nothing otherwise. */
function PaidTag({ lang, payment }: { lang: Lang; payment: { refunded: boolean } | undefined }) {
  if (!payment) return null;
  return (
    <Tag tone={payment.refunded ? 'orange' : 'green'}>
      {payment.refunded ? tr(lang, 'بازپرداخت‌شده', 'Refunded') : tr(lang, 'پرداخت‌شده', 'Paid')}
    </Tag>
  );
}
