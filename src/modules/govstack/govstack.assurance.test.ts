// The GovStack API and identity assurance (issue 14): a calling system has no citizen sign-in, so it is at
// "low"; a service that needs more is refused with ASSURANCE_TOO_LOW before anything is made (no draft,
// no attached document), not after the draft has been started.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { nationalId } from '../../../test/helpers/people.ts';
import { expectError, IMC, P } from './govstack.testkit.ts';

let t: TestApp;
before(async () => {
  t = await testApp({ GOVSTACK_ACCESS: 'open' });
});
after(() => t.close());

const SLUG = 'certificate-of-single-status';

test('a service that needs substantial assurance is refused through GovStack with ASSURANCE_TOO_LOW, leaving no draft', async () => {
  const db = t.ctx.database.db;
  const service = await db.selectFrom('services').select(['id']).where('slug', '=', SLUG).executeTakeFirstOrThrow();
  const count = async () =>
    Number(
      (
        await db
          .selectFrom('applications')
          .select((e) => e.fn.countAll().as('n'))
          .where('service_id', '=', service.id)
          .executeTakeFirstOrThrow()
      ).n,
    );
  await t.ctx.catalog.editCard(SLUG, { assurance: 'substantial' }, 'test');
  const before = await count();
  const r = await t.app.inject({
    method: 'POST',
    url: `${P}/services/${service.id}/applications`,
    headers: IMC,
    payload: {
      applicantId: nationalId(777001),
      formData: {
        data: {
          nationalId: nationalId(777001),
          mobile: '09127770001',
          fullName: 'Sara Ahmadi',
          purpose: 'employment',
          email: 'sara@example.ir',
        },
      },
    },
  });
  expectError(r, 403, 'ASSURANCE_TOO_LOW');
  assert.equal(await count(), before, 'no draft was started for the refused submission');
});
