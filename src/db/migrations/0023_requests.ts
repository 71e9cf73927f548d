import { sql, type Kysely } from 'kysely';

// Citizens' requests to government (src/modules/requests/): complaints, public demands and suggestions,
// and freedom-of-information requests, with one timeline of events each (what the citizen sees).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table citizen_requests (
    id uuid primary key default gen_random_uuid(),
    reference text not null unique,
    kind text not null check (kind in ('complaint', 'demand', 'foi')),
    citizen_id uuid not null references citizens(id),
    requester_national_id text not null,
    agency_id text not null references agencies(id),
    service_id uuid,
    application_id uuid,
    category text,
    subject text not null,
    body text not null,
    body_hash text not null,
    withhold_identity boolean not null default false,
    keep_private boolean not null default false,
    status text not null check (status in ('open', 'clarification', 'answered', 'partial', 'refused', 'closed', 'vexatious-review')),
    outcome text,
    exemption text,
    answer text,
    answer_public text,
    publication text not null default 'none' check (publication in ('none', 'pending', 'published', 'rejected')),
    assigned_to uuid,
    escalation smallint not null default 0,
    escalate_at timestamptz,
    received_at timestamptz not null,
    due_at timestamptz not null,
    paused_at timestamptz,
    days_left integer,
    answered_at timestamptz,
    appeal_status text check (appeal_status in ('open', 'upheld', 'dismissed')),
    appeal_text text,
    appealed_at timestamptz,
    appeal_due_at timestamptz,
    rating smallint check (rating between 1 and 5),
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index citizen_requests_citizen on citizen_requests (citizen_id, created_at desc)`.execute(db);
  await sql`create index citizen_requests_queue on citizen_requests (agency_id, status, due_at)`.execute(db);
  // the agency queue's default view (open requests by deadline) and its count
  await sql`create index citizen_requests_open_queue on citizen_requests (agency_id, due_at, id)
    where status in ('open', 'clarification', 'vexatious-review')`.execute(db);
  await sql`create index citizen_requests_dupe on citizen_requests (agency_id, body_hash, created_at)`.execute(db);
  await sql`create index citizen_requests_open_due on citizen_requests (due_at) where status in ('open', 'clarification')`.execute(db);
  await sql`create table citizen_request_events (
    id bigserial primary key,
    request_id uuid not null references citizen_requests(id) on delete cascade,
    at timestamptz not null,
    actor text not null check (actor in ('citizen', 'agency', 'oversight', 'system')),
    staff_id uuid,
    kind text not null,
    note text,
    agency_id text
  )`.execute(db);
  await sql`create index citizen_request_events_request on citizen_request_events (request_id, id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table citizen_request_events`.execute(db);
  await sql`drop table citizen_requests`.execute(db);
}
