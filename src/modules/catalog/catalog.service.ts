// The catalogue's rules: searching, reading cards, importing with version history, exporting.
// No HTTP here and no SQL strings (those live in the routes and the repository).
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { canonicalJson } from '../../platform/json.ts';
import { slugify } from '../../platform/persian.ts';
import { CatalogRepository, type AgencyRow, type ServiceRow } from './catalog.repository.ts';
import {
  agencyProblems,
  blankService,
  cleanAgencyInput,
  cleanServiceInput,
  serviceProblems,
  type AgencyInput,
  type Reject,
  type ServiceInput,
} from './catalog.schema.ts';
import { FACETS, SearchIndex, type Facet, type Filters, type SearchQuery, type SearchResult } from './catalog.search.ts';
import { AUDIENCES, CATEGORIES, CHANNELS, LIFE_EVENTS, MATURITY } from './catalog.taxonomy.ts';
import type { InTx } from '../../platform/audit.ts';
import { SearchDictionaryService, SearchLog } from './search.service.ts';
import { JourneyService } from './journey.service.ts';

/** What an importer hands over: records with the line they came from. */
export interface ImportBatch {
  agencies: (AgencyInput & { line: number })[];
  services: (ServiceInput & { line: number; slugFromSource?: boolean })[];
  rejects: Reject[];
  /** Rows taken with a repair, e.g. a mistyped link. */
  warnings?: Reject[];
}

export interface ImportSummary {
  agencies: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: Reject[];
  warnings: Reject[];
}

const FIXED_FACET_VALUES: Record<Exclude<Facet, 'agency'>, Set<string>> = {
  category: new Set(CATEGORIES.map((c) => c.code)),
  lifeEvent: new Set(LIFE_EVENTS.map((c) => c.code)),
  audience: new Set(AUDIENCES.map((c) => c.code)),
  channel: new Set(CHANNELS.map((c) => c.code)),
  maturity: new Set(MATURITY.map((c) => c.code)),
};

/** The card as stored, in input form: what versions snapshot and what export writes. */
export function rowToInput(r: ServiceRow): ServiceInput {
  return {
    slug: r.slug,
    source: r.source,
    sourceKey: r.source_key,
    agencyId: r.agency_id,
    name: r.name,
    summary: r.summary,
    description: r.description,
    categories: r.categories,
    lifeEvents: r.life_events,
    audience: r.audience,
    channels: r.channels,
    maturity: r.maturity,
    fees: r.fees,
    processingDays: r.processing_days,
    processingTime: r.processing_time,
    documents: r.documents,
    eligibility: r.eligibility,
    legalBasis: r.legal_basis,
    extra: r.extra,
    status: r.status,
    ...(r.assurance !== 'low' ? { assurance: r.assurance } : {}),
  };
}

function snapshotOf(s: ServiceInput): ServiceInput {
  const { line: _l, slugFromSource: _s, ...rest } = s as ServiceInput & { line?: number; slugFromSource?: boolean };
  return rest;
}

function uniqueSlug(wanted: string, taken: Set<string>): string {
  if (!taken.has(wanted)) return wanted;
  for (let n = 2; ; n++) {
    const candidate = `${wanted.slice(0, 112)}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

export class CatalogService {
  readonly repo: CatalogRepository;
  /** The search dictionary editors maintain; a change bumps the catalogue revision, so every node re-indexes. */
  readonly dictionary: SearchDictionaryService;
  /** Anonymous counts of what people search for. */
  readonly searchLog: SearchLog;
  /** Life events as step-by-step journeys (issue 17 s.2). */
  readonly journeys: JourneyService;
  #index: SearchIndex | null = null;
  #checkedAt = 0;
  #mustRebuild = false;
  #refreshing: Promise<SearchIndex> | null = null;

  constructor(
    db: Kysely<Database>,
    private readonly refreshMs = 1000,
    private readonly searchCacheSize = 1000,
  ) {
    this.repo = new CatalogRepository(db);
    this.dictionary = new SearchDictionaryService(
      db,
      (tx) => this.repo.bumpRevision(tx),
      () => this.invalidate(),
    );
    this.searchLog = new SearchLog(this.dictionary.repo);
    this.journeys = new JourneyService(db, this.repo);
  }

  /**
   * The current search index. The catalogue's revision is checked at most every refreshMs; a changed
   * catalogue is indexed in the background while the previous index keeps serving. Only the first
   * request, and the first after this node's own writes (read-your-writes), wait for a build.
   */
  async index(): Promise<SearchIndex> {
    if (this.#index && !this.#mustRebuild) {
      if (Date.now() - this.#checkedAt >= this.refreshMs) void this.#refresh().catch(() => {});
      return this.#index;
    }
    return this.#refresh();
  }

  #refresh(): Promise<SearchIndex> {
    this.#refreshing ??= (async () => {
      this.#checkedAt = Date.now();
      const mustRebuild = this.#mustRebuild;
      this.#mustRebuild = false;
      const revision = await this.repo.revision();
      if (!this.#index || mustRebuild || this.#index.revision !== revision) {
        const [services, agencies, synonyms] = await Promise.all([
          this.repo.publishedServices(),
          this.repo.agenciesWithCounts(),
          this.dictionary.dictionary(),
        ]);
        this.#index = await SearchIndex.build(revision, services, agencies, this.searchCacheSize, synonyms);
      }
      return this.#index;
    })().finally(() => (this.#refreshing = null));
    return this.#refreshing;
  }

  /** The next request waits for a fresh index (after this node's own writes). */
  invalidate(): void {
    this.#mustRebuild = true;
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const index = await this.index();
    this.checkFilters(query.filters, index);
    const result = index.search(query);
    if (query.q.trim() && query.page === 1) this.searchLog.record(query.q, query.lang, result.total > 0);
    return result;
  }

  /** Refuses a filter value that no card could ever have. */
  checkFilters(filters: Filters, index: SearchIndex): void {
    for (const f of FACETS) {
      for (const v of filters[f] ?? []) {
        const known = f === 'agency' ? index.agencyIds.has(v) : FIXED_FACET_VALUES[f].has(v);
        if (!known) throw new AppError('UNKNOWN_FACET_VALUE', `"${v}" is not a known ${f}.`, { facet: f, value: v });
      }
    }
  }

  /** A service card by its id (uuid) or slug; drafts and retired cards are found too (their page says so). */
  async getService(idOrSlug: string): Promise<ServiceRow> {
    const row = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrSlug)
      ? await this.repo.findServiceById(idOrSlug.toLowerCase())
      : /^[a-z0-9-]{1,120}$/.test(idOrSlug)
        ? await this.repo.findServiceBySlug(idOrSlug)
        : undefined;
    if (!row || row.status === 'draft') throw new AppError('SERVICE_NOT_FOUND', `There is no service "${idOrSlug.slice(0, 120)}".`);
    return row;
  }

  async getAgency(id: string): Promise<AgencyRow> {
    const row = /^[a-z0-9-]{1,80}$/.test(id) ? await this.repo.findAgency(id) : undefined;
    if (!row) throw new AppError('AGENCY_NOT_FOUND', `There is no agency "${id.slice(0, 80)}".`);
    return row;
  }

  agencies() {
    return this.repo.agenciesWithCounts();
  }

  versions(serviceId: string) {
    return this.repo.serviceVersions(serviceId);
  }

  /**
   * Stores an import: agencies upserted, service cards matched on (source, source key), new cards
   * created, changed cards updated with a new version, identical cards left alone. Rows that fail
   * validation are reported with their line and skipped; the rest carry on.
   */
  async importBatch(raw: ImportBatch, author: string): Promise<ImportSummary> {
    // every importer's text goes through the one text rule (no bidi overrides or invisible characters in names)
    const batch: ImportBatch = { ...raw, agencies: raw.agencies.map(cleanAgencyInput), services: raw.services.map(cleanServiceInput) };
    const rejected: Reject[] = [...batch.rejects];
    const agencies = batch.agencies.filter((a) => {
      const p = agencyProblems(a);
      if (p.length) rejected.push({ line: a.line, reason: p.join('; ') });
      return !p.length;
    });

    const summary = await this.repo.transaction(async (tx) => {
      await this.repo.upsertAgencies(tx, agencies);
      const known = new Set((await this.repo.agencyIds(tx)).map((r) => r.id));
      const sources = [...new Set(batch.services.map((s) => s.source))];
      const existing = new Map((await this.repo.servicesBySource(tx, sources)).map((r) => [`${r.source}\u0000${r.source_key}`, r]));
      const taken = await this.repo.allSlugs(tx);
      const seen = new Map<string, number>();
      const toInsert: ServiceInput[] = [];
      const versions: { service_id: string; version: number; snapshot: unknown; author: string }[] = [];
      let updated = 0;
      let unchanged = 0;

      for (const s of batch.services) {
        const problems = serviceProblems(s, (id) => known.has(id));
        const key = `${s.source}\u0000${s.sourceKey}`;
        if (seen.has(key)) problems.push(`the same service as line ${seen.get(key)} (source key "${s.sourceKey}")`);
        if (problems.length) {
          rejected.push({ line: s.line, reason: problems.join('; ') });
          continue;
        }
        seen.set(key, s.line);
        const old = existing.get(key);
        if (old) {
          // A slug made from the source's name stays as first given, so links keep working.
          const input = snapshotOf({ ...s, slug: s.slugFromSource ? old.slug : s.slug });
          if (input.slug !== old.slug) {
            if (taken.has(input.slug)) {
              rejected.push({ line: s.line, reason: `slug "${input.slug}" is already used by another service` });
              continue;
            }
            taken.delete(old.slug);
            taken.add(input.slug);
          }
          if (canonicalJson(input) === canonicalJson(rowToInput(old))) {
            unchanged++;
            continue;
          }
          const row = await this.repo.updateService(tx, old.id, input);
          versions.push({ service_id: row.id, version: row.version, snapshot: input, author });
          updated++;
        } else {
          const slug = s.slugFromSource ? uniqueSlug(s.slug, taken) : s.slug;
          if (taken.has(slug)) {
            rejected.push({ line: s.line, reason: `slug "${slug}" is already used by another service` });
            continue;
          }
          taken.add(slug);
          toInsert.push(snapshotOf({ ...s, slug }));
        }
      }

      const inserted = await this.repo.insertServices(tx, toInsert);
      inserted.forEach((row, i) => versions.push({ service_id: row.id, version: 1, snapshot: toInsert[i], author }));
      await this.repo.insertVersions(tx, versions);
      await this.repo.bumpRevision(tx);
      return { agencies: agencies.length, created: inserted.length, updated, unchanged };
    });
    this.invalidate();
    rejected.sort((a, b) => a.line - b.line);
    return { ...summary, rejected, warnings: batch.warnings ?? [] };
  }

  /** A card by slug whatever its status (for its agency's editors). */
  async cardForEditing(slug: string): Promise<ServiceRow> {
    const row = /^[a-z0-9-]{1,120}$/.test(slug) ? await this.repo.findServiceBySlug(slug) : undefined;
    if (!row) throw new AppError('SERVICE_NOT_FOUND');
    return row;
  }

  /**
   * An editor's change to a card: validated like an import row, stored as a new version with its
   * author. Returns the card before and after, or the problems that stopped it.
   */
  async editCard(
    slug: string,
    changes: Partial<ServiceInput>,
    author: string,
    then?: InTx<{ id: string; before: ServiceInput; after: ServiceInput }>,
  ): Promise<{ ok: true; before: ServiceInput; after: ServiceInput } | { ok: false; problems: string[] }> {
    const row = await this.cardForEditing(slug);
    const before = rowToInput(row);
    const after: ServiceInput = {
      ...before,
      ...cleanServiceInput(changes),
      slug: before.slug,
      source: before.source,
      sourceKey: before.sourceKey,
      agencyId: before.agencyId,
    };
    const problems = serviceProblems(after, () => true);
    if (problems.length) return { ok: false, problems };
    if (canonicalJson(after) === canonicalJson(before)) return { ok: true, before, after };
    await this.repo.transaction(async (tx) => {
      const updated = await this.repo.updateService(tx, row.id, after);
      await this.repo.insertVersions(tx, [{ service_id: row.id, version: updated.version, snapshot: after, author }]);
      await this.repo.bumpRevision(tx);
      await then?.(tx, { id: row.id, before, after });
    });
    this.invalidate();
    return { ok: true, before, after };
  }

  /**
   * A new card written by an agency's editor: starts as given (a draft unless told otherwise), with a
   * slug made from its English (or Persian) name, unique across the catalogue; version 1 with its author.
   */
  async createCard(
    agencyId: string,
    fields: Partial<ServiceInput>,
    author: string,
    then?: InTx<ServiceInput>,
  ): Promise<{ ok: true; card: ServiceInput } | { ok: false; problems: string[] }> {
    await this.getAgency(agencyId);
    const draft: ServiceInput = { ...blankService(agencyId), ...cleanServiceInput(fields), agencyId, source: 'panjereh', sourceKey: 'new' };
    const problems = serviceProblems(draft, () => true);
    if (problems.length) return { ok: false, problems };
    const card = await this.repo.transaction(async (tx) => {
      const slug = uniqueSlug(slugify(draft.name.en?.trim() || `${agencyId}-service`), await this.repo.allSlugs(tx));
      const input = snapshotOf({ ...draft, slug, sourceKey: slug });
      const [row] = await this.repo.insertServices(tx, [input]);
      await this.repo.insertVersions(tx, [{ service_id: row.id, version: 1, snapshot: input, author }]);
      await this.repo.bumpRevision(tx);
      await then?.(tx, input);
      return input;
    });
    this.invalidate();
    return { ok: true, card };
  }

  /** Every card (all statuses) with its agency, for export. */
  async exportAll(): Promise<{ agencies: AgencyRow[]; services: ServiceInput[] }> {
    const [agencies, services] = await Promise.all([this.repo.agenciesWithCounts(), this.repo.allServices()]);
    return { agencies, services: services.map(rowToInput) };
  }

  /** An agency's cards of every status, for its editors. */
  async agencyCards(agencyId: string): Promise<ServiceRow[]> {
    return this.repo.servicesOfAgency(agencyId);
  }

  /** Published cards and all agencies, for open data. */
  async openData(): Promise<{ agencies: AgencyRow[]; services: ServiceRow[] }> {
    const [agencies, services] = await Promise.all([this.repo.agenciesWithCounts(), this.repo.publishedServices()]);
    return { agencies, services };
  }

  revision(): Promise<number> {
    return this.repo.revision();
  }

  countServices(): Promise<number> {
    return this.repo.countServices();
  }

  /**
   * The catalogue as it stood at a moment (for monitoring rounds with a cut-off date): every card as
   * its last version before then, and the agencies that existed, "connected" only if connected by then.
   */
  async snapshotAt(at: Date): Promise<{ agencies: AgencyRow[]; services: ServiceInput[] }> {
    const [agencies, snaps] = await Promise.all([this.repo.agenciesWithCounts(), this.repo.snapshotsAt(at)]);
    const day = at.toISOString().slice(0, 10);
    return {
      agencies: agencies
        .filter((a) => new Date(a.created_at) <= at)
        .map((a) => ({ ...a, connected: a.connected && (!a.connected_since || a.connected_since <= day) })),
      services: snaps as unknown as ServiceInput[],
    };
  }
}
