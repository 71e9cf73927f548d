// The application's record of who applied for whom, on the citizen's application page and the agency's
// back-office page: "Applied by X for their child Y (checked with the civil registry at ...)".
import { digits, formatDate, formatTime, tr, type Lang } from '../../../platform/i18n.ts';
import type { RepresentationRow } from '../representation.repository.ts';
import { CIVIL_REGISTRY } from '../representation.service.ts';
import { relationName } from './account.tsx';

export function ActingForPanel({ lang, row, audience }: { lang: Lang; row: RepresentationRow; audience: 'citizen' | 'staff' }) {
  const name = row.subject_name?.[lang] || row.subject_name?.fa || row.subject_name?.en || '';
  const at = new Date(row.checked_at);
  const when = `${formatDate(lang, at)} ${formatTime(lang, at)}`;
  const subject = (
    <>
      <bdi>{name}</bdi> (<bdi>{digits(lang, row.subject_national_id)}</bdi>)
    </>
  );
  return (
    <section aria-labelledby="acting-for-title" class="panel">
      <h2 id="acting-for-title">{tr(lang, 'درخواست برای دیگری', 'Applied for someone else')}</h2>
      <p>
        {audience === 'citizen' ? (
          <>
            {tr(lang, 'شما این درخواست را برای ', 'You made this application for ')}
            {subject}
            {tr(lang, `، ${relationName('fa', row.relation)}، داده‌اید.`, `, ${relationName('en', row.relation)}.`)}
          </>
        ) : (
          <>
            {tr(lang, 'درخواست‌دهنده، با کد ملی ', 'Applied by the holder of national ID ')}
            <bdi>{digits(lang, row.applicant_national_id)}</bdi>
            {tr(lang, '، آن را برای ', ' for ')}
            {row.relation === 'ward'
              ? tr(lang, 'کودک تحت سرپرستی قانونی خود، ', 'the child in their legal guardianship, ')
              : tr(lang, 'فرزند خود، ', 'their child, ')}
            {subject}
            {tr(lang, '، داده است.', '.')}
          </>
        )}
      </p>
      <p class="hint">
        {tr(lang, `بررسی‌شده با ${CIVIL_REGISTRY.fa} در ${when}`, `Checked with the ${CIVIL_REGISTRY.en} on ${when}`)}
        {row.exchange_request_id ? (
          <>
            {' '}
            ({tr(lang, 'شناسه استعلام', 'request ID')} <bdi dir="ltr">{row.exchange_request_id}</bdi>)
          </>
        ) : null}
      </p>
    </section>
  );
}
