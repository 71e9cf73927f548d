// The registry answers the representation checks rely on are checked, element by element: a signatory
// whose start date is still ahead does not hold; a malformed answer (a null signatory, a power without its
// scope) or an answer about another company is 'unavailable' (fail closed), never a TypeError.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sessionOf } from '../../../test/helpers/people.ts';
import { exchangeFixture, setUpstream } from '../exchange/exchange.fixture.ts';
import { startJsonServer } from '../exchange/registries/registry-server.ts';

const TRADE = 'apply-for-a-trade-licence';
const VEHICLE = 'transfer-vehicle-ownership';
const COMPANIES = 'GOV/SSAA/COMPANIES/company';
const NOTARIES = 'GOV/SSAA/NOTARIES/power-of-attorney';
const AMIR = { nid: '2288990015', mobile: '09141230000' };
const REZA = { nid: '0012345679', mobile: '09351112233' };
const PARS = '10101234565';
const MOHAMMAD = '6789012346';

let f: Awaited<ReturnType<typeof exchangeFixture>>;
let upstream: Record<string, string>;
before(async () => {
  f = await exchangeFixture({ NOTIFICATIONS_WORKER: false });
  const rows = await f.t.ctx.database.db.selectFrom('exchange_services').select(['id', 'upstream_url']).execute();
  upstream = Object.fromEntries(rows.map((r) => [r.id, r.upstream_url]));
});
after(() => f?.close());

test('the registry answer is checked: a signatory whose start date is still ahead does not hold; malformed or mismatched answers are unavailable', async () => {
  let answer: unknown = null;
  const stub = await startJsonServer(0, '127.0.0.1', () => ({ status: 200, body: answer }));
  await setUpstream(f.t, COMPANIES, `http://127.0.0.1:${stub.port}`);
  await setUpstream(f.t, NOTARIES, `http://127.0.0.1:${stub.port}`);
  try {
    const { id } = await sessionOf(f.t.ctx, AMIR.nid, AMIR.mobile);
    const citizen = { id, national_id: AMIR.nid, mobile: AMIR.mobile };
    const service = { slug: TRADE, categories: [], name: { fa: 'پروانه کسب', en: 'Trade licence' } };
    const today = '2026-06-01';
    const reps = f.t.ctx.representation.service;
    const ask = () => reps.companies.evaluate(PARS, citizen, service, 'test', today);
    const amir = { nationalId: AMIR.nid, name: { fa: 'امیر', en: 'Amir' }, role: 'managing-director', until: null };
    const company = (signatories: unknown[], legalId = PARS) => ({
      legalId,
      name: { fa: 'پارس', en: 'Pars' },
      status: 'active',
      signatories,
    });

    answer = company([{ ...amir, from: '2020-01-15' }]);
    assert.equal((await ask()).outcome, 'confirmed');
    // appointed, but only from next year
    answer = company([{ ...amir, from: '2027-01-01' }]);
    assert.notEqual((await ask()).outcome, 'confirmed');
    assert.equal((await ask()).outcome, 'not-signatory');
    // malformed elements and another company's answer: unavailable, never a TypeError
    for (const bad of [
      company([null]),
      company([{ ...amir, from: '2020-01-15' }, 42]),
      company([{ ...amir, from: undefined }]),
      company([{ ...amir, from: '2020-01-15', until: 5 }]),
      company([{ ...amir, nationalId: null, from: '2020-01-15' }]),
      company([{ ...amir, from: '2020-01-15' }], '10860543218'),
    ]) {
      answer = bad;
      const r = await ask();
      assert.equal(r.outcome, 'unavailable', JSON.stringify(bad));
      assert.ok(r.message, JSON.stringify(bad));
    }
    // the account page's list, and the grant check
    answer = { companies: [null] };
    assert.equal((await reps.companies.companiesOf(citizen)).outcome, 'unavailable');
    answer = company([null]);
    const g = await reps.companies.grant(citizen, { legalId: PARS, granteeNationalId: REZA.nid, services: [TRADE] }, today);
    assert.equal(g.ok, false);
    // the notary registry: a power without its scope, or a null power
    const vservice = { slug: VEHICLE, categories: ['transport-vehicles'], name: { fa: 'خودرو', en: 'Vehicle' } };
    const party = (nid: string) => ({ nationalId: nid, name: { fa: 'x', en: 'x' } });
    const power = { id: 'p1', principal: party(MOHAMMAD), attorney: party(AMIR.nid), endDate: '2027-12-31', notary: { fa: 'x', en: 'x' } };
    for (const bad of [{ powers: [null] }, { powers: [power] }, { powers: [{ ...power, scope: { services: null, categories: [] } }] }]) {
      answer = bad;
      const r = await reps.attorneys.evaluate(MOHAMMAD, citizen, vservice, 'test', today);
      assert.equal(r.outcome, 'unavailable', JSON.stringify(bad));
    }
    answer = { powers: [{ ...power, scope: { services: [], categories: ['transport-vehicles'] } }] };
    assert.equal((await reps.attorneys.evaluate(MOHAMMAD, citizen, vservice, 'test', today)).outcome, 'confirmed');
  } finally {
    await setUpstream(f.t, COMPANIES, upstream[COMPANIES]);
    await setUpstream(f.t, NOTARIES, upstream[NOTARIES]);
    await stub.close();
  }
});
