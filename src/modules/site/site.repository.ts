// SQL of the site module: read-only, one citizen's own rows that the identity module's service does not
// list (ended sessions, mobile changes), for "what the platform holds about you" (site.service.ts).
// Every query is scoped by the citizen's id; the session's token hash is never read.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

export class SiteRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Every session of the citizen, ended ones too, newest first (not the token hash). */
  sessionsOf(citizenId: string) {
    return this.db
      .selectFrom('sessions')
      .select(['created_at', 'last_seen_at', 'expires_at', 'revoked_at', 'user_agent', 'ip_hash'])
      .where('citizen_id', '=', citizenId)
      .orderBy('created_at', 'desc')
      .execute();
  }

  /** The citizen's mobile number changes at sign-in, newest first. */
  mobileChangesOf(citizenId: string) {
    return this.db
      .selectFrom('citizen_mobile_changes')
      .select(['old_mobile', 'new_mobile', 'changed_at'])
      .where('citizen_id', '=', citizenId)
      .orderBy('changed_at', 'desc')
      .execute();
  }
}
