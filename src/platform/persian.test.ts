import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkNationalId, cleanText, normalizeText, slugify, toAsciiDigits, toPersianDigits, tokenize } from './persian.ts';

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

test('cleanText: the one rule for stored human text (property)', () => {
  const hostile = fc
    .array(
      fc.oneof(
        fc.string({ unit: 'binary', maxLength: 4 }),
        fc.constantFrom(
          '\u200B',
          '\u2060',
          '\uFEFF',
          '\u200E',
          '\u200F',
          '\u061C',
          '\u202A',
          '\u202E',
          '\u2066',
          '\u2069',
          '\u00AD',
          '\u0000',
          '\u009B',
          '\r\n',
          '\u200C',
          '\u200C\u200C',
          '\u200D',
          'ي',
          'ك',
          'e\u0301',
          '\uD800',
          '\uDFFF',
        ),
      ),
      { maxLength: 30 },
    )
    .map((a) => a.join(''));
  fc.assert(
    fc.property(hostile, fc.boolean(), (s, multiline) => {
      const out = cleanText(s, multiline);
      assert.doesNotMatch(
        out,
        // eslint-disable-next-line no-control-regex -- asserts that no C0/C1 control survives
        /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u061C\u200B\u200E\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/,
        'no control, bidi or invisible character',
      );
      assert.doesNotMatch(out, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/, 'no lone surrogate');
      if (!multiline) assert.doesNotMatch(out, /[\n\t]/);
      assert.doesNotMatch(out, /\u200C\u200C|[يك]/);
      assert.equal(out, out.normalize('NFC'));
      assert.equal(out, out.trim());
      assert.equal(cleanText(out, multiline), out, 'idempotent');
      // ZWNJ and ZWJ between letters survive (Persian spelling needs ZWNJ)
      assert.equal(cleanText(`می\u200Cخواهم ${s.length ? '' : ''}`.trim()), 'می\u200Cخواهم');
    }),
  );
  assert.equal(cleanText('\u202Egnp.exe'), 'gnp.exe');
  assert.equal(cleanText('ه\u200D.ش'), 'ه\u200D.ش');
});
