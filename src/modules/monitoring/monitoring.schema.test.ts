import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { rollUp, scoreOf, valueProblem, type Indicator } from './monitoring.schema.ts';
import { CSV_COLUMNS, indicatorCsv, parseIndicatorCsv, parseIndicatorJson } from './monitoring.indicators.ts';
import { losiSet, MATURITY, PORTAL_CHECKLIST } from './monitoring.builtin.ts';

const meta = { key: 'test-set', name: { fa: 'آزمون', en: 'Test' }, scope: 'agency' as const, rollup: 'criteria' as const };
const head = CSV_COLUMNS.join(',');

test('the built-in sets are valid; LOSI has 95 indicators in 6 criteria with unique codes', () => {
  const losi = losiSet();
  assert.equal(losi.indicators.length, 95);
  assert.deepEqual(
    losi.criteria.map((c) => [c.code, losi.indicators.filter((i) => i.criterion === c.code).length]),
    [
      ['IF', 6],
      ['CP', 30],
      ['SP', 22],
      ['PE', 15],
      ['TE', 12],
      ['EL', 10],
    ],
  );
  assert.ok(
    losi.indicators.some((i) => i.code === 'IF-236') && losi.indicators.some((i) => i.code === 'PE-236'),
    'the repeated #236 becomes two codes',
  );
  for (const s of [MATURITY, losi, PORTAL_CHECKLIST]) {
    const again = parseIndicatorCsv(indicatorCsv(s), {
      key: s.key,
      name: s.name as { fa: string; en: string },
      scope: s.scope,
      rollup: s.rollup,
    });
    assert.ok(again.ok, JSON.stringify(!again.ok && again.problems));
    assert.deepEqual(again.set.indicators, s.indicators, 'CSV export and import round-trip');
    const json = parseIndicatorJson(JSON.stringify(s));
    assert.ok(json.ok);
  }
});

test('LOSI score is met / assessed; not assessed leaves the denominator (Tehran 2020: 12/80 = 0.15)', () => {
  const losi = losiSet();
  const values = new Map<string, { value: number | null; state: string }>();
  losi.indicators.slice(0, 80).forEach((i, n) => values.set(i.code, { value: n < 12 ? 1 : 0, state: 'answered' }));
  const s = rollUp(losi, values);
  assert.equal(s.assessed, 80);
  assert.equal(s.total, 0.15);
});

test('criteria roll-up: weighted, and "no data yet" indicators are excluded from the denominator', () => {
  const values = new Map<string, { value: number | null; state: string }>([
    ['AV-1', { value: 50, state: 'answered' }],
    ['AV-2', { value: 0, state: 'answered' }],
    ['IN-1', { value: 1, state: 'answered' }],
    ['IN-2', { value: null, state: 'no-data' }],
    ['US-1', { value: null, state: 'no-data' }],
  ]);
  const s = rollUp(MATURITY, values);
  assert.equal(s.criteria.availability.score, 0.25);
  assert.equal(s.criteria.integration.score, 1);
  assert.equal(s.criteria.usage.score, null);
  assert.equal(s.noData, 2);
  assert.equal(s.total, (0.25 + 1) / 2, 'criteria with nothing assessed drop out');
});

test('scoring rules per type; every valid value scores within 0..1', () => {
  const ind = (type: Indicator['type'], rule: Indicator['rule']): Indicator => ({
    code: 'X',
    criterion: 'c',
    description: { en: 'x' },
    type,
    weight: 1,
    answeredBy: 'assessor',
    rule,
  });
  assert.equal(scoreOf(ind('scale', { min: 1, max: 5 }), 4), 0.75);
  assert.equal(scoreOf(ind('number', { target: 1000, better: 'lower' }), 2000), 0.5);
  assert.equal(scoreOf(ind('number', { target: 0, better: 'lower' }), 3), 0.25);
  assert.equal(scoreOf(ind('percentage', {}), 40), 0.4);
  assert.match(valueProblem(ind('scale', { min: 1, max: 5 }), 6), /from 1 to 5/);
  assert.match(valueProblem(ind('percentage', {}), 101), /0 to 100/);
  assert.match(valueProblem(ind('yesno', {}), 2), /yes or no/);
  fc.assert(
    fc.property(
      fc.constantFrom<Indicator['type']>('yesno', 'scale', 'number', 'percentage'),
      fc.double({ min: -10, max: 5000, noNaN: true }),
      (type, v) => {
        const i = ind(
          type,
          type === 'scale' ? { min: 1, max: 5 } : type === 'number' ? { target: 30, better: v > 100 ? 'lower' : 'higher' } : {},
        );
        if (valueProblem(i, v)) return true;
        const s = scoreOf(i, v);
        return s >= 0 && s <= 1;
      },
    ),
  );
});

test('CSV import refuses wrong columns, out-of-range values and duplicate codes with the line and reason', () => {
  const wrong = parseIndicatorCsv('code,criterion,description\nA,b,c\n', meta);
  assert.ok(!wrong.ok);
  assert.equal(wrong.problems[0].line, 1);
  assert.match(wrong.problems[0].reason, /missing column\(s\): criterion_fa/);
  const row = (code: string, type: string, weight: string, rule = '') =>
    `${code},avail,دسترس,Availability,1,توضیح,Description,${type},${weight},assessor,,,${rule}`;
  const bad = parseIndicatorCsv(
    [
      head,
      row('A-1', 'yesno', '1'),
      row('A-1', 'yesno', '1'),
      row('A-2', 'scale', '1', 'min=5;max=1'),
      row('A-3', 'grade', '1'),
      row('A-4', 'number', '-3', 'target=3'),
      row('A 5', 'yesno', '1'),
    ].join('\n'),
    meta,
  );
  assert.ok(!bad.ok);
  assert.deepEqual(
    bad.problems.map((p) => p.line),
    [3, 4, 5, 6, 7],
  );
  assert.match(bad.problems[0].reason, /duplicate code "A-1" \(first on line 2\)/);
  assert.match(bad.problems[1].reason, /min \(5\) must be below its max \(1\)/);
  assert.match(bad.problems[2].reason, /type "grade" must be one of/);
  assert.match(bad.problems[3].reason, /weight must be a number from 0 to 100/);
  assert.match(bad.problems[4].reason, /code "A 5"/);
  const ok = parseIndicatorCsv([head, row('A-1', 'yesno', '2'), row('A-2', 'percentage', '1', 'target=80')].join('\n'), meta);
  assert.ok(ok.ok);
  assert.equal(ok.set.indicators[1].rule.target, 80);
  const json = parseIndicatorJson(
    JSON.stringify({
      ...meta,
      criteria: [{ code: 'c', name: { fa: 'م', en: 'c' }, weight: 1 }],
      indicators: [{ code: 'X', criterion: 'c', description: { en: 'x' }, type: 'yesno', weight: 1, answeredBy: 'auto', colour: 'red' }],
    }),
  );
  assert.ok(!json.ok);
  assert.match(json.problems.map((p) => p.reason).join(' '), /unknown field\(s\): colour.*an automatic indicator needs a metric/);
});
