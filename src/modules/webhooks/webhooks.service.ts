// Webhooks: agencies register endpoints (URL, events, a secret shown once); modules emit events inside
// their own transaction (one delivery row per subscribed endpoint, so an event is never lost); the
// worker (webhooks.worker.ts) delivers them, signed, with retries and a dead-letter list.
import crypto from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/schema.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { seal } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { isWebhookEvent, type WebhookEvent } from './webhooks.events.ts';
import { webhooksRepo } from './webhooks.repository.ts';
import { checkWebhookUrl } from './webhooks.url.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The signature header value a receiver checks: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">. */
export function signatureHeader(secret: string, body: string, t = Math.floor(Date.now() / 1000)): string {
  return `t=${t},v1=${crypto.createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/** What a receiver does (the README's recipe, here as code for tests): recompute, compare in constant time, check age. */
export function verifySignature(secret: string, body: string, header: string, toleranceSeconds = 300, now = Date.now()): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(now / 1000 - t) > toleranceSeconds) return false;
  const expected = Buffer.from(crypto.createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'));
  const given = Buffer.from(parts.v1);
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

export class WebhookService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly config: Config,
    /** Registering, disabling and replaying are audited in the change's transaction (none: not audited, e.g. the CLI's read-only use). */
    private readonly audit: AuditLog | null = null,
  ) {}

  /** Validates the URL and events, stores the endpoint; the secret is returned only here. */
  async register(
    agencyId: string,
    rawUrl: string,
    events: string[],
    actor: string,
  ): Promise<{ id: string; url: string; events: WebhookEvent[]; secret: string }> {
    const url = checkWebhookUrl(rawUrl, this.config.WEBHOOK_ALLOW_PRIVATE_TARGETS);
    const chosen = [...new Set(events)];
    if (!chosen.length || !chosen.every(isWebhookEvent))
      throw new AppError('WEBHOOK_EVENT_UNKNOWN', undefined, { unknown: chosen.filter((e) => !isWebhookEvent(e)) });
    const secret = `whsec_${crypto.randomBytes(32).toString('base64url')}`;
    const row = await this.db.transaction().execute(async (tx) => {
      const r = await webhooksRepo.insertEndpoint(tx, {
        agency_id: agencyId,
        url: url.href,
        events: chosen,
        secret_sealed: seal(this.config.SESSION_SECRET, 'webhook-secret', secret),
        created_by: actor,
      });
      await this.audit?.record({ actor, action: 'webhooks.registered', subject: r.id, detail: { agencyId, events: chosen } }, tx);
      return r;
    });
    return { id: row.id, url: url.href, events: chosen as WebhookEvent[], secret };
  }

  endpoints(agencyId: string | null) {
    return webhooksRepo.endpoints(this.db, agencyId);
  }

  /** Stops deliveries to an endpoint (its log stays). agencyId limits it to that agency's endpoints. */
  async disable(id: string, agencyId: string | null, actor: string): Promise<void> {
    const ep = UUID.test(id) ? await webhooksRepo.endpoint(this.db, id) : undefined;
    if (!ep || ep.disabled_at) throw new AppError('WEBHOOK_NOT_FOUND');
    if (agencyId && ep.agency_id !== agencyId) throw new AppError('OTHER_AGENCY');
    await this.db.transaction().execute(async (tx) => {
      if (!(await webhooksRepo.disableEndpoint(tx, id))) return;
      await this.audit?.record({ actor, action: 'webhooks.disabled', subject: id, detail: { agencyId: ep.agency_id } }, tx);
    });
  }

  /**
   * Records `event` for every endpoint of the agency subscribed to it, in the caller's transaction:
   * if the transaction commits the event will be delivered, if it rolls back nothing is sent.
   * Returns the number of deliveries queued.
   */
  async emit(
    trx: Transaction<Database> | Kysely<Database>,
    agencyId: string,
    event: WebhookEvent,
    payload: Record<string, unknown>,
  ): Promise<number> {
    if (!isWebhookEvent(event)) throw new AppError('WEBHOOK_EVENT_UNKNOWN', `Unknown webhook event "${event}"`);
    const endpoints = await webhooksRepo.subscribed(trx, agencyId, event);
    if (!endpoints.length) return 0;
    await webhooksRepo.insertDeliveries(
      trx,
      endpoints.map((e) => ({ endpoint_id: e.id, agency_id: agencyId, event, payload: JSON.stringify(payload) })),
    );
    return endpoints.length;
  }

  deliveries(agencyId: string | null, status: 'pending' | 'delivered' | 'dead' | null = null, limit = 50) {
    return webhooksRepo.deliveries(this.db, agencyId, status, limit);
  }

  /** One delivery with its attempt log; agencyId limits it to that agency's deliveries. */
  async delivery(id: string, agencyId: string | null) {
    const d = UUID.test(id) ? await webhooksRepo.delivery(this.db, id) : undefined;
    if (!d) throw new AppError('WEBHOOK_NOT_FOUND');
    if (agencyId && d.agency_id !== agencyId) throw new AppError('OTHER_AGENCY');
    return { delivery: d, attempts: await webhooksRepo.attempts(this.db, id) };
  }

  /** Sends a delivered or dead-lettered delivery again (now, with a fresh attempt budget). */
  async replay(id: string, agencyId: string | null, actor: string): Promise<void> {
    const { delivery } = await this.delivery(id, agencyId);
    await this.db.transaction().execute(async (tx) => {
      if (!(await webhooksRepo.replay(tx, id))) throw new AppError('VALIDATION_FAILED', 'This delivery is already waiting to be sent.');
      await this.audit?.record({ actor, action: 'webhooks.replayed', subject: id, detail: { agencyId: delivery.agency_id } }, tx);
    });
  }
}
