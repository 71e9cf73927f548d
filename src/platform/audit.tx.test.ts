// Services write their audit entry in the transaction of the change: when the entry cannot be written
// the change is not there either, and a committed change always has its entry. The failure is real: a
// trigger makes PostgreSQL refuse the audit insert for one action.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testApp, type TestApp } from '../../test/helpers/app.ts';

let t: TestApp;
before(async () => (t = await testApp()));
after(() => t.close());

const db = () => t.ctx.database.db;

/** Makes every audit insert with this action fail while `fn` runs. */
async function failingAudit<T>(action: string, fn: () => Promise<T>): Promise<T> {
  await sql`create or replace function audit_fail() returns trigger language plpgsql as $$ begin if new.action = ${sql.lit(action)} then raise exception 'injected audit failure'; end if; return new; end $$`.execute(
    db(),
  );
  await sql`create trigger audit_fail before insert on audit_log for each row execute function audit_fail()`.execute(db());
  try {
    return await fn();
  } finally {
    await sql`drop trigger audit_fail on audit_log`.execute(db());
    await sql`drop function audit_fail()`.execute(db());
  }
}

const entries = (action: string, subject: string) =>
  db()
    .selectFrom('audit_log')
    .select('seq')
    .where('action', '=', action)
    .where('subject', '=', subject)
    .execute()
    .then((r) => r.length);

test('exchange registry: a member whose audit entry fails is not added; added, it has its entry', async () => {
  await assert.rejects(
    failingAudit('exchange.member-added', () => t.ctx.exchange.addMember('cli', 'GOV', 'AUDITX', { fa: 'آزمون', en: 'Test' }, null)),
    /injected audit failure/,
  );
  assert.equal(
    (await db().selectFrom('exchange_members').select('id').where('id', '=', 'GOV/AUDITX').execute()).length,
    0,
    'no member without its entry',
  );
  assert.equal(await entries('exchange.member-added', 'GOV/AUDITX'), 0);
  await t.ctx.exchange.addMember('cli', 'GOV', 'AUDITX', { fa: 'آزمون', en: 'Test' }, null);
  assert.equal((await db().selectFrom('exchange_members').select('id').where('id', '=', 'GOV/AUDITX').execute()).length, 1);
  assert.equal(await entries('exchange.member-added', 'GOV/AUDITX'), 1);
});

test('holidays: an announcement whose audit entry fails is not stored; withdrawn, the entry comes with it', async () => {
  const record = (tx: Parameters<typeof t.ctx.audit.record>[1], action: string) =>
    t.ctx.audit.record({ actor: 'staff:test', action, subject: '2031-03-04' }, tx);
  await assert.rejects(
    failingAudit('calendar.holiday-announced', () =>
      t.ctx.calendar.announce('2031-03-04', { fa: 'آزمون', en: 'Test' }, null as never, (tx) => record(tx, 'calendar.holiday-announced')),
    ),
    /injected audit failure/,
  );
  const stored = () =>
    db()
      .selectFrom('public_holidays')
      .select('day')
      .where(sql`day::text`, '=', '2031-03-04')
      .execute()
      .then((r) => r.length);
  assert.equal(await stored(), 0);
  await t.ctx.calendar.announce('2031-03-04', { fa: 'آزمون', en: 'Test' }, null as never, (tx) => record(tx, 'calendar.holiday-announced'));
  assert.deepEqual([await stored(), await entries('calendar.holiday-announced', '2031-03-04')], [1, 1]);
  await assert.rejects(
    failingAudit('calendar.holiday-withdrawn', () =>
      t.ctx.calendar.withdraw('2031-03-04', (tx) => record(tx, 'calendar.holiday-withdrawn')),
    ),
    /injected audit failure/,
  );
  assert.equal(await stored(), 1, 'still announced: the withdrawal rolled back with its entry');
  assert.equal(await t.ctx.calendar.withdraw('2031-03-04', (tx) => record(tx, 'calendar.holiday-withdrawn')), true);
  assert.deepEqual([await stored(), await entries('calendar.holiday-withdrawn', '2031-03-04')], [0, 1]);
  assert.equal((await t.ctx.audit.verify()).ok, true);
});
