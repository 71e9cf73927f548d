// A form's fee: how much an application costs, in whole rials, and when it is due. Declared in the form
// definition ("fee": {...}) as data, never code:
//   {"due": "submission" | "before-issue", "show": "rial" | "toman", "refundOnRejection": true,
//    "rule": {"kind": "fixed", "amount": 500000}
//          | {"kind": "per-item", "amount": 150000, "field": "copies"}            (a number field)
//          | {"kind": "bands", "field": "age", "bands": [{"max": 17, "amount": 300000}, {"amount": 600000}]}}
// Bands are tried in order; a band matches a number field by min/max (inclusive) or a choice field by
// "equals"; the last band has no condition (it is what everyone else pays). checkFee() says what is wrong
// by JSON path, computeFee() gives the amount for a set of answers, feeAmounts() every amount it can
// charge (the form checker compares them with the service card's fees).

export type FeeRule =
  | { kind: 'fixed'; amount: number }
  | { kind: 'per-item'; amount: number; field: string; maxItems?: number }
  | { kind: 'bands'; field: string; bands: FeeBand[] };
export interface FeeBand {
  min?: number;
  max?: number;
  equals?: string;
  amount: number;
}
export interface FeeDeclaration {
  due: 'submission' | 'before-issue';
  /** How pages show amounts: in rials (default) or tomans (1 toman = 10 rials). */
  show?: 'rial' | 'toman';
  /** Whether a rejected application's fee is refunded. Default false. */
  refundOnRejection?: boolean;
  rule: FeeRule;
}

/** The largest fee one application may carry (10^13 rials: well inside a JS safe integer and a bill's payment ID). */
export const MAX_FEE = 10_000_000_000_000;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isAmount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0 && (v as number) <= MAX_FEE;

interface FieldLike {
  name: string;
  type: string;
  options?: { value: string }[];
}

/** Problems in a fee declaration (path is a JSON pointer under `base`), given the form's fields by name. */
export function checkFee(fee: unknown, fields: Map<string, FieldLike>, base = '/fee'): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const bad = (path: string, message: string) => void out.push({ path: `${base}${path}`, message });
  if (!isObj(fee)) return [{ path: base, message: 'must be an object with "due" and "rule"' }];
  for (const k of Object.keys(fee))
    if (!['due', 'show', 'refundOnRejection', 'rule'].includes(k)) bad(`/${k}`, 'unknown key; allowed: due, show, refundOnRejection, rule');
  if (fee.due !== 'submission' && fee.due !== 'before-issue')
    bad(
      '/due',
      'must be "submission" (paid before the agency starts) or "before-issue" (paid after approval, before the result is issued)',
    );
  if (fee.show !== undefined && fee.show !== 'rial' && fee.show !== 'toman') bad('/show', 'must be "rial" or "toman"');
  if (fee.refundOnRejection !== undefined && typeof fee.refundOnRejection !== 'boolean') bad('/refundOnRejection', 'must be true or false');
  const r = fee.rule;
  if (!isObj(r)) return [...out, { path: `${base}/rule`, message: 'must be an object with "kind": fixed, per-item or bands' }];
  const amountProblem = (v: unknown, path: string) => {
    if (!isAmount(v)) bad(path, `must be a whole number of rials from 1 to ${MAX_FEE} (no decimals, no separators)`);
  };
  const field = (kinds: string[]) => {
    const f = typeof r.field === 'string' ? fields.get(r.field) : undefined;
    if (!f) bad('/rule/field', 'must name a field of this form');
    else if (!kinds.includes(f.type)) bad('/rule/field', `must be a ${kinds.join(' or ')} field; "${f.name}" is ${f.type}`);
    return f;
  };
  const allowed = (keys: string[]) => {
    for (const k of Object.keys(r))
      if (!keys.includes(k)) bad(`/rule/${k}`, `unknown key for a ${String(r.kind)} fee; allowed: ${keys.join(', ')}`);
  };
  if (r.kind === 'fixed') {
    allowed(['kind', 'amount']);
    amountProblem(r.amount, '/rule/amount');
  } else if (r.kind === 'per-item') {
    allowed(['kind', 'amount', 'field', 'maxItems']);
    amountProblem(r.amount, '/rule/amount');
    field(['number']);
    if (r.maxItems !== undefined && (!Number.isSafeInteger(r.maxItems) || (r.maxItems as number) < 1 || (r.maxItems as number) > 1000))
      bad('/rule/maxItems', 'must be a whole number from 1 to 1000');
    if (isAmount(r.amount) && (r.amount as number) * Number(r.maxItems ?? 1000) > MAX_FEE)
      bad('/rule/amount', 'times the most items is more than the largest fee');
  } else if (r.kind === 'bands') {
    allowed(['kind', 'field', 'bands']);
    const f = field(['number', 'select', 'radio']);
    if (!Array.isArray(r.bands) || r.bands.length < 1 || r.bands.length > 50) bad('/rule/bands', 'must be a list of 1 to 50 bands');
    else
      r.bands.forEach((b, i) => {
        const p = `/rule/bands/${i}`;
        if (!isObj(b)) return bad(p, 'must be an object with "amount" and a condition (min, max or equals)');
        for (const k of Object.keys(b))
          if (!['min', 'max', 'equals', 'amount'].includes(k)) bad(`${p}/${k}`, 'unknown key; allowed: min, max, equals, amount');
        amountProblem(b.amount, `${p}/amount`);
        const last = i === (r.bands as unknown[]).length - 1;
        const conditioned = b.min !== undefined || b.max !== undefined || b.equals !== undefined;
        if (last && conditioned)
          bad(p, 'the last band must have no condition: it is the fee for everyone the bands before it do not match');
        if (!last && !conditioned) bad(p, 'only the last band may have no condition');
        for (const k of ['min', 'max'] as const)
          if (b[k] !== undefined && (typeof b[k] !== 'number' || !Number.isFinite(b[k]))) bad(`${p}/${k}`, 'must be a number');
        if (typeof b.min === 'number' && typeof b.max === 'number' && b.min > b.max) bad(`${p}/min`, 'must not be more than max');
        if (f && b.equals !== undefined) {
          if (f.type === 'number') bad(`${p}/equals`, 'a number field is banded with min and max');
          else if (!f.options?.some((o) => o.value === b.equals)) bad(`${p}/equals`, `must be one of the option values of "${f.name}"`);
        }
        if (f && f.type !== 'number' && (b.min !== undefined || b.max !== undefined)) bad(p, 'a choice field is banded with "equals"');
      });
  } else bad('/rule/kind', 'must be fixed, per-item or bands');
  return out;
}

const numberOf = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
};

/**
 * The fee for these answers, in rials (0 when a per-item count is 0). Integer arithmetic only.
 * Throws when an answer the rule needs is missing or not a whole count (a submitted application has it).
 */
export function computeFee(fee: FeeDeclaration, answers: Record<string, unknown>): number {
  const r = fee.rule;
  if (r.kind === 'fixed') return r.amount;
  if (r.kind === 'per-item') {
    const n = numberOf(answers[r.field]);
    if (n === null || !Number.isSafeInteger(n) || n < 0) throw new RangeError(`fee: "${r.field}" must be a whole number of items`);
    return r.amount * Math.min(n, r.maxItems ?? 1000);
  }
  const v = answers[r.field];
  const n = numberOf(v);
  for (const b of r.bands) {
    if (b.equals !== undefined) {
      if (v === b.equals) return b.amount;
      continue;
    }
    if (b.min === undefined && b.max === undefined) return b.amount;
    if (n === null) continue;
    if ((b.min === undefined || n >= b.min) && (b.max === undefined || n <= b.max)) return b.amount;
  }
  return r.bands[r.bands.length - 1].amount;
}

/** Every amount (or, per item, the unit amount) the rule can charge. */
export function feeAmounts(fee: FeeDeclaration): number[] {
  const r = fee.rule;
  return r.kind === 'bands' ? [...new Set(r.bands.map((b) => b.amount))] : [r.amount];
}

/**
 * Whether the form's fee agrees with the service card: every amount the form can charge (the unit price
 * per item) must be one of the card's fee amounts, or (a fixed fee) the sum of all of them. A card
 * with no fee and a form with one disagree, and the other way round.
 */
export function feeAgreesWithCard(fee: FeeDeclaration | undefined, cardFees: { amount: number | null }[]): string | null {
  const card = cardFees.map((f) => f.amount).filter((a): a is number => typeof a === 'number' && a > 0);
  // A form without "fee" takes no payment online (the card's fee, if any, is paid some other way).
  if (!fee) return null;
  if (!card.length) return 'the form declares a fee but the service card has none; add the fee to the card first';
  const sum = card.reduce((s, a) => s + a, 0);
  const amounts = feeAmounts(fee);
  const wrong = amounts.filter((a) => !card.includes(a) && !(fee.rule.kind === 'fixed' && a === sum));
  return wrong.length
    ? `the form charges ${wrong.join(', ')} rials, which the service card does not declare (card: ${card.join(', ')}${card.length > 1 ? `; total ${sum}` : ''})`
    : null;
}

/** Rials as pages show them: grouped, Persian digits on Persian pages, in rials or tomans. */
export function formatMoney(rials: number | string, lang: 'fa' | 'en', show: 'rial' | 'toman' = 'rial'): string {
  const n = BigInt(rials);
  const toman = show === 'toman';
  const value = toman ? n / 10n : n;
  const frac =
    toman && n % 10n !== 0n
      ? `${lang === 'fa' ? '٫' : '.'}${new Intl.NumberFormat(lang === 'fa' ? 'fa-IR' : 'en-US').format(Number((n < 0n ? -n : n) % 10n))}`
      : '';
  const grouped = new Intl.NumberFormat(lang === 'fa' ? 'fa-IR' : 'en-US').format(value);
  return lang === 'fa' ? `${grouped}${frac} ${toman ? 'تومان' : 'ریال'}` : `${grouped}${frac} ${toman ? 'tomans' : 'rials'}`;
}
