// The message log, the exchange's proof of who asked whom for what. One record per request: metadata
// in the clear, the path, query, user id and (per service) the bodies sealed with AES-GCM. Each record's
// hash covers its content, its sequence number and the previous record's hash; seq is assigned under a
// cluster-wide lock, so a gap is a removed record. Every few seconds the unsigned tail is signed as a
// batch with the exchange's Ed25519 key, so a chain recomputed after tampering no longer matches.
//
// Guarantee: append() resolves only after the record is committed (group commit: records that arrive
// while a batch is being written go in the next insert). The proxy holds back the last bytes of
// every response until then, so no client ever receives a complete answer whose record could be lost.
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, ExchangeLogTable } from '../../db/schema.ts';
import { canonicalJson } from '../../platform/json.ts';
import { seal, unseal } from '../../platform/crypto.ts';
import { checkBatches, signBatch } from '../../platform/signed-batches.ts';
import type { ExchangeCa } from './exchange.ca.ts';
import { Poller } from '../../platform/poller.ts';
import { ExchangeRepository } from './exchange.repository.ts';
import { ExchangeLogRepository } from './exchange.log.repository.ts';

const GENESIS = '0'.repeat(64);
const SIGN_LOCK = 7201006;

export interface LogDetail {
  path: string;
  query: string;
  userId: string | null;
  requestBody?: string;
  responseBody?: string;
}

export interface LogInput {
  at: Date;
  xRoadId: string;
  requestId: string;
  clientId: string | null;
  serviceId: string;
  method: string;
  status: number;
  errorType: string | null;
  durationMs: number;
  requestBytes: number;
  responseBytes: number;
  requestHash: string;
  responseHash: string;
  subjectHash: string | null;
  issue: string | null;
  detail: LogDetail;
}

type Row = ExchangeLogTable;

export function recordHash(prev: string, r: Omit<Row, 'hash' | 'prev_hash'>): string {
  const at = new Date(r.at).toISOString();
  return crypto
    .createHash('sha256')
    .update(
      canonicalJson([
        prev,
        Number(r.seq),
        at,
        r.x_road_id,
        r.request_id,
        r.client_id,
        r.service_id,
        r.method,
        r.status,
        r.error_type,
        r.duration_ms,
        Number(r.request_bytes),
        Number(r.response_bytes),
        r.request_hash,
        r.response_hash,
        r.subject_hash,
        r.issue,
        r.detail_sealed,
      ]),
    )
    .digest('hex');
}

const batchPayload = (b: { id: number; from_seq: number; to_seq: number; last_hash: string; signed_at: Date }) =>
  Buffer.from(canonicalJson([Number(b.id), Number(b.from_seq), Number(b.to_seq), b.last_hash, new Date(b.signed_at).toISOString()]));

export type VerifyResult =
  | { ok: true; records: number; batches: number; unsignedTail: number }
  | {
      ok: false;
      seq: number | null;
      batch?: number;
      kind: 'altered' | 'removed' | 'inserted' | 'signature' | 'rewritten';
      reason: string;
      records: number;
    };

export class MessageLog {
  #queue: { row: Omit<Row, 'seq' | 'prev_hash' | 'hash'>; done: (err?: unknown) => void }[] = [];
  #flushing: Promise<void> | null = null;
  #poller: Poller | null = null;
  #head: { seq: number; hash: string } | null = null;
  readonly #repo: ExchangeLogRepository;
  readonly #registry: ExchangeRepository;

  constructor(
    db: Kysely<Database>,
    private readonly secret: string,
    private readonly ca: ExchangeCa,
  ) {
    this.#repo = new ExchangeLogRepository(db);
    this.#registry = new ExchangeRepository(db);
  }

  /** Appends one record; resolves once it is committed. */
  append(r: LogInput): Promise<void> {
    const row = {
      at: r.at,
      x_road_id: r.xRoadId.slice(0, 200),
      request_id: r.requestId,
      client_id: r.clientId,
      service_id: r.serviceId.slice(0, 400),
      method: r.method.slice(0, 16),
      status: r.status,
      error_type: r.errorType,
      duration_ms: Math.round(r.durationMs),
      request_bytes: r.requestBytes,
      response_bytes: r.responseBytes,
      request_hash: r.requestHash,
      response_hash: r.responseHash,
      subject_hash: r.subjectHash,
      issue: r.issue ? r.issue.slice(0, 500) : null,
      detail_sealed: seal(this.secret, 'exchange-log', JSON.stringify(r.detail)),
    };
    return new Promise((resolve, reject) => {
      this.#queue.push({ row, done: (err) => (err ? reject(err) : resolve()) });
      this.#kick();
    });
  }

  /** Starts a flush unless one is under way; a flush that ends writes what arrived as it was ending. */
  #kick(): void {
    if (this.#flushing) return;
    this.#flushing = this.#flush().finally(() => {
      this.#flushing = null;
      if (this.#queue.length) this.#kick();
    });
  }

  /**
   * Writes queued records in batches. Each batch is ONE statement: rows chained on the head this node
   * last wrote (or read), with seq = head + 1, ... Because seq is the primary key, a batch that another
   * node got in first fails as a whole on the unique index; this node then re-reads the head and
   * re-chains. So the chain stays linear and gap-free across nodes without a lock or extra round trips.
   */
  async #flush(): Promise<void> {
    while (this.#queue.length) {
      const batch = this.#queue.splice(0, 1000);
      let error: unknown = null;
      for (let attempt = 0; attempt < 20; attempt++) {
        try {
          this.#head ??= await this.#readHead();
          let prev = this.#head.hash;
          let seq = this.#head.seq;
          const rows = batch.map(({ row }) => {
            seq++;
            const full = { ...row, seq };
            const hash = recordHash(prev, full);
            const out = { ...full, prev_hash: prev, hash };
            prev = hash;
            return out;
          });
          await this.#repo.insertRecords(rows);
          this.#head = { seq, hash: prev };
          error = null;
          break;
        } catch (e) {
          this.#head = null;
          error = e;
          if ((e as { code?: string }).code !== '23505') break; // not a lost race: give up on this batch
        }
      }
      for (const { done } of batch) done(error ?? undefined);
    }
  }

  async #readHead(): Promise<{ seq: number; hash: string }> {
    const last = await this.#repo.head();
    return { seq: Number(last?.seq ?? 0), hash: last?.hash ?? GENESIS };
  }

  /** Waits for records queued so far to be written. */
  async drain(): Promise<void> {
    while (this.#flushing) await this.#flushing;
  }

  /** Signs the records not yet covered by a batch; returns the new batch, or null when there is none. */
  async signPending(): Promise<{ id: number; from: number; to: number } | null> {
    await this.drain();
    const signer = await this.ca.signer();
    return this.#repo.locked(SIGN_LOCK, async (tx) => {
      const lastBatch = await this.#repo.lastBatch(tx);
      const last = await this.#repo.head(tx);
      const from = Number(lastBatch?.to_seq ?? 0) + 1;
      if (!last || Number(last.seq) < from) return null;
      const b = {
        id: Number(lastBatch?.id ?? 0) + 1,
        from_seq: from,
        to_seq: Number(last.seq),
        last_hash: last.hash,
        signed_at: new Date(),
      };
      await this.#repo.insertBatch(tx, { ...b, ...signBatch(signer, batchPayload(b)) });
      return { id: b.id, from: b.from_seq, to: b.to_seq };
    });
  }

  /** Signs the tail `ms` milliseconds after the last signing until stop(); backs off while the database is away. */
  start(ms: number, log: (msg: string, detail?: Record<string, unknown>) => void): void {
    if (this.#poller || ms <= 0) return;
    this.#poller = new Poller('exchange log signing', () => this.signPending(), ms, log, ms, true);
    this.#poller.start();
  }

  async stop(): Promise<void> {
    await this.#poller?.stop();
    this.#poller = null;
    await this.drain();
  }

  openDetail(sealed: string): LogDetail {
    return JSON.parse(unseal(this.secret, 'exchange-log', sealed)) as LogDetail;
  }

  /**
   * Walks the chain (from..to, default all) and the signed batches covering it; names the first
   * record that was altered, removed or inserted, or the first batch whose signature or hash fails.
   */
  async verify(opts: { from?: number; to?: number; onProgress?: (seq: number) => void } = {}): Promise<VerifyResult> {
    const from = Math.max(1, opts.from ?? 1);
    const to = opts.to ?? Number.MAX_SAFE_INTEGER;
    const before = from > 1 ? await this.#repo.recordBefore(from) : undefined;
    let prev = before?.hash ?? GENESIS;
    let expected = before ? Number(before.seq) + 1 : 1;
    let prevPrev: string | null = null;
    let count = 0;
    const hashes = new Map<number, string>();
    const PAGE = 5000;
    for (let cursor = from; ;) {
      const rows = await this.#repo.records(cursor, to, PAGE);
      for (const r of rows) {
        const seq = Number(r.seq);
        if (r.prev_hash !== prev) {
          if (prevPrev !== null && r.prev_hash === prevPrev)
            return {
              ok: false,
              seq: seq - 1,
              kind: 'inserted',
              reason: `record ${seq - 1} was inserted: record ${seq} links past it to record ${seq - 2}`,
              records: count,
            };
          if (seq !== expected)
            return {
              ok: false,
              seq: expected,
              kind: 'removed',
              reason: `record ${expected} was removed: the chain jumps from ${expected - 1} to ${seq}`,
              records: count,
            };
          return {
            ok: false,
            seq,
            kind: 'removed',
            reason: `record ${seq} does not link to record ${seq - 1}: a record before it was removed (and the rest renumbered) or replaced`,
            records: count,
          };
        }
        if (seq !== expected)
          return {
            ok: false,
            seq: expected,
            kind: 'removed',
            reason: `record ${expected} was removed: the chain jumps from ${expected - 1} to ${seq} and the records were re-linked`,
            records: count,
          };
        if (recordHash(prev, r) !== r.hash)
          return {
            ok: false,
            seq,
            kind: 'altered',
            reason: `record ${seq} was altered: its content does not match its hash`,
            records: count,
          };
        prevPrev = prev;
        prev = r.hash;
        hashes.set(seq, r.hash);
        expected = seq + 1;
        count++;
      }
      if (rows.length) opts.onProgress?.(Number(rows[rows.length - 1].seq));
      if (rows.length < PAGE) break;
      cursor = Number(rows[rows.length - 1].seq) + 1;
    }
    const lastSeq = expected - 1;
    // Signed batches overlapping the range: contiguous, signature valid, and the signed hash still there.
    const keys = new Map((await this.#registry.publicKeys()).map((k) => [k.id, crypto.createPublicKey(k.public_pem)]));
    const batches = await this.#repo.batchesOverlapping(from, to);
    const checked = await checkBatches(batches, {
      nouns: ['record', 'records'],
      payload: batchPayload,
      keys,
      from,
      lastSeq,
      toEnd: to === Number.MAX_SAFE_INTEGER,
      hashAt: async (seq) => hashes.get(seq) ?? (await this.#repo.hashAt(seq)),
    });
    if ('kind' in checked) return { ok: false, ...checked, records: count };
    const signedTo = checked.signedTo;
    return { ok: true, records: count, batches: batches.length, unsignedTail: Math.max(0, lastSeq - Math.max(signedTo, from - 1)) };
  }
}
