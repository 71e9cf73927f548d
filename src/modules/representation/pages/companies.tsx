// On /{lang}/account/representation, below the children: companies and powers of attorney. What the
// citizen can see without asking any registry (the grants they made, with a button to end each, and the
// grants made to them), a form to give a colleague access to named services of a company they sign for,
// and a button that asks the company registry and the notary registry (after saying what is fetched).
import { digits, formatDate, tr, type Lang } from '../../../platform/i18n.ts';
import type { LocalText } from '../../../db/schema.ts';
import { ErrorSummary, SummaryList, TextInput } from '../../../web/components.tsx';
import type { GrantRow } from '../representation.repository.ts';
import type { CompanyOfPerson } from '../company.service.ts';
import type { RegistryPower } from '../attorney.service.ts';
import { REGISTRY_NAMES } from '../evaluation.ts';

export interface GrantsView {
  made: GrantRow[];
  toMe: GrantRow[];
  services: { slug: string; name: LocalText }[];
}
export interface OthersView {
  companies: { outcome: 'ok' | 'unavailable'; companies: (CompanyOfPerson & { current: boolean; grants: GrantRow[] })[] };
  powers: {
    outcome: 'ok' | 'unavailable';
    held: (RegistryPower & { current: boolean })[];
    given: (RegistryPower & { current: boolean })[];
  };
}
export interface GrantForm {
  values: { legalId?: string; granteeNationalId?: string; services?: string[] };
  problems: { field: 'legalId' | 'granteeNationalId' | 'services'; message: { fa: string; en: string } }[];
}

const COMPANIES = REGISTRY_NAMES['GOV/SSAA/COMPANIES/company'];
const NOTARIES = REGISTRY_NAMES['GOV/SSAA/NOTARIES/power-of-attorney'];
const nameOf = (lang: Lang, t: LocalText | null | undefined) => t?.[lang] || t?.fa || t?.en || '';
const roleName = (lang: Lang, role: string) =>
  role === 'managing-director'
    ? tr(lang, 'مدیرعامل', 'Managing director')
    : role === 'chair'
      ? tr(lang, 'رئیس هیئت‌مدیره', 'Chair of the board')
      : tr(lang, 'عضو هیئت‌مدیره', 'Board member');

function ServiceNames({ lang, slugs, services }: { lang: Lang; slugs: string[]; services: GrantsView['services'] }) {
  return <>{slugs.map((s) => nameOf(lang, services.find((x) => x.slug === s)?.name) || s).join(tr(lang, '، ', ', '))}</>;
}

export function CompaniesSection(p: {
  lang: Lang;
  csrf: string;
  grants: GrantsView;
  others?: OthersView;
  form?: GrantForm;
  notice?: string;
}) {
  const { lang, grants, others, form } = p;
  const base = `/${lang}/account/representation`;
  const err = (f: string) => {
    const m = form?.problems.find((x) => x.field === f)?.message;
    return m ? m[lang] : undefined;
  };
  const firstService = grants.services[0]?.slug ?? 'none';
  return (
    <>
      <h2 id="companies">{tr(lang, 'شرکت‌ها و وکالت‌نامه‌ها', 'Companies and powers of attorney')}</h2>
      {p.notice ? (
        <div class="inset" role="status">
          <p>{p.notice}</p>
        </div>
      ) : null}
      <h3>{tr(lang, 'دسترسی‌هایی که به دیگران داده‌اید', 'Access you have given to others')}</h3>
      {grants.made.length ? (
        <ul class="list">
          {grants.made.map((g) => (
            <li>
              <bdi>{nameOf(lang, g.company_name)}</bdi>
              {tr(lang, ': به دارنده کد ملی ', ': the holder of national ID ')}
              <bdi>{digits(lang, g.grantee_national_id)}</bdi>
              {tr(lang, '، برای ', ', for ')}
              <ServiceNames lang={lang} slugs={g.services} services={grants.services} />
              <form method="post" action={`${base}/grants/${g.id}/end`} class="inline-form">
                <input type="hidden" name="_csrf" value={p.csrf} />
                <button class="button button-secondary" type="submit">
                  {tr(lang, 'پایان دادن به این دسترسی', 'End this access')}
                  <span class="visually-hidden"> ({digits(lang, g.grantee_national_id)})</span>
                </button>
              </form>
            </li>
          ))}
        </ul>
      ) : (
        <p>{tr(lang, 'شما به کسی دسترسی نداده‌اید.', 'You have not given anyone access.')}</p>
      )}
      <h3>{tr(lang, 'دسترسی‌هایی که به شما داده شده است', 'Access given to you')}</h3>
      {grants.toMe.length ? (
        <ul class="list">
          {grants.toMe.map((g) => (
            <li>
              <bdi>{nameOf(lang, g.company_name)}</bdi> (<bdi>{digits(lang, g.company_legal_id)}</bdi>){tr(lang, '، برای ', ', for ')}
              <ServiceNames lang={lang} slugs={g.services} services={grants.services} />
            </li>
          ))}
        </ul>
      ) : (
        <p>{tr(lang, 'هیچ شرکتی به شما دسترسی نداده است.', 'No company has given you access.')}</p>
      )}
      <h3 id="grant">{tr(lang, 'دادن دسترسی به یک همکار', 'Give a colleague access')}</h3>
      <p>
        {tr(
          lang,
          `اگر صاحب امضای مجاز شرکتی هستید، می‌توانید به همکارتان اجازه دهید برای خدمات نام‌برده از طرف شرکت درخواست بدهد. پیش از ثبت، از ${COMPANIES.fa} می‌پرسیم که شما صاحب امضای آن شرکت هستید. هر وقت بخواهید می‌توانید این دسترسی را پایان دهید.`,
          `If you are an authorised signatory of a company, you can let a colleague apply for the company for the services you name. Before it is recorded, we check with the ${COMPANIES.en} that you sign for that company. You can end the access at any time.`,
        )}
      </p>
      {form?.problems.length ? (
        <ErrorSummary
          lang={lang}
          errors={form.problems.map((x) => ({
            field: x.field === 'services' ? `services-${firstService}` : x.field,
            message: x.message[lang],
          }))}
        />
      ) : null}
      <form method="post" action={`${base}/grants`} novalidate>
        <input type="hidden" name="_csrf" value={p.csrf} />
        <TextInput
          id="legalId"
          label={tr(lang, 'شناسه ملی شرکت', "Company's national ID")}
          hint={tr(lang, '۱۱ رقم', '11 digits')}
          value={form?.values.legalId}
          error={err('legalId')}
          inputMode="numeric"
        />
        <TextInput
          id="granteeNationalId"
          label={tr(lang, 'کد ملی همکار', "Your colleague's national ID")}
          value={form?.values.granteeNationalId}
          error={err('granteeNationalId')}
          inputMode="numeric"
        />
        <fieldset class={`field${err('services') ? ' field-error' : ''}`} aria-describedby={err('services') ? 'services-error' : undefined}>
          <legend class="label">{tr(lang, 'برای کدام خدمات', 'For which services')}</legend>
          {err('services') ? (
            <p class="error-message" id="services-error">
              {err('services')}
            </p>
          ) : null}
          {grants.services.map((s) => (
            <div class="checkbox">
              <input
                type="checkbox"
                id={`services-${s.slug}`}
                name="services"
                value={s.slug}
                checked={form?.values.services?.includes(s.slug)}
              />
              <label for={`services-${s.slug}`}>{nameOf(lang, s.name)}</label>
            </div>
          ))}
        </fieldset>
        <button class="button" type="submit">
          {tr(lang, 'دادن دسترسی', 'Give access')}
        </button>
      </form>
      {others ? <Others lang={lang} others={others} csrf={p.csrf} services={grants.services} /> : <AskOthers lang={lang} csrf={p.csrf} />}
    </>
  );
}

function AskOthers({ lang, csrf }: { lang: Lang; csrf: string }) {
  return (
    <>
      <h3>{tr(lang, 'شرکت‌ها و وکالت‌نامه‌هایتان را بپرسیم؟', 'Ask about your companies and powers of attorney?')}</h3>
      <SummaryList
        rows={[
          {
            key: tr(lang, 'چه چیزی گرفته می‌شود', 'What will be fetched'),
            value: tr(
              lang,
              'شرکت‌هایی که صاحب امضای آن‌ها هستید یا بوده‌اید، و وکالت‌نامه‌هایی که شما در آن‌ها وکیل یا موکل هستید',
              'The companies you are or were a signatory of, and the powers of attorney in which you are the attorney or the principal',
            ),
          },
          {
            key: tr(lang, 'از کدام دستگاه', 'From which agency'),
            value: tr(lang, `${COMPANIES.fa} و ${NOTARIES.fa}`, `The ${COMPANIES.en} and the ${NOTARIES.en}`),
          },
          {
            key: tr(lang, 'برای چه', 'What for'),
            value: tr(lang, 'نشان دادن همین فهرست به شما؛ چیزی نگه داشته نمی‌شود', 'Showing you this list; nothing is kept'),
          },
        ]}
      />
      <form method="post" action={`/${lang}/account/representation/others`}>
        <input type="hidden" name="_csrf" value={csrf} />
        <button class="button button-secondary" type="submit">
          {tr(lang, 'بله، بپرسید', 'Yes, ask them')}
        </button>
      </form>
    </>
  );
}

function Others({ lang, others, csrf, services }: { lang: Lang; others: OthersView; csrf: string; services: GrantsView['services'] }) {
  const { companies, powers } = others;
  const scope = (p: RegistryPower) => [...p.scope.services, ...p.scope.categories].join(tr(lang, '، ', ', '));
  return (
    <>
      <h3>{tr(lang, 'شرکت‌هایی که صاحب امضای آن‌ها هستید', 'Companies you sign for')}</h3>
      {companies.outcome === 'unavailable' ? (
        <p class="notice" role="status">
          {tr(
            lang,
            `اکنون نتوانستیم به ${COMPANIES.fa} دسترسی پیدا کنیم. چند دقیقه دیگر دوباره امتحان کنید.`,
            `We could not reach the ${COMPANIES.en} just now. Try again in a few minutes.`,
          )}
        </p>
      ) : companies.companies.length ? (
        <ul class="list">
          {companies.companies.map((c) => (
            <li>
              <bdi>{nameOf(lang, c.name)}</bdi> (<bdi>{digits(lang, c.legalId)}</bdi>): {roleName(lang, c.role)}
              {c.current
                ? tr(lang, ` از ${formatDate('fa', c.from)}`, ` since ${formatDate('en', c.from)}`)
                : tr(lang, ` تا ${formatDate('fa', c.until ?? '')} (پایان‌یافته)`, ` until ${formatDate('en', c.until ?? '')} (ended)`)}
              {c.grants.length ? (
                <ul>
                  {c.grants.map((g) => (
                    <li>
                      {tr(lang, 'دسترسی دارنده کد ملی ', 'Access of the holder of national ID ')}
                      <bdi>{digits(lang, g.grantee_national_id)}</bdi>
                      {tr(lang, ' (داده‌شده به دست ', ' (given by ')}
                      <bdi>{digits(lang, g.granted_by_national_id)}</bdi>
                      {tr(lang, ') برای ', ') for ')}
                      <ServiceNames lang={lang} slugs={g.services} services={services} />
                      <form method="post" action={`/${lang}/account/representation/grants/${g.id}/end`} class="inline-form">
                        <input type="hidden" name="_csrf" value={csrf} />
                        <button class="button button-secondary" type="submit">
                          {tr(lang, 'پایان دادن به این دسترسی', 'End this access')}
                          <span class="visually-hidden"> ({digits(lang, g.grantee_national_id)})</span>
                        </button>
                      </form>
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p>
          {tr(
            lang,
            `${COMPANIES.fa} شما را صاحب امضای هیچ شرکتی ثبت نکرده است.`,
            `The ${COMPANIES.en} does not list you as a signatory of any company.`,
          )}
        </p>
      )}
      {powers.outcome === 'unavailable' ? (
        <p class="notice" role="status">
          {tr(
            lang,
            `اکنون نتوانستیم به ${NOTARIES.fa} دسترسی پیدا کنیم. چند دقیقه دیگر دوباره امتحان کنید.`,
            `We could not reach the ${NOTARIES.en} just now. Try again in a few minutes.`,
          )}
        </p>
      ) : (
        <>
          <h3>{tr(lang, 'کسانی که وکیل آن‌ها هستید', 'People you are the attorney of')}</h3>
          <PowerList lang={lang} powers={powers.held} party="principal" scope={scope} />
          <h3>{tr(lang, 'وکیل‌های شما', 'Your attorneys')}</h3>
          <PowerList lang={lang} powers={powers.given} party="attorney" scope={scope} />
        </>
      )}
    </>
  );
}

function PowerList(p: {
  lang: Lang;
  powers: OthersView['powers']['held'];
  party: 'principal' | 'attorney';
  scope: (x: RegistryPower) => string;
}) {
  const { lang } = p;
  if (!p.powers.length) return <p>{tr(lang, 'وکالت‌نامه‌ای ثبت نشده است.', 'No power of attorney is registered.')}</p>;
  return (
    <ul class="list">
      {p.powers.map((x) => (
        <li>
          <bdi>{nameOf(lang, x[p.party].name)}</bdi> (<bdi>{digits(lang, x[p.party].nationalId)}</bdi>){tr(lang, '، برای: ', ', for: ')}
          <bdi dir="ltr">{p.scope(x)}</bdi>
          {x.current
            ? tr(lang, `، تا ${formatDate('fa', x.endDate)}`, `, until ${formatDate('en', x.endDate)}`)
            : tr(lang, `، پایان‌یافته در ${formatDate('fa', x.endDate)}`, `, ended on ${formatDate('en', x.endDate)}`)}
          {tr(lang, ` (${x.notary.fa})`, ` (${x.notary.en})`)}
        </li>
      ))}
    </ul>
  );
}
