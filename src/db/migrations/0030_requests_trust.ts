import { sql, type Kysely } from 'kysely';

// Citizens' requests, second part (issue 15): the officer-redacted title for the public FOI register
// (the citizen's own title is never published), a split request's parent, attachments on filing and on
// staff replies (content in the platform's file storage, one row each here), and each agency's own
// deadlines per kind (else the defaults: FOI 10 working days, complaints and demands 15).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table citizen_requests add column subject_public text`.execute(db);
  await sql`alter table citizen_requests add column parent_id uuid references citizen_requests(id)`.execute(db);
  await sql`create index citizen_requests_parent on citizen_requests (parent_id) where parent_id is not null`.execute(db);
  await sql`create index citizen_requests_service on citizen_requests (service_id) where service_id is not null`.execute(db);
  await sql`create table citizen_request_files (
    id uuid primary key default gen_random_uuid(),
    request_id uuid not null references citizen_requests(id) on delete cascade,
    side text not null check (side in ('citizen', 'agency')),
    uploaded_by text not null,
    original_name text not null,
    content_type text not null,
    size_bytes integer not null,
    sha256 text not null,
    storage_key text not null,
    published boolean not null default false,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index citizen_request_files_request on citizen_request_files (request_id, created_at)`.execute(db);
  await sql`create table citizen_request_deadlines (
    agency_id text not null references agencies(id),
    kind text not null check (kind in ('complaint', 'demand', 'foi')),
    days integer not null check (days between 1 and 120),
    primary key (agency_id, kind)
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table citizen_request_deadlines`.execute(db);
  await sql`drop table citizen_request_files`.execute(db);
  await sql`drop index citizen_requests_service`.execute(db);
  await sql`alter table citizen_requests drop column parent_id`.execute(db);
  await sql`alter table citizen_requests drop column subject_public`.execute(db);
}
