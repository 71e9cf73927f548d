// A life event as a GOV.UK-style "step by step" journey: numbered steps ("and"/"or" steps share the
// number of the step they go with), each naming its services with agency, cost and time from the
// catalogue, and, for a signed-in citizen, which of them they have applied for and where each stands.
import { formatNumber, tr, type Lang } from '../../../platform/i18n.ts';
import type { ApplicationStatus } from '../../../db/schema.ts';
import { Breadcrumbs, Reference, Tag, Text } from '../../../web/components.tsx';
import { Layout } from '../../../web/layout.tsx';
import { agencyPath, servicePath } from '../catalog.presenter.ts';
import { pick } from '../catalog.taxonomy.ts';
import type { Journey, StepProgress } from '../journey.service.ts';
import { ServiceCost, ServiceDuration } from './cost.tsx';

/** Status names as the citizen's applications list shows them (passed in: the applications module owns them). */
export type StatusNames = Record<ApplicationStatus, { fa: string; en: string }>;

export function JourneyPage({
  lang,
  journey,
  progress,
  statusNames,
}: {
  lang: Lang;
  journey: Journey;
  /** Null when nobody is signed in. */
  progress: Map<string, StepProgress> | null;
  statusNames: StatusNames;
}) {
  const other: Lang = lang === 'fa' ? 'en' : 'fa';
  const name = journey.name[lang];
  const all = `/${lang}/search?lifeEvent=${journey.code}`;
  const count = journey.steps.reduce((n, s) => n + s.services.length, 0);
  const done = progress ? journey.steps.flatMap((s) => s.services).filter((x) => progress.has(x.service.id)).length : 0;
  return (
    <Layout
      lang={lang}
      title={name}
      altPath={`/${other}/life-events/${journey.code}`}
      description={tr(lang, `${name}: کارهایی که باید انجام دهید، گام به گام`, `${name}: what you need to do, step by step`)}
    >
      <Breadcrumbs lang={lang} items={[{ href: `/${lang}`, label: tr(lang, 'خانه', 'Home') }, { label: name }]} />
      <h1>{name}</h1>
      <p class="lead">{tr(lang, 'کارهایی که باید انجام دهید، گام به گام.', 'What you need to do, step by step.')}</p>
      {progress ? (
        <p class="journey-progress">
          {tr(
            lang,
            `شما برای ${formatNumber(lang, done)} خدمت از ${formatNumber(lang, count)} خدمت این مسیر درخواست داده‌اید.`,
            `You have applied for ${formatNumber(lang, done)} of the ${formatNumber(lang, count)} services in this journey.`,
          )}{' '}
          <a href={`/${lang}/applications`}>{tr(lang, 'درخواست‌های من', 'Your applications')}</a>
        </p>
      ) : (
        <p>
          <a href={`/${lang}/sign-in?next=${encodeURIComponent(`/${lang}/life-events/${journey.code}`)}`}>
            {tr(lang, 'وارد شوید', 'Sign in')}
          </a>{' '}
          {tr(lang, 'تا ببینید کدام گام‌ها را انجام داده‌اید.', 'to see which steps you have done.')}
        </p>
      )}
      <ol class="step-by-step">
        {journey.steps.map((s) => (
          <li class={`step step-${s.connector}`}>
            <h2 class="step-title">
              <span class="step-marker">
                {s.connector === 'then' ? (
                  <>
                    <span class="visually-hidden">{tr(lang, 'گام ', 'Step ')}</span>
                    {formatNumber(lang, s.number)}
                  </>
                ) : s.connector === 'and' ? (
                  tr(lang, 'و', 'and')
                ) : (
                  tr(lang, 'یا', 'or')
                )}
              </span>{' '}
              <Text value={pick(s.title, lang)} pageLang={lang} />
            </h2>
            {s.note ? (
              <p>
                <Text value={pick(s.note, lang)} pageLang={lang} />
              </p>
            ) : null}
            {s.services.length ? (
              <ul class="step-services">
                {s.services.map(({ service, agency }) => {
                  const mine = progress?.get(service.id);
                  return (
                    <li>
                      <a href={servicePath(lang, service.slug)}>
                        <Text value={pick(service.name, lang)} pageLang={lang} />
                      </a>
                      {mine ? (
                        <>
                          {' '}
                          <Tag tone={mine.status === 'approved' ? 'green' : 'blue'}>
                            {tr(lang, 'درخواست داده‌اید: ', 'Applied: ')}
                            {statusNames[mine.status][lang]}
                          </Tag>{' '}
                          <a href={`/${lang}/applications/${mine.id}`}>
                            {mine.reference ? <Reference>{mine.reference}</Reference> : tr(lang, 'پیش‌نویس شما', 'Your draft')}
                          </a>
                        </>
                      ) : null}
                      <dl class="step-facts">
                        <div>
                          <dt>{tr(lang, 'دستگاه', 'Agency')}</dt>
                          <dd>
                            {agency ? (
                              <a href={agencyPath(lang, agency.id)}>{<Text value={pick(agency.name, lang)} pageLang={lang} />}</a>
                            ) : (
                              '–'
                            )}
                          </dd>
                        </div>
                        <div>
                          <dt>{tr(lang, 'هزینه', 'Cost')}</dt>
                          <dd>
                            <ServiceCost lang={lang} service={service} />
                          </dd>
                        </div>
                        <div>
                          <dt>{tr(lang, 'زمان', 'Time')}</dt>
                          <dd>
                            <ServiceDuration lang={lang} service={service} />
                          </dd>
                        </div>
                      </dl>
                    </li>
                  );
                })}
              </ul>
            ) : null}
          </li>
        ))}
      </ol>
      <p>
        <a href={all}>{tr(lang, 'همهٔ خدمت‌های مرتبط با این رویداد', 'All services for this life event')}</a>
      </p>
    </Layout>
  );
}
