import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { formatDate } from '../../platform/i18n.ts';
import { MetricRegistry, platformSources, type MetricSource } from './monitoring.metrics.ts';
import { monthEnds, TrendCache, TRENDS } from './monitoring.trends.ts';
import { client } from './monitoring.testkit.ts';

let t: TestApp;
before(async () => {
  t = await testApp();
  // The demo catalogue was loaded today; give it a history so past month ends have figures
  // (agencies still join the window on their own connected_since dates, which vary).
  const { sql } = await import('kysely');
  await sql`update agencies set created_at = now() - interval '2 years'`.execute(t.ctx.monitoring.repo.db);
  await sql`update service_versions set changed_at = now() - interval '2 years'`.execute(t.ctx.monitoring.repo.db);
});
after(() => t.close());

test('month ends: the last moment of each of the 11 months before now, then now', () => {
  const ends = monthEnds(new Date('2026-03-15T10:00:00Z'));
  assert.equal(ends.length, 12);
  assert.equal(ends[0].toISOString(), '2025-04-30T23:59:59.999Z');
  assert.equal(ends[9].toISOString(), '2026-01-31T23:59:59.999Z');
  assert.equal(ends[10].toISOString(), '2026-02-28T23:59:59.999Z');
  assert.equal(ends[11].toISOString(), '2026-03-15T10:00:00.000Z');
});

/** The share of agencies connected at a moment, counted here from the catalogue snapshot itself. */
async function connectedShare(at: Date) {
  const { agencies } = await t.ctx.catalog.snapshotAt(at);
  return Math.round((1000 * agencies.filter((a) => a.connected).length) / agencies.length) / 10;
}

test('trends evaluate registered metrics at each month end; a metric nobody registered is "no data yet"', async () => {
  const registry = new MetricRegistry();
  const catalogSources = platformSources({ catalog: t.ctx.catalog, activeAccounts: async () => new Map(), ssoClients: async () => [] });
  for (const s of catalogSources) registry.register(s);
  const cache = new TrendCache(registry);
  const now = new Date();
  const [connected, missing] = await cache.trends(now, new Map(), [
    { id: 'c', title: { fa: 'متصل', en: 'Connected' }, unit: 'percent', metrics: ['catalog.connected'] },
    { id: 'm', title: { fa: 'ناموجود', en: 'Missing' }, unit: 'count', metrics: ['test.nobody-registers-this'] },
  ]);
  assert.equal(connected.empty, false);
  const ends = monthEnds(now);
  for (let i = 0; i < 12; i++) {
    const m = connected.series[0].points[i].measure;
    assert.ok('value' in m, `point ${i}`);
    assert.equal(m.value, await connectedShare(ends[i]));
  }
  assert.equal(missing.empty, true);
  assert.equal(missing.series[0].registered, false);
});

test('the overview draws a chart with its data table for every registered trend metric, and "no data yet" for the rest', async () => {
  // A real source for one of the metrics other modules provide: the share of services at stage 4-5, as "exchange.services-share".
  const stage45 = platformSources({ catalog: t.ctx.catalog, activeAccounts: async () => new Map(), ssoClients: async () => [] }).find(
    (s) => s.metric === 'catalog.stage-4-5-share',
  )!;
  const source: MetricSource = {
    ...stage45,
    metric: 'exchange.services-share',
    label: { fa: 'سهم خدمات استفاده‌کننده از تبادل داده', en: 'Share of services using the data exchange' },
  };
  t.ctx.monitoring.metrics.register(source);
  const en = await client(t).get('/en/monitoring');
  assert.equal(en.statusCode, 200);
  const table = (body: string, id: string) => {
    const section = body.slice(body.indexOf(`id="${id}-title"`), body.indexOf('</section>', body.indexOf(`id="${id}-title"`)));
    return [...section.matchAll(/<tr><th scope="row">([^<]+)<\/th>((?:<td>.*?<\/td>)+)<\/tr>/g)].map((m) => [
      m[1],
      ...[...m[2].matchAll(/<td>(.*?)<\/td>/g)].map((x) => x[1].replace(/<[^>]+>/g, '')),
    ]);
  };
  const ends = monthEnds(new Date());
  const rows = table(en.body, 'trend-exchange-services');
  assert.equal(rows.length, 12);
  const { snapshotAt } = t.ctx.catalog;
  for (let i = 0; i < 12; i++) {
    const snap = await snapshotAt.call(t.ctx.catalog, ends[i]);
    const pub = snap.services.filter((s) => s.status === 'published');
    const expected = Math.round((1000 * pub.filter((s) => s.maturity >= 4).length) / pub.length) / 10;
    assert.ok(rows[i][0].startsWith(formatDate('en', ends[i])), rows[i][0]);
    assert.equal(rows[i][1], `${expected.toLocaleString('en-GB', { maximumFractionDigits: 1 })}%`);
  }
  const connected = table(en.body, 'trend-connected');
  assert.equal(connected.at(-1)![1], `${(await connectedShare(ends[11])).toLocaleString('en-GB', { maximumFractionDigits: 1 })}%`);
  for (const spec of TRENDS) {
    const registered = spec.metrics.some((m) => t.ctx.monitoring.metrics.get(m));
    const section = en.body.slice(
      en.body.indexOf(`id="${spec.id}-title"`),
      en.body.indexOf('</section>', en.body.indexOf(`id="${spec.id}-title"`)),
    );
    assert.ok(section.length > 0, spec.id);
    if (!registered) assert.match(section, /No data yet.*is not connected to the window yet/, `${spec.id}: no source, says so`);
    else
      assert.match(
        section,
        /<svg[^>]+role="img"|No data yet.*gave no figure in these 12 months/,
        `${spec.id}: drawn, or its source had nothing`,
      );
  }
  const fa = await client(t).get('/fa/monitoring');
  const faRows = table(fa.body, 'trend-exchange-services');
  assert.equal(faRows.length, 12);
  assert.match(faRows[0][1], /^[۰-۹٫]+٪$/, 'Persian digits and per cent sign');
  assert.match(fa.body, /روند ماهانه/);
  const csv = await client(t).get('/open-data/monitoring/trends.csv');
  assert.equal(csv.statusCode, 200);
  assert.match(csv.body, /trend-exchange-services,exchange.services-share,/);
});
