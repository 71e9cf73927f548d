// The rules of monitoring and evaluation: versioned indicator sets, and rounds that move from open
// (assign, answer with evidence, automatic indicators, portal checks, submit, review) to published;
// a published round never changes, a correction supersedes it and keeps it. Every staff action is audited.
import type { Kysely } from 'kysely';
import type { Database, LocalText } from '../../db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { canonicalJson } from '../../platform/json.ts';
import { toPersianDigits } from '../../platform/persian.ts';
import type { StaffPrincipal } from '../identity/identity.policy.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import { MonitoringRepository, type RoundRow, type SetRow, type SubjectRow } from './monitoring.repository.ts';
import { rollUp, setProblems, type Indicator, type IndicatorSetInput, type Problem, type Scores } from './monitoring.schema.ts';
import type { MetricRegistry, MetricCache } from './monitoring.metrics.ts';
import { builtinSets } from './monitoring.builtin.ts';
import { canBeAssessor, canEditSets, canManageRounds } from './monitoring.policy.ts';
import { applyWeights } from './monitoring.weights.ts';
import { MonitoringAssessment, actor, type FormErrors } from './monitoring.assessment.ts';

export type { AnswerInput, FormErrors } from './monitoring.assessment.ts';
export const endOfDay = (date: string) => new Date(`${date}T23:59:59.999Z`);
const today = () => new Date().toISOString().slice(0, 10);
/** What an automatic indicator says of a portal that is not an agency's. */
const PORTAL_NO_DATA = {
  noData: true as const,
  reason: {
    fa: 'برای درگاه‌های بیرون از فهرست دستگاه‌ها داده خودکار نیست.',
    en: 'No platform data for portals outside the agency list.',
  },
};

export interface NewRound {
  slug: string;
  title: LocalText;
  setKey: string;
  cutoff: string;
  agencyIds: string[];
  portals?: { name: string; url: string }[];
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
  readonly #assessment: MonitoringAssessment;

  constructor(
    db: Kysely<Database>,
    private readonly catalog: CatalogService,
    private readonly audit: AuditLog,
    readonly metrics: MetricRegistry,
    evidenceMaxBytes = 5 * 1024 * 1024,
  ) {
    this.repo = new MonitoringRepository(db);
    this.#assessment = new MonitoringAssessment(this.repo, audit, this, evidenceMaxBytes);
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
    const set = await this.repo.setById(round.set_id);
    if (!set) throw new AppError('INDICATOR_SET_NOT_FOUND');
    return set;
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
    if (errors.length || !set) return { ok: false, errors };
    const subjects = [
      ...[...new Set(input.agencyIds)].flatMap((id) => {
        const agency = agencies.get(id); // every id is known (checked above)
        return agency ? [{ subject: id, agency_id: id, name: JSON.stringify(agency.name), url: agency.website }] : [];
      }),
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
        title: JSON.stringify({ fa: (input.title.fa ?? '').trim(), en: (input.title.en ?? '').trim() }),
        set_id: set.id,
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
          detail: { slug: r.slug, set: `${set.key}@${set.version}`, cutoff: input.cutoff, subjects: subjects.length },
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
    const ids = subjects.flatMap((s) => (s.agency_id ? [s.agency_id] : []));
    const rows = [];
    let answered = 0;
    for (const ind of set.indicators.filter((i) => i.answeredBy === 'auto')) {
      if (!ind.metric) throw new Error(`The automatic indicator ${ind.code} names no metric.`);
      const m = await this.metrics.measure(ind.metric, ids, at, cache);
      for (const s of subjects) {
        const v = s.agency_id ? m.get(s.agency_id) : PORTAL_NO_DATA;
        if (!v) throw new Error(`The metric ${ind.metric} gave no result for ${s.agency_id}.`);
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

  // ---- answers and portal checks (monitoring.assessment.ts) ----

  /** An assessor's answer with its evidence (a note, a link or a file: at least one). */
  answer(...args: Parameters<MonitoringAssessment['answer']>) {
    return this.#assessment.answer(...args);
  }

  /** Stores a portal check and proposes answers the assessor then confirms; assessor answers are never overwritten. */
  applyPortalCheck(...args: Parameters<MonitoringAssessment['applyPortalCheck']>) {
    return this.#assessment.applyPortalCheck(...args);
  }

  /** Queues an automated check of a subject's portal (a worker runs it: it takes seconds). One waiting job per subject. */
  requestPortalCheck(...args: Parameters<MonitoringAssessment['requestPortalCheck']>) {
    return this.#assessment.requestPortalCheck(...args);
  }

  /** Queues a check of every portal in an open round still being assessed (the oversight office). */
  requestRoundChecks(...args: Parameters<MonitoringAssessment['requestRoundChecks']>) {
    return this.#assessment.requestRoundChecks(...args);
  }

  /** The worker's part: stores a finished check for the job's round and subject (the request was authorised when queued). */
  completePortalCheck(...args: Parameters<MonitoringAssessment['completePortalCheck']>) {
    return this.#assessment.completePortalCheck(...args);
  }

  /** Every assessor indicator needs a confirmed answer before review. */
  submit(...args: Parameters<MonitoringAssessment['submit']>) {
    return this.#assessment.submit(...args);
  }

  review(...args: Parameters<MonitoringAssessment['review']>) {
    return this.#assessment.review(...args);
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
    if (subject.scores) return subject.scores;
    const answers = await this.repo.answers(round.id, subject.subject);
    return rollUp(set, new Map(answers.map((a) => [a.code, a])));
  }
}
