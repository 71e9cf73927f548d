// A staff account change and its audit entry commit together. The audit log refuses an entry here (a
// trigger raises for the actions under test), so each change must fail as a whole: no role changed, no
// account deactivated, no invitation made, with no audit entry. On code that writes the entry after
// committing the change, the change would stay without its entry.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { staffSession } from '../../../test/helpers/people.ts';

let t: TestApp;
before(async () => {
  t = await testApp({ NOTIFICATIONS_WORKER: false, APPLICATION_JOBS: false });
  const db = t.ctx.database.db;
  await sql`create function refuse_test_audit() returns trigger language plpgsql as $$
    begin
      if new.action in ('staff.role-changed', 'staff.deactivated', 'staff.invited', 'staff.authenticator-reset') then
        raise exception 'the audit log refuses % (test)', new.action;
      end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger refuse_test_audit before insert on audit_log for each row execute function refuse_test_audit()`.execute(db);
});
after(() => t.close());

test('when the audit entry cannot be written, the staff change is not made either', async () => {
  const db = t.ctx.database.db;
  const admin = (await t.ctx.staff.byId((await staffSession(t.ctx, 'agency-admin', 'ir-nocr')).id))!;
  const target = (await t.ctx.staff.byId((await staffSession(t.ctx, 'operator', 'ir-nocr')).id))!;

  await assert.rejects(t.ctx.staff.changeRole(target, 'agency-admin', admin), /audit log refuses/);
  assert.equal((await t.ctx.staff.byId(target.id))?.role, 'operator', 'the role did not change');

  await assert.rejects(t.ctx.staff.setActive(target, false, admin), /audit log refuses/);
  assert.equal((await t.ctx.staff.byId(target.id))?.deactivated_at, null, 'still active');
  const live = await db
    .selectFrom('staff_sessions')
    .select('id')
    .where('staff_id', '=', target.id)
    .where('revoked_at', 'is', null)
    .execute();
  assert.equal(live.length, 1, 'their session was not ended');

  await assert.rejects(t.ctx.staff.resetAuthenticator(target, admin), /audit log refuses/);
  const kept = await t.ctx.staff.byId(target.id);
  assert.ok(kept?.totp_secret === target.totp_secret, 'the authenticator was not reset');

  await assert.rejects(t.ctx.staff.invite('new.person@example.ir', 'operator', 'ir-nocr', 'test'), /audit log refuses/);
  assert.equal(
    await db.selectFrom('staff').select('id').where('email', '=', 'new.person@example.ir').executeTakeFirst(),
    undefined,
    'no account was made',
  );

  const entries = await db.selectFrom('audit_log').select('action').where('subject', '=', target.id).execute();
  assert.deepEqual(
    entries.map((e) => e.action),
    [],
    'and no entry',
  );
});
