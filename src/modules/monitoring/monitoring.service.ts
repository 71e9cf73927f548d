// The rules of monitoring and evaluation: versioned indicator sets, and rounds that move from open
// (assign, answer with evidence, automatic indicators, portal checks, submit, review) to published;
// a published round never changes, a correction supersedes it and keeps it. Every staff action is audited.
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, LocalText } from '../../db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { canonicalJson } from '../../platform/json.ts';
import { toAsciiDigits, toPersianDigits } from '../../platform/persian.ts';
import type { StaffPrincipal } from '../identity/identity.policy.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import { MonitoringRepository, type CheckJobRow, type RoundRow, type SetRow, type SubjectRow } from './monitoring.repository.ts';
import {
  rollUp,
  setProblems,
  valueProblem,
  type Indicator,
  type IndicatorSetInput,
  type Problem,
  type Scores,
} from './monitoring.schema.ts';
import { MetricRegistry, type MetricCache } from './monitoring.metrics.ts';
import { builtinSets } from './monitoring.builtin.ts';
import { checkEvidence } from './monitoring.evidence.ts';
import { canAnswer, canBeAssessor, canEditSets, canManageRounds, canReview } from './monitoring.policy.ts';
import { applyWeights } from './monitoring.weights.ts';
import { proposalsFrom, type PortalCheckResult } from './monitoring.checks.ts';

export type FormErrors = { field: string; message: string }[];
const actor = (s: StaffPrincipal) => `staff:${s.id}`;
export const endOfDay = (date: string) => new Date(`${date}T23:59:59.999Z`);
const today = () => new Date().toISOString().slice(0, 10);

export interface NewRound {
  slug: string;
  title: LocalText;
  setKey: string;
  cutoff: string;
  agencyIds: string[];
  portals?: { name: string; url: string }[];
}

export interface AnswerInput {
  value: string;
  note?: string;
  link?: string;
  file?: { data: Buffer; filename: string } | null;
}

const setBody = (s: IndicatorSetInput) =>
  canonicalJson({ name: s.name, scope: s.scope, rollup: s.rollup, criteria: s.criteria, indicators: s.indicators });

/**
 * Stores the built-in indicator sets that are not stored yet (first start), and a new version of a
 * built-in set whose shipped text changed (an upgrade, e.g. the Persian LOSI descriptions) as long as
 * nobody has made a version of their own since (a changed weight stays). Rounds keep their version.
 */
export async function ensureBuiltinSets(db: Kysely<Database>): Promise<void> {
  const repo = new MonitoringRepository(db);
  for (const s of builtinSets()) {
    const latest = await repo.latestSet(s.key);
    if (!latest) await repo.insertSet(db, s, 1, 'built-in');
    else if (latest.created_by === 'built-in' && setBody(latest) !== setBody(s))
      await repo.insertSet(db, s, latest.version + 1, 'built-in');
  }
}

export class MonitoringService {
  readonly repo: MonitoringRepository;

  constructor(
    db: Kysely<Database>,
    private readonly catalog: CatalogService,
    private readonly audit: AuditLog,
    readonly metrics: MetricRegistry,
    private readonly evidenceMaxBytes = 5 * 1024 * 1024,
  ) {
    this.repo = new MonitoringRepository(db);
  }

  // ---- indicator sets ----

  /** A new version of a set, unless it is identical to the latest. */
  async importSet(
    set: IndicatorSetInput,
    by: string,
  ): Promise<{ ok: true; set: SetRow; created: boolean } | { ok: false; problems: Problem[] }> {
    const problems = setProblems(set);
    if (problems.length) return { ok: false, problems };
    const r = await this.repo.transaction(async (tx) => {
      const latest = await this.repo.latestSet(set.key, tx);
      if (latest && setBody(latest) === setBody(set)) return { set: latest, created: false };
      const saved = await this.repo.insertSet(tx, set, (latest?.version ?? 0) + 1, by);
      await this.audit.record(
        {
          actor: by,
          action: 'monitoring.indicator-set-imported',
          subject: `${set.key}@${saved.version}`,
          detail: { indicators: set.indicators.length },
        },
        tx,
      );
      return { set: saved, created: true };
    });
    return { ok: true, ...r };
  }

  sets() {
    return this.repo.sets();
  }

  /**
   * New weights from the browser form: always a NEW version of the set (rounds keep the version they
   * were made with). `basedOn` is the version the form showed: if someone saved meanwhile, nothing is
   * overwritten and the form says so. Audited with every weight that changed, before and after.
   */
  async reweightSet(
    key: string,
    basedOn: number,
    form: Record<string, string>,
    by: StaffPrincipal,
    lang: 'fa' | 'en',
  ): Promise<{ ok: true; set: SetRow; changed: number } | { ok: false; errors: FormErrors; latest: SetRow }> {
    if (!canEditSets(by)) throw new AppError('FORBIDDEN');
    const latest = await this.set(key);
    if (latest.version !== basedOn)
      return {
        ok: false,
        latest,
        errors: [
          {
            field: 'version',
            message:
              lang === 'fa'
                ? `این مجموعه پس از باز کردن فرم تغییر کرده و اکنون نسخه ${toPersianDigits(String(latest.version))} است. وزن‌ها را دوباره ببینید و ذخیره کنید.`
                : `This set changed after you opened the form; it is now version ${latest.version}. Check the weights again and save.`,
          },
        ],
      };
    const r = applyWeights(latest, form, lang);
    if (!r.ok) return { ok: false, latest, errors: r.errors };
    if (!r.change.changed.length) return { ok: true, set: latest, changed: 0 };
    const problems = setProblems(r.change.set);
    if (problems.length) return { ok: false, latest, errors: problems.map((p) => ({ field: 'version', message: p.reason })) };
    const saved = await this.repo.transaction(async (tx) => {
      const now = await this.repo.latestSet(key, tx);
      if (now?.version !== latest.version) return null;
      const saved = await this.repo.insertSet(tx, r.change.set, latest.version + 1, actor(by));
      await this.audit.record(
        {
          actor: actor(by),
          action: 'monitoring.indicator-set-reweighted',
          subject: `${key}@${saved.version}`,
          detail: { from: latest.version, to: saved.version, changed: r.change.changed },
        },
        tx,
      );
      return saved;
    });
    if (!saved) return this.reweightSet(key, -1, form, by, lang);
    return { ok: true, set: saved, changed: r.change.changed.length };
  }

  async set(key: string, version?: number): Promise<SetRow> {
    const s = version ? await this.repo.setVersion(key, version) : await this.repo.latestSet(key);
    if (!s) throw new AppError('INDICATOR_SET_NOT_FOUND');
    return s;
  }

  async setOf(round: RoundRow): Promise<SetRow> {
    return (await this.repo.setById(round.set_id))!;
  }

  // ---- rounds ----

  async round(idOrSlug: string): Promise<RoundRow> {
    const r = await this.repo.round(idOrSlug);
    if (!r) throw new AppError('ROUND_NOT_FOUND');
    return r;
  }

  async openRound(idOrSlug: string): Promise<RoundRow> {
    const r = await this.round(idOrSlug);
    if (r.status !== 'open') throw new AppError('ROUND_LOCKED');
    return r;
  }

  async subject(round: RoundRow, subject: string): Promise<SubjectRow> {
    const s = await this.repo.subject(round.id, subject);
    if (!s) throw new AppError('ROUND_SUBJECT_NOT_FOUND');
    return s;
  }

  rounds(status?: RoundRow['status'][]) {
    return this.repo.rounds(status);
  }

  assignments(staffId: string) {
    return this.repo.assignments(staffId);
  }

  async createRound(input: NewRound, by: StaffPrincipal): Promise<{ ok: true; round: RoundRow } | { ok: false; errors: FormErrors }> {
    if (!canManageRounds(by)) throw new AppError('FORBIDDEN');
    const errors: FormErrors = [];
    if (!/^[a-z0-9][a-z0-9-]{2,79}$/.test(input.slug))
      errors.push({ field: 'slug', message: 'Enter a short name of 3 to 80 lower-case letters, digits and dashes, like 1404-h1' });
    else if (await this.repo.slugTaken(input.slug))
      errors.push({ field: 'slug', message: `A round called "${input.slug}" already exists. Choose another short name` });
    if (!input.title.fa?.trim()) errors.push({ field: 'titleFa', message: 'Enter the title in Persian' });
    if (!input.title.en?.trim()) errors.push({ field: 'titleEn', message: 'Enter the title in English' });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(input.cutoff) || Number.isNaN(Date.parse(input.cutoff)))
      errors.push({ field: 'cutoff', message: 'Enter the cut-off date like 2026-09-21' });
    else if (input.cutoff > today()) errors.push({ field: 'cutoff', message: 'The cut-off date must be today or in the past' });
    const set = await this.repo.latestSet(input.setKey);
    if (!set) errors.push({ field: 'setKey', message: 'Choose an indicator set' });
    const agencies = new Map((await this.catalog.agencies()).map((a) => [a.id, a]));
    const unknown = input.agencyIds.filter((id) => !agencies.has(id));
    if (unknown.length) errors.push({ field: 'agencies', message: `Unknown agencies: ${unknown.join(', ')}` });
    const portals = input.portals ?? [];
    for (const p of portals) {
      if (!p.name.trim() || !/^https?:\/\/[^\s]+$/.test(p.url))
        errors.push({ field: 'portals', message: `Write each portal as "name | https://address"; "${p.name} | ${p.url}" is not` });
    }
    if (!input.agencyIds.length && !portals.length) errors.push({ field: 'agencies', message: 'Choose at least one agency or portal' });
    if (errors.length) return { ok: false, errors };
    const subjects = [
      ...[...new Set(input.agencyIds)].map((id) => ({
        subject: id,
        agency_id: id,
        name: JSON.stringify(agencies.get(id)!.name),
        url: agencies.get(id)!.website,
      })),
      ...portals.map((p) => ({
        subject: `portal-${new URL(p.url).hostname
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-|-$/g, '')
          .slice(0, 70)}`,
        agency_id: null,
        name: JSON.stringify({ fa: p.name, en: p.name }),
        url: p.url,
      })),
    ];
    if (new Set(subjects.map((s) => s.subject)).size !== subjects.length)
      return { ok: false, errors: [{ field: 'portals', message: 'Two portals have the same address' }] };
    const round = await this.repo.transaction(async (tx) => {
      const r = await this.repo.insertRound(tx, {
        slug: input.slug,
        title: JSON.stringify({ fa: input.title.fa!.trim(), en: input.title.en!.trim() }),
        set_id: set!.id,
        cutoff: input.cutoff,
        status: 'open',
        created_by: actor(by),
      });
      await this.repo.insertSubjects(
        tx,
        subjects.map((s) => ({ ...s, round_id: r.id })),
      );
      await this.audit.record(
        {
          actor: actor(by),
          action: 'monitoring.round-created',
          subject: r.id,
          detail: { slug: r.slug, set: `${set!.key}@${set!.version}`, cutoff: input.cutoff, subjects: subjects.length },
        },
        tx,
      );
      return r;
    });
    await this.fillAutomatic(round.id, by);
    return { ok: true, round };
  }

  /** Computes every automatic indicator from platform data as of the end of the cut-off day. */
  async fillAutomatic(roundId: string, by: StaffPrincipal | 'system'): Promise<{ answered: number; noData: number }> {
    const round = await this.openRound(roundId);
    const set = await this.setOf(round);
    const subjects = await this.repo.subjects(round.id);
    const at = endOfDay(round.cutoff);
    const cache: MetricCache = new Map();
    const ids = subjects.filter((s) => s.agency_id).map((s) => s.agency_id!);
    const rows = [];
    let answered = 0;
    for (const ind of set.indicators.filter((i) => i.answeredBy === 'auto')) {
      const m = await this.metrics.measure(ind.metric!, ids, at, cache);
      for (const s of subjects) {
        const v = s.agency_id
          ? m.get(s.agency_id)!
          : {
              noData: true as const,
              reason: {
                fa: 'برای درگاه‌های بیرون از فهرست دستگاه‌ها داده خودکار نیست.',
                en: 'No platform data for portals outside the agency list.',
              },
            };
        if ('value' in v) answered++;
        rows.push({
          round_id: round.id,
          subject: s.subject,
          code: ind.code,
          value: 'value' in v ? v.value : null,
          state: 'value' in v ? ('answered' as const) : ('no-data' as const),
          origin: 'auto' as const,
          detail: JSON.stringify('value' in v ? { ...v.detail, metric: ind.metric } : { reason: v.reason, metric: ind.metric }),
          answered_by: 'system',
        });
      }
    }
    const noData = rows.length - answered;
    const filled = rows.slice();
    await this.repo.transaction(async (tx) => {
      await this.repo.upsertAnswers(tx, filled);
      await this.audit.record(
        {
          actor: by === 'system' ? 'system' : actor(by),
          action: 'monitoring.automatic-filled',
          subject: round.id,
          detail: { answered, noData },
        },
        tx,
      );
    });
    return { answered, noData };
  }

  async assign(
    roundId: string,
    subjectKey: string,
    assessorId: string,
    assessor: StaffPrincipal | undefined,
    by: StaffPrincipal,
  ): Promise<FormErrors> {
    if (!canManageRounds(by)) throw new AppError('FORBIDDEN');
    const round = await this.openRound(roundId);
    const subject = await this.subject(round, subjectKey);
    if (!assessor) return [{ field: `assessor-${subjectKey}`, message: 'Choose an assessor from the list' }];
    if (!canBeAssessor(assessor, subject))
      return [{ field: `assessor-${subjectKey}`, message: 'Staff of an agency cannot assess their own agency. Choose someone else' }];
    if (subject.status !== 'open')
      return [{ field: `assessor-${subjectKey}`, message: 'This assessment is already submitted; return it first to change the assessor' }];
    await this.repo.transaction(async (tx) => {
      await this.repo.updateSubject(tx, round.id, subject.subject, { assessor_id: assessorId });
      await this.audit.record(
        {
          actor: actor(by),
          action: 'monitoring.assessor-assigned',
          subject: round.id,
          detail: { subject: subject.subject, assessor: assessorId },
        },
        tx,
      );
    });
    return [];
  }

  indicator(set: IndicatorSetInput, code: string): Indicator {
    const ind = set.indicators.find((i) => i.code === code);
    if (!ind) throw new AppError('INDICATOR_NOT_FOUND');
    return ind;
  }

  /** An assessor's answer with its evidence (a note, a link or a file: at least one). */
  async answer(
    roundId: string,
    subjectKey: string,
    code: string,
    input: AnswerInput,
    by: StaffPrincipal,
    lang: 'fa' | 'en',
  ): Promise<FormErrors> {
    const round = await this.openRound(roundId);
    const subject = await this.subject(round, subjectKey);
    if (!canAnswer(by, subject)) throw new AppError('FORBIDDEN');
    if (subject.status !== 'open')
      throw new AppError(
        'ROUND_NOT_READY',
        'This assessment has been submitted for review and cannot be changed unless the reviewer returns it.',
      );
    const set = await this.setOf(round);
    const ind = this.indicator(set, code);
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
    let file: { mediaType: string; filename: string } | null = null;
    if (input.file && input.file.data.length + input.file.filename.length > 0) {
      try {
        file = checkEvidence(input.file.data, input.file.filename, this.evidenceMaxBytes);
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
        const sha256 = crypto.createHash('sha256').update(input.file!.data).digest('hex');
        await this.repo.insertEvidence(tx, {
          round_id: round.id,
          subject: subject.subject,
          code,
          filename: file.filename,
          media_type: file.mediaType,
          size: input.file!.data.length,
          sha256,
          content: input.file!.data,
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
            file: file ? { name: file.filename, type: file.mediaType, bytes: input.file!.data.length } : null,
          },
        },
        tx,
      );
    });
    return [];
  }

  /** Stores a portal check and proposes answers the assessor then confirms; assessor answers are never overwritten. */
  async applyPortalCheck(roundId: string, subjectKey: string, result: PortalCheckResult, by: StaffPrincipal): Promise<number> {
    const round = await this.openRound(roundId);
    const subject = await this.subject(round, subjectKey);
    if (!canManageRounds(by) && !canAnswer(by, subject)) throw new AppError('FORBIDDEN');
    return (await this.#storeCheck(round, subject, result, actor(by))).proposed;
  }

  async #storeCheck(
    round: RoundRow,
    subject: SubjectRow,
    result: PortalCheckResult,
    by: string,
  ): Promise<{ checkId: string; proposed: number }> {
    const set = await this.setOf(round);
    return this.repo.transaction(async (tx) => {
      const stored = await this.repo.insertPortalCheck(
        { url: result.url, round_id: round.id, subject: subject.subject, result: JSON.stringify(result) },
        tx,
      );
      const current = new Map((await this.repo.answers(round.id, subject.subject, tx)).map((a) => [a.code, a]));
      const rows = proposalsFrom(set.indicators, result)
        .filter((p) => !current.has(p.code) || current.get(p.code)!.state === 'proposed')
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
    const round = await this.openRound(roundId);
    const subject = await this.subject(round, subjectKey);
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
    const round = await this.openRound(roundId);
    const set = await this.setOf(round);
    if (!set.indicators.some((i) => i.check)) return 0;
    let n = 0;
    for (const s of await this.repo.subjects(round.id))
      if (s.url && s.status === 'open') n += (await this.requestPortalCheck(round.id, s.subject, by)).created ? 1 : 0;
    return n;
  }

  /** The worker's part: stores a finished check for the job's round and subject (the request was authorised when queued). */
  async completePortalCheck(job: CheckJobRow, result: PortalCheckResult): Promise<{ checkId: string; proposed: number }> {
    const round = await this.openRound(job.round_id);
    const subject = await this.subject(round, job.subject);
    return this.#storeCheck(round, subject, result, job.requested_by);
  }

  /** Every assessor indicator needs a confirmed answer before review. */
  async submit(roundId: string, subjectKey: string, by: StaffPrincipal): Promise<string[]> {
    const round = await this.openRound(roundId);
    const subject = await this.subject(round, subjectKey);
    if (!canAnswer(by, subject)) throw new AppError('FORBIDDEN');
    if (subject.status !== 'open') throw new AppError('ROUND_NOT_READY', 'This assessment is already submitted.');
    const set = await this.setOf(round);
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
    const round = await this.openRound(roundId);
    const subject = await this.subject(round, subjectKey);
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

  /** Scores every subject and publishes; a correction supersedes the round it corrects. */
  async publish(roundId: string, by: StaffPrincipal): Promise<void> {
    if (!canManageRounds(by)) throw new AppError('FORBIDDEN');
    const round = await this.openRound(roundId);
    const set = await this.setOf(round);
    await this.repo.transaction(async (tx) => {
      const r = await this.repo.lockRound(tx, round.id);
      if (r?.status !== 'open') throw new AppError('ROUND_LOCKED');
      const subjects = await this.repo.subjects(round.id, tx);
      const waiting = subjects.filter((s) => s.status !== 'approved').map((s) => s.subject);
      if (!subjects.length || waiting.length)
        throw new AppError('ROUND_NOT_READY', `Every assessment must be approved first; waiting: ${waiting.join(', ')}.`, { waiting });
      const answers = await this.repo.answersBySubject(round.id, tx);
      await this.repo.storeScores(
        tx,
        round.id,
        subjects.map((s) => ({ subject: s.subject, scores: rollUp(set, answers.get(s.subject) ?? new Map()) })),
      );
      await this.repo.updateRound(tx, round.id, { status: 'published', published_at: new Date(), published_by: actor(by) });
      if (round.supersedes) await this.repo.updateRound(tx, round.supersedes, { status: 'superseded' });
      await this.audit.record(
        { actor: actor(by), action: 'monitoring.published', subject: round.id, detail: { slug: round.slug, supersedes: round.supersedes } },
        tx,
      );
    });
  }

  /** A correction: a new open round with the same answers and evidence that will supersede this one when published. */
  async startCorrection(
    roundId: string,
    note: string,
    by: StaffPrincipal,
  ): Promise<{ ok: true; round: RoundRow } | { ok: false; errors: FormErrors }> {
    if (!canManageRounds(by)) throw new AppError('FORBIDDEN');
    const round = await this.round(roundId);
    if (round.status !== 'published') throw new AppError('ROUND_NOT_READY', 'Only the published version of a round can be corrected.');
    if (!note.trim()) return { ok: false, errors: [{ field: 'correctionNote', message: 'Say what the correction is for' }] };
    const open = (await this.repo.rounds(['open'])).find((r) => r.supersedes === round.id);
    if (open) return { ok: true, round: open };
    let n = 1;
    while (await this.repo.slugTaken(`${round.slug.replace(/-correction-\d+$/, '')}-correction-${n}`)) n++;
    const created = await this.repo.transaction(async (tx) => {
      const c = await this.repo.insertRound(tx, {
        slug: `${round.slug.replace(/-correction-\d+$/, '')}-correction-${n}`,
        title: JSON.stringify(round.title),
        set_id: round.set_id,
        cutoff: round.cutoff,
        status: 'open',
        supersedes: round.id,
        correction_note: note.trim().slice(0, 2000),
        created_by: actor(by),
      });
      await this.repo.copyRound(tx, round.id, c.id);
      await this.audit.record(
        { actor: actor(by), action: 'monitoring.correction-started', subject: c.id, detail: { corrects: round.id } },
        tx,
      );
      return c;
    });
    return { ok: true, round: created };
  }

  /** Returns an approved assessment to its assessor (for a correction). */
  async reopen(roundId: string, subjectKey: string, by: StaffPrincipal): Promise<void> {
    if (!canManageRounds(by)) throw new AppError('FORBIDDEN');
    const round = await this.openRound(roundId);
    const subject = await this.subject(round, subjectKey);
    await this.repo.transaction(async (tx) => {
      await this.repo.updateSubject(tx, round.id, subject.subject, { status: 'open' });
      await this.audit.record(
        { actor: actor(by), action: 'monitoring.reopened', subject: round.id, detail: { subject: subject.subject } },
        tx,
      );
    });
  }

  /** Live scores of an open round (for the work pages) or the stored ones of a published round. */
  async scoresOf(round: RoundRow, set: IndicatorSetInput, subject: SubjectRow): Promise<Scores> {
    if (subject.scores) return subject.scores as unknown as Scores;
    const answers = await this.repo.answers(round.id, subject.subject);
    return rollUp(set, new Map(answers.map((a) => [a.code, a])));
  }
}
