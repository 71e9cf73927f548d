import { sql, type Kysely } from 'kysely';

// Participation (issue 16, src/modules/participation/): participatory processes of an agency with phases
// and dates, the text under consultation in sections, comments (replies, supports, flags, hiding with a
// reason), proposals with supports and a public status, polls with secret ballots (who voted is kept in
// one table, what was voted in another, with nothing linking them), and the outcome report.
// A new agency staff role manages them: participation-editor.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table staff drop constraint staff_role_check`.execute(db);
  await sql`alter table staff add constraint staff_role_check check (role in ('platform-admin', 'oversight-analyst', 'agency-admin', 'service-editor', 'operator', 'finance-officer', 'participation-editor'))`.execute(
    db,
  );

  await sql`create table participation_processes (
    id uuid primary key default gen_random_uuid(),
    slug text not null unique,
    agency_id text not null,
    title jsonb not null,
    summary jsonb not null,
    phase text not null default 'information' check (phase in ('information', 'consultation', 'decision', 'follow-up')),
    phases jsonb not null default '[]',
    opens_at timestamptz not null,
    closes_at timestamptz not null,
    outcome jsonb,
    outcome_published_at timestamptz,
    created_by uuid,
    created_at timestamptz not null default now(),
    check (closes_at > opens_at)
  )`.execute(db);
  await sql`create index participation_processes_agency on participation_processes (agency_id, closes_at desc)`.execute(db);

  await sql`create table participation_sections (
    id uuid primary key default gen_random_uuid(),
    process_id uuid not null references participation_processes(id) on delete cascade,
    position int not null,
    title jsonb not null,
    body jsonb not null,
    unique (process_id, position)
  )`.execute(db);

  await sql`create table participation_comments (
    id uuid primary key default gen_random_uuid(),
    process_id uuid not null references participation_processes(id) on delete cascade,
    section_id uuid references participation_sections(id) on delete cascade,
    parent_id uuid references participation_comments(id) on delete cascade,
    citizen_id uuid references citizens(id),
    staff_id uuid,
    author_kind text not null check (author_kind in ('citizen', 'agency')),
    body text not null,
    addenda jsonb not null default '[]',
    body_hash text not null,
    supports int not null default 0,
    replies int not null default 0,
    flags int not null default 0,
    hidden_reason text,
    hidden_at timestamptz,
    created_at timestamptz not null default now(),
    check ((author_kind = 'citizen') = (citizen_id is not null))
  )`.execute(db);
  await sql`create index participation_comments_newest on participation_comments (process_id, created_at desc, id) where parent_id is null`.execute(
    db,
  );
  await sql`create index participation_comments_supported on participation_comments (process_id, supports desc, created_at desc, id) where parent_id is null`.execute(
    db,
  );
  await sql`create index participation_comments_parent on participation_comments (parent_id, created_at)`.execute(db);
  await sql`create index participation_comments_author on participation_comments (citizen_id, created_at desc)`.execute(db);

  await sql`create table participation_comment_supports (
    comment_id uuid not null references participation_comments(id) on delete cascade,
    citizen_id uuid not null references citizens(id),
    created_at timestamptz not null default now(),
    primary key (comment_id, citizen_id)
  )`.execute(db);

  await sql`create table participation_flags (
    comment_id uuid not null references participation_comments(id) on delete cascade,
    citizen_id uuid not null references citizens(id),
    reason text not null,
    created_at timestamptz not null default now(),
    primary key (comment_id, citizen_id)
  )`.execute(db);

  await sql`create table participation_proposals (
    id uuid primary key default gen_random_uuid(),
    process_id uuid not null references participation_processes(id) on delete cascade,
    citizen_id uuid not null references citizens(id),
    title text not null,
    body text not null,
    supports int not null default 0,
    status text not null default 'open' check (status in ('open', 'accepted', 'in-progress', 'done', 'rejected')),
    status_reason text,
    status_at timestamptz,
    created_at timestamptz not null default now(),
    check (status <> 'rejected' or status_reason is not null)
  )`.execute(db);
  await sql`create index participation_proposals_process on participation_proposals (process_id, supports desc)`.execute(db);

  await sql`create table participation_proposal_supports (
    proposal_id uuid not null references participation_proposals(id) on delete cascade,
    citizen_id uuid not null references citizens(id),
    created_at timestamptz not null default now(),
    primary key (proposal_id, citizen_id)
  )`.execute(db);

  await sql`create table participation_polls (
    id uuid primary key default gen_random_uuid(),
    process_id uuid not null references participation_processes(id) on delete cascade,
    question jsonb not null,
    options jsonb not null,
    opens_at timestamptz not null,
    closes_at timestamptz not null,
    adults_only boolean not null default false,
    created_at timestamptz not null default now(),
    check (closes_at > opens_at)
  )`.execute(db);

  // Who voted (one row per person and poll: the unique key refuses a second vote, also under concurrent requests)
  await sql`create table participation_poll_voters (
    poll_id uuid not null references participation_polls(id) on delete cascade,
    citizen_id uuid not null references citizens(id),
    voted_on date not null,
    primary key (poll_id, citizen_id)
  )`.execute(db);
  // What was voted: no citizen, no time; a random id. The count of ballots equals the count of voters.
  await sql`create table participation_poll_ballots (
    id uuid primary key default gen_random_uuid(),
    poll_id uuid not null references participation_polls(id) on delete cascade,
    option_key text not null
  )`.execute(db);
  await sql`create index participation_poll_ballots_poll on participation_poll_ballots (poll_id, option_key)`.execute(db);
}
