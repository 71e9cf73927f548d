// A service card as a start page (GOV.UK sense): what it is, who can use it, cost, time, what you
// need, how to apply, who provides it and on what legal basis.
import { digits, formatDate, formatNumber, t, tr, type Lang } from '../../../platform/i18n.ts';
import type { ServiceComplaints } from '../../requests/requests.files.repository.ts';
import { ServiceComplaintsPanel } from '../../requests/pages/service-card.tsx';
import { Breadcrumbs, SummaryList, Tag, Text } from '../../../web/components.tsx';
import { Layout } from '../../../web/layout.tsx';
import type { Channel } from '../../../db/schema.ts';
import type { AgencyRow, ServiceRow } from '../catalog.repository.ts';
import { agencyPath } from '../catalog.presenter.ts';
import { ServiceCost, ServiceDuration } from './cost.tsx';
import { ASSURANCE_TEXT } from '../../identity/assurance.ts';
import { audienceByCode, categoryByCode, channelByCode, lifeEventByCode, maturityByCode, pick } from '../catalog.taxonomy.ts';

function Paragraphs({ lang, value }: { lang: Lang; value: { text: string; lang: string } }) {
  return (
    <>
      {value.text
        .split(/\n\s*\n/)
        .filter(Boolean)
        .map((para) => (
          <p>
            <Text value={{ text: para, lang: value.lang }} pageLang={lang} />
          </p>
        ))}
    </>
  );
}

function ChannelItem({ lang, c }: { lang: Lang; c: Channel }) {
  const label = channelByCode.get(c.type)?.name[lang] ?? c.type;
  return (
    <li>
      <strong>{label}</strong>
      {c.url ? (
        <>
          {': '}
          <a href={c.url} rel="noopener noreferrer external">
            <bdi>{c.url.replace(/^https?:\/\//, '').replace(/\/$/, '')}</bdi>
          </a>
        </>
      ) : null}
      {c.phone ? (
        <>
          {': '}
          <a href={`tel:${c.phone}`}>{digits(lang, c.phone)}</a>
        </>
      ) : null}
      {c.name ? (
        <>
          {': '}
          <Text value={pick(c.name, lang)} pageLang={lang} />
        </>
      ) : null}
      {c.where ? (
        <>
          {': '}
          <Text value={pick(c.where, lang)} pageLang={lang} />
        </>
      ) : null}
    </li>
  );
}

/** Online applications on Panjereh (from the applications module): where to apply, and the ratings. */
export interface OnlineOnPanjereh {
  applyUrl?: string;
  rating?: { count: number; average: number | null; satisfied: number };
  /** Complaints about the service (requests module), aggregated. */
  complaints?: ServiceComplaints;
}

export function ServicePage({
  lang,
  service: s,
  agency,
  online: panjereh,
}: {
  lang: Lang;
  service: ServiceRow;
  agency: AgencyRow;
  online?: OnlineOnPanjereh;
}) {
  const other: Lang = lang === 'fa' ? 'en' : 'fa';
  const name = pick(s.name, lang);
  const summary = pick(s.summary, lang);
  const description = pick(s.description, lang);
  const eligibility = pick(s.eligibility, lang);
  const legal = pick(s.legal_basis, lang);
  const online = s.channels.find((c) => c.type === 'online' && c.url);
  const audience = s.audience
    .map((a) => audienceByCode.get(a)?.name[lang])
    .filter(Boolean)
    .join(lang === 'fa' ? '، ' : ', ');

  const cost = <ServiceCost lang={lang} service={s} />;
  const duration = <ServiceDuration lang={lang} service={s} />;

  return (
    <Layout lang={lang} title={name.text} altPath={`/${other}/services/${s.slug}`} description={summary.text || undefined}>
      <Breadcrumbs
        lang={lang}
        items={[
          { href: agencyPath(lang, agency.id), label: <Text value={pick(agency.name, lang)} pageLang={lang} /> },
          { label: <Text value={name} pageLang={lang} /> },
        ]}
      />
      {s.status === 'retired' ? <p class="notice">{t(lang, 'retiredNotice')}</p> : null}
      <h1>
        <Text value={name} pageLang={lang} />
      </h1>
      {summary.text ? (
        <p class="lead">
          <Text value={summary} pageLang={lang} />
        </p>
      ) : null}
      {description.text && description.text !== summary.text ? <Paragraphs lang={lang} value={description} /> : null}
      {panjereh?.applyUrl && s.status === 'published' ? (
        <p>
          <a class="button button-start" href={panjereh.applyUrl}>
            {t(lang, 'applyOnline')}
          </a>
        </p>
      ) : null}
      {online && s.status === 'published' ? (
        // one obvious primary action: when the service can be applied for here, the agency's own system
        // is the secondary way (a link, not a second start button)
        <p>
          <a class={panjereh?.applyUrl ? 'secondary-action' : 'button button-start'} href={online.url} rel="noopener noreferrer external">
            {panjereh?.applyUrl
              ? tr(lang, 'یا از سامانهٔ خود دستگاه درخواست دهید', "Or apply on the agency's own system")
              : t(lang, 'applyAtAgency')}
          </a>
        </p>
      ) : null}

      <SummaryList
        rows={[
          ...(eligibility.text || audience
            ? [{ key: t(lang, 'whoCanUse'), value: <>{eligibility.text ? <Text value={eligibility} pageLang={lang} /> : audience}</> }]
            : []),
          { key: t(lang, 'whatItCosts'), value: cost },
          { key: t(lang, 'howLong'), value: duration },
          ...((s.assurance ?? 'low') !== 'low' || panjereh?.applyUrl
            ? [
                {
                  key: lang === 'fa' ? 'ورود لازم' : 'Sign-in needed',
                  value:
                    lang === 'fa'
                      ? `برای استفاده از این خدمت سطح اطمینان هویتی «${ASSURANCE_TEXT[s.assurance ?? 'low'].fa.name}» لازم است: ${ASSURANCE_TEXT[s.assurance ?? 'low'].fa.means}.`
                      : `You need ${ASSURANCE_TEXT[s.assurance ?? 'low'].en.name} identity assurance to use this service: ${ASSURANCE_TEXT[s.assurance ?? 'low'].en.means}.`,
                },
              ]
            : []),
          {
            key: t(lang, 'onlineStage'),
            value: (
              <>
                <Tag tone={s.maturity >= 4 ? 'green' : s.maturity === 3 ? 'blue' : 'grey'}>
                  {maturityByCode.get(String(s.maturity))?.name[lang]}
                </Tag>{' '}
                {t(lang, 'stageOf', { n: s.maturity })}
              </>
            ),
          },
          {
            key: t(lang, 'providedBy'),
            value: (
              <a href={agencyPath(lang, agency.id)}>
                <Text value={pick(agency.name, lang)} pageLang={lang} />
              </a>
            ),
          },
          ...(legal.text ? [{ key: t(lang, 'legalBasis'), value: <Text value={legal} pageLang={lang} /> }] : []),
          ...(audience ? [{ key: t(lang, 'audience'), value: audience }] : []),
          ...(panjereh?.rating?.count && panjereh.rating.average !== null
            ? [
                {
                  key: lang === 'fa' ? 'رضایت مردم' : 'Satisfaction',
                  value:
                    lang === 'fa'
                      ? `${formatNumber(lang, Math.round(panjereh.rating.average * 10) / 10)} از ۵ (${formatNumber(lang, panjereh.rating.count)} امتیاز؛ ${formatNumber(lang, Math.round((panjereh.rating.satisfied / panjereh.rating.count) * 100))}٪ راضی)`
                      : `${formatNumber(lang, Math.round(panjereh.rating.average * 10) / 10)} out of 5 (${formatNumber(lang, panjereh.rating.count)} ratings; ${formatNumber(lang, Math.round((panjereh.rating.satisfied / panjereh.rating.count) * 100))}% satisfied)`,
                },
              ]
            : []),
          {
            key: t(lang, 'lastUpdated'),
            value: (
              <>
                {formatDate(lang, s.updated_at)} ({t(lang, 'version')} {formatNumber(lang, s.version)})
              </>
            ),
          },
        ]}
      />

      <h2>{t(lang, 'whatYouNeed')}</h2>
      {s.documents.length ? (
        <ul>
          {s.documents.map((d) => (
            <li>
              <Text value={pick(d, lang)} pageLang={lang} />
            </li>
          ))}
        </ul>
      ) : (
        <p>{t(lang, 'noDocuments')}</p>
      )}

      {s.channels.length ? (
        <>
          <h2>{t(lang, 'howToApply')}</h2>
          <ul>
            {s.channels.map((c) => (
              <ChannelItem lang={lang} c={c} />
            ))}
          </ul>
        </>
      ) : null}

      {s.categories.length || s.life_events.length ? (
        <>
          <h2>{t(lang, 'topics')}</h2>
          <ul class="link-list">
            {s.categories.map((c) => (
              <li>
                <a href={`/${lang}/categories/${c}`}>{categoryByCode.get(c)?.name[lang] ?? c}</a>
              </li>
            ))}
            {s.life_events.map((c) => (
              <li>
                <a href={`/${lang}/life-events/${c}`}>{lifeEventByCode.get(c)?.name[lang] ?? c}</a>
              </li>
            ))}
          </ul>
        </>
      ) : null}

      {panjereh?.complaints ? <ServiceComplaintsPanel lang={lang} slug={s.slug} c={panjereh.complaints} /> : null}
    </Layout>
  );
}
