import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatDate } from './i18n.ts';

const direct = (lang: 'fa' | 'en', d: Date) =>
  new Intl.DateTimeFormat(lang === 'fa' ? 'fa-IR-u-ca-persian' : 'en-GB', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'Asia/Tehran',
  })
    .formatToParts(d)
    .filter((p) => p.type !== 'era')
    .map((p) => p.value)
    .join('')
    .replace(/\s+ه\.ش\.?/, '')
    .trim();

test('formatDate: the remembered date is always the date in Tehran, also around midnight and in old summer time', () => {
  const from = Date.UTC(1990, 0, 1);
  const to = Date.UTC(2040, 0, 1);
  // random moments, and moments a few minutes either side of Tehran midnight (20:30 and 19:30 UTC)
  const moment = fc.oneof(
    fc.integer({ min: from, max: to }),
    fc
      .tuple(fc.integer({ min: 0, max: 18_000 }), fc.constantFrom(19.5, 20.5), fc.integer({ min: -3, max: 3 }))
      .map(([day, h, min]) => from + day * 86_400_000 + h * 3_600_000 + min * 60_000),
  );
  fc.assert(
    fc.property(moment, fc.constantFrom('fa' as const, 'en' as const), (ms, lang) => {
      // twice: the second answer comes from the cache
      assert.equal(formatDate(lang, new Date(ms)), direct(lang, new Date(ms)));
      assert.equal(formatDate(lang, new Date(ms)), direct(lang, new Date(ms)));
    }),
    { numRuns: 3000 },
  );
  assert.equal(formatDate('en', '2026-11-23'), '23 November 2026');
  assert.equal(formatDate('fa', 'not a date'), '');
});
