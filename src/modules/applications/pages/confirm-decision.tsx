// "Are you sure?" before an officer approves or rejects: a page of its own (no JavaScript needed) that
// repeats the application, the decision and the note, and posts again with confirm=yes.
import { tr, type Lang } from '../../../platform/i18n.ts';
import { SummaryList } from '../../../web/components.tsx';
import { Layout } from '../../../web/layout.tsx';
import type { ApplicationRow } from '../applications.repository.ts';
import { other } from './common.tsx';

export function ConfirmDecisionPage({
  lang,
  a,
  decision,
  text,
  token,
  serviceName,
}: {
  lang: Lang;
  a: ApplicationRow;
  decision: 'approve' | 'reject';
  text: string;
  token: string;
  serviceName: string;
}) {
  const path = `/${lang}/staff/applications/${a.id}`;
  const approve = decision === 'approve';
  const title = approve
    ? tr(lang, 'این درخواست را می‌پذیرید؟', 'Approve this application?')
    : tr(lang, 'این درخواست را رد می‌کنید؟', 'Reject this application?');
  return (
    <Layout lang={lang} title={title} altPath={other(lang, path)}>
      <p>
        <a class="back-link" href={path}>
          {tr(lang, 'بازگشت به درخواست', 'Back to the application')}
        </a>
      </p>
      <h1>{title}</h1>
      <SummaryList
        rows={[
          { key: tr(lang, 'شماره پیگیری', 'Reference'), value: <bdi>{a.reference}</bdi> },
          { key: tr(lang, 'خدمت', 'Service'), value: serviceName },
          {
            key: approve ? tr(lang, 'توضیح پذیرش', 'Note with the approval') : tr(lang, 'دلیل رد', 'Reason'),
            value: text ? <span class="pre-line">{text}</span> : tr(lang, 'بدون توضیح', 'None'),
          },
        ]}
      />
      <p>
        {tr(
          lang,
          'پس از تأیید، تصمیم ثبت می‌شود، به متقاضی خبر داده می‌شود و دیگر نمی‌توان آن را تغییر داد.',
          'Once you confirm, the decision is recorded, the applicant is told, and it cannot be changed.',
        )}
      </p>
      <form method="post" action={`${path}/${decision}`}>
        <input type="hidden" name="_csrf" value={token} />
        <input type="hidden" name="text" value={text} />
        <input type="hidden" name="confirm" value="yes" />
        <button class={approve ? 'button' : 'button button-warning'} type="submit">
          {approve ? tr(lang, 'بله، درخواست را بپذیر', 'Yes, approve it') : tr(lang, 'بله، درخواست را رد کن', 'Yes, reject it')}
        </button>
      </form>
      <p>
        <a href={path}>{tr(lang, 'انصراف', 'Cancel')}</a>
      </p>
    </Layout>
  );
}
