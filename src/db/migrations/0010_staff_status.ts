import { sql, type Kysely } from 'kysely';

// Agency administrators can deactivate a colleague (who then cannot sign in) and reactivate them later.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table staff add column deactivated_at timestamptz`.execute(db);
}
