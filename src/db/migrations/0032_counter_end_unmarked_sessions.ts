import type { Kysely } from 'kysely';

// Counter offices after the assisted-token mark (counter.scope.ts looks up only citizen-session tokens
// that start with identity's ASSISTED_TOKEN_PREFIX): an assisted session opened before that release has
// an unmarked token, so the scope hook would skip it and the operator's browser would hold a full citizen
// session. At the release every open assisted session is ended and the citizen session behind it revoked;
// the operator starts again with a new code (the citizen's draft stays theirs).
export async function up(db: Kysely<any>): Promise<void> {
  const now = new Date();
  const open = await db
    .updateTable('counter_sessions')
    .set({ status: 'ended', ended_at: now })
    .where('status', '=', 'active')
    .returning(['citizen_session_id'])
    .execute();
  const ids = open.flatMap((r: { citizen_session_id: string | null }) => (r.citizen_session_id ? [r.citizen_session_id] : []));
  if (ids.length)
    await db.updateTable('sessions').set({ revoked_at: now }).where('id', 'in', ids).where('revoked_at', 'is', null).execute();
}

// nothing to undo: ended sessions stay ended
export async function down(): Promise<void> {}
