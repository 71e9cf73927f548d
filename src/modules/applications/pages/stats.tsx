// The back office's statistics page: per service and per officer, received, decided, sent back, the median
// time to decision and what is overdue, with the satisfaction ratings.
import { formatNumber, tr, type Lang } from '../../../platform/i18n.ts';
import { Layout } from '../../../web/layout.tsx';
import type { BackofficeService } from '../backoffice.service.ts';
import { other } from './common.tsx';

type Stats = Awaited<ReturnType<BackofficeService['stats']>>;

export function StatsPage({
  lang,
  url,
  agencyName,
  byService,
  byOperator,
  services,
  people,
  rating,
}: Stats & {
  lang: Lang;
  url: string;
  agencyName: string;
  services: Map<string, string>;
  people: Map<string, string>;
  rating: { count: number; average: number | null; satisfied: number };
}) {
  const n = (x: number) => formatNumber(lang, x);
  const hours = (h: number | null) =>
    h === null
      ? '–'
      : h < 48
        ? tr(lang, `${n(Math.round(h * 10) / 10)} ساعت`, `${n(Math.round(h * 10) / 10)} hours`)
        : tr(lang, `${n(Math.round((h / 24) * 10) / 10)} روز`, `${n(Math.round((h / 24) * 10) / 10)} days`);
  const table = (caption: string, first: string, rows: typeof byService, label: (k: string | null) => string) => (
    <div class="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{first}</th>
            <th scope="col">{tr(lang, 'دریافتی', 'Received')}</th>
            <th scope="col">{tr(lang, 'تصمیم‌گرفته', 'Decided')}</th>
            <th scope="col">{tr(lang, 'پذیرفته', 'Approved')}</th>
            <th scope="col">{tr(lang, 'ردشده', 'Rejected')}</th>
            <th scope="col">{tr(lang, 'برگشت برای اطلاعات', 'Sent back')}</th>
            <th scope="col">{tr(lang, 'میانه زمان تصمیم', 'Median time to decision')}</th>
            <th scope="col">{tr(lang, 'از موعد گذشته', 'Overdue')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <th scope="row">{label(r.key)}</th>
              <td>{n(r.received)}</td>
              <td>{n(r.decided)}</td>
              <td>{n(r.approved)}</td>
              <td>{n(r.rejected)}</td>
              <td>{n(r.sent_back)}</td>
              <td>{hours(r.median_hours)}</td>
              <td class={r.overdue ? 'overdue' : undefined}>{n(r.overdue)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
  const title = `${tr(lang, 'آمار درخواست‌ها', 'Application statistics')}: ${agencyName}`;
  return (
    <Layout lang={lang} title={title} altPath={other(lang, url)}>
      <p>
        <a href={`/${lang}/staff`}>{tr(lang, 'میز کار کارکنان', 'Staff home')}</a>
      </p>
      <h1>{title}</h1>
      <p>
        {rating.count
          ? tr(
              lang,
              `رضایت: میانگین ${n(Math.round((rating.average ?? 0) * 10) / 10)} از ۵ در ${n(rating.count)} امتیاز؛ ${n(Math.round((rating.satisfied / rating.count) * 100))}٪ راضی (۴ یا ۵).`,
              `Satisfaction: average ${n(Math.round((rating.average ?? 0) * 10) / 10)} out of 5 from ${n(rating.count)} ratings; ${n(Math.round((rating.satisfied / rating.count) * 100))}% satisfied (4 or 5).`,
            )
          : tr(lang, 'هنوز امتیازی داده نشده است.', 'No ratings yet.')}
      </p>
      {table(tr(lang, 'بر پایه خدمت', 'By service'), tr(lang, 'خدمت', 'Service'), byService, (k) => (k && services.get(k)) || k || '')}
      {table(tr(lang, 'بر پایه کارشناس', 'By officer'), tr(lang, 'کارشناس', 'Officer'), byOperator, (k) =>
        k ? (people.get(k) ?? k) : tr(lang, 'سپرده نشده', 'Not assigned'),
      )}
    </Layout>
  );
}
