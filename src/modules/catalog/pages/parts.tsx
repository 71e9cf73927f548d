// Pieces the catalogue's pages share: a list of service cards and the facet filters.
import { t, type Lang } from '../../../platform/i18n.ts';
import { Tag, Text } from '../../../web/components.tsx';
import type { FacetCount, Facet, SearchCard } from '../catalog.search.ts';
import { channelByCode, maturityByCode, pick } from '../catalog.taxonomy.ts';
import { servicePath } from '../catalog.presenter.ts';

export function ServiceList({ lang, items, headingLevel = 3 }: { lang: Lang; items: SearchCard[]; headingLevel?: 2 | 3 }) {
  const H = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <ul class="card-list">
      {items.map((c) => {
        const summary = pick(c.summary, lang);
        return (
          <li>
            <H>
              <a href={servicePath(lang, c.slug)}>
                <Text value={pick(c.name, lang)} pageLang={lang} />
              </a>
            </H>
            {summary.text ? (
              <p>
                <Text value={summary} pageLang={lang} />
              </p>
            ) : null}
            <p class="card-meta">
              <Text value={pick(c.agency.name, lang)} pageLang={lang} /> ·{' '}
              <Tag tone={c.maturity >= 4 ? 'green' : c.maturity === 3 ? 'blue' : 'grey'}>
                {maturityByCode.get(String(c.maturity))?.name[lang]}
              </Tag>
              {c.channels.length ? (
                <> · {c.channels.map((ch) => channelByCode.get(ch)?.name[lang]).join(lang === 'fa' ? '، ' : ', ')}</>
              ) : null}
            </p>
          </li>
        );
      })}
    </ul>
  );
}

const VISIBLE = 8;

/** One facet as a group of checkboxes; long lists fold the rest into a <details> (no JavaScript). */
export function FacetGroup({
  lang,
  facet,
  values,
  selected,
  label,
}: {
  lang: Lang;
  facet: Facet;
  values: FacetCount[];
  selected: string[];
  label: (f: Facet, v: string) => string;
}) {
  if (!values.length) return null;
  const chosen = new Set(selected);
  const ordered = [...values.filter((v) => chosen.has(v.value)), ...values.filter((v) => !chosen.has(v.value))];
  const box = (v: FacetCount) => {
    const id = `f-${facet}-${v.value}`;
    return (
      <div class="checkbox">
        <input type="checkbox" id={id} name={facet} value={v.value} checked={chosen.has(v.value)} />
        <label for={id}>
          {label(facet, v.value)} <span class="count">({new Intl.NumberFormat(lang === 'fa' ? 'fa-IR' : 'en-GB').format(v.count)})</span>
        </label>
      </div>
    );
  };
  const shown = ordered.slice(0, Math.max(VISIBLE, chosen.size));
  const more = ordered.slice(shown.length, 60);
  return (
    <fieldset>
      <legend>{t(lang, `facet_${facet}`)}</legend>
      {shown.map(box)}
      {more.length ? (
        <details class="facet-more">
          <summary>{t(lang, 'andMore', { n: more.length })}</summary>
          {more.map(box)}
        </details>
      ) : null}
    </fieldset>
  );
}
