// Authorization: every monitoring staff route for every role, signed out, and an assessor of another
// agency; allowed or refused, nothing between.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import type { StaffRole } from '../../db/schema.ts';
import { client, signedInStaff } from './monitoring.testkit.ts';

let t: TestApp;
before(async () => (t = await testApp()));
after(() => t.close());

test('monitoring routes per role: the oversight office manages, assessors see only their assignment, agency staff nothing', async () => {
  const roles: [string, StaffRole | null, string | null][] = [
    ['admin', 'platform-admin', null],
    ['analyst', 'oversight-analyst', null],
    ['nocr-admin', 'agency-admin', 'ir-nocr'],
    ['tax-editor', 'service-editor', 'ir-tax'],
    ['nocr-operator', 'operator', 'ir-nocr'],
    ['signed-out', null, null],
  ];
  const s = new Map<string, ReturnType<typeof client>>();
  const ids = new Map<string, string>();
  for (const [name, role, agency] of roles) {
    if (!role) {
      s.set(name, client(t));
      continue;
    }
    const x = await signedInStaff(t, `${name}@example.ir`, role, agency);
    s.set(name, x.b);
    ids.set(name, x.id);
  }
  const boss = { id: ids.get('admin')!, role: 'platform-admin' as const, agencyId: null };
  const r = await t.ctx.monitoring.createRound(
    {
      slug: 'authz',
      title: { fa: 'آزمون', en: 'Authz' },
      setKey: 'national-maturity',
      cutoff: new Date().toISOString().slice(0, 10),
      agencyIds: ['ir-nocr', 'ir-tax'],
    },
    boss,
  );
  assert.ok(r.ok);
  // the tax editor assesses NOCR (another agency): allowed; the NOCR staff cannot be assigned their own
  assert.deepEqual(
    await t.ctx.monitoring.assign(
      r.round.id,
      'ir-nocr',
      ids.get('tax-editor')!,
      { id: ids.get('tax-editor')!, role: 'service-editor', agencyId: 'ir-tax' },
      boss,
    ),
    [],
  );
  assert.equal(
    (
      await t.ctx.monitoring.assign(
        r.round.id,
        'ir-nocr',
        ids.get('nocr-admin')!,
        { id: ids.get('nocr-admin')!, role: 'agency-admin', agencyId: 'ir-nocr' },
        boss,
      )
    ).length,
    1,
  );
  const R = '/en/staff/monitoring/rounds/authz';
  const routes: [string, string, Record<string, number>][] = [
    [
      'GET',
      '/en/staff/monitoring',
      { admin: 200, analyst: 200, 'nocr-admin': 200, 'tax-editor': 200, 'nocr-operator': 200, 'signed-out': 303 },
    ],
    [
      'GET',
      '/en/staff/monitoring/rounds/new',
      { admin: 200, analyst: 200, 'nocr-admin': 403, 'tax-editor': 403, 'nocr-operator': 403, 'signed-out': 303 },
    ],
    [
      'POST',
      '/en/staff/monitoring/rounds/new',
      { admin: 400, analyst: 400, 'nocr-admin': 403, 'tax-editor': 403, 'nocr-operator': 403, 'signed-out': 303 },
    ],
    ['GET', R, { admin: 200, analyst: 200, 'nocr-admin': 403, 'tax-editor': 200, 'nocr-operator': 403, 'signed-out': 303 }],
    ['POST', `${R}/assign`, { admin: 303, analyst: 303, 'nocr-admin': 403, 'tax-editor': 403, 'nocr-operator': 403, 'signed-out': 303 }],
    ['POST', `${R}/automatic`, { admin: 303, analyst: 303, 'nocr-admin': 403, 'tax-editor': 403, 'nocr-operator': 403, 'signed-out': 303 }],
    [
      'GET',
      `${R}/subjects/ir-nocr`,
      { admin: 200, analyst: 200, 'nocr-admin': 403, 'tax-editor': 200, 'nocr-operator': 403, 'signed-out': 303 },
    ],
    [
      'GET',
      `${R}/subjects/ir-tax`,
      { admin: 200, analyst: 200, 'nocr-admin': 403, 'tax-editor': 403, 'nocr-operator': 403, 'signed-out': 303 },
    ],
    [
      'GET',
      `${R}/subjects/ir-nocr/indicators/TR-2`,
      { admin: 403, analyst: 403, 'nocr-admin': 403, 'tax-editor': 200, 'nocr-operator': 403, 'signed-out': 303 },
    ],
    [
      'POST',
      `${R}/subjects/ir-nocr/review`,
      { admin: 409, analyst: 409, 'nocr-admin': 403, 'tax-editor': 403, 'nocr-operator': 403, 'signed-out': 303 },
    ],
    ['POST', `${R}/publish`, { admin: 303, analyst: 303, 'nocr-admin': 403, 'tax-editor': 403, 'nocr-operator': 403, 'signed-out': 303 }],
  ];
  const failures: string[] = [];
  for (const [method, url, expected] of routes) {
    for (const [name] of roles) {
      const b = s.get(name)!;
      await b.get(name === 'signed-out' ? '/en/staff/sign-in' : '/en/staff/monitoring'); // a fresh CSRF token
      const res =
        method === 'GET'
          ? await b.get(url)
          : await b.post(url, url.endsWith('/assign') ? { subject: 'ir-tax', assessor: ids.get('analyst')! } : {});
      if (res.statusCode !== expected[name]) failures.push(`${method} ${url} as ${name}: ${res.statusCode}, expected ${expected[name]}`);
    }
  }
  assert.deepEqual(failures, []);
  assert.equal((await t.ctx.monitoring.round('authz')).status, 'open', 'publishing waited for the approvals');
});
