// When no wording of a query has every word in some card, cards with all the words but one come first
// (a word the catalogue does not use, such as "check"), before cards with any single word.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoCatalogueRows } from '../../../bench/search-eval.ts';
import { SearchIndex } from './catalog.search.ts';

test('no card has every word: the cards with all words but one rank first, marked as a partial match', async () => {
  const { services, agencies } = await demoCatalogueRows();
  const index = await SearchIndex.build(1, services, agencies, 0);
  const r = index.search({ q: 'electricity connection paperwork', lang: 'en', filters: {}, page: 1, pageSize: 5 });
  assert.equal(r.match, 'any');
  assert.equal(r.items[0]?.slug, 'apply-for-a-new-electricity-connection', r.items.map((i) => i.slug).join(', '));
  const fines = index.search({ q: 'خلافی ماشین', lang: 'fa', filters: {}, page: 1, pageSize: 5 });
  assert.ok(
    fines.items.slice(0, 3).some((i) => i.slug === 'check-and-pay-traffic-fines'),
    fines.items.map((i) => i.slug).join(', '),
  );
});
