// Fee declarations: the checker's messages by JSON path, the computation (fixed, per item, bands) in
// whole rials, agreement with the service card, and money on pages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkFee, computeFee, feeAgreesWithCard, formatMoney, MAX_FEE, type FeeDeclaration } from './fees.ts';
import { checkDefinition } from '../applications/forms.ts';

const fields = new Map([
  ['copies', { name: 'copies', type: 'number' }],
  ['age', { name: 'age', type: 'number' }],
  ['reason', { name: 'reason', type: 'radio', options: [{ value: 'lost' }, { value: 'damaged' }] }],
  ['fullName', { name: 'fullName', type: 'text' }],
]);
const paths = (fee: unknown) => checkFee(fee, fields).map((p) => p.path);

test('a good fee passes; every mistake is named by its path', () => {
  assert.deepEqual(checkFee({ due: 'submission', rule: { kind: 'fixed', amount: 500000 } }, fields), []);
  assert.deepEqual(
    checkFee({ due: 'before-issue', show: 'toman', rule: { kind: 'per-item', amount: 150000, field: 'copies', maxItems: 10 } }, fields),
    [],
  );
  assert.deepEqual(
    checkFee(
      {
        due: 'submission',
        rule: {
          kind: 'bands',
          field: 'age',
          bands: [{ max: 17, amount: 300000 }, { min: 18, max: 64, amount: 600000 }, { amount: 200000 }],
        },
      },
      fields,
    ),
    [],
  );
  assert.deepEqual(paths({ due: 'later', rule: { kind: 'fixed', amount: 5 } }), ['/fee/due']);
  assert.deepEqual(paths({ due: 'submission', rule: { kind: 'fixed', amount: 1.5 } }), ['/fee/rule/amount']);
  assert.deepEqual(paths({ due: 'submission', rule: { kind: 'fixed', amount: -1 } }), ['/fee/rule/amount']);
  assert.deepEqual(paths({ due: 'submission', rule: { kind: 'fixed', amount: '500000' } }), ['/fee/rule/amount']);
  assert.deepEqual(paths({ due: 'submission', rule: { kind: 'per-item', amount: 1000, field: 'fullName' } }), ['/fee/rule/field']);
  assert.deepEqual(paths({ due: 'submission', rule: { kind: 'per-item', amount: 1000, field: 'nope' } }), ['/fee/rule/field']);
  assert.deepEqual(paths({ due: 'submission', rule: { kind: 'bands', field: 'age', bands: [{ amount: 1000 }, { max: 3, amount: 5 }] } }), [
    '/fee/rule/bands/0',
    '/fee/rule/bands/1',
  ]);
  assert.deepEqual(
    paths({ due: 'submission', rule: { kind: 'bands', field: 'reason', bands: [{ equals: 'stolen', amount: 1000 }, { amount: 5 }] } }),
    ['/fee/rule/bands/0/equals'],
  );
  assert.deepEqual(paths({ due: 'submission', rule: { kind: 'script', code: 'x' } }), ['/fee/rule/kind']);
  assert.deepEqual(paths({ due: 'submission', rule: { kind: 'fixed', amount: 5 }, extra: 1 }), ['/fee/extra']);
});

test("the form checker checks the fee against the form's own fields", () => {
  const def = {
    service: 'x',
    pages: [{ id: 'a', title: { fa: 'الف', en: 'A' }, fields: [{ name: 'copies', type: 'number', label: { fa: 'تعداد', en: 'Copies' } }] }],
  };
  assert.deepEqual(checkDefinition({ ...def, fee: { due: 'submission', rule: { kind: 'per-item', amount: 1000, field: 'copies' } } }), []);
  assert.deepEqual(
    checkDefinition({ ...def, fee: { due: 'submission', rule: { kind: 'per-item', amount: 1000, field: 'pages' } } }).map((p) => p.path),
    ['/fee/rule/field'],
  );
});

test('computing: fixed, per item (capped), bands by number and by choice; the last band catches the rest', () => {
  const per: FeeDeclaration = { due: 'submission', rule: { kind: 'per-item', amount: 150000, field: 'copies', maxItems: 5 } };
  assert.equal(computeFee({ due: 'submission', rule: { kind: 'fixed', amount: 500000 } }, {}), 500000);
  assert.equal(computeFee(per, { copies: 3 }), 450000);
  assert.equal(computeFee(per, { copies: '2' }), 300000);
  assert.equal(computeFee(per, { copies: 50 }), 750000);
  assert.throws(() => computeFee(per, { copies: 1.5 }), RangeError);
  assert.throws(() => computeFee(per, {}), RangeError);
  const age: FeeDeclaration = {
    due: 'submission',
    rule: { kind: 'bands', field: 'age', bands: [{ max: 17, amount: 300000 }, { min: 18, max: 64, amount: 600000 }, { amount: 200000 }] },
  };
  assert.equal(computeFee(age, { age: 10 }), 300000);
  assert.equal(computeFee(age, { age: 17 }), 300000);
  assert.equal(computeFee(age, { age: 18 }), 600000);
  assert.equal(computeFee(age, { age: 80 }), 200000);
  const reason: FeeDeclaration = {
    due: 'submission',
    rule: { kind: 'bands', field: 'reason', bands: [{ equals: 'lost', amount: 2500000 }, { amount: 1000000 }] },
  };
  assert.equal(computeFee(reason, { reason: 'lost' }), 2500000);
  assert.equal(computeFee(reason, { reason: 'damaged' }), 1000000);
});

test('property: any fee that passes the checker computes a whole number of rials within limits, for any answers', () => {
  const amount = fc.integer({ min: 1, max: 100_000_000 });
  const rule = fc.oneof(
    amount.map((a) => ({ kind: 'fixed' as const, amount: a })),
    fc
      .tuple(amount, fc.integer({ min: 1, max: 1000 }))
      .map(([a, m]) => ({ kind: 'per-item' as const, amount: a, field: 'copies', maxItems: m })),
    fc.tuple(fc.array(fc.tuple(fc.integer({ min: -100, max: 100 }), fc.nat(50), amount), { maxLength: 5 }), amount).map(([bs, last]) => ({
      kind: 'bands' as const,
      field: 'age',
      bands: [...bs.map(([min, w, a]) => ({ min, max: min + w, amount: a })), { amount: last }],
    })),
  );
  fc.assert(
    fc.property(rule, fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.double(), fc.string()), (r, answer) => {
      const fee = { due: 'submission' as const, rule: r };
      assert.deepEqual(checkFee(fee, fields), []);
      let out: number;
      try {
        out = computeFee(fee, { copies: answer, age: answer });
      } catch (e) {
        assert.ok(e instanceof RangeError && r.kind === 'per-item');
        return;
      }
      assert.ok(Number.isSafeInteger(out) && out >= 0 && out <= MAX_FEE);
    }),
  );
});

test('the card and the form must agree: a form fee the card does not declare is refused', () => {
  const card = [{ amount: 6000000 }, { amount: 1200000 }, { amount: 600000 }];
  assert.equal(feeAgreesWithCard({ due: 'submission', rule: { kind: 'fixed', amount: 7800000 } }, card), null);
  assert.equal(feeAgreesWithCard({ due: 'submission', rule: { kind: 'fixed', amount: 6000000 } }, card), null);
  assert.match(
    feeAgreesWithCard({ due: 'submission', rule: { kind: 'fixed', amount: 5000000 } }, card)!,
    /5000000 rials, which the service card does not declare/,
  );
  assert.match(feeAgreesWithCard({ due: 'submission', rule: { kind: 'fixed', amount: 5000 } }, [])!, /service card has none/);
  assert.equal(feeAgreesWithCard(undefined, card), null);
});

test('money on pages: Persian digits and grouping, rials or tomans', () => {
  assert.equal(formatMoney(500000, 'fa'), '۵۰۰٬۰۰۰ ریال');
  assert.equal(formatMoney(500000, 'en'), '500,000 rials');
  assert.equal(formatMoney('18300000', 'fa', 'toman'), '۱٬۸۳۰٬۰۰۰ تومان');
  assert.equal(formatMoney(15, 'en', 'toman'), '1.5 tomans');
});
