// The application's record of who applied for whom, on the citizen's application page and the agency's
// back-office page: "Applied by X for their child Y (checked with the civil registry at ...)", and the
// same for a company's signatory, a colleague a signatory gave access to, and an attorney.
import { digits, formatDate, formatTime, tr, type Lang } from '../../../platform/i18n.ts';
import type { RepresentationRow } from '../representation.repository.ts';
import { REGISTRY_NAMES } from '../evaluation.ts';

type Relation = RepresentationRow['relation'];

/** What the subject is to the applicant, as the applicant reads it. */
export const relationName = (lang: Lang, relation: Relation) => {
  switch (relation) {
    case 'ward':
      return tr(lang, 'تحت سرپرستی قانونی شما', 'in your legal guardianship');
    case 'signatory':
      return tr(lang, 'شرکتی که صاحب امضای مجاز آن هستید', 'a company you are an authorised signatory of');
    case 'grant':
      return tr(lang, 'شرکتی که صاحب امضای آن به شما دسترسی داده است', 'a company whose signatory gave you access');
    case 'attorney':
      return tr(lang, 'که شما را با وکالت‌نامه رسمی وکیل خود کرده است', 'who made you their attorney by a registered power of attorney');
    default:
      return tr(lang, 'فرزند شما', 'your child');
  }
};

/** The same, as the agency's operator reads it ("for <this>, <name>"). */
const staffRelation = (lang: Lang, relation: Relation) => {
  switch (relation) {
    case 'ward':
      return tr(lang, 'کودک تحت سرپرستی قانونی خود، ', 'the child in their legal guardianship, ');
    case 'signatory':
      return tr(lang, 'شرکتی که صاحب امضای مجاز آن است، ', 'the company they are an authorised signatory of, ');
    case 'grant':
      return tr(lang, 'شرکتی که صاحب امضایش به او دسترسی داده، ', 'the company whose signatory gave them access, ');
    case 'attorney':
      return tr(lang, 'موکل خود (با وکالت‌نامه رسمی)، ', 'their principal (by a registered power of attorney), ');
    default:
      return tr(lang, 'فرزند خود، ', 'their child, ');
  }
};

export function ActingForPanel({ lang, row, audience }: { lang: Lang; row: RepresentationRow; audience: 'citizen' | 'staff' }) {
  const name = row.subject_name?.[lang] || row.subject_name?.fa || row.subject_name?.en || '';
  const at = new Date(row.checked_at);
  const when = `${formatDate(lang, at)} ${formatTime(lang, at)}`;
  const registry = REGISTRY_NAMES[row.exchange_service] ?? { fa: row.exchange_service, en: row.exchange_service };
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
            {staffRelation(lang, row.relation)}
            {subject}
            {tr(lang, '، داده است.', '.')}
          </>
        )}
      </p>
      <p class="hint">
        {tr(lang, `بررسی‌شده با ${registry.fa} در ${when}`, `Checked with the ${registry.en} on ${when}`)}
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
