// The types the applications services share (and the routes see): who acts, what listeners get, what an upload is.
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { StaffRow } from '../identity/staff.service.ts';
import type { FormDefinition, FormField } from './forms.ts';
import type { FILE_MIME } from './validate.ts';
import { OPEN_STATUSES, type ApplicationEventRow, type ApplicationRow } from './applications.repository.ts';

export interface CitizenRef {
  id: string;
  national_id: string;
  mobile: string;
}

/**
 * Another module's rule for whom an application may be made (representation: a parent or guardian for
 * their minor child, when the form declares "actingFor"), run when the page naming that person is saved
 * and again at submission. Returns why not (a message for the page), or null to let it through.
 */
export type ActingForCheck = (c: {
  app: ApplicationRow;
  def: FormDefinition;
  answers: Record<string, unknown>;
  citizen: CitizenRef;
  stage: 'page' | 'submission';
}) => Promise<ActingForRefusal | null>;
export interface ActingForRefusal {
  field: string;
  message: { fa: string; en: string };
}

/** What listeners get after a change is committed (documents and webhooks hook in here). */
export interface ApplicationEvent {
  event: ApplicationEventRow;
  application: ApplicationRow;
}
export type ApplicationEventListener = (e: ApplicationEvent) => void | Promise<void>;
/** Runs inside the transaction that records the events (for outboxes that must never miss one: webhooks). */
export type ApplicationEventSink = (tx: Transaction<Database>, application: ApplicationRow, events: ApplicationEventRow[]) => Promise<void>;

/**
 * Who works on an application for its agency: a staff member in the back office, or an agency's own
 * system calling the agency API with a key. Both go through the same methods (same rules, timeline,
 * e-box, notifications, webhooks and audit); only the recorded actor differs.
 */
export type AgencyActor = StaffRow | { apiKeyId: string; agencyId: string };
export const isApi = (a: AgencyActor): a is { apiKeyId: string; agencyId: string } => 'apiKeyId' in a;
/** The actor as recorded on events and in the audit log: `staff:<id>` or `apikey:<id>`. */
export const actorOf = (a: AgencyActor): string => (isApi(a) ? `apikey:${a.apiKeyId}` : `staff:${a.id}`);
export const staffIdOf = (a: AgencyActor): string | null => (isApi(a) ? null : a.id);

/** A file field, or the one attachment field of a response or message. */
export type UploadField =
  FormField | { name: string; label: { fa: string; en: string }; accept: ('pdf' | 'png' | 'jpeg')[]; maxBytes: number; type: 'file' };
/** Content in storage, checked, that no row points at yet (see stageFile). */
export interface StagedFile {
  field: string;
  name: string;
  kind: keyof typeof FILE_MIME;
  size: number;
  sha256: string;
  key: string;
}

/**
 * Who may be given an application: an active (not deactivated) operator or agency admin of the
 * application's agency. The one rule, for the back office's list and form, the agency API and claim().
 */
export function isAssignable(s: Pick<StaffRow, 'role' | 'agency_id' | 'deactivated_at'>, agencyId: string): boolean {
  return s.agency_id === agencyId && !s.deactivated_at && (s.role === 'operator' || s.role === 'agency-admin');
}

/** The orders the agency API lists applications in. */
export const AGENCY_SORTS = ['updated', '-updated', 'submitted', '-submitted', 'due'] as const;
export type AgencySort = (typeof AGENCY_SORTS)[number];

/** Overdue: past its due date and still open (not decided). The one rule, for the queue, the application page, tracking and the API. */
export function isOverdue(a: Pick<ApplicationRow, 'due_at' | 'status'>, now = Date.now()): boolean {
  return !!a.due_at && new Date(a.due_at).getTime() < now && OPEN_STATUSES.includes(a.status);
}

/** The one attachment field of a response to a request for information, or of an agency's message. */
export const RESPONSE_FILE = {
  name: 'attachment',
  type: 'file' as const,
  label: { fa: 'پیوست', en: 'Attachment' },
  accept: ['pdf', 'png', 'jpeg'] as ('pdf' | 'png' | 'jpeg')[],
  maxBytes: 5 * 1024 * 1024,
};
