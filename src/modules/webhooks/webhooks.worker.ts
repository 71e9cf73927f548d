// The webhook delivery worker: claims due deliveries (FOR UPDATE SKIP LOCKED, so several app nodes
// can run it), POSTs the signed JSON, records each attempt, and retries with exponential back-off and
// jitter until WEBHOOK_MAX_ATTEMPTS, after which the delivery goes to the dead-letter list.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/schema.ts';
import { unseal } from '../../platform/crypto.ts';
import { webhooksRepo, type DeliveryRow } from './webhooks.repository.ts';
import { signatureHeader } from './webhooks.service.ts';
import { guardedLookup, isPrivateAddress } from './webhooks.url.ts';
import { Poller } from '../../platform/poller.ts';

const EXCERPT = 500;
const MAX_READ = 4096;
const BATCH = 10;
const HOUR = 3_600_000;

/** Delay before retry n (1-based): base * 2^(n-1), capped at an hour, between half and all of it (jitter). */
export function backoffMs(base: number, attempt: number, random = Math.random): number {
  const full = Math.min(base * 2 ** (attempt - 1), HOUR);
  return Math.round(full / 2 + (random() * full) / 2);
}

interface PostResult {
  statusCode: number | null;
  excerpt: string | null;
  error: string | null;
}

/** One POST: no redirects followed (a 3xx is a failure), a timeout, the response read only in part. */
export function post(url: string, body: string, headers: Record<string, string>, timeoutMs: number, allowPrivate: boolean): Promise<PostResult> {
  return new Promise((resolve) => {
    const u = new URL(url);
    const host = u.hostname.replace(/^\[|\]$/g, '');
    if (!allowPrivate && net.isIP(host) && isPrivateAddress(host)) return resolve({ statusCode: null, excerpt: null, error: 'refused: private network address' });
    const lib = u.protocol === 'https:' ? https : http;
    let settled = false;
    const done = (r: PostResult) => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    const req = lib.request(u, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup: guardedLookup(allowPrivate) as never, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < MAX_READ) chunks.push(c);
        size += c.length;
        if (size >= MAX_READ) res.destroy();
      });
      const finish = () => {
        const text = Buffer.concat(chunks).toString('utf8');
        done({ statusCode: res.statusCode ?? null, excerpt: text.length > EXCERPT ? `${text.slice(0, EXCERPT)}…` : text || null, error: null });
      };
      res.on('end', finish);
      res.on('close', finish);
      res.on('error', finish);
    });
    const timer = setTimeout(() => req.destroy(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on('error', (e: NodeJS.ErrnoException) => done({ statusCode: null, excerpt: null, error: (e.code === 'EPRIVATE' ? 'refused: ' : '') + e.message.slice(0, 300) }));
    req.on('close', () => clearTimeout(timer));
    req.end(body);
  });
}

export class WebhookWorker {
  readonly #poller: Poller;
  #stopped = true;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly config: Config,
    log: { warn: (o: object, m: string) => void } = { warn: () => {} },
  ) {
    this.#poller = new Poller('webhook worker', () => this.runOnce(), config.WEBHOOK_POLL_MS, (msg, detail) => log.warn(detail ?? {}, msg), 0);
  }

  start(): void {
    this.#stopped = false;
    this.#poller.start();
  }

  /** Stops polling and waits for the pass under way (its attempts are recorded before this resolves). */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#poller.stop();
  }

  /** One pass: claims and delivers the due deliveries; returns how many were attempted. */
  async runOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const lease = Math.ceil((this.config.WEBHOOK_TIMEOUT_MS * 2) / 1000) + 30;
      const batch = await webhooksRepo.claim(this.db, BATCH, lease);
      if (!batch.length) return total;
      await Promise.all(batch.map((d) => this.#deliver(d)));
      total += batch.length;
      if (this.#stopped || batch.length < BATCH) return total;
    }
  }

  async #deliver(d: DeliveryRow & { url: string; secret_sealed: string }): Promise<void> {
    const body = JSON.stringify({ id: d.id, event: d.event, agencyId: d.agency_id, createdAt: new Date(d.created_at).toISOString(), data: d.payload });
    const secret = unseal(this.config.SESSION_SECRET!, 'webhook-secret', d.secret_sealed);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Panjereh-Webhooks/1',
      'panjereh-event': d.event,
      'panjereh-delivery': d.id,
      'panjereh-signature': signatureHeader(secret, body),
    };
    const started = performance.now();
    const r = await post(d.url, body, headers, this.config.WEBHOOK_TIMEOUT_MS, this.config.WEBHOOK_ALLOW_PRIVATE_TARGETS!);
    const durationMs = Math.round(performance.now() - started);
    const ok = r.statusCode !== null && r.statusCode >= 200 && r.statusCode < 300;
    const error = ok ? null : (r.error ?? `HTTP ${r.statusCode}${r.statusCode && r.statusCode >= 300 && r.statusCode < 400 ? ' (redirects are not followed)' : ''}`);
    const outcome = ok ? 'delivered' : d.attempts >= this.config.WEBHOOK_MAX_ATTEMPTS ? 'dead' : 'retry';
    await webhooksRepo.recordAttempt(this.db, { deliveryId: d.id, statusCode: r.statusCode, durationMs, error, excerpt: r.excerpt, outcome, retryInMs: outcome === 'retry' ? backoffMs(this.config.WEBHOOK_RETRY_BASE_MS, d.attempts) : 0 });
  }
}
