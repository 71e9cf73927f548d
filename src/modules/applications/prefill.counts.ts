// Prefill bookkeeping shared by the prefill service and submission: which registry values the citizen
// accepted, which answers still carry them, and the prefill counts recorded with a submission.
import crypto from 'node:crypto';
import type { Selectable } from 'kysely';
import type { ApplicationPrefillTable } from '../../db/schema.ts';
import { visiblePages, type FormDefinition, type RegistrySource } from './forms.ts';

export type PrefillRow = Selectable<ApplicationPrefillTable>;

/** A value's fingerprint: a field stays marked "prefilled" while its answer is still what the registry gave. */
export const valueHash = (v: unknown) => crypto.createHash('sha256').update(JSON.stringify(v)).digest('hex');

/** The citizen's latest decision per registry, from the decisions newest first. */
export function latestDecisions(rows: PrefillRow[]): Map<string, PrefillRow> {
  const out = new Map<string, PrefillRow>();
  for (const r of rows) if (!out.has(r.source)) out.set(r.source, r);
  return out;
}

/** Field name -> hash of the registry value, for fields whose answer still is that value. */
export function prefilledNow(decisions: Map<string, PrefillRow>, answers: Record<string, unknown>): Map<string, RegistrySource> {
  const out = new Map<string, RegistrySource>();
  for (const row of decisions.values())
    for (const [name, hash] of Object.entries(row.filled ?? {}))
      if (answers[name] !== undefined && valueHash(answers[name]) === hash) out.set(name, row.source as RegistrySource);
  return out;
}

/**
 * Prefill counts of a submission: fields that declare a prefill source (profile or registry) on the
 * pages that apply, and how many of them carry the value the source gave.
 */
export function prefillCounts(
  def: FormDefinition,
  answers: Record<string, unknown>,
  citizen: { national_id: string; mobile: string },
  registryFilled: Map<string, RegistrySource>,
): { offered: number; filled: number } {
  let offered = 0;
  let filled = 0;
  for (const f of visiblePages(def, answers).flatMap((p) => p.fields)) {
    if (!f.prefill) continue;
    offered++;
    if (
      f.prefill === 'nationalId'
        ? answers[f.name] === citizen.national_id
        : f.prefill === 'mobile'
          ? answers[f.name] === citizen.mobile
          : registryFilled.has(f.name)
    )
      filled++;
  }
  return { offered, filled };
}
