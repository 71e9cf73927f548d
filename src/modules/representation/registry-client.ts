// Asking a registry through the exchange, for the representation checks: with the purpose sent as
// X-Road-Issue (so the request shows on the citizen's data-use page), bounded by a timeout, and never
// throwing: a registry that is down, slow or answers nonsense is 'unavailable', and the caller refuses.
import type { ExchangeService } from '../exchange/exchange.service.ts';

/** How long the citizen waits for a registry. */
export const RELATIONS_TIMEOUT_MS = 8000;

export type Asked<T> =
  | { outcome: 'ok'; body: T; requestId: string | null }
  | { outcome: 'unknown'; requestId: string | null }
  | { outcome: 'unavailable'; requestId: string | null };

export async function askRegistry<T>(
  exchange: ExchangeService,
  q: { service: string; path: string; query?: Record<string, string>; issue: string; userId: string },
  accept: (body: unknown) => body is T,
  timeoutMs = RELATIONS_TIMEOUT_MS,
): Promise<Asked<T>> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const r = await Promise.race([
      exchange.call({ service: q.service, path: q.path, query: q.query, issue: q.issue, userId: q.userId }),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('registry timed out')), timeoutMs))),
    ]).finally(() => clearTimeout(timer));
    const requestId = typeof r.headers['x-road-request-id'] === 'string' ? r.headers['x-road-request-id'] : null;
    if (r.status === 404 && !r.xRoadError) return { outcome: 'unknown', requestId };
    if (r.status !== 200 || r.xRoadError || !accept(r.body)) return { outcome: 'unavailable', requestId };
    return { outcome: 'ok', body: r.body, requestId };
  } catch {
    return { outcome: 'unavailable', requestId: null }; // the exchange is off, the registry is down or slow
  }
}
