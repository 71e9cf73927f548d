// Indicator sets as files (CSV and JSON), both ways, refusing wrong columns, out-of-range values and
// duplicate codes with the line and the reason.
import { parse } from 'csv-parse/sync';
import { toSafeCsv as stringify, unescapeCell } from '../../platform/csv.ts';
import {
  INDICATOR_TYPES,
  parseRule,
  ruleText,
  setProblems,
  type Criterion,
  type Indicator,
  type IndicatorSetInput,
  type PortalCheckKey,
  type Problem,
} from './monitoring.schema.ts';

export const CSV_COLUMNS = [
  'code',
  'criterion',
  'criterion_fa',
  'criterion_en',
  'criterion_weight',
  'description_fa',
  'description_en',
  'type',
  'weight',
  'answered_by',
  'metric',
  'check',
  'rule',
] as const;

export type ParsedSet = { ok: true; set: IndicatorSetInput } | { ok: false; problems: Problem[] };

/** Set-level fields a CSV cannot carry (they come from the command line or the form). */
export interface SetMeta {
  key: string;
  name: { fa: string; en: string };
  scope: 'agency' | 'portal';
  rollup: 'criteria' | 'pooled';
}

export function parseIndicatorCsv(text: string, meta: SetMeta): ParsedSet {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text.replace(/^\uFEFF/, ''), {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
      trim: true,
    }) as never;
  } catch (e) {
    const err = e as { lines?: number; message: string };
    return { ok: false, problems: [{ line: err.lines ?? 0, reason: `not readable as CSV: ${err.message}` }] };
  }
  if (!rows.length) return { ok: false, problems: [{ line: 1, reason: 'the file is empty' }] };
  const head = rows[0].record.map((h) => h.toLowerCase());
  const missing = CSV_COLUMNS.filter((c) => !head.includes(c));
  const extra = head.filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h));
  if (missing.length || extra.length) {
    const why = [
      missing.length ? `missing column(s): ${missing.join(', ')}` : '',
      extra.length ? `unknown column(s): ${extra.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    return { ok: false, problems: [{ line: 1, reason: `${why}. The columns are: ${CSV_COLUMNS.join(',')}` }] };
  }
  const problems: Problem[] = [];
  const criteria = new Map<string, Criterion & { line: number }>();
  const indicators: Indicator[] = [];
  const lines: number[] = [];
  for (const { record, info } of rows.slice(1)) {
    const line = info.lines;
    if (record.length !== head.length) {
      problems.push({ line, reason: `has ${record.length} fields, the header has ${head.length}` });
      continue;
    }
    const r = Object.fromEntries(head.map((h, i) => [h, unescapeCell(record[i] ?? '')])) as Record<(typeof CSV_COLUMNS)[number], string>;
    const cw = r.criterion_weight === '' ? 1 : Number(r.criterion_weight);
    const prev = criteria.get(r.criterion);
    if (!prev)
      criteria.set(r.criterion, {
        code: r.criterion,
        name: { fa: r.criterion_fa || r.criterion, en: r.criterion_en || r.criterion },
        weight: cw,
        line,
      });
    else if (
      prev.weight !== cw ||
      (r.criterion_fa && r.criterion_fa !== prev.name.fa) ||
      (r.criterion_en && r.criterion_en !== prev.name.en)
    ) {
      problems.push({ line, reason: `criterion "${r.criterion}" has a different name or weight than on line ${prev.line}` });
      continue;
    }
    if (!Number.isFinite(cw) || cw < 0 || cw > 1000) {
      problems.push({ line, reason: `criterion_weight must be a number from 0 to 1000, got "${r.criterion_weight}"` });
      continue;
    }
    const rule = parseRule(r.rule);
    if (typeof rule === 'string') {
      problems.push({ line, reason: rule });
      continue;
    }
    const weight = r.weight === '' ? NaN : Number(r.weight);
    indicators.push({
      code: r.code,
      criterion: r.criterion,
      description: { ...(r.description_fa ? { fa: r.description_fa } : {}), ...(r.description_en ? { en: r.description_en } : {}) },
      type: r.type as Indicator['type'],
      weight,
      answeredBy: r.answered_by as Indicator['answeredBy'],
      ...(r.metric ? { metric: r.metric } : {}),
      ...(r.check ? { check: r.check as PortalCheckKey } : {}),
      rule,
    });
    lines.push(line);
  }
  const set: IndicatorSetInput = { ...meta, criteria: [...criteria.values()].map(({ line: _l, ...c }) => c), indicators };
  problems.push(...setProblems(set, (i) => lines[i]));
  problems.sort((a, b) => a.line - b.line);
  return problems.length ? { ok: false, problems } : { ok: true, set };
}

/** A JSON set: { key, name, scope, rollup, criteria, indicators }. Lines are positions in "indicators". */
export function parseIndicatorJson(text: string): ParsedSet {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [{ line: 0, reason: `not valid JSON: ${(e as Error).message}` }] };
  }
  if (
    !raw ||
    typeof raw !== 'object' ||
    !Array.isArray((raw as IndicatorSetInput).indicators) ||
    !Array.isArray((raw as IndicatorSetInput).criteria)
  ) {
    return {
      ok: false,
      problems: [{ line: 0, reason: 'expected an object with key, name, scope, rollup, criteria [] and indicators []' }],
    };
  }
  const s = raw as IndicatorSetInput;
  const known = new Set(['code', 'criterion', 'description', 'type', 'weight', 'answeredBy', 'metric', 'check', 'rule']);
  const problems: Problem[] = [];
  s.indicators.forEach((ind, i) => {
    const unknown = Object.keys(ind ?? {}).filter((k) => !known.has(k));
    if (unknown.length) problems.push({ line: i + 1, reason: `unknown field(s): ${unknown.join(', ')}` });
    if (ind && typeof ind.weight === 'string') ind.weight = Number(ind.weight);
    if (ind && ind.rule === undefined) ind.rule = {};
  });
  const set: IndicatorSetInput = {
    key: s.key,
    name: s.name,
    scope: s.scope,
    rollup: s.rollup,
    criteria: s.criteria,
    indicators: s.indicators,
  };
  problems.push(...setProblems(set));
  problems.sort((a, b) => a.line - b.line);
  return problems.length ? { ok: false, problems } : { ok: true, set };
}

export function indicatorCsv(set: IndicatorSetInput): string {
  const crit = new Map(set.criteria.map((c) => [c.code, c]));
  return stringify([
    [...CSV_COLUMNS],
    ...set.indicators.map((i) => {
      const c = crit.get(i.criterion);
      if (!c) throw new Error(`Indicator ${i.code} belongs to criterion ${i.criterion}, which the set does not define.`);
      return [
        i.code,
        i.criterion,
        c.name.fa ?? '',
        c.name.en ?? '',
        c.weight,
        i.description.fa ?? '',
        i.description.en ?? '',
        i.type,
        i.weight,
        i.answeredBy,
        i.metric ?? '',
        i.check ?? '',
        ruleText(i.rule),
      ];
    }),
  ]);
}

export const indicatorTypes = INDICATOR_TYPES;
