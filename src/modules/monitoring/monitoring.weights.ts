// Changing an indicator set's weights from the browser: the form's raw text per field is checked
// (non-negative numbers, at most 100 for an indicator and 1000 for a criterion, at least one
// positive), and the result is the set with new weights, saved by the service as a NEW version.
import { toAsciiDigits } from '../../platform/persian.ts';
import type { FieldError } from '../../web/components.tsx';
import type { IndicatorSetInput } from './monitoring.schema.ts';

export const indicatorField = (code: string) => `w-${code}`;
export const criterionField = (code: string) => `cw-${code}`;

/** The form's text as a number: Persian or Arabic digits, the Persian decimal sign, spaces around. */
export function parseWeight(raw: string): number | null {
  const s = toAsciiDigits(raw ?? '')
    .trim()
    .replace(/[٫,]/g, '.');
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(s)) return null;
  return Number(s);
}

export interface WeightChange {
  set: IndicatorSetInput;
  changed: { code: string; kind: 'criterion' | 'indicator'; from: number; to: number }[];
}

/** Checks every field and applies them; the errors name the field and say what to write. */
export function applyWeights(
  set: IndicatorSetInput,
  form: Record<string, string>,
  lang: 'fa' | 'en',
): { ok: true; change: WeightChange } | { ok: false; errors: FieldError[] } {
  const say = (fa: string, en: string) => (lang === 'fa' ? fa : en);
  const errors: FieldError[] = [];
  const read = (field: string, label: string, max: number, current: number): number => {
    const raw = form[field];
    if (raw === undefined || raw.trim() === '') {
      errors.push({ field, message: say(`وزن ${label} را بنویسید (اکنون ${current})`, `Enter a weight for ${label} (now ${current})`) });
      return current;
    }
    const v = parseWeight(raw);
    if (v === null) {
      const negative = /^\s*[-−]/.test(toAsciiDigits(raw));
      errors.push({
        field,
        message: negative
          ? say(`وزن ${label} نمی‌تواند منفی باشد`, `The weight of ${label} cannot be negative`)
          : say(`وزن ${label} باید عدد باشد، مانند ۱ یا ۰٫۵`, `The weight of ${label} must be a number, like 1 or 0.5`),
      });
      return current;
    }
    if (v > max)
      errors.push({ field, message: say(`وزن ${label} باید ${max} یا کمتر باشد`, `The weight of ${label} must be ${max} or less`) });
    return v;
  };
  const changed: WeightChange['changed'] = [];
  const criteria = set.criteria.map((c) => {
    if (set.rollup !== 'criteria') return c;
    const w = read(
      criterionField(c.code),
      lang === 'fa' ? `معیار «${c.name.fa || c.name.en}»` : `criterion "${c.name.en || c.name.fa}"`,
      1000,
      c.weight,
    );
    if (w !== c.weight) changed.push({ code: c.code, kind: 'criterion', from: c.weight, to: w });
    return { ...c, weight: w };
  });
  const indicators = set.indicators.map((i) => {
    const w = read(indicatorField(i.code), i.code, 100, i.weight);
    if (w !== i.weight) changed.push({ code: i.code, kind: 'indicator', from: i.weight, to: w });
    return { ...i, weight: w };
  });
  if (!errors.length && !indicators.some((i) => i.weight > 0))
    errors.push({
      field: indicatorField(set.indicators[0].code),
      message: say('دست‌کم یک شاخص باید وزنی بیشتر از صفر داشته باشد', 'At least one indicator needs a weight above 0'),
    });
  if (!errors.length && set.rollup === 'criteria' && !criteria.some((c) => c.weight > 0))
    errors.push({
      field: criterionField(set.criteria[0].code),
      message: say('دست‌کم یک معیار باید وزنی بیشتر از صفر داشته باشد', 'At least one criterion needs a weight above 0'),
    });
  if (!errors.length && set.rollup === 'criteria')
    for (const c of criteria)
      if (c.weight > 0 && !indicators.some((i) => i.criterion === c.code && i.weight > 0))
        errors.push({
          field: criterionField(c.code),
          message: say(
            `معیار «${c.name.fa || c.name.en}» وزن دارد ولی همه شاخص‌هایش وزن صفر دارند؛ وزن معیار را صفر کنید یا به یکی از شاخص‌هایش وزن بدهید`,
            `Criterion "${c.name.en || c.name.fa}" has a weight but all its indicators weigh 0: set the criterion to 0 or give one of its indicators a weight`,
          ),
        });
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    change: { set: { key: set.key, name: set.name, scope: set.scope, rollup: set.rollup, criteria, indicators }, changed },
  };
}
