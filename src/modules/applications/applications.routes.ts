// Registers the applications module's pages: the citizen journey (with registry prefill), tracking, the e-box and the back office,
// and its part of the agency API (/api/agency/v1/applications).
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { registerJourney } from './journey.routes.tsx';
import { registerTracking } from './track.routes.tsx';
import { registerEbox } from './ebox.routes.tsx';
import { registerBackOffice } from './backoffice.routes.tsx';
import { registerFormEditor } from './forms.editor.tsx';
import { registerOfflineCounts } from './offline.routes.tsx';
import { registerApplicationsApi } from './applications.api.ts';
import { registerPrefill } from './prefill.routes.tsx';
import { PrefillService } from './prefill.ts';

export function registerApplications(app: FastifyInstance, ctx: AppContext): void {
  const prefill = new PrefillService(ctx.applications, ctx.exchange);
  registerPrefill(app, ctx, prefill);
  registerJourney(app, ctx, prefill);
  registerTracking(app, ctx);
  registerEbox(app, ctx);
  registerBackOffice(app, ctx);
  registerFormEditor(app, ctx);
  registerOfflineCounts(app, ctx);
  registerApplicationsApi(app, ctx);
}
