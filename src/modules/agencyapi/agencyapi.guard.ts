// The check every agency API route runs: rate limit per key, then the key, then the scope.
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../platform/errors.ts';
import { keyPrefix, type AgencyPrincipal, type ApiScope } from './agencyapi.service.ts';

declare module 'fastify' {
  interface FastifyRequest {
    agencyPrincipal?: AgencyPrincipal;
  }
}

const bearer = (req: FastifyRequest): string | null => {
  const h = req.headers.authorization;
  const m = typeof h === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null;
  return m ? m[1] : null;
};

/** Route options for agency API routes: a rate limit per key (by its prefix), API_KEY_RATE_LIMIT a window. */
export function apiKeyRouteConfig(ctx: AppContext) {
  return {
    rateLimit: {
      max: ctx.config.API_KEY_RATE_LIMIT,
      timeWindow: ctx.config.RATE_LIMIT_WINDOW_SECONDS * 1000,
      keyGenerator: (req: FastifyRequest) => {
        const key = bearer(req);
        const prefix = key ? keyPrefix(key) : null;
        return prefix ? `apikey:${prefix}` : `apikey-ip:${req.ip}`;
      },
    },
  };
}

/**
 * A preHandler that lets the request through only with a valid key having `scope` (null: any scope); the agency is then
 * `req.agencyPrincipal`. 401 API_KEY_MISSING / API_KEY_INVALID, 403 API_KEY_SCOPE.
 */
export function requireApiKey(ctx: AppContext, scope: ApiScope | null): preHandlerAsyncHookHandler {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const key = bearer(req);
    if (!key) {
      reply.header('www-authenticate', 'Bearer realm="panjereh-agency-api"');
      throw new AppError('API_KEY_MISSING');
    }
    const principal = await ctx.agencyApi.authenticate(key);
    if (!principal) {
      reply.header('www-authenticate', 'Bearer realm="panjereh-agency-api", error="invalid_token"');
      throw new AppError('API_KEY_INVALID');
    }
    if (scope && !principal.scopes.includes(scope))
      throw new AppError('API_KEY_SCOPE', `This API key lacks the scope ${scope}.`, { required: scope });
    req.agencyPrincipal = principal;
  };
}

/** The checked principal (for handlers behind requireApiKey). */
export function agencyOf(req: FastifyRequest): AgencyPrincipal {
  if (!req.agencyPrincipal) throw new AppError('API_KEY_MISSING');
  return req.agencyPrincipal;
}

/** 403 OTHER_AGENCY unless the resource belongs to the key's agency. */
export function assertOwnAgency(p: AgencyPrincipal, resourceAgencyId: string): void {
  if (p.agencyId !== resourceAgencyId) throw new AppError('OTHER_AGENCY');
}
