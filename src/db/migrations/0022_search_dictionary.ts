import { sql, type Kysely } from 'kysely';
import { STARTER_SYNONYMS, normalizeTerm } from '../../modules/catalog/catalog.synonyms.ts';

// The search dictionary editors maintain (term -> expansions, both stored normalised), seeded with the
// starter set the product ships; and anonymous search counts per day (no user, no IP: the normalised
// query text, its language, how often it was searched and how often it found nothing).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table search_synonyms (
    id uuid primary key default gen_random_uuid(),
    term text not null unique check (length(term) between 1 and 60),
    expansions text[] not null check (cardinality(expansions) between 1 and 10),
    author text not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`.execute(db);
  const rows = new Map<string, string[]>();
  for (const [term, exps] of Object.entries(STARTER_SYNONYMS)) {
    const t = normalizeTerm(term);
    if (t && !rows.has(t)) rows.set(t, exps.map(normalizeTerm).filter(Boolean));
  }
  for (const [term, expansions] of rows)
    await sql`insert into search_synonyms (term, expansions, author) values (${term}, ${expansions}::text[], 'starter')`.execute(db);
  await sql`create table search_query_counts (
    day date not null,
    lang text not null check (lang in ('fa', 'en')),
    query text not null check (length(query) between 1 and 200),
    searches integer not null default 0,
    zero_results integer not null default 0,
    primary key (day, lang, query)
  )`.execute(db);
  await sql`create index search_query_counts_day on search_query_counts (day)`.execute(db);
}
