import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // The platform's document-signing keys (Ed25519). The newest active key signs; retired keys stay
  // published so documents signed with them still verify.
  await sql`create table document_keys (
    kid text primary key,
    public_jwk jsonb not null,
    private_sealed text not null,
    created_at timestamptz not null default now(),
    retired_at timestamptz
  )`.execute(db);
  // Result documents (certificates, licences, letters): the exact PDF bytes, their hash, and the
  // platform's signature over the hash and the canonical metadata.
  await sql`create table documents (
    id uuid primary key default gen_random_uuid(),
    code text not null unique,
    agency_id text not null references agencies(id),
    service_id uuid references services(id),
    application_ref text,
    kind text not null check (kind in ('certificate', 'licence', 'letter')),
    lang text not null check (lang in ('fa', 'en')),
    title text not null,
    holder_name text not null,
    fields jsonb not null,
    issued_at timestamptz not null,
    sha256 text not null,
    kid text not null references document_keys(kid),
    signature text not null,
    pdf bytea not null,
    download_token_hash text not null,
    status text not null default 'valid' check (status in ('valid', 'revoked')),
    revoked_at timestamptz,
    revoke_reason text,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index documents_agency_idx on documents (agency_id, issued_at desc)`.execute(db);
  await sql`create index documents_application_idx on documents (application_ref)`.execute(db);

  // API keys agency back-end systems use (Authorization: Bearer pjk_<prefix>_<secret>).
  await sql`create table agency_api_keys (
    id uuid primary key default gen_random_uuid(),
    agency_id text not null references agencies(id),
    name text not null,
    prefix text not null unique,
    secret_hash text not null,
    scopes text[] not null,
    created_by text not null,
    created_at timestamptz not null default now(),
    last_used_at timestamptz,
    revoked_at timestamptz
  )`.execute(db);
  await sql`create index agency_api_keys_agency_idx on agency_api_keys (agency_id)`.execute(db);

  // Webhooks: endpoints agencies register, one delivery row per (event, endpoint), and every attempt.
  await sql`create table webhook_endpoints (
    id uuid primary key default gen_random_uuid(),
    agency_id text not null references agencies(id),
    url text not null,
    events text[] not null,
    secret_sealed text not null,
    created_by text not null,
    created_at timestamptz not null default now(),
    disabled_at timestamptz
  )`.execute(db);
  await sql`create index webhook_endpoints_agency_idx on webhook_endpoints (agency_id)`.execute(db);
  await sql`create table webhook_deliveries (
    id uuid primary key default gen_random_uuid(),
    endpoint_id uuid not null references webhook_endpoints(id),
    agency_id text not null,
    event text not null,
    payload jsonb not null,
    status text not null default 'pending' check (status in ('pending', 'delivered', 'dead')),
    attempts integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_status_code integer,
    last_error text,
    created_at timestamptz not null default now(),
    delivered_at timestamptz
  )`.execute(db);
  await sql`create index webhook_deliveries_due_idx on webhook_deliveries (next_attempt_at) where status = 'pending'`.execute(db);
  await sql`create index webhook_deliveries_agency_idx on webhook_deliveries (agency_id, created_at desc)`.execute(db);
  await sql`create table webhook_attempts (
    id bigint generated always as identity primary key,
    delivery_id uuid not null references webhook_deliveries(id),
    attempt integer not null,
    at timestamptz not null default now(),
    status_code integer,
    duration_ms integer not null,
    error text,
    response_excerpt text
  )`.execute(db);
  await sql`create index webhook_attempts_delivery_idx on webhook_attempts (delivery_id, attempt)`.execute(db);
}
