import { sql, type Kysely } from 'kysely';

// The exchange between agencies (X-Road compatible): who is a member, which subsystems and services
// they have, who may call what, the exchange's own keys and certificates, and the message log.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table exchange_members (
    id text primary key,
    member_class text not null,
    member_code text not null,
    name jsonb not null,
    agency_id text references agencies(id) on delete set null,
    created_at timestamptz not null default now(),
    unique (member_class, member_code)
  )`.execute(db);
  await sql`create table exchange_subsystems (
    id text primary key,
    member_id text not null references exchange_members(id) on delete cascade,
    subsystem_code text not null,
    created_at timestamptz not null default now(),
    unique (member_id, subsystem_code)
  )`.execute(db);
  await sql`create table exchange_services (
    id text primary key,
    subsystem_id text not null references exchange_subsystems(id) on delete cascade,
    service_code text not null,
    title jsonb not null,
    upstream_url text not null,
    timeout_ms integer not null default 10000,
    openapi text,
    subject_location jsonb,
    log_bodies boolean not null default false,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    unique (subsystem_id, service_code)
  )`.execute(db);
  await sql`create table exchange_groups (
    code text primary key,
    description text not null default '',
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create table exchange_group_members (
    group_code text not null references exchange_groups(code) on delete cascade,
    subsystem_id text not null references exchange_subsystems(id) on delete cascade,
    primary key (group_code, subsystem_id)
  )`.execute(db);
  // A grant names a client subsystem or a group, and a method ('*' = any) and a path pattern
  // ('/**' = the whole service; '*' one path segment, '**' any number of segments).
  await sql`create table exchange_grants (
    id uuid primary key default gen_random_uuid(),
    service_id text not null references exchange_services(id) on delete cascade,
    client_subsystem_id text references exchange_subsystems(id) on delete cascade,
    group_code text references exchange_groups(code) on delete cascade,
    method text not null default '*',
    path text not null default '/**',
    created_by text not null,
    created_at timestamptz not null default now(),
    check ((client_subsystem_id is null) <> (group_code is null))
  )`.execute(db);
  await sql`create unique index exchange_grants_unique on exchange_grants (service_id, coalesce(client_subsystem_id, ''), coalesce(group_code, ''), method, path)`.execute(
    db,
  );
  // The certificate authority's and the message-log signer's keys; private keys sealed.
  await sql`create table exchange_keys (
    id text primary key,
    kind text not null,
    certificate_pem text,
    public_pem text not null,
    private_sealed text not null,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create table exchange_certs (
    serial text primary key,
    subsystem_id text not null references exchange_subsystems(id) on delete cascade,
    fingerprint text not null,
    not_after timestamptz not null,
    issued_at timestamptz not null default now(),
    revoked_at timestamptz
  )`.execute(db);
  // A revision counter every registry change bumps, so each node reloads its in-memory copy.
  await sql`create table exchange_state (id integer primary key, revision bigint not null)`.execute(db);
  await sql`insert into exchange_state (id, revision) values (1, 1)`.execute(db);
  // The message log: one record per request, chained by hash; seq is assigned under a lock, so a
  // gap means a removed record.
  await sql`create table exchange_log (
    seq bigint primary key,
    at timestamptz not null,
    x_road_id text not null,
    request_id text not null,
    client_id text,
    service_id text not null,
    method text not null,
    status integer not null,
    error_type text,
    duration_ms integer not null,
    request_bytes bigint not null,
    response_bytes bigint not null,
    request_hash text not null,
    response_hash text not null,
    subject_hash text,
    issue text,
    detail_sealed text not null,
    prev_hash text not null,
    hash text not null
  )`.execute(db);
  await sql`create index exchange_log_subject_idx on exchange_log (subject_hash, seq) where subject_hash is not null`.execute(db);
  await sql`create index exchange_log_at_idx on exchange_log (at)`.execute(db);
  // Signed batches: the exchange's signature over (from_seq, to_seq, the hash of to_seq).
  await sql`create table exchange_log_batches (
    id bigint primary key,
    from_seq bigint not null,
    to_seq bigint not null,
    last_hash text not null,
    signed_at timestamptz not null,
    key_id text not null,
    signature text not null
  )`.execute(db);
}
