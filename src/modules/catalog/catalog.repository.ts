// SQL for the catalogue's tables (agencies, services, service_versions, catalog_state). Nothing else.
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, ServiceTable, AgencyTable } from '../../db/schema.ts';
import type { AgencyInput, ServiceInput } from './catalog.schema.ts';

export type ServiceRow = Selectable<ServiceTable>;
export type AgencyRow = Selectable<AgencyTable>;
type Db = Kysely<Database> | Transaction<Database>;

const json = (v: unknown) => JSON.stringify(v);

function serviceValues(s: ServiceInput) {
  return {
    slug: s.slug,
    source: s.source,
    source_key: s.sourceKey,
    agency_id: s.agencyId,
    name: json(s.name),
    summary: json(s.summary),
    description: json(s.description),
    categories: s.categories,
    life_events: s.lifeEvents,
    audience: s.audience,
    channels: json(s.channels),
    maturity: s.maturity,
    fees: json(s.fees),
    processing_days: s.processingDays,
    processing_time: json(s.processingTime),
    documents: json(s.documents),
    eligibility: json(s.eligibility),
    legal_basis: json(s.legalBasis),
    extra: json(s.extra),
    status: s.status,
    // left out (an import without it): a new card is low, an existing one keeps its level
    ...(s.assurance ? { assurance: s.assurance } : {}),
  };
}

export class CatalogRepository {
  constructor(private readonly db: Kysely<Database>) {}

  transaction<T>(fn: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  async revision(db: Db = this.db): Promise<number> {
    const row = await db.selectFrom('catalog_state').select('revision').where('id', '=', 1).executeTakeFirstOrThrow();
    return Number(row.revision);
  }

  async bumpRevision(db: Db): Promise<void> {
    await db
      .updateTable('catalog_state')
      .set({ revision: sql`revision + 1` })
      .where('id', '=', 1)
      .execute();
  }

  async upsertAgencies(db: Db, agencies: AgencyInput[]): Promise<void> {
    for (let i = 0; i < agencies.length; i += 500) {
      const chunk = agencies.slice(i, i + 500).map((a) => ({
        id: a.id,
        name: json(a.name),
        parent_ministry: json(a.parentMinistry),
        website: a.website,
        contact: json(a.contact),
        connected: a.connected,
        connected_since: a.connectedSince,
        source: a.source,
      }));
      await db
        .insertInto('agencies')
        .values(chunk)
        .onConflict((oc) =>
          oc.column('id').doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            parent_ministry: eb.ref('excluded.parent_ministry'),
            website: eb.ref('excluded.website'),
            contact: eb.ref('excluded.contact'),
            connected: eb.ref('excluded.connected'),
            connected_since: eb.ref('excluded.connected_since'),
            updated_at: sql`now()`,
          })),
        )
        .execute();
    }
  }

  agencyIds(db: Db = this.db): Promise<{ id: string }[]> {
    return db.selectFrom('agencies').select('id').execute();
  }

  /** Existing services of the given sources, keyed for matching on re-import. */
  async servicesBySource(db: Db, sources: string[]): Promise<ServiceRow[]> {
    if (!sources.length) return [];
    return db.selectFrom('services').selectAll().where('source', 'in', sources).execute();
  }

  async allSlugs(db: Db): Promise<Set<string>> {
    const rows = await db.selectFrom('services').select('slug').execute();
    return new Set(rows.map((r) => r.slug));
  }

  async insertServices(db: Db, services: ServiceInput[]): Promise<ServiceRow[]> {
    const out: ServiceRow[] = [];
    for (let i = 0; i < services.length; i += 250) {
      const rows = await db
        .insertInto('services')
        .values(services.slice(i, i + 250).map(serviceValues))
        .returningAll()
        .execute();
      out.push(...rows);
    }
    return out;
  }

  async updateService(db: Db, id: string, s: ServiceInput): Promise<ServiceRow> {
    return db
      .updateTable('services')
      .set({ ...serviceValues(s), version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async insertVersions(db: Db, rows: { service_id: string; version: number; snapshot: unknown; author: string }[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) {
      await db
        .insertInto('service_versions')
        .values(rows.slice(i, i + 500).map((r) => ({ ...r, snapshot: json(r.snapshot) })))
        .execute();
    }
  }

  findServiceById(id: string): Promise<ServiceRow | undefined> {
    return this.db.selectFrom('services').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Services loaded from `source` under `key` and (with `orId`) the service with that id. */
  servicesBySourceKey(source: string, key: string, orId?: string): Promise<ServiceRow[]> {
    const q = this.db.selectFrom('services').selectAll();
    return (
      orId !== undefined
        ? q.where((eb) => eb.or([eb('id', '=', orId), eb.and([eb('source', '=', source), eb('source_key', '=', key)])]))
        : q.where('source', '=', source).where('source_key', '=', key)
    ).execute();
  }

  /** Ids of the services whose English or Persian name (any case) or slug is `name`, optionally of one agency. */
  async serviceIdsNamed(name: string, agencyId: string | null): Promise<string[]> {
    let q = this.db
      .selectFrom('services')
      .select('id')
      .where((eb) => eb.or([eb(sql`lower(name->>'en')`, '=', name), eb(sql`lower(name->>'fa')`, '=', name), eb('slug', '=', name)]));
    if (agencyId) q = q.where('agency_id', '=', agencyId);
    return (await q.execute()).map((r) => r.id);
  }

  findServiceBySlug(slug: string): Promise<ServiceRow | undefined> {
    return this.db.selectFrom('services').selectAll().where('slug', '=', slug).executeTakeFirst();
  }

  /** Services by slug in one query (a journey's steps name many). */
  async findServicesBySlugs(slugs: string[]): Promise<Map<string, ServiceRow>> {
    if (!slugs.length) return new Map();
    const rows = await this.db.selectFrom('services').selectAll().where('slug', 'in', slugs).execute();
    return new Map(rows.map((r) => [r.slug, r]));
  }

  serviceVersions(serviceId: string) {
    return this.db
      .selectFrom('service_versions')
      .select(['version', 'author', 'changed_at'])
      .where('service_id', '=', serviceId)
      .orderBy('version', 'desc')
      .execute();
  }

  /** Published services with their agency, for the search index and open data. */
  publishedServices(): Promise<ServiceRow[]> {
    return this.db.selectFrom('services').selectAll().where('status', '=', 'published').orderBy('slug').execute();
  }

  allServices(): Promise<ServiceRow[]> {
    return this.db.selectFrom('services').selectAll().orderBy('source').orderBy('slug').execute();
  }

  servicesOfAgency(agencyId: string): Promise<ServiceRow[]> {
    return this.db.selectFrom('services').selectAll().where('agency_id', '=', agencyId).orderBy('slug').execute();
  }

  findAgency(id: string): Promise<AgencyRow | undefined> {
    return this.db.selectFrom('agencies').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Agencies with the number of their published services. */
  agenciesWithCounts() {
    return this.db
      .selectFrom('agencies as a')
      .leftJoin('services as s', (j) => j.onRef('s.agency_id', '=', 'a.id').on('s.status', '=', 'published'))
      .selectAll('a')
      .select((eb) => [eb.fn.count<number>('s.id').as('service_count'), eb.fn.max('s.updated_at').as('last_updated')])
      .groupBy('a.id')
      .orderBy('a.id')
      .execute();
  }

  countServices(): Promise<number> {
    return this.db
      .selectFrom('services')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n));
  }

  /** Each service's card as it was at a moment: its latest version stored at or before it. */
  async snapshotsAt(at: Date): Promise<Record<string, unknown>[]> {
    const rows = await sql<{
      snapshot: Record<string, unknown>;
    }>`select distinct on (service_id) snapshot from service_versions where changed_at <= ${at} order by service_id, version desc`.execute(
      this.db,
    );
    return rows.rows.map((r) => r.snapshot);
  }
}
