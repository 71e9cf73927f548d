// "Complain about this application": a link to the requests module's form, prefilled with the
// application (its agency and service follow from it there). Shown once the application is submitted.
import { tr, type Lang } from '../../../platform/i18n.ts';

export function ComplainLink({ lang, applicationId }: { lang: Lang; applicationId: string }) {
  return (
    <p>
      <a href={`/${lang}/requests/new?kind=complaint&application=${applicationId}`}>
        {tr(lang, 'شکایت از رسیدگی به این درخواست', 'Complain about this application')}
      </a>
    </p>
  );
}
