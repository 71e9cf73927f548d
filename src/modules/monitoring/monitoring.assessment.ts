// Assessing a subject in an open round: an assessor's answers with their evidence (a note, a link or a
// file), the automated portal checks that propose answers for the assessor to confirm, then submitting
// the assessment and its review. Part of the
// monitoring service (monitoring.service.ts), which finds the rounds; every change is audited in its own
// transaction. No HTTP, no SQL.
import crypto from 'node:crypto';
import { AppError } from '../../platform/errors.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { toAsciiDigits } from '../../platform/persian.ts';
import type { StaffPrincipal } from '../identity/identity.policy.ts';
import type { CheckJobRow, MonitoringRepository, RoundRow, SetRow, SubjectRow } from './monitoring.repository.ts';
import { valueProblem, type Indicator, type IndicatorSetInput } from './monitoring.schema.ts';
import { checkEvidence } from './monitoring.evidence.ts';
import { canAnswer, canManageRounds, canReview } from './monitoring.policy.ts';
import { proposalsFrom, type PortalCheckResult } from './monitoring.checks.ts';

export type FormErrors = { field: string; message: string }[];
export const actor = (s: StaffPrincipal) => `staff:${s.id}`;

export interface AnswerInput {
  value: string;
  note?: string;
  link?: string;
  file?: { data: Buffer; filename: string } | null;
}

/** How the assessment finds rounds, subjects, sets and indicators (the monitoring service). */
export interface RoundLookup {
  openRound(idOrSlug: string): Promise<RoundRow>;
  subject(round: RoundRow, subject: string): Promise<SubjectRow>;
  setOf(round: RoundRow): Promise<SetRow>;
  indicator(set: IndicatorSetInput, code: string): Indicator;
}

export class MonitoringAssessment {
  constructor(
    private readonly repo: MonitoringRepository,
    private readonly audit: AuditLog,
    private readonly rounds: RoundLookup,
    private readonly evidenceMaxBytes: number,
  ) {}

  /** An assessor's answer with its evidence (a note, a link or a file: at least one). */
  async answer(
    roundId: string,
    subjectKey: string,
    code: string,
    input: AnswerInput,
    by: StaffPrincipal,
    lang: 'fa' | 'en',
  ): Promise<FormErrors> {
    const round = await this.rounds.openRound(roundId);
    const subject = await this.rounds.subject(round, subjectKey);
    if (!canAnswer(by, subject)) throw new AppError('FORBIDDEN');
    if (subject.status !== 'open')
      throw new AppError(
        'ROUND_NOT_READY',
        'This assessment has been submitted for review and cannot be changed unless the reviewer returns it.',
      );
    const set = await this.rounds.setOf(round);
    const ind = this.rounds.indicator(set, code);
    if (ind.answeredBy !== 'assessor')
      throw new AppError('VALIDATION_FAILED', 'This indicator is computed automatically from platform data.');
    const say = (fa: string, en: string) => (lang === 'fa' ? fa : en);
    const errors: FormErrors = [];
    const raw = toAsciiDigits(input.value ?? '')
      .trim()
      .replace('٫', '.')
      .replace(/[,٬]/g, '');
    let value = NaN;
    if (ind.type === 'yesno') value = raw === 'yes' ? 1 : raw === 'no' ? 0 : NaN;
    else if (raw !== '' && /^-?\d+(\.\d+)?$/.test(raw)) value = Number(raw);
    if (ind.type === 'yesno' && Number.isNaN(value))
      errors.push({ field: 'value', message: say('بله یا خیر را انتخاب کنید', 'Choose yes or no') });
    else if (raw === '') errors.push({ field: 'value', message: say('مقدار را بنویسید', 'Enter the value') });
    else {
      const p = valueProblem(ind, value, lang);
      if (p) errors.push({ field: 'value', message: p });
    }
    const note = (input.note ?? '').trim();
    const link = (input.link ?? '').trim();
    if (note.length > 2000)
      errors.push({ field: 'note', message: say('یادداشت حداکثر ۲۰۰۰ نویسه باشد', 'The note must be 2,000 characters or fewer') });
    if (link && (!/^https?:\/\/\S+$/.test(link) || link.length > 500))
      errors.push({
        field: 'link',
        message: say('پیوند باید نشانی‌ای باشد که با https:// آغاز می‌شود', 'The link must be a web address starting with https://'),
      });
    let file: { mediaType: string; filename: string; data: Buffer } | null = null;
    if (input.file && input.file.data.length + input.file.filename.length > 0) {
      try {
        file = { ...checkEvidence(input.file.data, input.file.filename, this.evidenceMaxBytes), data: input.file.data };
      } catch (e) {
        errors.push({ field: 'file', message: (e as AppError).message });
      }
    }
    const hasFile = (await this.repo.evidence(round.id, subject.subject)).some((e) => e.code === code);
    if (!errors.some((e) => e.field === 'file') && !note && !link && !file && !hasFile)
      errors.push({ field: 'note', message: say('مستندی بیاورید: یادداشت، پیوند یا پرونده', 'Give evidence: a note, a link or a file') });
    if (errors.length) return errors;
    await this.repo.transaction(async (tx) => {
      const r = await this.repo.lockRound(tx, round.id);
      if (r?.status !== 'open') throw new AppError('ROUND_LOCKED');
      const prev = (await this.repo.answers(round.id, subject.subject, tx)).find((a) => a.code === code);
      await this.repo.upsertAnswers(tx, [
        {
          round_id: round.id,
          subject: subject.subject,
          code,
          value,
          state: 'answered',
          origin: 'assessor',
          note: note || null,
          link: link || null,
          detail: JSON.stringify(prev?.state === 'proposed' ? { ...prev.detail, confirmedFrom: 'portal-check', proposed: prev.value } : {}),
          answered_by: actor(by),
        },
      ]);
      if (file) {
        const sha256 = crypto.createHash('sha256').update(file.data).digest('hex');
        await this.repo.insertEvidence(tx, {
          round_id: round.id,
          subject: subject.subject,
          code,
          filename: file.filename,
          media_type: file.mediaType,
          size: file.data.length,
          sha256,
          content: file.data,
          uploaded_by: actor(by),
        });
      }
      await this.audit.record(
        {
          actor: actor(by),
          action: 'monitoring.answered',
          subject: round.id,
          detail: {
            subject: subject.subject,
            code,
            value,
            file: file ? { name: file.filename, type: file.mediaType, bytes: file.data.length } : null,
          },
        },
        tx,
      );
    });
    return [];
  }

  /** Stores a portal check and proposes answers the assessor then confirms; assessor answers are never overwritten. */
  async applyPortalCheck(roundId: string, subjectKey: string, result: PortalCheckResult, by: StaffPrincipal): Promise<number> {
    const round = await this.rounds.openRound(roundId);
    const subject = await this.rounds.subject(round, subjectKey);
    if (!canManageRounds(by) && !canAnswer(by, subject)) throw new AppError('FORBIDDEN');
    return (await this.#storeCheck(round, subject, result, actor(by))).proposed;
  }

  async #storeCheck(
    round: RoundRow,
    subject: SubjectRow,
    result: PortalCheckResult,
    by: string,
  ): Promise<{ checkId: string; proposed: number }> {
    const set = await this.rounds.setOf(round);
    return this.repo.transaction(async (tx) => {
      const stored = await this.repo.insertPortalCheck(
        { url: result.url, round_id: round.id, subject: subject.subject, result: JSON.stringify(result) },
        tx,
      );
      const current = new Map((await this.repo.answers(round.id, subject.subject, tx)).map((a) => [a.code, a]));
      const rows = proposalsFrom(set.indicators, result)
        .filter((p) => {
          const prev = current.get(p.code);
          return !prev || prev.state === 'proposed';
        })
        .map((p) => ({
          round_id: round.id,
          subject: subject.subject,
          code: p.code,
          value: p.value,
          state: 'proposed' as const,
          origin: 'portal-check' as const,
          note: p.note,
          link: result.url,
          detail: JSON.stringify({ check: p.check }),
          answered_by: by,
        }));
      await this.repo.upsertAnswers(tx, rows);
      await this.audit.record(
        {
          actor: by,
          action: 'monitoring.portal-checked',
          subject: round.id,
          detail: { subject: subject.subject, url: result.url, proposed: rows.length },
        },
        tx,
      );
      return { checkId: stored.id, proposed: rows.length };
    });
  }

  /** Queues an automated check of a subject's portal (a worker runs it: it takes seconds). One waiting job per subject. */
  async requestPortalCheck(roundId: string, subjectKey: string, by: StaffPrincipal): Promise<{ job: CheckJobRow; created: boolean }> {
    const round = await this.rounds.openRound(roundId);
    const subject = await this.rounds.subject(round, subjectKey);
    if (!canManageRounds(by) && !canAnswer(by, subject)) throw new AppError('FORBIDDEN');
    if (!subject.url) throw new AppError('VALIDATION_FAILED', 'This agency or portal has no website address to check.');
    return this.repo.enqueueCheck({ round_id: round.id, subject: subject.subject, url: subject.url, requested_by: actor(by) }, (tx, job) =>
      this.audit.record(
        {
          actor: actor(by),
          action: 'monitoring.portal-check-requested',
          subject: round.id,
          detail: { subject: subject.subject, job: job.id },
        },
        tx,
      ),
    );
  }

  /** Queues a check of every portal in an open round still being assessed (the oversight office). */
  async requestRoundChecks(roundId: string, by: StaffPrincipal): Promise<number> {
    if (!canManageRounds(by)) throw new AppError('FORBIDDEN');
    const round = await this.rounds.openRound(roundId);
    const set = await this.rounds.setOf(round);
    if (!set.indicators.some((i) => i.check)) return 0;
    let n = 0;
    for (const s of await this.repo.subjects(round.id))
      if (s.url && s.status === 'open') n += (await this.requestPortalCheck(round.id, s.subject, by)).created ? 1 : 0;
    return n;
  }

  /** The worker's part: stores a finished check for the job's round and subject (the request was authorised when queued). */
  async completePortalCheck(job: CheckJobRow, result: PortalCheckResult): Promise<{ checkId: string; proposed: number }> {
    const round = await this.rounds.openRound(job.round_id);
    const subject = await this.rounds.subject(round, job.subject);
    return this.#storeCheck(round, subject, result, job.requested_by);
  }

  /** Every assessor indicator needs a confirmed answer before review. */
  async submit(roundId: string, subjectKey: string, by: StaffPrincipal): Promise<string[]> {
    const round = await this.rounds.openRound(roundId);
    const subject = await this.rounds.subject(round, subjectKey);
    if (!canAnswer(by, subject)) throw new AppError('FORBIDDEN');
    if (subject.status !== 'open') throw new AppError('ROUND_NOT_READY', 'This assessment is already submitted.');
    const set = await this.rounds.setOf(round);
    const answers = new Map((await this.repo.answers(round.id, subject.subject)).map((a) => [a.code, a]));
    const missing = set.indicators
      .filter((i) => i.answeredBy === 'assessor' && answers.get(i.code)?.state !== 'answered')
      .map((i) => i.code);
    if (missing.length) return missing;
    await this.repo.transaction(async (tx) => {
      await this.repo.updateSubject(tx, round.id, subject.subject, { status: 'submitted' });
      await this.audit.record(
        { actor: actor(by), action: 'monitoring.submitted', subject: round.id, detail: { subject: subject.subject } },
        tx,
      );
    });
    return [];
  }

  async review(roundId: string, subjectKey: string, decision: 'approve' | 'return', note: string, by: StaffPrincipal): Promise<FormErrors> {
    const round = await this.rounds.openRound(roundId);
    const subject = await this.rounds.subject(round, subjectKey);
    if (!canReview(by, subject)) throw new AppError('FORBIDDEN');
    if (subject.status !== 'submitted') throw new AppError('ROUND_NOT_READY', 'Only a submitted assessment can be reviewed.');
    if (decision === 'return' && !note.trim()) return [{ field: 'reviewNote', message: 'Say what the assessor should change' }];
    await this.repo.transaction(async (tx) => {
      await this.repo.updateSubject(tx, round.id, subject.subject, {
        status: decision === 'approve' ? 'approved' : 'open',
        reviewer_id: by.id,
        review_note: note.trim().slice(0, 2000) || null,
        reviewed_at: new Date(),
      });
      await this.audit.record(
        {
          actor: actor(by),
          action: decision === 'approve' ? 'monitoring.approved' : 'monitoring.returned',
          subject: round.id,
          detail: { subject: subject.subject },
        },
        tx,
      );
    });
    return [];
  }
}
