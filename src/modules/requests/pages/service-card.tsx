// The piece of a service card (catalogue's service page) the requests module gives: complaints about the
// service, aggregated (how many, the share answered within the agency's deadline), and a link to complain
// about it, the form prefilled. No personal data: counts only.
import { formatNumber, tr, type Lang } from '../../../platform/i18n.ts';
import type { ServiceComplaints } from '../requests.files.repository.ts';

export function ServiceComplaintsPanel({ lang, slug, c }: { lang: Lang; slug: string; c: ServiceComplaints }) {
  const share = c.complaints ? Math.round((c.on_time / c.complaints) * 100) : null;
  return (
    <section aria-labelledby="service-complaints">
      <h2 id="service-complaints">{tr(lang, 'شکایت‌ها از این خدمت', 'Complaints about this service')}</h2>
      <p>
        {c.complaints
          ? tr(
              lang,
              `${formatNumber(lang, c.complaints)} شکایت؛ ${formatNumber(lang, share ?? 0)}٪ در مهلت پاسخ گرفت.`,
              `${c.complaints} complaints; ${share ?? 0}% answered on time.`,
            )
          : tr(lang, 'هنوز شکایتی ثبت نشده است.', 'No complaints yet.')}
      </p>
      <p>
        <a href={`/${lang}/requests/new?kind=complaint&service=${encodeURIComponent(slug)}`}>
          {tr(lang, 'شکایت از این خدمت', 'Complain about this service')}
        </a>
      </p>
    </section>
  );
}
