// Who may do what. Routes ask here; they never decide by themselves.
import type { StaffRole } from '../../db/schema.ts';

export interface StaffPrincipal {
  id: string;
  role: StaffRole;
  agencyId: string | null;
}

export type Action =
  | 'staff.home'
  | 'catalog.list'
  | 'catalog.edit'
  | 'catalog.dictionary'
  | 'staff.manage'
  | 'oversight.view'
  | 'audit.view'
  | 'sso.manage'
  | 'documents.list'
  | 'documents.revoke'
  | 'integrations.manage'
  | 'applications.work'
  | 'applications.stats'
  | 'exchange.manage'
  | 'monitoring.work'
  | 'monitoring.manage'
  | 'calendar.manage'
  | 'payments.finance'
  | 'payments.report'
  | 'payments.accounts'
  | 'participation.manage'
  | 'requests.work'
  | 'requests.configure'
  | 'counter.work'
  | 'counter.manage'
  | 'catalog.journeys';

/** Roles scoped to one agency act only on that agency; platform admins and oversight analysts on all. */
export function can(staff: StaffPrincipal | null, action: Action, resource: { agencyId?: string } = {}): boolean {
  if (!staff) return false;
  const ownAgency = resource.agencyId === undefined || staff.agencyId === resource.agencyId;
  switch (action) {
    case 'staff.home':
    case 'monitoring.work': // own assignments; which round and agency is decided in monitoring.policy.ts
      return true;
    case 'monitoring.manage':
      return staff.role === 'platform-admin' || staff.role === 'oversight-analyst';
    case 'catalog.list':
      return staff.role === 'platform-admin' || staff.role === 'oversight-analyst' || ownAgency;
    case 'catalog.edit':
      return staff.role === 'platform-admin' || ((staff.role === 'service-editor' || staff.role === 'agency-admin') && ownAgency);
    case 'catalog.dictionary': // the national search dictionary and search counts: any service editor or administrator
      return staff.role === 'platform-admin' || staff.role === 'service-editor' || staff.role === 'agency-admin';
    case 'staff.manage':
      return staff.role === 'platform-admin' || (staff.role === 'agency-admin' && ownAgency);
    case 'oversight.view':
      return staff.role === 'platform-admin' || staff.role === 'oversight-analyst';
    case 'documents.list':
      return (
        staff.role === 'platform-admin' ||
        staff.role === 'oversight-analyst' ||
        ((staff.role === 'agency-admin' || staff.role === 'operator') && ownAgency)
      );
    case 'documents.revoke':
      return staff.role === 'platform-admin' || ((staff.role === 'agency-admin' || staff.role === 'operator') && ownAgency);
    case 'integrations.manage':
      return staff.role === 'platform-admin' || (staff.role === 'agency-admin' && ownAgency);
    case 'applications.work':
      // operators and their agency admins work their own agency's applications; nobody else sees them
      return (staff.role === 'operator' || staff.role === 'agency-admin') && staff.agencyId !== null && ownAgency;
    case 'applications.stats':
      return (
        staff.role === 'platform-admin' ||
        staff.role === 'oversight-analyst' ||
        ((staff.role === 'operator' || staff.role === 'agency-admin') && staff.agencyId !== null && ownAgency)
      );
    case 'payments.finance':
      // refunds, reconciliation and treasury accounts: the agency's finance officer (and its admin for accounts)
      return staff.role === 'finance-officer' && staff.agencyId !== null && ownAgency;
    case 'payments.accounts':
      // where the agency's fees are paid into: its finance officer or its administrator
      return (staff.role === 'finance-officer' || staff.role === 'agency-admin') && staff.agencyId !== null && ownAgency;
    case 'payments.report':
      return (
        staff.role === 'platform-admin' ||
        staff.role === 'oversight-analyst' ||
        ((staff.role === 'finance-officer' || staff.role === 'agency-admin') && staff.agencyId !== null && ownAgency)
      );
    case 'participation.manage':
      // participatory processes, their texts and polls, moderation and outcome: the agency's participation editor or admin
      return (staff.role === 'participation-editor' || staff.role === 'agency-admin') && staff.agencyId !== null && ownAgency;
    case 'requests.work':
      // citizens' requests: operators and admins (the head of complaints) of an agency work its own; the
      // oversight office (oversight analysts) takes escalations, FOI appeals, publication and vexatious reviews
      return (
        staff.role === 'oversight-analyst' ||
        ((staff.role === 'operator' || staff.role === 'agency-admin') && staff.agencyId !== null && ownAgency)
      );
    case 'requests.configure': // the agency's own deadlines for citizens' requests: its admin (head of complaints)
      return staff.role === 'agency-admin' && staff.agencyId !== null && ownAgency;
    case 'counter.work': // an assisted application at a counter office: its operators (which office: counter.service.ts)
      return staff.role === 'counter-operator';
    case 'counter.manage': // registering counter offices and their operators
    case 'catalog.journeys': // the life-event journeys are national content: no agency's staff rewrites them
    case 'audit.view':
    case 'sso.manage':
    case 'exchange.manage':
    case 'calendar.manage':
      return staff.role === 'platform-admin';
  }
}
