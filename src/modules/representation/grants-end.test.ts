// Ending a company grant (issue 14): not only the signatory who made it, any current signatory of the
// company may end it (checked with the company registry, audited); someone who does not sign for the
// company cannot. A service only a representative applies for is refused through the GovStack API with a
// stable code (the relation is checked for the person signed in, never asserted by a calling system).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { client, sessionOf } from '../../../test/helpers/people.ts';
import { exchangeFixture, setUpstream } from '../exchange/exchange.fixture.ts';
import { DEMO_COMPANIES, startCompanyRegistry } from '../exchange/registries/company-registry.ts';
import { expectError, IMC, P } from '../govstack/govstack.testkit.ts';

const TRADE = 'apply-for-a-trade-licence';
const COMPANIES = 'GOV/SSAA/COMPANIES/company';
const PARS = '10101234565';
const AMIR = { nid: '2288990015', mobile: '09141230000' }; // managing director of Pars Publishing
const REZA = { nid: '0012345679', mobile: '09351112233' }; // made a board member of Pars below
const HOSSEIN = { nid: '4411223341', mobile: '09161234567' }; // the colleague given access
const NARGES = { nid: '5123456783', mobile: '09111239876' }; // her seat at Pars ended 2026-05-01

let f: Awaited<ReturnType<typeof exchangeFixture>>;
let registry: Awaited<ReturnType<typeof startCompanyRegistry>>;
/** Pars as this file's registry answers it (a test may dissolve it for a while). */
let parsHere: (typeof DEMO_COMPANIES)[number];
before(async () => {
  f = await exchangeFixture({ NOTIFICATIONS_WORKER: false });
  // Pars Publishing with a second current signatory (Reza)
  const pars = DEMO_COMPANIES.find((c) => c.legalId === PARS)!;
  parsHere = {
    ...pars,
    signatories: [
      ...pars.signatories,
      { nationalId: REZA.nid, name: { fa: 'رضا', en: 'Reza' }, role: 'board-member', from: '2021-01-01', until: null },
    ],
  };
  registry = await startCompanyRegistry(0, '127.0.0.1', [parsHere]);
  await setUpstream(f.t, COMPANIES, `http://127.0.0.1:${registry.port}`);
});
after(async () => {
  await registry?.close();
  await f?.close();
});

const browser = async (p: { nid: string; mobile: string }) =>
  client(f.t.app, `session=${(await sessionOf(f.t.ctx, p.nid, p.mobile)).token}`);
const grantsInForce = () =>
  f.t.ctx.database.db
    .selectFrom('company_grants')
    .selectAll()
    .where('company_legal_id', '=', PARS)
    .where('revoked_at', 'is', null)
    .execute();

test('another current signatory ends a grant a colleague made; a former signatory cannot; both audited', async () => {
  const amir = await browser(AMIR);
  await amir.get('/en/account/representation');
  const given = await amir.post('/en/account/representation/grants', { legalId: PARS, granteeNationalId: HOSSEIN.nid, services: TRADE });
  assert.equal(given.statusCode, 303, given.body.slice(0, 300));
  const [grant] = await grantsInForce();
  assert.ok(grant);

  // Narges no longer signs for Pars: refused (not found), the grant stays, the refusal audited
  const narges = await browser(NARGES);
  await narges.get('/en/account/representation');
  assert.equal((await narges.post(`/en/account/representation/grants/${grant.id}/end`, {})).statusCode, 404);
  assert.equal((await grantsInForce()).length, 1);
  const refused = await f.t.ctx.database.db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', 'representation.grant.revoke-refused')
    .execute();
  assert.equal(refused.length, 1);

  // Reza signs for Pars now: after asking the registries he sees the grant with a button, and ends it
  const reza = await browser(REZA);
  await reza.get('/en/account/representation');
  const others = await reza.post('/en/account/representation/others', {});
  assert.equal(others.statusCode, 200);
  assert.match(others.body, new RegExp(`action="/en/account/representation/grants/${grant.id}/end"`));
  assert.match(others.body, /Access of the holder of national ID <bdi>4411223341<\/bdi> \(given by <bdi>2288990015<\/bdi>\)/);
  const fa = await reza.post('/fa/account/representation/others', {});
  assert.match(fa.body, /دسترسی دارنده کد ملی <bdi>۴۴۱۱۲۲۳۳۴۱<\/bdi>/);
  const ended = await reza.post(`/en/account/representation/grants/${grant.id}/end`, {});
  assert.equal(ended.statusCode, 303);
  assert.equal((await grantsInForce()).length, 0);
  const audit = await f.t.ctx.database.db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', 'representation.grant.revoked')
    .where('subject', '=', `company:${PARS}`)
    .execute();
  assert.equal(audit.length, 1);
  assert.equal(audit[0].detail?.byOtherSignatory, true);
  assert.equal(audit[0].detail?.grantedByNationalId, AMIR.nid);
});

test('a registry that is down ends nothing (fail closed)', async () => {
  const amir = await browser(AMIR);
  await amir.get('/en/account/representation');
  assert.equal(
    (await amir.post('/en/account/representation/grants', { legalId: PARS, granteeNationalId: HOSSEIN.nid, services: TRADE })).statusCode,
    303,
  );
  const [grant] = await grantsInForce();
  await setUpstream(f.t, COMPANIES, 'http://127.0.0.1:9');
  try {
    const reza = await browser(REZA);
    await reza.get('/en/account/representation');
    const r = await reza.post(`/en/account/representation/grants/${grant.id}/end`, {});
    assert.equal(r.statusCode, 503);
    assert.match(r.body, /the access has not ended/);
    assert.ok(
      (await grantsInForce()).some((g) => g.id === grant.id),
      'the grant stays in force',
    );
  } finally {
    await setUpstream(f.t, COMPANIES, `http://127.0.0.1:${registry.port}`);
  }
});

test('the GovStack API refuses a service only a representative applies for, with a stable code', async () => {
  const service = await f.t.ctx.database.db
    .selectFrom('services')
    .select(['id', 'agency_id'])
    .where('slug', '=', TRADE)
    .executeTakeFirstOrThrow();
  const { key } = await f.t.ctx.agencyApi.create(service.agency_id, 'portal', ['govstack'], 'test');
  const r = await f.t.app.inject({
    method: 'POST',
    url: `${P}/services/${service.id}/applications`,
    headers: { ...IMC, authorization: `Bearer ${key}` },
    payload: { applicantId: AMIR.nid, formData: { data: { companyLegalId: PARS } } },
  });
  expectError(r, 422, 'REPRESENTATION_REQUIRED');
});

test("a signatory of a company that is no longer active cannot end a colleague's grant (as granting is refused)", async () => {
  const amir = await browser(AMIR);
  await amir.get('/en/account/representation');
  const given = await amir.post('/en/account/representation/grants', { legalId: PARS, granteeNationalId: HOSSEIN.nid, services: TRADE });
  assert.equal(given.statusCode, 303, given.body.slice(0, 300));
  const grant = (await grantsInForce()).find((g) => g.granted_by_national_id === AMIR.nid && g.grantee_national_id === HOSSEIN.nid);
  assert.ok(grant);
  parsHere.status = 'dissolved';
  try {
    const reza = await browser(REZA);
    await reza.get('/en/account/representation');
    assert.equal((await reza.post(`/en/account/representation/grants/${grant.id}/end`, {})).statusCode, 404);
    assert.ok(
      (await grantsInForce()).some((g) => g.id === grant.id),
      'the grant stays in force',
    );
  } finally {
    parsHere.status = 'active';
  }
});

test('ending grants is rate limited like the other representation POSTs', async () => {
  const b = await browser(REZA);
  await b.get('/en/account/representation');
  const codes: number[] = [];
  for (let i = 0; i < 22; i++)
    codes.push((await b.post('/en/account/representation/grants/00000000-0000-4000-8000-000000000000/end', {})).statusCode);
  assert.ok(codes.includes(429), codes.join(','));
});
