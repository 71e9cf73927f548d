// The participation module's routes: public and citizen pages, staff pages, open data. server.ts calls
// registerParticipation once the module is built (participation.module.ts).
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { registerParticipationRoutes } from './participation.routes.ts';
import { registerParticipationStaffRoutes } from './participation.staff.routes.ts';
import { registerParticipationOpenData } from './participation.opendata.ts';
import { registerParticipationBudgetRoutes } from './participation.budget.routes.ts';

export function registerParticipation(app: FastifyInstance, ctx: AppContext): void {
  registerParticipationRoutes(app, ctx, ctx.participation);
  registerParticipationStaffRoutes(app, ctx, ctx.participation);
  registerParticipationBudgetRoutes(app, ctx, ctx.participation);
  registerParticipationOpenData(app, ctx.participation);
}
