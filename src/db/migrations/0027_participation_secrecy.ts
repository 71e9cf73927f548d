import { sql, type Kysely } from 'kysely';

// Participation (issue 16), migration 0027:
// 1. Ballot secrecy. 0024 wrote the voter row and a ballot row in one transaction: the same xmin, the same
//    insertion order, so an operator could link who voted to what. Now there is no per-ballot row at all:
//    a vote inserts the voter row (poll, person: nothing else, no date) and adds one to its option's counter
//    in a statement that rewrites every option's counter row of the poll, so the counters all carry the same
//    transaction id and their physical order says nothing about the choice. Existing ballots become counters.
//    (Comment corrected later: the voter row is written in that same transaction, so someone reading the
//    database live between votes, or the WAL, can still link a voter to the counter that grew; at rest no
//    row, column, order or timestamp links them.)
//    The check: voters = the sum of the counters.
// 2. The process page: a kept count of top-level comments per process, and indexes for keyset paging
//    (newest; most supported) in the order the queries walk them.
// 3. Participatory budgeting (as CONSUL): a process may have a budget in rials with its voting dates;
//    projects listed by the agency or proposed by citizens (pending until moderated); one ballot per person,
//    secret as in 1 (the voter row; one more on each chosen project's counter, in a statement that rewrites
//    every listed project's counter row of the budget); the winners are computed from the counters at closing.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table participation_poll_tallies (
    poll_id uuid not null references participation_polls(id) on delete cascade,
    option_key text not null,
    votes int not null default 0 check (votes >= 0),
    primary key (poll_id, option_key)
  )`.execute(db);
  await sql`insert into participation_poll_tallies (poll_id, option_key, votes)
    select p.id, o->>'key', (select count(*) from participation_poll_ballots b where b.poll_id = p.id and b.option_key = o->>'key')
    from participation_polls p, jsonb_array_elements(p.options) o`.execute(db);
  await sql`drop table participation_poll_ballots`.execute(db);
  await sql`alter table participation_poll_voters drop column voted_on`.execute(db);

  await sql`alter table participation_processes add column top_comments int not null default 0 check (top_comments >= 0)`.execute(db);
  await sql`update participation_processes p set top_comments =
    (select count(*) from participation_comments c where c.process_id = p.id and c.parent_id is null)`.execute(db);
  await sql`drop index participation_comments_newest`.execute(db);
  await sql`drop index participation_comments_supported`.execute(db);
  await sql`create index participation_comments_newest on participation_comments (process_id, created_at desc, id desc) where parent_id is null`.execute(
    db,
  );
  await sql`create index participation_comments_supported on participation_comments (process_id, supports desc, created_at desc, id desc) where parent_id is null`.execute(
    db,
  );

  await sql`create table participation_budgets (
    id uuid primary key default gen_random_uuid(),
    process_id uuid not null unique references participation_processes(id) on delete cascade,
    amount_rials bigint not null check (amount_rials > 0),
    opens_at timestamptz not null,
    closes_at timestamptz not null,
    created_at timestamptz not null default now(),
    check (closes_at > opens_at)
  )`.execute(db);
  await sql`create table participation_budget_projects (
    id uuid primary key default gen_random_uuid(),
    budget_id uuid not null references participation_budgets(id) on delete cascade,
    title text not null,
    body text not null,
    cost_rials bigint not null check (cost_rials > 0),
    citizen_id uuid references citizens(id),
    body_hash text not null,
    status text not null default 'pending' check (status in ('pending', 'listed', 'rejected')),
    status_reason text,
    votes int not null default 0 check (votes >= 0),
    created_at timestamptz not null default now(),
    check (status <> 'rejected' or status_reason is not null)
  )`.execute(db);
  await sql`create index participation_budget_projects_budget on participation_budget_projects (budget_id, status, created_at)`.execute(db);
  await sql`create table participation_budget_voters (
    budget_id uuid not null references participation_budgets(id) on delete cascade,
    citizen_id uuid not null references citizens(id),
    primary key (budget_id, citizen_id)
  )`.execute(db);
}
