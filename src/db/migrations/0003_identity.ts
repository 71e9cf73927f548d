import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // A person known to the window: one row per national ID.
  await sql`create table citizens (
    id uuid primary key default gen_random_uuid(),
    national_id text not null unique check (national_id ~ '^[0-9]{10}$'),
    mobile text not null check (mobile ~ '^09[0-9]{9}$'),
    created_at timestamptz not null default now(),
    last_sign_in_at timestamptz
  )`.execute(db);

  // One-time sign-in codes: only an HMAC of the code is stored.
  await sql`create table sign_in_challenges (
    id uuid primary key default gen_random_uuid(),
    national_id text not null,
    mobile text not null,
    ip_hash text not null,
    code_hash text not null,
    attempts integer not null default 0,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    consumed_at timestamptz
  )`.execute(db);
  await sql`create index sign_in_challenges_nid_idx on sign_in_challenges (national_id, created_at)`.execute(db);
  await sql`create index sign_in_challenges_mobile_idx on sign_in_challenges (mobile, created_at)`.execute(db);
  await sql`create index sign_in_challenges_ip_idx on sign_in_challenges (ip_hash, created_at)`.execute(db);

  // Server-side sessions; the cookie holds a random token, the table only its SHA-256.
  await sql`create table sessions (
    id uuid primary key default gen_random_uuid(),
    token_hash text not null unique,
    citizen_id uuid not null references citizens(id) on delete cascade,
    created_at timestamptz not null default now(),
    last_seen_at timestamptz not null default now(),
    expires_at timestamptz not null,
    revoked_at timestamptz,
    user_agent text,
    ip_hash text
  )`.execute(db);
  await sql`create index sessions_citizen_idx on sessions (citizen_id)`.execute(db);

  // Append-only audit log; each entry carries the hash of the one before it.
  await sql`create table audit_log (
    seq bigint generated always as identity primary key,
    at timestamptz not null default now(),
    actor text not null,
    action text not null,
    subject text,
    ip_hash text,
    detail jsonb not null default '{}',
    prev_hash text not null,
    hash text not null
  )`.execute(db);
}
