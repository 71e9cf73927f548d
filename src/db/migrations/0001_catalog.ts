import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table agencies (
    id text primary key check (id ~ '^[a-z0-9][a-z0-9-]{0,79}$'),
    name jsonb not null,
    parent_ministry jsonb,
    website text,
    contact jsonb not null default '{}',
    connected boolean not null default false,
    connected_since date,
    source text not null default 'panjereh',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`.execute(db);

  await sql`create table services (
    id uuid primary key default gen_random_uuid(),
    slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{0,119}$'),
    source text not null,
    source_key text not null,
    agency_id text not null references agencies(id),
    name jsonb not null,
    summary jsonb not null default '{}',
    description jsonb not null default '{}',
    categories text[] not null default '{}',
    life_events text[] not null default '{}',
    audience text[] not null default '{}',
    channels jsonb not null default '[]',
    maturity smallint not null check (maturity between 1 and 5),
    fees jsonb not null default '[]',
    processing_days integer check (processing_days >= 0),
    processing_time jsonb not null default '{}',
    documents jsonb not null default '[]',
    eligibility jsonb not null default '{}',
    legal_basis jsonb not null default '{}',
    extra jsonb not null default '{}',
    status text not null check (status in ('draft', 'published', 'retired')),
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    unique (source, source_key)
  )`.execute(db);
  await sql`create index services_agency_idx on services (agency_id)`.execute(db);
  await sql`create index services_status_idx on services (status)`.execute(db);

  // Version history of every service card: the whole card as it was after each change, and who made it.
  await sql`create table service_versions (
    service_id uuid not null references services(id) on delete cascade,
    version integer not null,
    snapshot jsonb not null,
    author text not null,
    changed_at timestamptz not null default now(),
    primary key (service_id, version)
  )`.execute(db);

  // One row: bumped by every catalogue change, so each app node knows when to rebuild its search index.
  await sql`create table catalog_state (id integer primary key check (id = 1), revision bigint not null)`.execute(db);
  await sql`insert into catalog_state (id, revision) values (1, 0)`.execute(db);
}
