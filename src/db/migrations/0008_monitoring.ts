import { sql, type Kysely } from 'kysely';

// Monitoring and evaluation: versioned indicator sets, evaluation rounds over agencies (or city
// portals), answers kept per round with their evidence, automated portal checks.
export async function up(db: Kysely<any>): Promise<void> {
  // A set version is immutable once stored: a change of weights or indicators is a new version.
  await sql`create table monitor_indicator_sets (
    id uuid primary key default gen_random_uuid(),
    key text not null check (key ~ '^[a-z0-9][a-z0-9-]{0,59}$'),
    version integer not null check (version >= 1),
    name jsonb not null,
    scope text not null check (scope in ('agency', 'portal')),
    rollup text not null check (rollup in ('criteria', 'pooled')),
    criteria jsonb not null,
    indicators jsonb not null,
    created_by text not null,
    created_at timestamptz not null default now(),
    unique (key, version)
  )`.execute(db);

  await sql`create table monitor_rounds (
    id uuid primary key default gen_random_uuid(),
    slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{0,79}$'),
    title jsonb not null,
    set_id uuid not null references monitor_indicator_sets(id),
    cutoff date not null,
    status text not null check (status in ('open', 'published', 'superseded')),
    supersedes uuid references monitor_rounds(id),
    correction_note text,
    created_by text not null,
    created_at timestamptz not null default now(),
    published_at timestamptz,
    published_by text
  )`.execute(db);

  await sql`create table monitor_subjects (
    round_id uuid not null references monitor_rounds(id) on delete cascade,
    subject text not null check (subject ~ '^[a-z0-9][a-z0-9-]{0,79}$'),
    agency_id text references agencies(id),
    name jsonb not null,
    url text,
    assessor_id uuid references staff(id),
    status text not null default 'open' check (status in ('open', 'submitted', 'approved')),
    reviewer_id uuid references staff(id),
    review_note text,
    reviewed_at timestamptz,
    scores jsonb,
    primary key (round_id, subject)
  )`.execute(db);
  await sql`create index monitor_subjects_assessor_idx on monitor_subjects (assessor_id)`.execute(db);

  await sql`create table monitor_answers (
    round_id uuid not null,
    subject text not null,
    code text not null,
    value double precision,
    state text not null check (state in ('answered', 'no-data', 'proposed')),
    origin text not null check (origin in ('assessor', 'auto', 'portal-check')),
    note text,
    link text,
    detail jsonb not null default '{}',
    answered_by text not null,
    answered_at timestamptz not null default now(),
    primary key (round_id, subject, code),
    foreign key (round_id, subject) references monitor_subjects (round_id, subject) on delete cascade
  )`.execute(db);

  await sql`create table monitor_evidence (
    id uuid primary key default gen_random_uuid(),
    round_id uuid not null,
    subject text not null,
    code text not null,
    filename text not null,
    media_type text not null,
    size integer not null,
    sha256 text not null,
    content bytea not null,
    uploaded_by text not null,
    uploaded_at timestamptz not null default now(),
    foreign key (round_id, subject) references monitor_subjects (round_id, subject) on delete cascade
  )`.execute(db);
  await sql`create index monitor_evidence_answer_idx on monitor_evidence (round_id, subject, code)`.execute(db);

  await sql`create table monitor_portal_checks (
    id uuid primary key default gen_random_uuid(),
    url text not null,
    round_id uuid references monitor_rounds(id) on delete cascade,
    subject text,
    result jsonb not null,
    checked_at timestamptz not null default now()
  )`.execute(db);
}
