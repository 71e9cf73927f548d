import type { FastifyInstance } from 'fastify';
import { ping } from '../../db/connect.ts';
import { AppError } from '../../platform/errors.ts';
import type { AppContext } from '../../context.ts';

export function registerHealth(app: FastifyInstance, ctx: AppContext): void {
  // 200 {status: ok, database: up} or 503 DATABASE_UNAVAILABLE {database: down} with Retry-After, asked
  // afresh on every call: a load balancer takes the node out while PostgreSQL is away and back after.
  app.get('/healthz', { schema: { hide: true } }, async (_req, reply) => {
    if (!(await ping(ctx.database.db))) throw new AppError('DATABASE_UNAVAILABLE', undefined, { database: 'down' });
    return reply.header('cache-control', 'no-store').send({ status: 'ok', database: 'up' });
  });
}
