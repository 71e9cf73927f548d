// Issue 17 s.5 and s.7: trend charts with whole-number axes for counts, gaps (no point, no line) for
// months with no figure, month labels that do not touch, Persian points at Solar Hijri month ends; bar
// charts as text rows that stay readable on a phone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderToString } from 'preact-render-to-string';
import { BarChart, countTicks } from '../../web/charts.tsx';
import { TrendChart } from './monitoring.charts.tsx';
import { monthEnds, persianMonthEnds, type Trend } from './monitoring.trends.ts';

const persian = new Intl.DateTimeFormat('en-u-ca-persian', { year: 'numeric', month: 'numeric', day: 'numeric', timeZone: 'Asia/Tehran' });

test('Persian trend points are the last moment of each Solar Hijri month (Tehran), then now', () => {
  const now = new Date('2026-12-07T12:00:00Z'); // 16 Azar 1405
  const ends = persianMonthEnds(now);
  assert.equal(ends.length, 12);
  assert.equal(ends[11], now);
  // 1 Azar 1405 = 22 Nov 2026, so Aban ends at Tehran midnight: 20:30 UTC the day before
  assert.equal(ends[10].toISOString(), '2026-11-21T20:29:59.999Z');
  for (const e of ends.slice(0, 11)) {
    const next = persian.format(new Date(e.getTime() + 1));
    assert.match(next, /^\d+\/1\//, `${e.toISOString()} is followed by a month's first day (${next})`);
  }
  // and differ from the Gregorian month ends the English pages use
  assert.notEqual(monthEnds(now)[10].toISOString(), ends[10].toISOString());
});

test('a count axis has whole-number ticks', () => {
  assert.deepEqual(countTicks(2), [0, 1, 2]);
  assert.deepEqual(countTicks(1), [0, 1]);
  for (const max of [3, 5, 7, 10, 25, 250, 1000]) {
    const t = countTicks(max);
    assert.ok(t.every(Number.isInteger), `${max}: ${t}`);
    assert.ok(t[t.length - 1] >= max && t.length <= 6, `${max}: ${t}`);
  }
});

function trend(unit: 'count' | 'percent', values: (number | null)[]): Trend {
  const ends = monthEnds(new Date('2026-12-07T12:00:00Z'));
  return {
    id: 'trend-x',
    title: { fa: 'آزمایش', en: 'Test' },
    unit,
    metrics: ['m'],
    series: [
      {
        metric: 'm',
        label: { fa: 'آزمایش', en: 'Test' },
        registered: true,
        points: ends.map((at, i) => ({
          at: at.toISOString(),
          month: at.toISOString().slice(0, 7),
          measure: values[i] === null ? { noData: true, reason: { fa: '-', en: '-' } } : { value: values[i] as number },
        })),
      },
    ],
    empty: false,
  } as Trend;
}

const svgOf = (html: string) => html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));

test('a count chart: whole-number ticks, no column for a month with no figure, labels that do not touch', () => {
  const values = [null, null, null, 1, 2, 0, 1, null, 2, 1, 1, 2];
  const html = renderToString(<TrendChart lang="en" t={trend('count', values)} />);
  const svg = svgOf(html);
  const labels = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
  const ticks = labels.filter((l) => /^\d+(\.\d+)?$/.test(l));
  assert.ok(ticks.length >= 2 && ticks.every((l) => /^\d+$/.test(l)), `whole-number ticks: ${ticks}`);
  assert.equal((svg.match(/<rect/g) ?? []).length, values.filter((v) => v !== null).length, 'one column per month with a figure');
  const months = labels.filter((l) => /[A-Z][a-z]{2}/.test(l));
  assert.ok(months.length <= 7 && months.length >= 5, `every other month labelled: ${months}`);
});

test('a share chart: a gap where a month has no figure (no point, the line broken), Solar Hijri month names in Persian', () => {
  const values = [10, 20, null, null, 30, 40, 50, null, 60, 70, 80, 90];
  const svg = svgOf(renderToString(<TrendChart lang="en" t={trend('percent', values)} />));
  assert.equal((svg.match(/<polyline/g) ?? []).length, 3, 'three runs of months with figures');
  assert.equal((svg.match(/<circle/g) ?? []).length, 9, 'a point only where there is a figure');
  const fa = svgOf(renderToString(<TrendChart lang="fa" t={trend('percent', values)} />));
  assert.match(fa, /آذر/);
  assert.doesNotMatch(fa.replace(/<[^>]*>/g, ' '), /[0-9]/, 'Persian digits only in Persian labels');
});

test('a bar chart is text rows: the label readable on a phone, the value written, no value drawn as zero', () => {
  const html = renderToString(
    <BarChart
      lang="en"
      id="peers"
      title="EGDI 2024"
      summary="s"
      bars={[
        { label: 'Iran (Islamic Republic of)', value: 0.7 },
        { label: 'Nowhere', value: null },
      ]}
      highlight="Iran (Islamic Republic of)"
    />,
  );
  assert.match(html, /<span class="bar-label">Iran \(Islamic Republic of\)<\/span>/);
  assert.match(html, /bar-row bar-strong/);
  assert.equal((html.match(/<rect/g) ?? []).length, 1);
  assert.match(html, /<span class="bar-value">–<\/span>/);
});
