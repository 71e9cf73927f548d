import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Agencies' own portals that sign citizens in through Panjereh (OpenID Connect relying parties).
  await sql`create table oidc_clients (
    client_id text primary key,
    name text not null,
    metadata jsonb not null,
    secret_sealed text not null,
    created_at timestamptz not null default now()
  )`.execute(db);
  // Signing keys; the newest active key signs, older ones stay published until retired.
  await sql`create table oidc_keys (
    kid text primary key,
    private_jwk_sealed text not null,
    created_at timestamptz not null default now(),
    retired_at timestamptz
  )`.execute(db);
  // The provider's own records (sessions, codes, grants, tokens), by model and id.
  await sql`create table oidc_payloads (
    model text not null,
    id text not null,
    payload jsonb not null,
    grant_id text,
    uid text,
    user_code text,
    expires_at timestamptz,
    consumed_at timestamptz,
    primary key (model, id)
  )`.execute(db);
  await sql`create index oidc_payloads_grant_idx on oidc_payloads (grant_id)`.execute(db);
  await sql`create index oidc_payloads_uid_idx on oidc_payloads (uid)`.execute(db);
}
