// What a service costs and how long it takes, from its catalogue card: the service page and the
// life-event journeys show the same words.
import { formatNumber, t, type Lang } from '../../../platform/i18n.ts';
import { Text } from '../../../web/components.tsx';
import type { ServiceRow } from '../catalog.repository.ts';
import { pick } from '../catalog.taxonomy.ts';

export function ServiceCost({ lang, service: s }: { lang: Lang; service: ServiceRow }) {
  if (!s.fees.length) return <>{s.source === 'panjereh' ? t(lang, 'free') : t(lang, 'notStated')}</>;
  return (
    <ul class="plain">
      {s.fees.map((f) => (
        <li>
          {f.amount !== null ? `${formatNumber(lang, f.amount)} ${t(lang, 'rials')}` : t(lang, 'feeApplies')}
          {pick(f.description, lang).text ? (
            <>
              {' – '}
              <Text value={pick(f.description, lang)} pageLang={lang} />
            </>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

export function ServiceDuration({ lang, service: s }: { lang: Lang; service: ServiceRow }) {
  const time = pick(s.processing_time, lang);
  if (time.text) return <Text value={time} pageLang={lang} />;
  if (s.processing_days === 0) return <>{t(lang, 'immediate')}</>;
  if (s.processing_days) return <>{t(lang, 'upToDays', { n: s.processing_days })}</>;
  return <>{t(lang, 'notStated')}</>;
}
