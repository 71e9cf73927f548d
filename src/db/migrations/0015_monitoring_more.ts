import { sql, type Kysely } from 'kysely';

// Monitoring, second part: a revision counter per round (bumped by every change to its subjects or
// answers, so cached results of an open round are invalidated on any node), and a job queue for the
// automated portal checks a round starts (each takes seconds: they run in a worker, not in a request).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table monitor_rounds add column revision integer not null default 0`.execute(db);

  await sql`create table monitor_check_jobs (
    id uuid primary key default gen_random_uuid(),
    round_id uuid not null,
    subject text not null,
    url text not null,
    status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
    attempts integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    requested_by text not null,
    requested_at timestamptz not null default now(),
    started_at timestamptz,
    finished_at timestamptz,
    check_id uuid references monitor_portal_checks(id) on delete set null,
    proposed integer,
    last_error text,
    foreign key (round_id, subject) references monitor_subjects (round_id, subject) on delete cascade
  )`.execute(db);
  await sql`create index monitor_check_jobs_due_idx on monitor_check_jobs (next_attempt_at) where status in ('queued', 'running')`.execute(
    db,
  );
  await sql`create index monitor_check_jobs_subject_idx on monitor_check_jobs (round_id, subject, requested_at desc)`.execute(db);
}
