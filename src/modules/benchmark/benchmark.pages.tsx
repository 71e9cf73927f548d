// The UN E-Government Survey pages under /fa/un-egov and /en/un-egov: overview, country profile,
// peer comparison and the what-if calculator. Server-rendered, charts as accessible SVG.
import type { FastifyInstance } from 'fastify';
import { AppError, messageFor } from '../../platform/errors.ts';
import { formatNumber, type Lang, langOf } from '../../platform/i18n.ts';
import type { AppContext } from '../../context.ts';
import { Breadcrumbs, ErrorSummary, Tag, type FieldError } from '../../web/components.tsx';
import { BarChart, DataTable, LineChart } from '../../web/charts.tsx';
import { Layout } from '../../web/layout.tsx';
import { sendPage } from '../../web/render.ts';
import { indexParam, membersParam, yearParam } from './benchmark.params.ts';
import { PEER_GROUPS, type Group, type ScoredRow } from './benchmark.service.ts';
import type { CountryRow } from './benchmark.repository.ts';

const T = {
  fa: {
    title: 'دولت الکترونیک در پیمایش سازمان ملل',
    intro:
      'شاخص توسعه دولت الکترونیک (EGDI) سازمان ملل هر دو سال برای ۱۹۳ کشور منتشر می‌شود. از ۲۰۱۴ به بعد EGDI میانگین سه زیرشاخص است: خدمات برخط (OSI)، سرمایه انسانی (HCI) و زیرساخت مخابرات (TII).',
    edition: 'دوره',
    groups: 'کشورها در هر گروه',
    group: { 'very-high': 'بسیار بالا', high: 'بالا', middle: 'متوسط', low: 'پایین' } as Record<Group, string>,
    rank: 'رتبه',
    country: 'کشور',
    compare: 'مقایسه با کشورهای هم‌گروه',
    whatIf: 'اگر…؟ محاسبه سناریو',
    allCountries: 'همه کشورها',
    profile: 'روند شاخص‌ها',
    notAssessed: 'ارزیابی نشده',
    summaryTrend: (name: string, first: string, last: string, y1: number, y2: number) =>
      `EGDI ${name} از ${first} در ${formatNumber('fa', y1).replace('٬', '')} به ${last} در ${formatNumber('fa', y2).replace('٬', '')} رسیده است.`,
    recomputed: 'EGDI بازمحاسبه‌شده',
    average: 'میانگین گروه',
    chooseGroup: 'گروه کشورها',
    ownGroup: 'یا کدهای کشورها (مثلاً IRN, TUR, MYS)',
    show: 'نمایش',
    scenario: 'سناریو',
    current: 'منتشرشده',
    calculate: 'محاسبه',
    whatIfIntro: 'یک یا چند زیرشاخص را تغییر دهید تا ببینید EGDI، رتبه و گروه کشور در برابر مقادیر منتشرشده کشورهای دیگر چه می‌شد.',
    valueHint: 'عددی از ۰ تا ۱؛ خالی یعنی همان مقدار منتشرشده',
    result: (name: string, egdi: string, rank: number, group: string) =>
      `با این مقادیر، EGDI ${name} ${egdi} می‌شد، رتبه ${formatNumber('fa', rank)} و گروه «${group}».`,
    source: 'منبع: داده‌های منتشرشده پیمایش دولت الکترونیک سازمان ملل (UN DESA)، ۲۰۰۵ تا ۲۰۲۴.',
  },
  en: {
    title: 'E-government in the UN Survey',
    intro:
      "The UN's E-Government Development Index (EGDI) is published every two years for 193 countries. Since 2014 EGDI is the mean of three sub-indices: online services (OSI), human capital (HCI) and telecommunication infrastructure (TII).",
    edition: 'Edition',
    groups: 'Countries in each group',
    group: { 'very-high': 'Very high', high: 'High', middle: 'Middle', low: 'Low' } as Record<Group, string>,
    rank: 'Rank',
    country: 'Country',
    compare: 'Compare with peer countries',
    whatIf: 'What if…? Scenario calculator',
    allCountries: 'All countries',
    profile: 'Indices over time',
    notAssessed: 'not assessed',
    summaryTrend: (name: string, first: string, last: string, y1: number, y2: number) =>
      `${name}'s EGDI went from ${first} in ${y1} to ${last} in ${y2}.`,
    recomputed: 'EGDI recomputed',
    average: 'Group average',
    chooseGroup: 'Group of countries',
    ownGroup: 'or country codes (for example IRN, TUR, MYS)',
    show: 'Show',
    scenario: 'Scenario',
    current: 'Published',
    calculate: 'Calculate',
    whatIfIntro:
      "Change one or more sub-indices to see what the country's EGDI, rank and group would be against the other countries' published values.",
    valueHint: 'A number from 0 to 1; leave empty to keep the published value',
    result: (name: string, egdi: string, rank: number, group: string) =>
      `With these values ${name}'s EGDI would be ${egdi}, rank ${rank}, group “${group}”.`,
    source: "Source: UN DESA's published E-Government Survey data, 2005-2024.",
  },
};

type Q = Record<string, string | undefined>;
const num = (lang: Lang, v: number | null | undefined, d = 4) =>
  v === null || v === undefined
    ? '–'
    : new Intl.NumberFormat(lang === 'fa' ? 'fa-IR' : 'en-GB', { minimumFractionDigits: d, maximumFractionDigits: d }).format(v);
const year = (lang: Lang, y: number) => formatNumber(lang, y).replace(/[٬,]/g, '');
const cname = (lang: Lang, c: CountryRow) => (lang === 'fa' ? c.name_fa : c.name_en);
/** A country's name by its code; the code itself for one missing from the catalogue. */
const cnameOf = (lang: Lang, countries: ReadonlyMap<string, CountryRow>, iso3: string) => {
  const c = countries.get(iso3);
  return c ? cname(lang, c) : iso3;
};
const groupTag = (lang: Lang, g: Group | null) =>
  g ? <Tag tone={g === 'very-high' || g === 'high' ? 'green' : 'grey'}>{T[lang].group[g]}</Tag> : '–';

export function registerBenchmarkPages(app: FastifyInstance, ctx: AppContext): void {
  const hide = { schema: { hide: true } };
  const editions = ctx.benchmark.editions();
  const latest = ctx.benchmark.latestEdition();
  const base = (lang: Lang) => `/${lang}/un-egov`;
  const crumbs = (lang: Lang, label: string) => [{ href: base(lang), label: T[lang].title }, { label }];

  app.get<{ Params: { lang: string }; Querystring: Q }>('/:lang/un-egov', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const t = T[lang];
    let y: number;
    try {
      y = yearParam(req.query.year, latest);
      await ctx.benchmark.edition(y);
    } catch {
      y = latest;
    }
    const rows = (await ctx.benchmark.edition(y)).filter((r) => r.egdi !== null).sort((a, b) => (a.rank ?? 999) - (b.rank ?? 999));
    const countries = new Map((await ctx.benchmark.countries()).map((c) => [c.iso3, c]));
    const counts = await ctx.benchmark.groupCounts(y);
    const d8 = await ctx.benchmark.compare(PEER_GROUPS.d8.members, y);
    const other: Lang = lang === 'fa' ? 'en' : 'fa';
    return sendPage(
      reply,
      <Layout lang={lang} title={`${t.title} ${year(lang, y)}`} altPath={`/${other}/un-egov?year=${y}`}>
        <Breadcrumbs lang={lang} items={[{ label: t.title }]} />
        <h1>
          {t.title} {year(lang, y)}
        </h1>
        <p class="lead">{t.intro}</p>
        <nav aria-label={t.edition}>
          <ul class="inline-list">
            {editions.map((e) => (
              <li>
                {e === y ? <strong aria-current="page">{year(lang, e)}</strong> : <a href={`${base(lang)}?year=${e}`}>{year(lang, e)}</a>}
              </li>
            ))}
          </ul>
        </nav>
        <p>
          <a href={`${base(lang)}/compare?group=d8&year=${y}`}>{t.compare}</a> ·{' '}
          <a href={`${base(lang)}/what-if?country=IRN&year=${y >= 2014 ? y : latest}`}>{t.whatIf}</a>
        </p>
        <h2>{t.groups}</h2>
        <DataTable
          caption={`${t.groups} (${year(lang, y)})`}
          head={[t.group['very-high'].replace(/.*/, lang === 'fa' ? 'گروه' : 'Group'), lang === 'fa' ? 'تعداد کشورها' : 'Countries']}
          rows={(['very-high', 'high', 'middle', 'low'] as Group[]).map((g) => [t.group[g], formatNumber(lang, counts[g])])}
        />
        <BarChart
          lang={lang}
          id="d8"
          title={`EGDI – ${PEER_GROUPS.d8.name[lang]} (${year(lang, y)})`}
          summary={d8.members.map((m) => `${cname(lang, m.country)}: ${num(lang, m.score?.egdi)}`).join(lang === 'fa' ? '؛ ' : '; ')}
          bars={d8.members.map((m) => ({ label: cname(lang, m.country), value: m.score?.egdi ?? null }))}
          highlight={cnameOf(lang, countries, 'IRN')}
        />
        <h2>{t.allCountries}</h2>
        <DataTable
          caption={`EGDI ${year(lang, y)}`}
          head={[t.rank, t.country, 'EGDI', 'OSI', 'HCI', 'TII', lang === 'fa' ? 'گروه' : 'Group']}
          rows={rows.map((r) => [
            r.rank ? formatNumber(lang, r.rank) : '–',
            <a href={`${base(lang)}/countries/${r.iso3}`}>{cnameOf(lang, countries, r.iso3)}</a>,
            num(lang, r.egdi),
            num(lang, r.osi),
            num(lang, r.hci),
            num(lang, r.tii),
            groupTag(lang, r.group),
          ])}
        />
        <p class="muted">{t.source}</p>
      </Layout>,
    );
  });

  app.get<{ Params: { lang: string; iso3: string } }>('/:lang/un-egov/countries/:iso3', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const t = T[lang];
    const { country, scores } = await ctx.benchmark.country(req.params.iso3);
    const name = cname(lang, country);
    const withEgdi = scores.filter((s) => s.egdi !== null);
    const first = withEgdi[0];
    const last = withEgdi.at(-1);
    const line = (k: 'egdi' | 'osi' | 'hci' | 'tii') => scores.map((s) => ({ x: s.year, y: s[k] }));
    const other: Lang = lang === 'fa' ? 'en' : 'fa';
    return sendPage(
      reply,
      <Layout lang={lang} title={`${name} – ${t.title}`} altPath={`/${other}/un-egov/countries/${country.iso3}`}>
        <Breadcrumbs lang={lang} items={crumbs(lang, name)} />
        <h1>{name}</h1>
        {last ? (
          <p class="lead">
            EGDI {year(lang, last.year)}: <strong>{num(lang, last.egdi)}</strong> · {t.rank}{' '}
            {last.rank ? formatNumber(lang, last.rank) : '–'} · {groupTag(lang, last.group)}
          </p>
        ) : null}
        <LineChart
          lang={lang}
          id="trend"
          title={`${t.profile}: ${name}`}
          summary={first && last ? t.summaryTrend(name, num(lang, first.egdi), num(lang, last.egdi), first.year, last.year) : ''}
          series={[
            { name: 'EGDI', points: line('egdi') },
            { name: 'OSI', points: line('osi') },
            { name: 'HCI', points: line('hci') },
            { name: 'TII', points: line('tii') },
          ]}
        />
        <DataTable
          caption={`${name}: EGDI, OSI, HCI, TII, EPI`}
          head={[t.edition, t.rank, 'EGDI', t.recomputed, 'OSI', 'HCI', 'TII', 'EPI', lang === 'fa' ? 'گروه' : 'Group']}
          rows={scores.map((s: ScoredRow) => [
            year(lang, s.year),
            s.rank ? formatNumber(lang, s.rank) : '–',
            num(lang, s.egdi),
            num(lang, s.egdiComputed),
            num(lang, s.osi),
            num(lang, s.hci),
            num(lang, s.tii),
            s.epi === null ? t.notAssessed : num(lang, s.epi),
            groupTag(lang, s.group),
          ])}
        />
        <p>
          <a href={`${base(lang)}/what-if?country=${country.iso3}&year=${latest}`}>{t.whatIf}</a>
        </p>
        <p class="muted">{t.source}</p>
      </Layout>,
    );
  });

  app.get<{ Params: { lang: string }; Querystring: Q }>('/:lang/un-egov/compare', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const t = T[lang];
    const errors: FieldError[] = [];
    let result = null;
    let y = latest;
    let group: string | null = 'd8';
    try {
      y = yearParam(req.query.year, latest);
      const m = membersParam(req.query);
      group = m.group;
      result = await ctx.benchmark.compare(m.members, y);
    } catch (e) {
      if (!(e instanceof AppError) || e.status >= 500) throw e;
      errors.push({
        field: e.details?.field === 'year' ? 'year' : 'countries',
        message: e.message && lang === 'en' ? e.message : messageFor(e.code, lang),
      });
    }
    const countriesError = errors.find((e) => e.field === 'countries');
    const other: Lang = lang === 'fa' ? 'en' : 'fa';
    const qs = new URLSearchParams(Object.entries(req.query).filter((e): e is [string, string] => !!e[1])).toString();
    return sendPage(
      reply,
      <Layout lang={lang} title={t.compare} altPath={`/${other}/un-egov/compare${qs ? `?${qs}` : ''}`} hasError={errors.length > 0}>
        <Breadcrumbs lang={lang} items={crumbs(lang, t.compare)} />
        <ErrorSummary lang={lang} errors={errors} />
        <h1>{t.compare}</h1>
        <form method="get" action={`${base(lang)}/compare`} class="panel">
          <fieldset class="plain-fieldset">
            <legend class="label">{t.chooseGroup}</legend>
            {Object.entries(PEER_GROUPS).map(([key, g]) => (
              <div class="checkbox">
                <input type="radio" id={`group-${key}`} name="group" value={key} checked={group === key} />
                <label for={`group-${key}`}>{g.name[lang]}</label>
              </div>
            ))}
          </fieldset>
          <label class="label" for="countries">
            {t.ownGroup}
          </label>
          {countriesError ? <p class="error-message">{countriesError.message}</p> : null}
          <input class="input input-wide" id="countries" name="countries" value={req.query.countries ?? ''} dir="ltr" />
          <label class="label" for="year">
            {t.edition}
          </label>
          <select class="input input-narrow" id="year" name="year">
            {editions.map((e) => (
              <option value={String(e)} selected={e === y}>
                {year(lang, e)}
              </option>
            ))}
          </select>
          <p>
            <button class="button" type="submit">
              {t.show}
            </button>
          </p>
        </form>
        {result ? (
          <>
            <BarChart
              lang={lang}
              id="peers"
              title={`EGDI ${year(lang, result.year)}`}
              summary={result.members
                .map((m) => `${cname(lang, m.country)}: ${num(lang, m.score?.egdi)}`)
                .join(lang === 'fa' ? '؛ ' : '; ')}
              bars={result.members.map((m) => ({ label: cname(lang, m.country), value: m.score?.egdi ?? null }))}
              highlight={lang === 'fa' ? 'ایران' : 'Iran (Islamic Republic of)'}
            />
            <DataTable
              caption={`${t.compare} (${year(lang, result.year)})`}
              head={[t.country, t.rank, 'EGDI', 'OSI', 'HCI', 'TII', 'EPI', lang === 'fa' ? 'گروه' : 'Group']}
              rows={[
                ...result.members.map((m) => [
                  <a href={`${base(lang)}/countries/${m.country.iso3}`}>{cname(lang, m.country)}</a>,
                  m.score?.rank ? formatNumber(lang, m.score.rank) : '–',
                  num(lang, m.score?.egdi),
                  num(lang, m.score?.osi),
                  num(lang, m.score?.hci),
                  num(lang, m.score?.tii),
                  num(lang, m.score?.epi),
                  groupTag(lang, m.score?.group ?? null),
                ]),
                [
                  t.average,
                  '',
                  num(lang, result.average.egdi),
                  num(lang, result.average.osi),
                  num(lang, result.average.hci),
                  num(lang, result.average.tii),
                  num(lang, result.average.epi),
                  '',
                ],
              ]}
            />
          </>
        ) : null}
        <p class="muted">{t.source}</p>
      </Layout>,
      errors.length ? 400 : 200,
    );
  });

  app.get<{ Params: { lang: string }; Querystring: Q }>('/:lang/un-egov/what-if', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const t = T[lang];
    const q = req.query;
    const errors: FieldError[] = [];
    let result = null;
    const countries = [...(await ctx.benchmark.countries())].sort((a, b) =>
      new Intl.Collator(lang).compare(cname(lang, a), cname(lang, b)),
    );
    const iso3 = (q.country ?? 'IRN').toUpperCase();
    const whatYears = editions.filter((e) => e >= 2014);
    try {
      const y = yearParam(q.year, latest);
      const values: Record<string, number | undefined> = {};
      for (const k of ['osi', 'hci', 'tii']) {
        try {
          values[k] = indexParam(q[k], k);
        } catch (e) {
          errors.push({
            field: k,
            message: lang === 'fa' ? `${k.toUpperCase()} باید عددی از ۰ تا ۱ باشد، مثلاً ۰٫۷۲.` : (e as Error).message,
          });
        }
      }
      if (!errors.length) result = await ctx.benchmark.whatIf({ iso3, year: y, ...values });
    } catch (e) {
      if (!(e instanceof AppError) || e.status >= 500) throw e;
      errors.push({ field: 'country', message: lang === 'en' ? e.message : messageFor(e.code, lang) });
    }
    const other: Lang = lang === 'fa' ? 'en' : 'fa';
    const qs = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => !!e[1])).toString();
    const field = (k: 'osi' | 'hci' | 'tii', label: string) => {
      const err = errors.find((e) => e.field === k);
      return (
        <div class="field">
          <label class="label" for={k}>
            {label}
          </label>
          <p class="hint" id={`${k}-hint`}>
            {t.valueHint}
          </p>
          {err ? (
            <p class="error-message" id={`${k}-error`}>
              {err.message}
            </p>
          ) : null}
          <input
            class={`input input-narrow${err ? ' input-error' : ''}`}
            id={k}
            name={k}
            inputMode="decimal"
            value={q[k] ?? ''}
            aria-describedby={err ? `${k}-hint ${k}-error` : `${k}-hint`}
            dir="ltr"
          />
        </div>
      );
    };
    return sendPage(
      reply,
      <Layout lang={lang} title={t.whatIf} altPath={`/${other}/un-egov/what-if${qs ? `?${qs}` : ''}`} hasError={errors.length > 0}>
        <Breadcrumbs lang={lang} items={crumbs(lang, t.whatIf)} />
        <ErrorSummary lang={lang} errors={errors} />
        <h1>{t.whatIf}</h1>
        <p class="lead">{t.whatIfIntro}</p>
        <form method="get" action={`${base(lang)}/what-if`} class="panel">
          <label class="label" for="country">
            {t.country}
          </label>
          <select class="input" id="country" name="country">
            {countries.map((c) => (
              <option value={c.iso3} selected={c.iso3 === iso3}>
                {cname(lang, c)}
              </option>
            ))}
          </select>
          <label class="label" for="year">
            {t.edition}
          </label>
          <select class="input input-narrow" id="year" name="year">
            {whatYears.map((e) => (
              <option value={String(e)} selected={String(e) === (q.year ?? String(latest))}>
                {year(lang, e)}
              </option>
            ))}
          </select>
          {field('osi', lang === 'fa' ? 'شاخص خدمات برخط (OSI)' : 'Online Service Index (OSI)')}
          {field('hci', lang === 'fa' ? 'شاخص سرمایه انسانی (HCI)' : 'Human Capital Index (HCI)')}
          {field('tii', lang === 'fa' ? 'شاخص زیرساخت مخابرات (TII)' : 'Telecommunication Infrastructure Index (TII)')}
          <p>
            <button class="button" type="submit">
              {t.calculate}
            </button>
          </p>
        </form>
        {result ? (
          <section aria-labelledby="result-title">
            <h2 id="result-title">{t.scenario}</h2>
            <p class="notice">
              {t.result(cname(lang, result.country), num(lang, result.scenario.egdi), result.scenario.rank, t.group[result.scenario.group])}
            </p>
            <DataTable
              caption={`${cname(lang, result.country)} ${year(lang, result.year)}`}
              head={['', 'OSI', 'HCI', 'TII', 'EGDI', t.rank, lang === 'fa' ? 'گروه' : 'Group']}
              rows={[
                [
                  t.current,
                  num(lang, result.current.osi),
                  num(lang, result.current.hci),
                  num(lang, result.current.tii),
                  num(lang, result.current.egdi),
                  result.current.rank ? formatNumber(lang, result.current.rank) : '–',
                  groupTag(lang, result.current.group),
                ],
                [
                  t.scenario,
                  num(lang, result.scenario.osi),
                  num(lang, result.scenario.hci),
                  num(lang, result.scenario.tii),
                  num(lang, result.scenario.egdi),
                  formatNumber(lang, result.scenario.rank),
                  groupTag(lang, result.scenario.group),
                ],
              ]}
            />
          </section>
        ) : null}
        <p class="muted">{t.source}</p>
      </Layout>,
      errors.length ? 400 : 200,
    );
  });
}
