// An indicator set (each indicator, its type, weight and source) and the monitoring open data index
// with its data dictionary.
import { formatNumber, type Lang, tr } from '../../../platform/i18n.ts';
import { Breadcrumbs } from '../../../web/components.tsx';
import { DataTable } from '../../../web/charts.tsx';
import { Layout } from '../../../web/layout.tsx';
import { DICTIONARY } from '../monitoring.results.ts';
import type { RoundRow, SetRow } from '../monitoring.repository.ts';
import { SET_SOURCES } from '../monitoring.builtin.ts';
import { L, num, other, plain } from '../monitoring.view.tsx';
import { TITLE } from './parts.tsx';

export function IndicatorSetPage({ lang, set }: { lang: Lang; set: SetRow }) {
  const title = plain(set.name, lang);
  const TYPE: Record<string, [string, string]> = {
    yesno: ['بله/خیر', 'Yes/no'],
    scale: ['طیف', 'Scale'],
    number: ['عدد', 'Number'],
    percentage: ['درصد', 'Percentage'],
  };
  return (
    <Layout lang={lang} title={title} altPath={`/${other(lang)}/monitoring/indicator-sets/${set.key}?version=${set.version}`}>
      <Breadcrumbs lang={lang} items={[{ href: `/${lang}/monitoring`, label: plain(TITLE, lang) }, { label: title }]} />
      <h1>{title}</h1>
      {SET_SOURCES[set.key] ? <p class="muted">{SET_SOURCES[set.key][lang]}</p> : null}
      <p>
        {tr(lang, 'نسخه', 'Version')} {formatNumber(lang, set.version)} ·{' '}
        <a href={`/open-data/monitoring/indicator-sets/${set.key}.csv?version=${set.version}`}>CSV</a> ·{' '}
        <a href={`/open-data/monitoring/indicator-sets/${set.key}.json?version=${set.version}`}>JSON</a>
      </p>
      {set.criteria.map((c) => (
        <DataTable
          caption={`${plain(c.name, lang)} (${tr(lang, 'وزن', 'weight')} ${num(lang, c.weight, 2)})`}
          head={[
            tr(lang, 'کد', 'Code'),
            tr(lang, 'شاخص', 'Indicator'),
            tr(lang, 'نوع', 'Type'),
            tr(lang, 'وزن', 'Weight'),
            tr(lang, 'پاسخ‌دهنده', 'Answered by'),
          ]}
          rows={set.indicators
            .filter((i) => i.criterion === c.code)
            .map((i) => [
              <bdi>{i.code}</bdi>,
              <L text={i.description} lang={lang} />,
              tr(lang, ...TYPE[i.type]),
              num(lang, i.weight, 2),
              i.answeredBy === 'auto' ? tr(lang, 'خودکار', 'Automatic') : tr(lang, 'ارزیاب با مستند', 'Assessor with evidence'),
            ])}
        />
      ))}
    </Layout>
  );
}

export function OpenDataPage({ lang, rounds }: { lang: Lang; rounds: RoundRow[] }) {
  const title = tr(lang, 'داده باز پایش و ارزیابی', 'Monitoring open data');
  return (
    <Layout lang={lang} title={title} altPath={`/${other(lang)}/monitoring/open-data`}>
      <Breadcrumbs lang={lang} items={[{ href: `/${lang}/monitoring`, label: plain(TITLE, lang) }, { label: title }]} />
      <h1>{title}</h1>
      <p class="lead">
        {tr(
          lang,
          'همه ارقام منتشرشده با پروانه CC BY 4.0 به صورت CSV و JSON در دسترس‌اند.',
          'Every published figure is available as CSV and JSON under CC BY 4.0.',
        )}
      </p>
      <ul class="link-list">
        <li>
          {tr(lang, 'نمای ملی', 'National overview')}: <a href="/open-data/monitoring/overview.csv">CSV</a> ·{' '}
          <a href="/open-data/monitoring/overview.json">JSON</a>
        </li>
        <li>
          {tr(lang, 'روند ماهانه', 'Monthly trends')}: <a href="/open-data/monitoring/trends.csv">CSV</a> ·{' '}
          <a href="/open-data/monitoring/trends.json">JSON</a>
        </li>
        {rounds.map((r) => (
          <li>
            {plain(r.title, lang)} ({r.slug}): <a href={`/open-data/monitoring/rounds/${r.slug}.csv`}>CSV</a> ·{' '}
            <a href={`/open-data/monitoring/rounds/${r.slug}.json`}>JSON</a> · {tr(lang, 'پاسخ‌ها', 'answers')}{' '}
            <a href={`/open-data/monitoring/rounds/${r.slug}/answers.csv`}>CSV</a> ·{' '}
            <a href={`/open-data/monitoring/rounds/${r.slug}/answers.json`}>JSON</a>
          </li>
        ))}
        <li>
          {tr(lang, 'واژه‌نامه داده‌ها', 'Data dictionary')}: <a href="/open-data/monitoring/dictionary.json">JSON</a>
        </li>
      </ul>
      <h2>{tr(lang, 'واژه‌نامه داده‌ها', 'Data dictionary')}</h2>
      <p>{DICTIONARY.csvText[lang]}</p>
      {DICTIONARY.files.map((f) => (
        <DataTable
          caption={`${f.file}: ${f.description[lang]}`}
          head={[tr(lang, 'ستون', 'Column'), tr(lang, 'معنا', 'Meaning')]}
          rows={f.columns.map(([c, fa, en]) => [<code>{c}</code>, lang === 'fa' ? fa : en])}
        />
      ))}
    </Layout>
  );
}
