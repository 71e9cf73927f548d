import { sql, type Kysely } from 'kysely';

// Holidays announced each year (the lunar ones move against the Solar Hijri calendar, and the government
// sometimes closes offices for a day): working-day deadlines skip them. Fixed Solar Hijri holidays and the
// weekend are rules in src/modules/calendar/calendar.ts, not rows.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table public_holidays (
    day date primary key,
    name_fa text not null check (length(name_fa) between 1 and 200),
    name_en text not null check (length(name_en) between 1 and 200),
    added_by uuid references staff(id),
    created_at timestamptz not null default now()
  )`.execute(db);
}
