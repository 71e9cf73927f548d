// Indicator sets: the shape of an indicator, its scoring rule, validation of a whole set (codes,
// types, weights, rules) and of one answer, and the roll-up indicator -> criterion -> total.
import type { LocalText } from '../../db/schema.ts';

export const INDICATOR_TYPES = ['yesno', 'scale', 'number', 'percentage'] as const;
export type IndicatorType = (typeof INDICATOR_TYPES)[number];
export const ANSWERED_BY = ['assessor', 'auto'] as const;
/** The automated portal checks an indicator can be pre-answered from. */
export const PORTAL_CHECKS = [
  'https',
  'certificate-valid',
  'certificate-days-left',
  'response-ms',
  'page-kb',
  'lang-dir',
  'viewport',
  'axe-violations',
  'search',
  'contact',
  'privacy',
  'services-list',
] as const;
export type PortalCheckKey = (typeof PORTAL_CHECKS)[number];

export interface Rule {
  /** scale: the lowest and highest answer; number: the accepted range. */
  min?: number;
  max?: number;
  /** number and percentage: the value that scores 1. */
  target?: number;
  /** number: whether more is better (default) or less. */
  better?: 'higher' | 'lower';
}

export interface Indicator {
  code: string;
  criterion: string;
  description: LocalText;
  type: IndicatorType;
  weight: number;
  answeredBy: 'assessor' | 'auto';
  /** For automatic indicators: the metric (a MetricSource key) that computes the value. */
  metric?: string;
  /** For assessor indicators: an automated portal check that can propose the answer. */
  check?: PortalCheckKey;
  rule: Rule;
}

export interface Criterion {
  code: string;
  name: LocalText;
  weight: number;
}

export interface IndicatorSetInput {
  key: string;
  name: LocalText;
  scope: 'agency' | 'portal';
  /** criteria: weighted mean of criterion scores; pooled: all indicators together (met / assessed, as the UN LOSI). */
  rollup: 'criteria' | 'pooled';
  criteria: Criterion[];
  indicators: Indicator[];
}

export interface Problem {
  line: number;
  reason: string;
}

const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

/** Everything wrong with a rule for its type ('' when fine). */
export function ruleProblem(type: IndicatorType, r: Rule): string {
  const finite = (v: number | undefined) => v === undefined || Number.isFinite(v);
  if (!finite(r.min) || !finite(r.max) || !finite(r.target)) return 'rule values must be numbers';
  if (type === 'scale') {
    if (r.min === undefined || r.max === undefined) return 'a scale needs min and max, like "min=1;max=5"';
    if (r.min >= r.max) return `a scale's min (${r.min}) must be below its max (${r.max})`;
  }
  if (type === 'number' && (r.target === undefined || r.target < 0))
    return 'a number needs a target of 0 or more, like "target=10;better=lower"';
  if (type === 'percentage' && r.target !== undefined && (r.target <= 0 || r.target > 100))
    return 'a percentage target must be above 0 and at most 100';
  if (r.better !== undefined && !['higher', 'lower'].includes(r.better)) return 'better must be higher or lower';
  return '';
}

/** Parses "min=1;max=5;better=lower" (the CSV form of a rule). */
export function parseRule(text: string): Rule | string {
  const out: Rule = {};
  for (const part of text
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(min|max|target|better)\s*=\s*(.+)$/.exec(part);
    if (!m) return `rule part "${part}" is not one of min=, max=, target=, better=`;
    if (m[1] === 'better') {
      if (m[2] !== 'higher' && m[2] !== 'lower') return 'better must be higher or lower';
      out.better = m[2];
    } else {
      const n = Number(m[2]);
      if (!Number.isFinite(n)) return `${m[1]} must be a number, got "${m[2]}"`;
      out[m[1] as 'min' | 'max' | 'target'] = n;
    }
  }
  return out;
}

export const ruleText = (r: Rule) =>
  (['min', 'max', 'target', 'better'] as const)
    .filter((k) => r[k] !== undefined)
    .map((k) => `${k}=${r[k]}`)
    .join(';');

/** Checks a whole set; problems carry the line (CSV line, or 1-based position in JSON) of the indicator. */
export function setProblems(set: IndicatorSetInput, lineOf: (i: number) => number = (i) => i + 1): Problem[] {
  const out: Problem[] = [];
  if (!/^[a-z0-9][a-z0-9-]{0,59}$/.test(set.key ?? ''))
    out.push({ line: 0, reason: 'the set key must be lower-case letters, digits and dashes, like "national-maturity"' });
  if (!set.name?.fa?.trim() || !set.name?.en?.trim()) out.push({ line: 0, reason: 'the set needs a name in Persian and English' });
  if (!['agency', 'portal'].includes(set.scope)) out.push({ line: 0, reason: 'scope must be agency or portal' });
  if (!['criteria', 'pooled'].includes(set.rollup)) out.push({ line: 0, reason: 'rollup must be criteria or pooled' });
  const criteria = new Set<string>();
  for (const c of set.criteria ?? []) {
    if (!CODE.test(c.code ?? '')) out.push({ line: 0, reason: `criterion code "${c.code}" must be letters, digits, dots or dashes` });
    if (criteria.has(c.code)) out.push({ line: 0, reason: `criterion "${c.code}" is listed twice` });
    if (!(c.weight >= 0 && c.weight <= 1000)) out.push({ line: 0, reason: `criterion "${c.code}" weight must be a number from 0 to 1000` });
    criteria.add(c.code);
  }
  const seen = new Map<string, number>();
  (set.indicators ?? []).forEach((ind, i) => {
    const line = lineOf(i);
    const p: string[] = [];
    if (!CODE.test(ind.code ?? '')) p.push(`code "${ind.code ?? ''}" must be 1-40 letters, digits, dots, dashes or underscores`);
    else if (seen.has(ind.code)) p.push(`duplicate code "${ind.code}" (first on line ${seen.get(ind.code)})`);
    else seen.set(ind.code, line);
    if (!criteria.has(ind.criterion))
      p.push(`criterion "${ind.criterion ?? ''}" is not one of the set's criteria (${[...criteria].join(', ')})`);
    if (!ind.description?.fa?.trim() && !ind.description?.en?.trim()) p.push('a description in Persian or English is needed');
    if (!INDICATOR_TYPES.includes(ind.type)) p.push(`type "${ind.type ?? ''}" must be one of ${INDICATOR_TYPES.join(', ')}`);
    else {
      const rp = ruleProblem(ind.type, ind.rule ?? {});
      if (rp) p.push(rp);
    }
    if (!(typeof ind.weight === 'number' && ind.weight >= 0 && ind.weight <= 100))
      p.push(`weight must be a number from 0 to 100, got "${ind.weight}"`);
    if (!ANSWERED_BY.includes(ind.answeredBy)) p.push(`answered_by must be assessor or auto, got "${ind.answeredBy ?? ''}"`);
    if (ind.answeredBy === 'auto' && !ind.metric) p.push('an automatic indicator needs a metric');
    if (ind.check && !PORTAL_CHECKS.includes(ind.check)) p.push(`check "${ind.check}" must be one of ${PORTAL_CHECKS.join(', ')}`);
    if (p.length) out.push({ line, reason: p.join('; ') });
  });
  if (!set.indicators?.length) out.push({ line: 0, reason: 'the set has no indicators' });
  else if (!set.indicators.some((i) => i.weight > 0)) out.push({ line: 0, reason: 'at least one indicator needs a weight above 0' });
  if (set.rollup === 'criteria' && set.criteria?.length && !set.criteria.some((c) => c.weight > 0))
    out.push({ line: 0, reason: 'at least one criterion needs a weight above 0' });
  return out;
}

/** A scale's bounds. ruleProblem refuses a scale without them, so a missing one means a broken stored set. */
function scaleOf(ind: Indicator): { min: number; max: number } {
  const { min, max } = ind.rule;
  if (min === undefined || max === undefined) throw new Error(`Scale indicator ${ind.code} has no min and max in its rule.`);
  return { min, max };
}

/** A number's target. ruleProblem refuses a number without one, so a missing one means a broken stored set. */
function targetOf(ind: Indicator): number {
  if (ind.rule.target === undefined) throw new Error(`Number indicator ${ind.code} has no target in its rule.`);
  return ind.rule.target;
}

/** Checks one answer against its indicator; returns the reason it is refused, or ''. */
export function valueProblem(ind: Indicator, v: number, lang: 'fa' | 'en' = 'en'): string {
  const say = (fa: string, en: string) => (lang === 'fa' ? fa : en);
  if (!Number.isFinite(v)) return say('یک عدد بنویسید.', 'Enter a number.');
  switch (ind.type) {
    case 'yesno':
      return v === 0 || v === 1 ? '' : say('بله یا خیر را انتخاب کنید.', 'Choose yes or no.');
    case 'scale': {
      const { min, max } = scaleOf(ind);
      return v >= min && v <= max && Number.isInteger(v)
        ? ''
        : say(`عددی درست از ${min} تا ${max} بنویسید.`, `Enter a whole number from ${min} to ${max}.`);
    }
    case 'percentage':
      return v >= 0 && v <= 100 ? '' : say('درصدی از ۰ تا ۱۰۰ بنویسید.', 'Enter a percentage from 0 to 100.');
    case 'number':
      if (v < (ind.rule.min ?? 0))
        return say(`عددی از ${ind.rule.min ?? 0} به بالا بنویسید.`, `Enter a number of ${ind.rule.min ?? 0} or more.`);
      if (ind.rule.max !== undefined && v > ind.rule.max)
        return say(`عددی تا ${ind.rule.max} بنویسید.`, `Enter a number no more than ${ind.rule.max}.`);
      return '';
  }
}

/** The indicator's score from 0 to 1 for a valid value. */
export function scoreOf(ind: Indicator, v: number): number {
  const clamp = (x: number) => Math.max(0, Math.min(1, x));
  switch (ind.type) {
    case 'yesno':
      return v ? 1 : 0;
    case 'scale': {
      const { min, max } = scaleOf(ind);
      return clamp((v - min) / (max - min));
    }
    case 'percentage':
      return clamp(v / (ind.rule.target ?? 100));
    case 'number': {
      const t = targetOf(ind);
      if (ind.rule.better === 'lower') return v <= t ? 1 : t > 0 ? clamp(t / v) : clamp(1 / (1 + v - t));
      return t === 0 ? 1 : clamp(v / t);
    }
  }
}

export interface Scores {
  /** null when nothing in the set was assessed. */
  total: number | null;
  criteria: Record<string, { score: number | null; assessed: number; noData: number; of: number }>;
  assessed: number;
  noData: number;
  of: number;
}

/**
 * Rolls answers up: an indicator without a value (not assessed, or no data yet) leaves the
 * denominator. Criterion score = weighted mean of its assessed indicators. Total: the weighted mean
 * of criterion scores (criteria with nothing assessed drop out), or for a pooled set the weighted
 * mean of every assessed indicator (met / assessed).
 */
export function rollUp(set: IndicatorSetInput, values: Map<string, { value: number | null; state: string }>): Scores {
  const criteria: Scores['criteria'] = {};
  let pooledSum = 0;
  let pooledW = 0;
  let assessed = 0;
  let noData = 0;
  for (const c of set.criteria) {
    let sum = 0;
    let w = 0;
    const inds = set.indicators.filter((i) => i.criterion === c.code);
    let a = 0;
    let nd = 0;
    for (const ind of inds) {
      const ans = values.get(ind.code);
      if (ans?.state === 'no-data') nd++;
      if (!ans || ans.state !== 'answered' || ans.value === null) continue;
      const s = scoreOf(ind, ans.value);
      sum += s * ind.weight;
      w += ind.weight;
      a++;
    }
    criteria[c.code] = { score: w ? sum / w : null, assessed: a, noData: nd, of: inds.length };
    pooledSum += sum;
    pooledW += w;
    assessed += a;
    noData += nd;
  }
  let total: number | null;
  if (set.rollup === 'pooled') total = pooledW ? pooledSum / pooledW : null;
  else {
    let s = 0;
    let w = 0;
    for (const c of set.criteria) {
      const cs = criteria[c.code].score;
      if (cs === null || !c.weight) continue;
      s += cs * c.weight;
      w += c.weight;
    }
    total = w ? s / w : null;
  }
  return { total, criteria, assessed, noData, of: set.indicators.length };
}
