// Who may do what in monitoring. The oversight office (platform admins, oversight analysts) runs
// rounds: creates them, assigns assessors, reviews and publishes. An assessor answers only the
// agencies assigned to them, never their own agency, and nobody reviews their own assessment.
import { can, type StaffPrincipal } from '../identity/identity.policy.ts';
import type { SubjectRow } from './monitoring.repository.ts';

export const canManageRounds = (s: StaffPrincipal) => can(s, 'monitoring.manage');

/**
 * Changing an indicator set's weights (a new version). Sets are imported today only from the command
 * line (`panjereh monitor indicators import`, the operator); in the browser it is the oversight office, the
 * same people who run rounds.
 */
export const canEditSets = (s: StaffPrincipal) => can(s, 'monitoring.manage');

/** May this person be assigned to assess this subject? (no one assesses their own agency) */
export const canBeAssessor = (s: StaffPrincipal, subject: Pick<SubjectRow, 'agency_id'>) =>
  !(s.agencyId && s.agencyId === subject.agency_id);

export const canAnswer = (s: StaffPrincipal, subject: Pick<SubjectRow, 'assessor_id'>) => subject.assessor_id === s.id;

export const canReview = (s: StaffPrincipal, subject: Pick<SubjectRow, 'assessor_id'>) =>
  canManageRounds(s) && subject.assessor_id !== s.id;

/** Seeing a round's work pages: the oversight office, or an assessor of one of its subjects. */
export const canSeeRound = (s: StaffPrincipal, subjects: Pick<SubjectRow, 'assessor_id'>[]) =>
  canManageRounds(s) || subjects.some((x) => x.assessor_id === s.id);
