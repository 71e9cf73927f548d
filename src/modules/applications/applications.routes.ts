// Registers the applications module's pages: the citizen journey, tracking, the e-box and the back office,
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

export function registerApplications(app: FastifyInstance, ctx: AppContext): void {
  registerJourney(app, ctx);
  registerTracking(app, ctx);
  registerEbox(app, ctx);
  registerBackOffice(app, ctx);
  registerFormEditor(app, ctx);
  registerOfflineCounts(app, ctx);
  registerApplicationsApi(app, ctx);
}
