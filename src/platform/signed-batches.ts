// Signed batches over a hash-chained log (the exchange's message log, the audit log). Every few seconds
// the entries not yet covered are signed as one batch with an Ed25519 key: the batch names its range
// (from_seq..to_seq) and the chain head (the hash of to_seq), and whatever else the log wants covered.
// A chain recomputed after tampering, or cut short at the end, no longer matches what was signed.
// Both logs use these pieces; each owns its tables and its batch payload.
import crypto from 'node:crypto';

export interface BatchSigner {
  id: string;
  key: crypto.KeyObject;
}

export interface SignedBatch {
  id: number;
  from_seq: number;
  to_seq: number;
  last_hash: string;
  signed_at: Date;
  key_id: string;
  signature: string;
}

export type BatchProblemKind = 'removed' | 'inserted' | 'signature' | 'rewritten';
export interface BatchProblem {
  seq: number | null;
  batch: number;
  kind: BatchProblemKind;
  reason: string;
}

export function signBatch(signer: BatchSigner, payload: Buffer): { key_id: string; signature: string } {
  return { key_id: signer.id, signature: crypto.sign(null, payload, signer.key).toString('base64') };
}

export function batchSignatureHolds(
  keys: Map<string, crypto.KeyObject>,
  b: Pick<SignedBatch, 'key_id' | 'signature'>,
  payload: Buffer,
): boolean {
  const key = keys.get(b.key_id);
  return !!key && crypto.verify(null, payload, key, Buffer.from(b.signature, 'base64'));
}

export interface CheckOptions<B extends SignedBatch> {
  /** How messages name one item of the log and several: ['record', 'records'], ['entry', 'entries']. */
  nouns: [string, string];
  payload: (b: B) => Buffer;
  keys: Map<string, crypto.KeyObject>;
  /** The range that was walked: first seq and the last seq found. */
  from: number;
  lastSeq: number;
  /** True when the walk went to the end of the log (so a batch past its end means a removed tail). */
  toEnd: boolean;
  hashAt: (seq: number) => Promise<string | undefined>;
  /** Extra words for the removed-tail message (for example the signed count against what is left). */
  tailDetail?: (b: B) => Promise<string>;
  /** Further checks of one batch against the log (for example its signed per-entry hashes). */
  contents?: (b: B) => Promise<BatchProblem | null>;
}

/**
 * Checks the signed batches (in id order) against a log whose chain was already walked: the batches
 * follow each other, each signature holds, no signed tail is missing, and each signed head is still the
 * log's entry at to_seq. Returns the first problem, or how far the signed part reaches.
 */
export async function checkBatches<B extends SignedBatch>(batches: B[], o: CheckOptions<B>): Promise<BatchProblem | { signedTo: number }> {
  const [one, many] = o.nouns;
  let nextFrom: number | null = null;
  let signedTo = 0;
  for (const b of batches) {
    const id = Number(b.id);
    const fromSeq = Number(b.from_seq);
    const toSeq = Number(b.to_seq);
    if (nextFrom !== null && fromSeq !== nextFrom)
      return {
        seq: nextFrom,
        batch: id,
        kind: 'removed',
        reason: `signed batch before batch ${id} is missing (${many} from ${nextFrom} are not covered)`,
      };
    if (!batchSignatureHolds(o.keys, b, o.payload(b)))
      return {
        seq: null,
        batch: id,
        kind: 'signature',
        reason: `the signature of batch ${id} (${many} ${fromSeq}-${toSeq}) does not verify`,
      };
    if (toSeq > o.lastSeq && o.toEnd) {
      const detail = o.tailDetail ? await o.tailDetail(b) : '';
      return {
        seq: o.lastSeq + 1,
        batch: id,
        kind: 'removed',
        reason: `batch ${id} signed ${many} up to ${toSeq} but the log ends at ${o.lastSeq}: ${many} were removed from the end${detail}`,
      };
    }
    const problem = o.contents ? await o.contents(b) : null;
    if (problem) return problem;
    if (toSeq <= o.lastSeq && toSeq >= o.from) {
      const h = await o.hashAt(toSeq);
      if (h !== b.last_hash)
        return {
          seq: toSeq,
          batch: id,
          kind: 'rewritten',
          reason: `${one} ${toSeq} is not the one batch ${id} signed: ${many} ${fromSeq}-${toSeq} were rewritten and re-chained`,
        };
    }
    nextFrom = toSeq + 1;
    signedTo = toSeq;
  }
  return { signedTo };
}
