import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table staff (
    id uuid primary key default gen_random_uuid(),
    email text not null unique check (email = lower(email)),
    name text not null default '',
    role text not null check (role in ('platform-admin', 'oversight-analyst', 'agency-admin', 'service-editor', 'operator')),
    agency_id text references agencies(id),
    password_hash text,
    totp_secret text,
    totp_enabled boolean not null default false,
    totp_last_step bigint not null default 0,
    recovery_codes jsonb not null default '[]',
    failed_attempts integer not null default 0,
    locked_until timestamptz,
    setup_token_hash text unique,
    setup_expires_at timestamptz,
    created_at timestamptz not null default now(),
    check ((role in ('platform-admin', 'oversight-analyst')) = (agency_id is null))
  )`.execute(db);
  await sql`create table staff_sessions (
    id uuid primary key default gen_random_uuid(),
    token_hash text not null unique,
    staff_id uuid not null references staff(id) on delete cascade,
    mfa_passed boolean not null default false,
    created_at timestamptz not null default now(),
    last_seen_at timestamptz not null default now(),
    expires_at timestamptz not null,
    revoked_at timestamptz
  )`.execute(db);
}
