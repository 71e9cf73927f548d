import type { FastifyInstance } from 'fastify';
import { ping } from '../../db/connect.ts';
import { AppError } from '../../platform/errors.ts';
import type { AppContext } from '../../server.ts';

export function registerHealth(app: FastifyInstance, ctx: AppContext): void {
  app.get('/healthz', { schema: { hide: true } }, async (_req, reply) => {
    if (!(await ping(ctx.database.db))) throw new AppError('DATABASE_UNAVAILABLE');
    return reply.header('cache-control', 'no-store').send({ status: 'ok' });
  });
}
