import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table un_countries (
    iso3 text primary key check (iso3 ~ '^[A-Z]{3}$'),
    name_en text not null unique,
    name_fa text not null,
    region text not null
  )`.execute(db);
  // One row per country per UN E-Government Survey edition; null = not assessed or not published.
  await sql`create table un_egov_scores (
    iso3 text not null references un_countries(iso3),
    year smallint not null check (year between 2001 and 2100),
    egdi double precision check (egdi between 0 and 1),
    osi double precision check (osi between 0 and 1),
    hci double precision check (hci between 0 and 1),
    tii double precision check (tii between 0 and 1),
    epi double precision check (epi between 0 and 1),
    rank integer check (rank > 0),
    primary key (iso3, year)
  )`.execute(db);
  await sql`create index un_egov_scores_year_idx on un_egov_scores (year)`.execute(db);
}
