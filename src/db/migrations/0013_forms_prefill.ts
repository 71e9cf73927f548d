import { sql, type Kysely } from 'kysely';

// Prefill from registries through the exchange, with the citizen's consent; prefill counts per
// application (for the monitoring's "share of fields prefilled"); counter (paper or in-person)
// application counts that agencies record, for the share of applications made online.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table application_prefills (
    id uuid primary key default gen_random_uuid(),
    application_id uuid not null references applications(id) on delete cascade,
    citizen_id uuid not null references citizens(id),
    source text not null,
    exchange_service text not null,
    decision text not null check (decision in ('accepted', 'declined')),
    outcome text check (outcome in ('filled', 'not-found', 'unavailable')),
    purpose text not null,
    fields_offered int not null check (fields_offered >= 0),
    filled jsonb not null default '{}',
    exchange_request_id text,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index application_prefills_application on application_prefills (application_id, source, created_at desc)`.execute(db);
  await sql`alter table applications add column prefill_offered int, add column prefill_filled int`.execute(db);
  await sql`create table offline_application_counts (
    id uuid primary key default gen_random_uuid(),
    agency_id text not null references agencies(id),
    service_id uuid not null references services(id),
    month text not null check (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    count int not null check (count >= 0 and count <= 100000000),
    recorded_by text not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    unique (service_id, month)
  )`.execute(db);
  await sql`create index offline_application_counts_agency on offline_application_counts (agency_id, month)`.execute(db);
}
