// The webhook delivery worker, a JobRunner (src/platform/jobs.ts) over webhook_deliveries: claims due deliveries
// (FOR UPDATE SKIP LOCKED, so several app nodes can run it), POSTs the signed JSON, records each attempt, and retries with exponential back-off and
// jitter until WEBHOOK_MAX_ATTEMPTS, after which the delivery goes to the dead-letter list.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/schema.ts';
import { unseal } from '../../platform/crypto.ts';
import { DELIVERY_JOBS, webhooksRepo, type DeliveryRow } from './webhooks.repository.ts';
import { signatureHeader } from './webhooks.service.ts';
import { guardedLookup, isPrivateAddress } from './webhooks.url.ts';
import { backoffMs as jobBackoffMs, JobRunner, type HandlerResult } from '../../platform/jobs.ts';

const EXCERPT = 500;
const MAX_READ = 4096;
const BATCH = 10;
const HOUR = 3_600_000;

/** Delay before retry n (1-based): the job primitive's back-off, capped at an hour. */
export const backoffMs = (base: number, attempt: number, random = Math.random): number => jobBackoffMs(base, HOUR, attempt, random);

interface PostResult {
  statusCode: number | null;
  excerpt: string | null;
  error: string | null;
}

/** One POST: no redirects followed (a 3xx is a failure), a timeout, the response read only in part. */
export function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  allowPrivate: boolean,
): Promise<PostResult> {
  return new Promise((resolve) => {
    const u = new URL(url);
    const host = u.hostname.replace(/^\[|\]$/g, '');
    if (!allowPrivate && net.isIP(host) && isPrivateAddress(host))
      return resolve({ statusCode: null, excerpt: null, error: 'refused: private network address' });
    const lib = u.protocol === 'https:' ? https : http;
    let settled = false;
    const done = (r: PostResult) => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    const req = lib.request(
      u,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: guardedLookup(allowPrivate) as never,
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < MAX_READ) chunks.push(c);
          size += c.length;
          if (size >= MAX_READ) res.destroy();
        });
        const finish = () => {
          const text = Buffer.concat(chunks).toString('utf8');
          done({
            statusCode: res.statusCode ?? null,
            excerpt: text.length > EXCERPT ? `${text.slice(0, EXCERPT)}…` : text || null,
            error: null,
          });
        };
        res.on('end', finish);
        res.on('close', finish);
        res.on('error', finish);
      },
    );
    const timer = setTimeout(() => req.destroy(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on('error', (e: NodeJS.ErrnoException) =>
      done({ statusCode: null, excerpt: null, error: (e.code === 'EPRIVATE' ? 'refused: ' : '') + e.message.slice(0, 300) }),
    );
    req.on('close', () => clearTimeout(timer));
    req.end(body);
  });
}

type Attempt = Parameters<typeof webhooksRepo.insertAttempt>[1];

export class WebhookWorker {
  readonly #runner: JobRunner<DeliveryRow, Attempt>;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly config: Config,
    log: { warn: (o: object, m: string) => void } = { warn: () => {} },
  ) {
    this.#runner = new JobRunner<DeliveryRow, Attempt>(db, {
      name: 'webhook worker',
      table: DELIVERY_JOBS,
      handler: (d) => this.#deliver(d),
      maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
      backoff: { baseMs: config.WEBHOOK_RETRY_BASE_MS, capMs: HOUR },
      leaseSeconds: Math.ceil((config.WEBHOOK_TIMEOUT_MS * 2) / 1000) + 30,
      batch: BATCH,
      pollMs: config.WEBHOOK_POLL_MS,
      firstDelayMs: 0,
      log: (msg, detail) => log.warn(detail ?? {}, msg),
      onFinish: async (tx, _d, _outcome, attempt) => {
        if (attempt) await webhooksRepo.insertAttempt(tx, attempt);
      },
    });
  }

  start(): void {
    this.#runner.start();
  }

  /** Stops polling and waits for the pass under way (its attempts are recorded before this resolves). */
  async stop(): Promise<void> {
    await this.#runner.stop();
  }

  /** One pass: claims and delivers the due deliveries; returns how many were attempted. */
  async runOnce(): Promise<number> {
    return (await this.#runner.runOnce()).claimed;
  }

  async #deliver(d: DeliveryRow): Promise<HandlerResult<Attempt>> {
    const target = await webhooksRepo.target(this.db, d.endpoint_id);
    const body = JSON.stringify({
      id: d.id,
      event: d.event,
      agencyId: d.agency_id,
      createdAt: new Date(d.created_at).toISOString(),
      data: d.payload,
    });
    const secret = unseal(this.config.SESSION_SECRET, 'webhook-secret', target.secret_sealed);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Panjereh-Webhooks/1',
      'panjereh-event': d.event,
      'panjereh-delivery': d.id,
      'panjereh-signature': signatureHeader(secret, body),
    };
    const started = performance.now();
    const r = await post(target.url, body, headers, this.config.WEBHOOK_TIMEOUT_MS, this.config.WEBHOOK_ALLOW_PRIVATE_TARGETS);
    const durationMs = Math.round(performance.now() - started);
    const ok = r.statusCode !== null && r.statusCode >= 200 && r.statusCode < 300;
    const error = ok
      ? null
      : (r.error ??
        `HTTP ${r.statusCode}${r.statusCode && r.statusCode >= 300 && r.statusCode < 400 ? ' (redirects are not followed)' : ''}`);
    const note: Attempt = { deliveryId: d.id, statusCode: r.statusCode, durationMs, error, excerpt: r.excerpt };
    const set = { last_status_code: r.statusCode };
    return error === null ? { ok: true, set, note } : { ok: false, error, set, note };
  }
}
