import { sql, type Kysely } from 'kysely';

// Counter offices (دفاتر پیشخوان دولت, issue 14): the registered offices, which staff member operates at
// which office (the counter-operator role, tied to one office), and each assisted session: an operator
// asks a walk-in citizen for the SMS code the platform sent them, and the session that follows is limited
// to that citizen's one draft of one service; at submission it records "submitted by office X, operator
// Y, for citizen Z" with the office's counter fee, apart from the government fee.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table staff drop constraint staff_role_check`.execute(db);
  await sql`alter table staff add constraint staff_role_check check (role in ('platform-admin', 'oversight-analyst', 'agency-admin', 'service-editor', 'operator', 'finance-officer', 'participation-editor', 'counter-operator'))`.execute(
    db,
  );
  // a counter operator belongs to an office, not to an agency
  await sql`alter table staff drop constraint if exists staff_check`.execute(db);
  await sql`alter table staff add constraint staff_agency_scope check ((role in ('platform-admin', 'oversight-analyst', 'counter-operator')) = (agency_id is null))`.execute(
    db,
  );

  await sql`create table counter_offices (
    id uuid primary key default gen_random_uuid(),
    code text not null unique check (code ~ '^[0-9]{5,8}$'),
    name jsonb not null,
    province text not null,
    city text not null,
    address text not null,
    licence_number text not null,
    licence_expires_on date,
    counter_fee_rials bigint not null default 0 check (counter_fee_rials >= 0),
    active boolean not null default true,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create table counter_operators (
    staff_id uuid primary key references staff(id) on delete cascade,
    office_id uuid not null references counter_offices(id),
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create table counter_sessions (
    id uuid primary key default gen_random_uuid(),
    office_id uuid not null references counter_offices(id),
    operator_id uuid not null references staff(id),
    national_id text not null,
    service_id uuid not null references services(id),
    challenge_id uuid not null,
    status text not null default 'code-sent' check (status in ('code-sent', 'active', 'submitted', 'ended', 'refused')),
    citizen_id uuid references citizens(id),
    citizen_session_id uuid,
    token_hash text unique,
    application_id uuid references applications(id) on delete set null,
    counter_fee_rials bigint,
    created_at timestamptz not null default now(),
    verified_at timestamptz,
    expires_at timestamptz,
    ended_at timestamptz
  )`.execute(db);
  await sql`create index counter_sessions_office on counter_sessions (office_id, created_at desc)`.execute(db);
  await sql`create unique index counter_sessions_application on counter_sessions (application_id) where status = 'submitted'`.execute(db);
  await sql`create index counter_sessions_app_active on counter_sessions (application_id) where status = 'active'`.execute(db);
}
