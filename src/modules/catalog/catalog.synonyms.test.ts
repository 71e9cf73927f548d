// Finglish transliteration, synonym expansion and did-you-mean, as pure functions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { didYouMean, editDistance, expandQuery, transliterate } from './catalog.synonyms.ts';

test('Finglish words become their Persian form', () => {
  assert.equal(transliterate('gozarname'), 'گذرنامه');
  assert.equal(transliterate('Gavahiname'), 'گواهینامه');
  assert.ok(expandQuery('kart meli').includes('کارت ملی'));
});

test('colloquial terms expand to the catalogue wording', () => {
  assert.ok(expandQuery('پاسپورت').includes('گذرنامه'));
  assert.ok(expandQuery('خلافی ماشین').some((v) => v.includes('جریمه رانندگی')));
  assert.ok(expandQuery('driver licence').some((v) => v.includes('driving')));
});

test('did you mean: the closest known word, or null', () => {
  assert.equal(editDistance('گذرنامه', 'گذرنامع'), 1);
  const vocab = new Set(['گذرنامه', 'خودرو']);
  assert.equal(didYouMean('گذرنامع', vocab), 'گذرنامه');
  assert.equal(didYouMean('گذرنامه', vocab), null);
});

test('a query with two dictionary terms also gets the wording with both replaced', () => {
  const v = expandQuery('driver license');
  assert.ok(v.includes('driving licence'), v.join(' | '));
  // without the second step only one term at a time was replaced
  assert.ok(v.includes('driving license') && v.includes('driver licence'));
  assert.ok(v.length <= 12);
});
