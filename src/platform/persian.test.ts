import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkNationalId, normalizeText, slugify, toAsciiDigits, toPersianDigits, tokenize } from './persian.ts';

test('Arabic letter variants, diacritics and tatweel normalise to Persian letters', () => {
  assert.equal(normalizeText('كارت ملي'), 'کارت ملی');
  assert.equal(normalizeText('مالیـــات'), 'مالیات');
  assert.equal(normalizeText('گُذَرنامه'), 'گذرنامه');
  assert.equal(normalizeText('مؤسسه'), 'موسسه');
  assert.equal(normalizeText('أحمد إبراهيم'), 'احمد ابراهیم');
  assert.equal(normalizeText('خانهٔ'), 'خانه');
  assert.equal(normalizeText('Café PASSPORT'), 'cafe passport');
});

test('ZWNJ, space and joined spellings of a Persian word become one token', () => {
  const forms = ['درخواست‌ها', 'درخواست ها', 'درخواستها'];
  for (const f of forms) assert.deepEqual(tokenize(f), ['درخواست'], f);
  assert.deepEqual(tokenize('گذرنامه‌های'), ['گذرنامه']);
  assert.deepEqual(tokenize('تنها'), ['تنها'], 'a word that only looks plural keeps its letters');
  assert.deepEqual(tokenize('می‌شود'), tokenize('می شود'));
  assert.deepEqual(tokenize('بزرگ‌ترین'), tokenize('بزرگ ترین'));
});

test('Persian and Arabic-Indic digits become ASCII and back', () => {
  assert.equal(toAsciiDigits('۰۱۲۳۴۵۶۷۸۹ ٠١٢٣٤٥٦٧٨٩'), '0123456789 0123456789');
  assert.equal(toPersianDigits('1405'), '۱۴۰۵');
});

test('normalisation is idempotent and never throws (property)', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
      const once = normalizeText(s);
      assert.equal(normalizeText(once), once);
      assert.deepEqual(tokenize(tokenize(s).join(' ')), tokenize(s));
    }),
    { numRuns: 2000 },
  );
});

test('digits of any script give the same tokens (property)', () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[0-9]{1,12}$/), (n) => {
      assert.deepEqual(tokenize(toPersianDigits(n)), [n]);
    }),
  );
});

test('national ID check digit: valid, and each rule that can fail says which', () => {
  assert.deepEqual(checkNationalId('0499370899'), { ok: true, value: '0499370899' });
  assert.deepEqual(checkNationalId('۰۴۹۹۳۷۰۸۹۹'), { ok: true, value: '0499370899' });
  assert.deepEqual(checkNationalId('049-937-0899'), { ok: true, value: '0499370899' });
  assert.deepEqual(checkNationalId(''), { ok: false, reason: 'empty' });
  assert.deepEqual(checkNationalId('04993708a9'), { ok: false, reason: 'not-digits' });
  assert.deepEqual(checkNationalId('049937089'), { ok: false, reason: 'length' });
  assert.deepEqual(checkNationalId('1111111111'), { ok: false, reason: 'repeated' });
  assert.deepEqual(checkNationalId('0499370898'), { ok: false, reason: 'check-digit' });
});

test('every 9-digit prefix has exactly one valid check digit (property)', () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[0-9]{9}$/), (prefix) => {
      const valid = [...'0123456789'].filter((d) => checkNationalId(prefix + d).ok);
      if (/^(\d)\1{8}$/.test(prefix)) assert.ok(valid.length <= 1);
      else assert.equal(valid.length, 1);
    }),
  );
});

test('slugify makes URL-safe slugs', () => {
  assert.equal(slugify('Apply for a Passport (Ordinary)'), 'apply-for-a-passport-ordinary');
  assert.equal(slugify('Café & Bar'), 'cafe-and-bar');
  assert.equal(slugify('گذرنامه'), 'item');
  fc.assert(fc.property(fc.string(), (s) => assert.match(slugify(s), /^[a-z0-9]+(-[a-z0-9]+)*$/)));
});
