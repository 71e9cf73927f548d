// Property-based tests of the pure parts: the answer validator, form definitions, Jalali dates, file
// names and types, reference numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { toPersianDigits } from '../../platform/persian.ts';
import { checkDefinition, visiblePages, type FormDefinition, type FormField, type FormPage } from './forms.ts';
import { cleanText, isControl, safeFileName, sniffKind, validatePage } from './validate.ts';
import { gregorian, gregorianToJalali, jalaliToGregorian } from './jalali.ts';
import { newReference, readReference, REFERENCE_PATTERN } from './reference.ts';
import { parseFormFile } from './forms.import.ts';
import { nationalId } from '../../../test/helpers/people.ts';

const dir = path.join(import.meta.dirname, '../../../datasets/demo/forms');
const demo: FormDefinition[] = fs.readdirSync(dir).map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
const pages: FormPage[] = demo.flatMap((d) => d.pages);
const field = (type: FormField['type'], extra: Partial<FormField> = {}): FormPage => ({
  id: 'p',
  title: { fa: 'ص', en: 'P' },
  fields: [{ name: 'x', type, label: { fa: 'پرسش', en: 'Question' }, ...extra }],
});
const anyValue = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.array(fc.string({ maxLength: 20 }), { maxLength: 5 }),
  fc.constant(undefined),
  fc.integer(),
  fc.object({ maxDepth: 1 }) as fc.Arbitrary<unknown>,
  fc.constant(null),
);

test('at least 10 demo forms, every one a valid definition', () => {
  assert.ok(demo.length >= 10);
  for (const d of demo) assert.deepEqual(checkDefinition(d), [], d.service);
  const types = new Set(demo.flatMap((d) => d.pages.flatMap((p) => p.fields.map((f) => f.type))));
  for (const t of [
    'text',
    'number',
    'date',
    'national-id',
    'mobile',
    'postcode',
    'email',
    'select',
    'radio',
    'checkboxes',
    'address',
    'file',
  ])
    assert.ok(types.has(t as never), `a demo form uses ${t}`);
  assert.ok(
    demo.some((d) => d.pages.some((p) => p.showIf)),
    'a conditional page',
  );
  assert.ok(
    demo.some((d) => d.pages.some((p) => p.fields.some((f) => f.prefill))),
    'prefilled fields',
  );
});

test('the validator never throws; every error names a field on the page and says what to fix in both languages', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...pages),
      fc.dictionary(fc.string({ maxLength: 30 }), anyValue, { maxKeys: 10 }),
      fc.array(anyValue, { maxLength: 6 }),
      (page, junk, values) => {
        const input: Record<string, unknown> = { ...junk };
        page.fields.forEach((f, i) => {
          input[f.name] = values[i];
          input[`${f.name}-day`] = values[(i + 1) % 6];
          input[`${f.name}-line1`] = values[(i + 2) % 6];
        });
        const { values: out, errors } = validatePage(page, input);
        for (const e of errors) {
          assert.ok(page.fields.some((f) => f.name === e.name));
          assert.ok(e.message.fa.trim().length > 5 && e.message.en.trim().length > 5);
          assert.ok(/[\u0600-\u06FF]/.test(e.message.fa), 'the Persian message is in Persian');
          assert.ok(!/invalid/i.test(e.message.en), 'no "invalid input" messages');
        }
        for (const f of page.fields) assert.ok(errors.some((e) => e.name === f.name) || f.name in out);
      },
    ),
    { numRuns: 400 },
  );
});

test('required fields left empty are errors; optional ones are not', () => {
  for (const p of pages) {
    const { errors } = validatePage(p, {});
    for (const f of p.fields)
      assert.equal(
        errors.some((e) => e.name === f.name),
        !f.optional,
        `${p.id}.${f.name}`,
      );
  }
});

test('national IDs: every valid one passes in any digits and spacing; changing the check digit always fails', () => {
  const page = field('national-id');
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 699999999 }), fc.integer({ min: 1, max: 9 }), fc.boolean(), (seed, delta, persian) => {
      const id = nationalId(seed);
      if (/^(\d)\1{9}$/.test(id)) return;
      const typed = persian ? toPersianDigits(`${id.slice(0, 3)}-${id.slice(3)}`) : ` ${id} `;
      assert.deepEqual(validatePage(page, { x: typed }).values.x, id);
      const wrong = id.slice(0, 9) + String((Number(id[9]) + delta) % 10);
      assert.equal(validatePage(page, { x: wrong }).errors.length, 1);
    }),
  );
});

test('numbers: Persian digits and separators read as the same number; bounds are enforced with the bound in the message', () => {
  const page = field('number', { min: 1, max: 20 });
  fc.assert(
    fc.property(fc.integer({ min: -1000, max: 1000 }), (n) => {
      const r = validatePage(page, { x: toPersianDigits(String(n)) });
      if (n >= 1 && n <= 20) assert.equal(r.values.x, n);
      else assert.match(r.errors[0].message.en, n < 1 ? /must be 1 or more/ : /must be 20 or less/);
    }),
  );
  assert.match(validatePage(page, { x: '12abc' }).errors[0].message.en, /must be a number/);
});

test('dates: every Gregorian day from 1850 to 2200 goes to Jalali and back; impossible dates are refused', () => {
  fc.assert(
    fc.property(fc.date({ min: new Date('1850-01-01T00:00:00Z'), max: new Date('2200-12-31T00:00:00Z'), noInvalidDate: true }), (d) => {
      const iso = d.toISOString().slice(0, 10);
      const j = gregorianToJalali(iso);
      assert.equal(jalaliToGregorian(j.year, j.month, j.day), iso);
      const page = field('date');
      assert.equal(
        validatePage(page, { 'x-day': String(j.day), 'x-month': String(j.month), 'x-year': String(j.year), 'x-calendar': 'jalali' }).values
          .x,
        iso,
      );
    }),
    { numRuns: 500 },
  );
  assert.equal(jalaliToGregorian(1404, 12, 30), null, '1404 is not a leap year');
  assert.equal(jalaliToGregorian(1403, 7, 31), null, 'the seventh month has 30 days');
  assert.equal(gregorian(2023, 2, 29), null);
  const r = validatePage(field('date'), { 'x-day': '10', 'x-month': '13', 'x-year': '2020' });
  assert.match(r.errors[0].message.en, /must be a real date/);
  assert.match(validatePage(field('date'), { 'x-day': '10', 'x-month': '1', 'x-year': '20' }).errors[0].message.en, /4 numbers/);
});

test('choices accept only listed options, in any order, without duplicates', () => {
  const page = field('checkboxes', { options: ['a', 'b', 'c'].map((v) => ({ value: v, label: { fa: v, en: v } })) });
  fc.assert(
    fc.property(fc.array(fc.string({ maxLength: 3 }), { maxLength: 6 }), (picked) => {
      const r = validatePage(page, { x: picked });
      const listed = picked.filter((p) => p !== '');
      if (!listed.length) assert.equal(r.errors.length, 1);
      else if (listed.every((p) => ['a', 'b', 'c'].includes(p)) && listed.length <= 3)
        assert.deepEqual(
          r.values.x,
          ['a', 'b', 'c'].filter((v) => listed.includes(v)),
        );
      else assert.equal(r.errors.length, 1);
    }),
  );
});

test('free text: no control or direction-override characters survive; Arabic letters become Persian', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
      const out = cleanText(s);
      assert.ok(![...out].some(isControl), `a control character survived in ${JSON.stringify(out)}`);
      assert.doesNotMatch(out, /[\u202A-\u202E\u2066-\u2069]/);
      assert.doesNotMatch(out, /[يك]/);
    }),
  );
});

test('file names: never a path, a control character or a hidden file; types come from the content', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
      const n = safeFileName(s);
      assert.ok(n.length > 0 && n.length <= 120);
      assert.ok(![...n].some(isControl), `a control character survived in ${JSON.stringify(n)}`);
      assert.doesNotMatch(n, /[\\/\u202E]|^\./);
    }),
  );
  assert.equal(safeFileName('..\\..\\windows\\system32\\x.pdf'), 'x.pdf');
  assert.equal(safeFileName('../../'), 'file');
  assert.equal(sniffKind(Buffer.from('%PDF-1.7')), 'pdf');
  assert.equal(sniffKind(Buffer.from([0xff, 0xd8, 0xff, 0xe0])), 'jpeg');
  assert.equal(sniffKind(Buffer.from('<html><script>')), null);
  fc.assert(fc.property(fc.uint8Array({ maxLength: 16 }), (b) => void sniffKind(Buffer.from(b))));
});

test('reference numbers use no look-alike characters and read back however they are typed', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const r = newReference();
    assert.match(r, REFERENCE_PATTERN);
    assert.doesNotMatch(r.slice(3), /[IOQZ01]/);
    assert.equal(readReference(r.toLowerCase().replace('-', ' ')), r);
    seen.add(r);
  }
  assert.equal(seen.size, 2000);
  assert.equal(readReference('PJ-AAAA-AAA0'), null);
});

// Deadlines in working days are tested in src/modules/calendar/calendar.test.ts.

test('definition problems name the exact path and line', () => {
  const text = `{
  "service": "claim-sick-pay",
  "pages": [
    {
      "id": "one",
      "title": { "fa": "یک", "en": "One" },
      "fields": [
        { "name": "a", "type": "colour", "label": { "fa": "الف", "en": "A" } },
        { "name": "b", "type": "file", "label": { "fa": "ب", "en": "B" }, "accept": ["exe"], "maxBytes": 100 }
      ]
    },
    { "id": "two", "title": { "fa": "دو" }, "fields": [ { "name": "a", "type": "text", "label": { "fa": "ج", "en": "C" } } ], "showIf": { "field": "b", "equals": "x" } }
  ]
}`;
  const parsed = parseFormFile(text);
  assert.ok(parsed.ok);
  const problems = checkDefinition(parsed.ok && parsed.value).map((p) => ({ ...p, line: parsed.ok ? parsed.lineOf(p.path) : 0 }));
  const find = (path: string) => problems.find((p) => p.path === path);
  assert.equal(find('/pages/0/fields/0/type')?.line, 8);
  assert.equal(find('/pages/0/fields/1/accept')?.line, 9);
  assert.equal(find('/pages/1/title/en')?.line, 12);
  assert.match(find('/pages/1/fields/0/name')!.message, /used by another field/);
  assert.match(find('/pages/1/showIf/equals')!.message, /option values/);
  const broken = parseFormFile('{\n  "service": "x",\n  "pages": [\n}');
  assert.ok(!broken.ok && broken.problems[0].line === 4);
  // mutations of a valid definition are caught
  fc.assert(
    fc.property(fc.constantFrom(...demo), fc.constantFrom('type', 'label', 'name'), (d, key) => {
      const copy = structuredClone(d);
      delete (copy.pages[0].fields[0] as unknown as Record<string, unknown>)[key];
      assert.ok(checkDefinition(copy).some((p) => p.path.startsWith('/pages/0/fields/0')));
    }),
  );
  assert.equal(visiblePages(demo[0], {}).length <= demo[0].pages.length, true);
});

test('answers keep no invisible characters: ZWSP, word joiner, BOM, LRM/RLM and bidi controls go; ZWNJ (one) stays', () => {
  assert.deepEqual(validatePage(field('text'), { x: '\u200Bمریم\u2060 احمدی\uFEFF\u200F' }).values.x, 'مریم احمدی');
  assert.deepEqual(validatePage(field('textarea'), { x: 'درخواست\u200C\u200Cها\u202E\nخط دوم\u2066' }).values.x, 'درخواست\u200Cها\nخط دوم');
  fc.assert(
    fc.property(
      fc
        .array(
          fc.oneof(
            fc.constantFrom('\u200B', '\u2060', '\uFEFF', '\u200E', '\u200F', '\u202E', '\u2067', '\u00AD', '\u0085', '\u200C', 'ا', 'b'),
            fc.string({ unit: 'binary', maxLength: 3 }),
          ),
          { maxLength: 20 },
        )
        .map((a) => a.join('')),
      (s) => {
        const out = cleanText(s, true);
        assert.doesNotMatch(out, /[\u200B\u2060\uFEFF\u200E\u200F\u061C\u00AD\u202A-\u202E\u2066-\u2069\u0080-\u009F]/);
        assert.doesNotMatch(out, /\u200C\u200C/);
      },
    ),
  );
});
