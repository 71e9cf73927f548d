// Life events as journeys (issue 17 s.2, GOV.UK "step by step"): a life event's ordered steps, each with
// the catalogue services it names (their agency, cost and time come from the card), and the signed-in
// citizen's progress: which of those services they have applied for, and where each application is.
import type { Kysely, Transaction } from 'kysely';
import type { ApplicationStatus, Database, LocalText } from '../../db/schema.ts';
import type { AgencyRow, CatalogRepository, ServiceRow } from './catalog.repository.ts';
import { JourneyRepository, type LifeEventStepRow, type StepInput } from './journey.repository.ts';
import { lifeEventByCode } from './catalog.taxonomy.ts';
import { AppError } from '../../platform/errors.ts';

export interface StepService {
  service: ServiceRow;
  agency: AgencyRow | null;
}
export interface JourneyStep {
  position: number;
  /** The step's number as shown: 'and'/'or' steps share the number of the step they go with. */
  number: number;
  connector: 'then' | 'and' | 'or';
  title: LocalText;
  note: LocalText | null;
  services: StepService[];
  /** Slugs the step names that are not (or no longer) published in the catalogue. */
  missing: string[];
}
export interface Journey {
  code: string;
  name: { fa: string; en: string };
  steps: JourneyStep[];
}

/** A citizen's latest application for a service, as the applications module reports it. */
export interface StepProgress {
  id: string;
  status: ApplicationStatus;
  reference: string | null;
}

export const STEP_LIMITS = { steps: 20, title: 200, note: 500, services: 6 } as const;
export type StepProblem = { step: number; field: 'title-fa' | 'title-en' | 'services' | 'connector' | 'note'; code: string };

export class JourneyService {
  readonly repo: JourneyRepository;
  constructor(
    db: Kysely<Database>,
    private readonly catalog: CatalogRepository,
  ) {
    this.repo = new JourneyRepository(db);
  }

  /** The editor's form: the life event's stored steps as they are edited. */
  async stepsForEditing(code: string): Promise<StepInput[]> {
    const rows = await this.repo.steps(code);
    return rows.map((r) => ({
      connector: r.connector,
      title: { fa: r.title.fa ?? '', en: r.title.en ?? '' },
      note: r.note ? { fa: r.note.fa ?? '', en: r.note.en ?? '' } : null,
      serviceSlugs: r.service_slugs,
    }));
  }

  /** The life event's journey (steps empty when editors have not written one yet). */
  async journey(code: string): Promise<Journey> {
    const term = lifeEventByCode.get(code);
    if (!term) throw new AppError('CATEGORY_NOT_FOUND');
    const rows = await this.repo.steps(code);
    const found = await this.catalog.findServicesBySlugs([...new Set(rows.flatMap((r) => r.service_slugs))]);
    const agencies = new Map<string, AgencyRow | null>();
    const steps: JourneyStep[] = [];
    let number = 0;
    for (const r of rows) {
      if (r.connector === 'then' || number === 0) number += 1;
      const services: StepService[] = [];
      const missing: string[] = [];
      for (const slug of r.service_slugs) {
        const service = found.get(slug);
        if (!service || service.status !== 'published') {
          missing.push(slug);
          continue;
        }
        if (!agencies.has(service.agency_id)) agencies.set(service.agency_id, (await this.catalog.findAgency(service.agency_id)) ?? null);
        services.push({ service, agency: agencies.get(service.agency_id) ?? null });
      }
      steps.push({ position: r.position, number, connector: r.connector, title: r.title, note: r.note, services, missing });
    }
    return { code, name: term.name, steps };
  }

  /** Which of the journey's services the citizen has applied for: their latest application for each. */
  progress(
    journey: Journey,
    applications: { id: string; service_id: string; status: ApplicationStatus; reference: string | null; created_at: Date }[],
  ) {
    const ids = new Set(journey.steps.flatMap((s) => s.services.map((x) => x.service.id)));
    const latest = new Map<string, StepProgress>();
    // newest first from the applications module; keep the first seen per service
    for (const a of [...applications].sort((x, y) => +y.created_at - +x.created_at)) {
      if (ids.has(a.service_id) && !latest.has(a.service_id))
        latest.set(a.service_id, { id: a.id, status: a.status, reference: a.reference });
    }
    return latest;
  }

  /** Checks and replaces a life event's steps; `then` runs in the same transaction (the audit entry). */
  async save(
    code: string,
    steps: StepInput[],
    by: string,
    then?: (tx: Transaction<Database>, c: { before: LifeEventStepRow[]; after: StepInput[] }) => Promise<unknown>,
  ): Promise<{ ok: true } | { ok: false; problems: StepProblem[] }> {
    if (!lifeEventByCode.has(code)) throw new AppError('CATEGORY_NOT_FOUND');
    const problems: StepProblem[] = [];
    const kept = steps
      .filter((s) => s.title.fa.trim() || s.title.en.trim() || s.serviceSlugs.length)
      .map((s) => ({ ...s, serviceSlugs: [...new Set(s.serviceSlugs)] })); // a service named twice counts once
    // over a limit: refused before any lookup; the rest in one query
    if (kept.length > STEP_LIMITS.steps)
      return { ok: false, problems: [{ step: STEP_LIMITS.steps + 1, field: 'title-fa', code: 'too-many' }] };
    const wanted = kept.flatMap((s) => (s.serviceSlugs.length > STEP_LIMITS.services ? [] : s.serviceSlugs));
    const services = await this.catalog.findServicesBySlugs([...new Set(wanted.filter((x) => /^[a-z0-9-]{1,120}$/.test(x)))]);
    for (const [i, s] of kept.entries()) {
      const step = i + 1;
      if (!s.title.fa.trim()) problems.push({ step, field: 'title-fa', code: 'empty' });
      if (!s.title.en.trim()) problems.push({ step, field: 'title-en', code: 'empty' });
      if (s.title.fa.length > STEP_LIMITS.title || s.title.en.length > STEP_LIMITS.title)
        problems.push({ step, field: 'title-fa', code: 'too-long' });
      if (s.note && (s.note.fa.length > STEP_LIMITS.note || s.note.en.length > STEP_LIMITS.note))
        problems.push({ step, field: 'note', code: 'too-long' });
      if (s.serviceSlugs.length > STEP_LIMITS.services) {
        problems.push({ step, field: 'services', code: 'too-many' });
        continue;
      }
      for (const slug of s.serviceSlugs) {
        const found = services.get(slug);
        if (!found || found.status === 'draft') {
          problems.push({ step, field: 'services', code: 'unknown' });
          break;
        }
      }
    }
    if (problems.length) return { ok: false, problems };
    const clean = kept.map((s) => ({
      ...s,
      title: { fa: s.title.fa.trim(), en: s.title.en.trim() },
      note: s.note && (s.note.fa.trim() || s.note.en.trim()) ? { fa: s.note.fa.trim(), en: s.note.en.trim() } : null,
    }));
    await this.repo.replace(code, clean, by, then ? (tx, before) => then(tx, { before, after: clean }) : undefined);
    return { ok: true };
  }
}
