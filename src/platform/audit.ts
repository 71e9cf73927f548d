// The audit log: an append-only record of sign-ins, failures and staff actions. Each entry's hash
// covers its content and the previous entry's hash, so a changed, removed or inserted entry breaks
// the chain. Every few seconds the entries not yet covered are signed as a batch with the platform's
// audit key (src/platform/signed-batches.ts, as the exchange's message log does): the batch names its
// range, its count, the chain head and a short hash of each entry, so a tail cut off the end or an
// entry rewritten with every later hash recomputed is named too. No personal data: addresses are
// keyed hashes.
//
// Entries are written in the transaction of the change they record (record(e, tx)): a change that
// rolls back leaves no entry, a committed change always has one. Without a transaction, record()
// writes in a transaction of its own (group commit).
import crypto from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { AuditLogBatchTable, Database } from '../db/schema.ts';
import { canonicalJson } from './json.ts';
import { seal, unseal } from './crypto.ts';
import { checkBatches, signBatch, type BatchProblemKind } from './signed-batches.ts';
import { Poller } from './poller.ts';
import { AuditRepository } from './audit.repository.ts';

export interface AuditEvent {
  actor: string;
  action: string;
  subject?: string | null;
  ipHash?: string | null;
  detail?: Record<string, unknown>;
}

/** A transaction (or the database) an entry is written in. */
export type AuditTx = Transaction<Database> | Kysely<Database>;
/** A step run inside a change's transaction, after the change (for example its audit entry). */
export type InTx<T> = (tx: Transaction<Database>, result: T) => Promise<unknown>;

const GENESIS = '0'.repeat(64);
/** Held (per transaction) while an entry is chained and inserted, until commit: keeps the chain linear across nodes. */
const APPEND_LOCK = 7201001;
const SIGN_LOCK = 7201002;
const KEY_ID = 'audit-signing-1';
const KEY_PURPOSE = 'audit-signing';
const MAX_BATCH = 5000;
const PAGE = 5000;
/** Characters of each entry's hash a batch signs (64 bits: a forged entry matching one is out of reach). */
const DIGEST = 16;

function entryHash(
  prev: string,
  e: { at: string; actor: string; action: string; subject: string | null; ip_hash: string | null; detail: Record<string, unknown> },
): string {
  return crypto
    .createHash('sha256')
    .update(canonicalJson([prev, e.at, e.actor, e.action, e.subject, e.ip_hash, e.detail]))
    .digest('hex');
}

type Batch = AuditLogBatchTable;
const batchPayload = (b: Omit<Batch, 'key_id' | 'signature'>) =>
  Buffer.from(
    canonicalJson([
      'panjereh-audit-batch',
      Number(b.id),
      Number(b.from_seq),
      Number(b.to_seq),
      Number(b.count),
      b.last_hash,
      b.digests,
      new Date(b.signed_at).toISOString(),
    ]),
  );
const parseDigests = (d: string): [number, string][] =>
  d ? d.split(',').map((p) => [Number(p.slice(0, p.indexOf(':'))), p.slice(p.indexOf(':') + 1)]) : [];

export type AuditFailure = {
  ok: false;
  seq: number | null;
  batch?: number;
  kind: 'altered' | BatchProblemKind;
  reason: string;
  entries: number;
};
export type AuditReport =
  { ok: true; entries: number; batches: number; unsignedTail: number; head: { seq: number; hash: string } | null } | AuditFailure;

export class AuditLog {
  #queue: { e: AuditEvent; done: (err?: unknown) => void }[] = [];
  #flushing: Promise<void> | null = null;
  #signer: Promise<{ id: string; key: crypto.KeyObject }> | null = null;
  #poller: Poller | null = null;
  readonly #repo: AuditRepository;

  constructor(
    db: Kysely<Database>,
    private readonly opts: { secret?: string } = {},
  ) {
    this.#repo = new AuditRepository(db);
  }

  /**
   * Appends one entry. With `tx`, the entry is chained and inserted in that transaction (it commits or
   * rolls back with the change it records; record it last, the chain lock is held until commit).
   * Without, it resolves once committed in a transaction of its own: entries that arrive while a batch
   * is being written are chained and inserted together in the next one (group commit).
   */
  record(e: AuditEvent, tx?: AuditTx): Promise<void> {
    if (tx) return this.#append(tx, [e]);
    return new Promise((resolve, reject) => {
      this.#queue.push({ e, done: (err) => (err ? reject(err) : resolve()) });
      this.#kick();
    });
  }

  /** Starts a flush unless one runs; one that is just ending starts the next for entries queued meanwhile. */
  #kick(): void {
    this.#flushing ??= this.#flush().finally(() => {
      this.#flushing = null;
      if (this.#queue.length) this.#kick();
    });
  }

  /** Chains and inserts entries in `tx`, under the cluster-wide lock (no query outside `tx` here). */
  async #append(tx: AuditTx, events: AuditEvent[]): Promise<void> {
    await this.#repo.lock(tx, APPEND_LOCK);
    let prev = (await this.#repo.headHash(tx)) ?? GENESIS;
    const rows = events.map((e) => {
      const entry = {
        at: new Date().toISOString(),
        actor: e.actor,
        action: e.action,
        subject: e.subject ?? null,
        ip_hash: e.ipHash ?? null,
        detail: e.detail ?? {},
      };
      const hash = entryHash(prev, entry);
      const row = { ...entry, detail: JSON.stringify(entry.detail), prev_hash: prev, hash };
      prev = hash;
      return row;
    });
    await this.#repo.insertEntries(tx, rows);
  }

  async #flush(): Promise<void> {
    while (this.#queue.length) {
      const batch = this.#queue.splice(0, 500);
      try {
        await this.#repo.transaction((tx) =>
          this.#append(
            tx,
            batch.map(({ e }) => e),
          ),
        );
        for (const { done } of batch) done();
      } catch (err) {
        for (const { done } of batch) done(err);
      }
    }
  }

  /** Waits for entries queued so far (without a transaction) to be written. */
  async drain(): Promise<void> {
    while (this.#flushing) await this.#flushing;
  }

  /** Entries newest first, filtered by action prefix, actor and time. */
  search(f: { action?: string; actor?: string; from?: Date; to?: Date; limit?: number }) {
    return this.#repo.search(f);
  }

  /** The platform's audit-signing key (Ed25519), made on first use and kept sealed under SESSION_SECRET. */
  #key(): Promise<{ id: string; key: crypto.KeyObject }> {
    this.#signer ??= (async () => {
      const secret = this.opts.secret;
      if (!secret) throw new Error('signing the audit log needs SESSION_SECRET');
      let row = await this.#repo.platformKey(KEY_ID);
      if (!row) {
        const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
        const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
        await this.#repo.putPlatformKeyOnce({
          id: KEY_ID,
          purpose: KEY_PURPOSE,
          public_pem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
          private_sealed: seal(secret, KEY_PURPOSE, pem),
        });
        row = await this.#repo.platformKey(KEY_ID);
        if (!row) throw new Error(`platform key ${KEY_ID} missing after insert`);
      }
      return { id: row.id, key: crypto.createPrivateKey(unseal(secret, KEY_PURPOSE, row.private_sealed)) };
    })();
    this.#signer.catch(() => (this.#signer = null));
    return this.#signer;
  }

  /** Signs the committed entries not yet in a batch (in batches of at most 5,000); returns what it signed, or null. */
  async signPending(): Promise<{ batches: number; from: number; to: number; entries: number } | null> {
    await this.drain();
    const signer = await this.#key();
    type Signed = { batches: number; from: number; to: number; entries: number };
    let out = null as Signed | null;
    for (;;) {
      const b = await this.#repo.transaction(async (tx) => {
        await this.#repo.lock(tx, SIGN_LOCK);
        const lastBatch = await this.#repo.lastBatch(tx);
        const from = Number(lastBatch?.to_seq ?? 0) + 1;
        const rows = await this.#repo.hashesFrom(tx, from, MAX_BATCH);
        if (!rows.length) return null;
        const last = rows[rows.length - 1];
        const batch = {
          id: Number(lastBatch?.id ?? 0) + 1,
          from_seq: from,
          to_seq: Number(last.seq),
          count: rows.length,
          last_hash: last.hash,
          digests: rows.map((r) => `${r.seq}:${r.hash.slice(0, DIGEST)}`).join(','),
          signed_at: new Date(),
        };
        await this.#repo.insertBatch(tx, { ...batch, ...signBatch(signer, batchPayload(batch)) });
        return batch;
      });
      if (!b) return out;
      out = { batches: (out?.batches ?? 0) + 1, from: out?.from ?? b.from_seq, to: b.to_seq, entries: (out?.entries ?? 0) + b.count };
      if (b.count < MAX_BATCH) return out;
    }
  }

  /** Signs the unsigned entries every `ms` milliseconds (0: only on stop() and by command) until stop(). */
  start(ms: number, log: (msg: string, detail?: Record<string, unknown>) => void): void {
    if (this.#poller || ms <= 0) return;
    this.#poller = new Poller('audit log signing', () => this.signPending(), ms, log, ms, true);
    this.#poller.start();
  }

  /** Stops the timer, writes what is queued and signs it. */
  async stop(): Promise<void> {
    await this.#poller?.stop();
    this.#poller = null;
    await this.drain();
    if (this.opts.secret) await this.signPending();
  }

  /** Walks the chain; on success just the number of entries (see inspect() for the signed batches). */
  async verify(): Promise<{ ok: true; entries: number } | AuditFailure> {
    const r = await this.inspect();
    return r.ok ? { ok: true, entries: r.entries } : r;
  }

  /**
   * Walks the chain and the signed batches; names the first entry that was altered, removed, inserted
   * or rewritten (and re-chained), a tail removed from the end, or a batch whose signature fails.
   */
  async inspect(opts: { onProgress?: (seq: number) => void } = {}): Promise<AuditReport> {
    let prev = GENESIS;
    let count = 0;
    let lastSeq = 0;
    const hashes = new Map<number, string>();
    for (let cursor = 0; ;) {
      const rows = await this.#repo.entriesAfter(cursor, PAGE);
      for (const r of rows) {
        const seq = Number(r.seq);
        if (r.prev_hash !== prev)
          return {
            ok: false,
            seq,
            kind: 'removed',
            reason: 'links to a different previous entry (an entry was removed or inserted before it)',
            entries: count,
          };
        const at = new Date(r.at).toISOString();
        if (
          entryHash(prev, { at, actor: r.actor, action: r.action, subject: r.subject, ip_hash: r.ip_hash, detail: r.detail }) !== r.hash
        ) {
          return { ok: false, seq, kind: 'altered', reason: 'its content does not match its hash (the entry was altered)', entries: count };
        }
        prev = r.hash;
        hashes.set(seq, r.hash);
        lastSeq = seq;
        count++;
      }
      if (rows.length) opts.onProgress?.(lastSeq);
      if (rows.length < PAGE) break;
      cursor = lastSeq;
    }
    const keys = new Map((await this.#repo.publicKeys(KEY_PURPOSE)).map((k) => [k.id, crypto.createPublicKey(k.public_pem)]));
    const batches = await this.#repo.batches();
    const seqs = [...hashes.keys()]; // ascending
    const firstAtOrAfter = (x: number) => {
      let lo = 0;
      let hi = seqs.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (seqs[mid] < x) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    const present = (b: Batch) => seqs.slice(firstAtOrAfter(Number(b.from_seq)), firstAtOrAfter(Number(b.to_seq) + 1));
    const checked = await checkBatches(batches, {
      nouns: ['entry', 'entries'],
      payload: batchPayload,
      keys,
      from: 1,
      lastSeq,
      toEnd: true,
      hashAt: async (seq) => hashes.get(seq),
      tailDetail: async (b) =>
        ` (batch ${b.id} signed ${b.count} entries ${b.from_seq}-${b.to_seq} ending in head ${b.last_hash.slice(0, 12)}…; ${present(b).length} of them are there)`,
      contents: async (b) => {
        const id = Number(b.id);
        const signed = parseDigests(b.digests);
        const inBatch = new Set(signed.map(([s]) => s));
        for (const [seq, digest] of signed) {
          const h = hashes.get(seq);
          if (h === undefined)
            return {
              seq,
              batch: id,
              kind: 'removed',
              reason: `entry ${seq} was removed: batch ${id} signed it (${b.count} entries ${b.from_seq}-${b.to_seq}) and the entries after it were re-chained`,
            };
          if (h.slice(0, DIGEST) !== digest)
            return {
              seq,
              batch: id,
              kind: 'rewritten',
              reason: `entry ${seq} was rewritten: it is not the entry batch ${id} signed, and every hash after it was recomputed`,
            };
        }
        const extra = present(b).find((s) => !inBatch.has(s));
        if (extra !== undefined)
          return {
            seq: extra,
            batch: id,
            kind: 'inserted',
            reason: `entry ${extra} was inserted: batch ${id} (${b.count} entries ${b.from_seq}-${b.to_seq}) did not sign it`,
          };
        return null;
      },
    });
    if ('kind' in checked) return { ok: false, ...checked, entries: count };
    return {
      ok: true,
      entries: count,
      batches: batches.length,
      unsignedTail: seqs.length - firstAtOrAfter(checked.signedTo + 1),
      head: lastSeq ? { seq: lastSeq, hash: prev } : null,
    };
  }
}
