// Pieces the public monitoring pages share: the section title, metric units, the results pager, the
// ranking table and a round's correction notices.
import { formatNumber, type Lang, tr } from '../../../platform/i18n.ts';
import { DataTable } from '../../../web/charts.tsx';
import type { RoundResults } from '../monitoring.results.ts';
import { change, NoData, plain, score } from '../monitoring.view.tsx';

export const TITLE = { fa: 'پایش و ارزیابی دولت الکترونیک', en: 'Monitoring and evaluation of e-government' };
export const UNITS: Record<string, 'percent' | 'number' | 'yesno'> = {
  'applications.per-month': 'number',
  'ratings.average': 'number',
  'exchange.transactions-per-month': 'number',
};

/** Links to every page of a round's results (plain links: no JavaScript). */
export function Pager({ lang, base, page, pages }: { lang: Lang; base: string; page: number; pages: number }) {
  if (pages <= 1) return null;
  const href = (n: number) => (n === 1 ? base : `${base}?page=${n}`);
  return (
    <nav class="pagination" aria-label={tr(lang, 'صفحه‌های نتایج', 'Pages of results')}>
      {page > 1 ? (
        <a href={href(page - 1)} rel="prev">
          {tr(lang, 'صفحه قبل', 'Previous page')}
        </a>
      ) : null}
      <ul class="pagination-pages">
        {Array.from({ length: pages }, (_, i) => i + 1).map((n) => (
          <li>
            {n === page ? (
              <span aria-current="page">{formatNumber(lang, n)}</span>
            ) : (
              <a href={href(n)} aria-label={tr(lang, `صفحه ${formatNumber(lang, n)}`, `Page ${n}`)}>
                {formatNumber(lang, n)}
              </a>
            )}
          </li>
        ))}
      </ul>
      {page < pages ? (
        <a href={href(page + 1)} rel="next">
          {tr(lang, 'صفحه بعد', 'Next page')}
        </a>
      ) : null}
    </nav>
  );
}

export function RankingTable({ lang, r, base, caption }: { lang: Lang; r: RoundResults; base: string; caption?: string }) {
  return (
    <DataTable
      caption={
        tr(lang, `رتبه‌بندی: ${plain(r.round.title, lang)}`, `Ranking: ${plain(r.round.title, lang)}`) + (caption ? ` (${caption})` : '')
      }
      head={[
        tr(lang, 'رتبه', 'Rank'),
        tr(lang, 'دستگاه یا درگاه', 'Agency or portal'),
        tr(lang, 'امتیاز کل', 'Total score'),
        ...r.set.criteria.map((c) => plain(c.name, lang)),
        tr(lang, 'تغییر از دوره قبل', 'Change since last round'),
      ]}
      rows={r.rows.map((x) => [
        x.rank === null ? '–' : formatNumber(lang, x.rank),
        <a href={`${base}/subjects/${x.subject.subject}`}>{plain(x.subject.name, lang)}</a>,
        score(lang, x.scores.total),
        ...r.set.criteria.map((c) =>
          x.scores.criteria[c.code]?.score === null || !x.scores.criteria[c.code] ? (
            <NoData lang={lang} />
          ) : (
            score(lang, x.scores.criteria[c.code].score)
          ),
        ),
        change(lang, x.change),
      ])}
    />
  );
}

export function RoundNotices({ lang, r }: { lang: Lang; r: RoundResults }) {
  return (
    <>
      {r.correctedBy && r.round.status === 'superseded' ? (
        <p class="notice">
          {tr(
            lang,
            'این نسخه با اصلاحیه‌ای جایگزین شده و برای سابقه نگه داشته شده است. ',
            'This version has been superseded by a correction and is kept for the record. ',
          )}
          <a href={`/${lang}/monitoring/rounds/${r.correctedBy.slug}`}>{tr(lang, 'نسخه اصلاح‌شده', 'The corrected version')}</a>
        </p>
      ) : null}
      {r.round.supersedes ? (
        <p class="notice">
          {tr(lang, 'این نسخه اصلاحیه است: ', 'This is a correction: ')}
          {r.round.correction_note}
        </p>
      ) : null}
    </>
  );
}
