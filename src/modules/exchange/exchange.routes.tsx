// Exchange pages: admin (platform admins), oversight statistics, open data, and citizens' data use.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../server.ts';

export function registerExchangePages(_app: FastifyInstance, _ctx: AppContext): void {}
