// Cross-cutting HTTP pieces: security headers, rate limits, request ids, logging without personal data,
// and the one error handler that turns every error into a problem body or an error page.
import crypto from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import rateLimit from '@fastify/rate-limit';
import { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import { AppError, fromFastifyError, messageFor, type ProblemBody } from './errors.ts';
import { isLang, type Lang } from './i18n.ts';
import { describeDatabaseError, isDatabaseUnavailable } from '../db/unavailable.ts';

/** Seconds a client is asked to wait when the database is away (a restart takes a few seconds). */
export const RETRY_AFTER_SECONDS = 5;

export const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** A request id: the caller's X-Request-Id when it is well formed, else a new one. */
export function genReqId(req: { headers: Record<string, string | string[] | undefined> }): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : crypto.randomUUID();
}

/** Log lines carry the path without its query string: queries can hold names or ID numbers. */
export const logSerializers = {
  req(req: FastifyRequest) {
    return { method: req.method, path: req.url.split('?')[0], id: req.id };
  },
};

/**
 * The security headers helmet would set, computed once: helmet's middleware recomputes them on every
 * request, which measured here cut a trivial route from 46k to 17k req/s. The headers do not depend
 * on the request, so the result is the same.
 */
export function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (k: string, v: unknown) => void (headers[k.toLowerCase()] = String(v)),
    removeHeader: (k: string) => void delete headers[k.toLowerCase()],
    getHeader: (k: string) => headers[k.toLowerCase()],
  };
  helmet(options)({} as never, res as never, () => {});
  return headers;
}

export async function registerSecurity(app: FastifyInstance, config: Config): Promise<void> {
  const headers = securityHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: config.NODE_ENV === 'production' ? [] : null,
      },
    },
    strictTransportSecurity: config.NODE_ENV === 'production',
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onRequest', (_req, reply, done) => {
    reply.headers(headers);
    done();
  });

  const redis = config.REDIS_URL
    ? new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, connectTimeout: 5000, lazyConnect: true })
    : undefined;
  if (redis) {
    // Connect before serving, so the first requests are counted too. If Redis cannot be reached the
    // node still serves (limits are skipped while Redis is away) and says so in the log.
    await redis
      .connect()
      .catch((err: Error) => app.log.warn({ err: err.message }, 'Redis unreachable: rate limits are not shared until it returns'));
    app.addHook('onClose', async () => void (await redis.quit().catch(() => {})));
  }
  await app.register(rateLimit, {
    global: true,
    max: config.RATE_LIMIT_MAX,
    timeWindow: config.RATE_LIMIT_WINDOW_SECONDS * 1000,
    redis,
    nameSpace: 'panjereh-rl:',
    skipOnError: true, // a Redis outage must not take the site down; limits resume when it returns
    allowList: (req) => req.url.startsWith('/assets/') || req.url === '/healthz',
    errorResponseBuilder: (_req, ctx) =>
      Object.assign(new AppError('RATE_LIMITED', `Too many requests. Try again in ${Math.ceil(ctx.ttl / 1000)} seconds.`), {
        statusCode: 429,
      }),
  });
}

/** fa or en from the first path segment, for choosing between a JSON problem and an error page. */
export function langOfPath(url: string): Lang | null {
  const seg = url.split('/')[1]?.split('?')[0];
  return isLang(seg) ? seg : null;
}

export function isApiPath(url: string): boolean {
  return /^\/(api|open-data|healthz)(\/|$|\?)/.test(url);
}

export type ErrorPageRenderer = (
  reply: FastifyReply,
  lang: Lang,
  kind: 'not-found' | 'error' | 'client' | 'unavailable',
  status: number,
  requestId: string,
  message?: string,
) => FastifyReply;

export function registerErrorHandling(app: FastifyInstance, renderErrorPage: ErrorPageRenderer): void {
  const respond = (req: FastifyRequest, reply: FastifyReply, err: AppError) => {
    const lang = langOfPath(req.url);
    if (err.code === 'DATABASE_UNAVAILABLE') reply.header('retry-after', String(RETRY_AFTER_SECONDS)).header('cache-control', 'no-store');
    if (lang && !isApiPath(req.url)) {
      const kind =
        err.status === 404 ? 'not-found' : err.code === 'DATABASE_UNAVAILABLE' ? 'unavailable' : err.status >= 500 ? 'error' : 'client';
      return renderErrorPage(reply, lang, kind, err.status, req.id, messageFor(err.code, lang));
    }
    const body: ProblemBody = { code: err.code, message: err.message, requestId: req.id };
    if (err.details) body.details = err.details;
    return reply.code(err.status).type('application/problem+json; charset=utf-8').send(body);
  };

  app.setErrorHandler((error: FastifyError, req, reply) => {
    // PostgreSQL restarting, failing over or out of reach: a 503 the client may retry, not a 500. The
    // log line has the error's code and message only (no query, no parameters).
    if (isDatabaseUnavailable(error)) {
      req.log.warn(describeDatabaseError(error), 'database unavailable');
      return respond(req, reply, new AppError('DATABASE_UNAVAILABLE'));
    }
    const known = error instanceof AppError ? error : fromFastifyError(error);
    if (known) {
      if (known.code === 'DATABASE_UNAVAILABLE') req.log.warn({ code: known.code }, 'database unavailable');
      else if (known.status >= 500) req.log.error({ err: error }, 'request failed');
      return respond(req, reply, known);
    }
    req.log.error({ err: error }, 'unexpected error');
    return respond(req, reply, new AppError('INTERNAL', messageFor('INTERNAL', 'en')));
  });

  app.setNotFoundHandler((req, reply) => respond(req, reply, new AppError('NOT_FOUND')));
}

/** A NUL character or a UTF-16 surrogate without its pair: text no database column or JSON value can hold. */
// eslint-disable-next-line no-control-regex -- NUL is the character this refuses
export const BAD_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const MAX_JSON_DEPTH = 64;

/** Throws INVALID_TEXT when any string (or key) in a value holds BAD_TEXT, JSON_TOO_DEEP past 64 levels. Iterative, so depth cannot overflow the stack. */
export function assertCleanInput(value: unknown): void {
  const stack: [unknown, number][] = [[value, 0]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [v, depth] = next;
    if (typeof v === 'string') {
      if (BAD_TEXT.test(v)) throw new AppError('INVALID_TEXT');
    } else if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) {
      if (depth >= MAX_JSON_DEPTH) throw new AppError('JSON_TOO_DEEP');
      for (const [k, x] of Object.entries(v)) {
        if (BAD_TEXT.test(k)) throw new AppError('INVALID_TEXT');
        stack.push([x, depth + 1]);
      }
    }
  }
}

/** Whether every name=value pair of a query or form string decodes as UTF-8 (not %FF, %C3%28, %ED%A0%80, a lone %). */
function utf8Pairs(qs: string): boolean {
  if (!qs.includes('%')) return true;
  for (const pair of qs.split('&')) {
    try {
      decodeURIComponent(pair);
    } catch {
      return false;
    }
  }
  return true;
}

/** 400 INVALID_TEXT when a query parameter's percent-encoding does not decode as UTF-8. */
export function assertUtf8Query(url: string): void {
  const at = url.indexOf('?');
  if (at >= 0 && !utf8Pairs(url.slice(at + 1))) throw new AppError('INVALID_TEXT');
}

const notUtf8Forms = new WeakSet<object>();
/**
 * The urlencoded form parser (for @fastify/formbody): repeated names into arrays, remembering a body whose
 * percent-encoding is not UTF-8 (the parser would keep it as raw %XX text) so the input check refuses it.
 */
export function parseForm(body: string): Record<string, unknown> {
  const parsed: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    if (k === '__proto__') continue;
    const prev = parsed[k];
    parsed[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  if (!utf8Pairs(body)) notUtf8Forms.add(parsed);
  return parsed;
}

/**
 * The input rules every route gets, before its schema is checked:
 * - a query parameter sent more than once keeps its last value (as common gateways do), unless the
 *   route's querystring schema declares it a list (the catalogue facets);
 * - NUL characters and lone surrogates in the path, the query or a parsed body, and query parameters whose
 *   percent-encoding is not UTF-8 (the query parser would keep them as raw %XX text) are a 400 INVALID_TEXT,
 *   JSON nested deeper than 64 levels a 400 JSON_TOO_DEEP (multipart fields are checked as they are read).
 */
export function registerInputChecks(app: FastifyInstance): void {
  app.addHook('preValidation', (req, _reply, done) => {
    const q = req.query as Record<string, unknown> | undefined;
    if (q && typeof q === 'object') {
      const props = ((req.routeOptions.schema?.querystring ?? {}) as { properties?: Record<string, { type?: unknown }> }).properties ?? {};
      for (const [k, v] of Object.entries(q)) if (Array.isArray(v) && props[k]?.type !== 'array') q[k] = v.at(-1);
    }
    try {
      assertUtf8Query(req.url);
      if (req.body && typeof req.body === 'object' && notUtf8Forms.has(req.body)) throw new AppError('INVALID_TEXT');
      assertCleanInput(req.params);
      assertCleanInput(q);
      assertCleanInput(req.body);
    } catch (e) {
      return done(e as Error);
    }
    done();
  });
}
