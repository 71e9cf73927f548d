// Acting for others, second slice (issue 14): a company's signatory applies for the company (trade
// licence), a colleague applies under a grant a signatory made (named services, revocable, audited), an
// attorney applies under a power of attorney from the notary registry (scope and end date). Each
// refusal says why (fa and en), submits nothing and is in the audit log; a registry that is down refuses.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { client, sessionOf, staffSession } from '../../../test/helpers/people.ts';
import { exchangeFixture, setUpstream } from '../exchange/exchange.fixture.ts';
import { checkLegalId, legalIdCheckDigit } from '../exchange/registries/legal-id.ts';
import { checkDefinition } from '../applications/forms.ts';

const TRADE = 'apply-for-a-trade-licence';
const VEHICLE = 'transfer-vehicle-ownership';
const COMPANIES = 'GOV/SSAA/COMPANIES/company';
const NOTARIES = 'GOV/SSAA/NOTARIES/power-of-attorney';
// the demo registries (src/modules/exchange/registries/company-registry.ts, notary-registry.ts)
const AMIR = { nid: '2288990015', mobile: '09141230000' }; // managing director of Pars Publishing; attorney of Mohammad and Fatemeh
const NARGES = { nid: '5123456783', mobile: '09111239876' }; // her board seat at Pars Publishing ended 2026-05-01
const REZA = { nid: '0012345679', mobile: '09351112233' }; // no company, no power
const HOSSEIN = { nid: '4411223341', mobile: '09161234567' }; // Narges's attorney until 2025-03-20
const PARS = '10101234565';
const MOHAMMAD = '6789012346'; // power to Amir: category transport-vehicles, until 2027-12-31
const FATEMEH = '3067543211'; // power to Amir: only register-the-sale-of-a-property
const NARGES_NID = NARGES.nid;

let f: Awaited<ReturnType<typeof exchangeFixture>>;
let upstream: Record<string, string>;
before(async () => {
  f = await exchangeFixture({ NOTIFICATIONS_WORKER: false });
  const rows = await f.t.ctx.database.db.selectFrom('exchange_services').select(['id', 'upstream_url']).execute();
  upstream = Object.fromEntries(rows.map((r) => [r.id, r.upstream_url]));
});
after(() => f?.close());

/** A signed-in demo citizen with a draft of `slug`, past the first page. */
async function applicant(p: { nid: string; mobile: string }, slug: string) {
  const { token, ...c } = await sessionOf(f.t.ctx, p.nid, p.mobile);
  const b = client(f.t.app, `session=${token}`);
  await b.get(`/fa/services/${slug}/apply`);
  const r = await b.post(`/fa/services/${slug}/apply`, {});
  assert.equal(r.statusCode, 303);
  const appId = /\/applications\/([0-9a-f-]{36})/.exec(r.headers.location as string)![1];
  const appPath = `/fa/applications/${appId}`;
  await b.get(`${appPath}/questions/applicant`);
  assert.equal((await b.post(`${appPath}/questions/applicant`, { nationalId: p.nid, mobile: p.mobile })).statusCode, 303);
  return { b, citizenId: c.id, appId, appPath };
}

async function submit(b: ReturnType<typeof client>, appPath: string) {
  const appId = appPath.split('/').pop()!;
  assert.equal((await b.get(`${appPath}/check`)).statusCode, 200);
  const draft = await f.t.ctx.applications.repo.byId(appId);
  return b.post(`${appPath}/submit`, { submissionToken: draft!.submission_token });
}
const business = (b: ReturnType<typeof client>, appPath: string) =>
  b.post(`${appPath}/questions/business`, { activity: 'نشر کتاب', premisesAddress: 'تهران، خیابان انقلاب' });
const vehicle = (b: ReturnType<typeof client>, appPath: string) =>
  b.post(`${appPath}/questions/vehicle`, { plate: '12ب345-67', buyerNationalId: '1122334451' });

const checks = (appId: string) =>
  f.t.ctx.database.db
    .selectFrom('application_representations')
    .selectAll()
    .where('application_id', '=', appId)
    .orderBy('checked_at')
    .execute();
const audits = (subject: string) =>
  f.t.ctx.database.db.selectFrom('audit_log').selectAll().where('subject', '=', subject).orderBy('seq').execute();
const statusOf = async (appId: string) =>
  (await f.t.ctx.database.db.selectFrom('applications').select('status').where('id', '=', appId).executeTakeFirstOrThrow()).status;

/** Refused on the page: 400, the reason in Persian and English, the draft kept, the refusal audited. */
async function refusedOnPage(
  b: ReturnType<typeof client>,
  appId: string,
  page: string,
  body: Record<string, string>,
  fa: RegExp,
  en: RegExp,
) {
  const r = await b.post(`/fa/applications/${appId}/questions/${page}`, body);
  assert.equal(r.statusCode, 400, 'refused');
  assert.match(r.body, /<title>خطا: /);
  assert.match(r.body, fa);
  assert.match((await b.post(`/en/applications/${appId}/questions/${page}`, body)).body, en);
  assert.equal(await statusOf(appId), 'draft', 'nothing submitted');
  assert.equal((await audits(`application:${appId}`)).at(-1)?.action, 'representation.refused');
}

test('the national ID of legal persons: 11 digits with its check digit', () => {
  assert.deepEqual(checkLegalId('10380284790'), { ok: true, value: '10380284790' }); // the published example
  assert.deepEqual(checkLegalId('۱۰۱۰۱۲۳۴۵۶۵'), { ok: true, value: PARS }, 'Persian digits');
  assert.deepEqual(checkLegalId('10380284791'), { ok: false, reason: 'check-digit' });
  assert.deepEqual(checkLegalId('1038028479'), { ok: false, reason: 'length' });
  assert.deepEqual(checkLegalId('10300000002'), { ok: false, reason: 'zeros' });
  assert.deepEqual(checkLegalId('1038a284790'), { ok: false, reason: 'not-digits' });
  assert.equal(legalIdCheckDigit('1010123456'), 5);
  // a remainder of 10 counts as 0
  const ten = Array.from({ length: 1000 }, (_, i) => `1010123${String(i).padStart(3, '0')}`).find((p) => {
    const d = Number(p[9]) + 2;
    return [...p].reduce((s, c, i) => s + (d + Number(c)) * [29, 27, 23, 19, 17][i % 5], 0) % 11 === 10;
  })!;
  assert.equal(legalIdCheckDigit(ten), 0);
});

test('the form checker: "company-representative" names a text field, "attorney" a national-id field', () => {
  const def = (relation: string, type: string) => ({
    service: 'x',
    actingFor: { field: 'who', relation },
    pages: [{ id: 'a', title: { fa: 'الف', en: 'A' }, fields: [{ name: 'who', type, label: { fa: 'ک', en: 'C' } }] }],
  });
  assert.deepEqual(checkDefinition(def('company-representative', 'text')), []);
  assert.deepEqual(checkDefinition(def('attorney', 'national-id')), []);
  assert.match(checkDefinition(def('company-representative', 'national-id'))[0].message, /must name a text field/);
  assert.match(checkDefinition(def('attorney', 'text'))[0].message, /must name a national-id field/);
});

test('a company director applies for a trade licence for the company: accepted, stored, on the timeline, shown to the agency, audited', async () => {
  const { b, appId, appPath } = await applicant(AMIR, TRADE);
  assert.equal((await b.post(`${appPath}/questions/company`, { companyLegalId: PARS })).statusCode, 303);
  assert.equal((await business(b, appPath)).statusCode, 303);
  const sent = await submit(b, appPath);
  assert.equal(sent.statusCode, 303);
  assert.equal(await statusOf(appId), 'submitted');
  const rows = await checks(appId);
  assert.deepEqual(
    rows.map((r) => [r.stage, r.outcome, r.relation, r.exchange_service]),
    [
      ['page', 'confirmed', 'signatory', COMPANIES],
      ['submission', 'confirmed', 'signatory', COMPANIES],
    ],
  );
  assert.deepEqual(rows[1].subject_name, { fa: 'شرکت نشر پارس (سهامی خاص)', en: 'Pars Publishing Co. (private joint stock)' });
  const mine = await b.get(`/en/applications/${appId}`);
  assert.match(mine.body, /You made this application for <bdi>Pars Publishing Co\. \(private joint stock\)<\/bdi>/);
  assert.match(mine.body, /a company you are an authorised signatory of/);
  assert.match(mine.body, /Checked with the Companies Registration Office on/);
  assert.match(mine.body, /The Companies Registration Office confirmed the applicant may act for this company/);
  const agency = (await f.t.ctx.catalog.getService(TRADE)).agency_id;
  const op = await staffSession(f.t.ctx, 'operator', agency);
  const back = await client(f.t.app, op.cookie).get(`/en/staff/applications/${appId}`);
  assert.match(
    back.body,
    /Applied by the holder of national ID <bdi>2288990015<\/bdi> for the company they are an authorised signatory of/,
  );
  assert.deepEqual(
    (await audits(`application:${appId}`)).map((a) => [a.action, a.detail.relation]),
    [
      ['representation.confirmed', 'signatory'],
      ['representation.confirmed', 'signatory'],
    ],
  );
});

test('company refusals: not a signatory, a role that ended, a mistyped legal ID; nothing submitted, audited', async () => {
  const reza = await applicant(REZA, TRADE);
  await refusedOnPage(
    reza.b,
    reza.appId,
    'company',
    { companyLegalId: PARS },
    /در اداره ثبت شرکت‌ها، شما صاحب امضای مجاز شرکتی با این شناسه ملی نیستید/,
    /does not list you as an authorised signatory of a company with this national ID/,
  );
  const narges = await applicant(NARGES, TRADE);
  await refusedOnPage(
    narges.b,
    narges.appId,
    'company',
    { companyLegalId: PARS },
    /سمت شما در شرکت نشر پارس \(سهامی خاص\) در .* پایان یافته است/,
    /your role at Pars Publishing Co\. \(private joint stock\) ended on 1 May 2026/,
  );
  assert.equal((await checks(narges.appId)).at(-1)?.outcome, 'role-revoked');
  await refusedOnPage(
    reza.b,
    reza.appId,
    'company',
    { companyLegalId: '10101234566' },
    /شناسه ملی شرکت باید ۱۱ رقم باشد/,
    /A company's national ID has 11 digits, and the last one \(the check digit\) must match/,
  );
  assert.equal((await checks(reza.appId)).at(-1)?.outcome, 'invalid-id');
  // and at submission, even when the page was saved before the registry changed
  const amir = await applicant(AMIR, TRADE);
  assert.equal((await amir.b.post(`${amir.appPath}/questions/company`, { companyLegalId: PARS })).statusCode, 303);
  await business(amir.b, amir.appPath);
  const { startCompanyRegistry, DEMO_COMPANIES } = await import('../exchange/registries/company-registry.ts');
  const changed = await startCompanyRegistry(0, '127.0.0.1', [
    { ...DEMO_COMPANIES[0], signatories: DEMO_COMPANIES[0].signatories.map((s) => ({ ...s, until: '2026-01-01' })) },
  ]);
  await setUpstream(f.t, COMPANIES, `http://127.0.0.1:${changed.port}`);
  try {
    const sent = await submit(amir.b, amir.appPath);
    assert.equal(sent.statusCode, 400);
    assert.match(sent.body, /سمت شما در شرکت نشر پارس/);
    assert.equal(await statusOf(amir.appId), 'draft');
    assert.deepEqual(
      (await checks(amir.appId)).map((r) => [r.stage, r.outcome]),
      [
        ['page', 'confirmed'],
        ['submission', 'role-revoked'],
      ],
    );
  } finally {
    await setUpstream(f.t, COMPANIES, upstream[COMPANIES]);
    await changed.close();
  }
});

test('grants: a signatory gives a colleague access to named services; the colleague applies; ending it refuses them again', async () => {
  const { token: amirToken } = await sessionOf(f.t.ctx, AMIR.nid, AMIR.mobile);
  const amir = client(f.t.app, `session=${amirToken}`);
  await amir.get('/en/account/representation');
  // refused: no service, own ID, a bad legal ID
  const bad = await amir.post('/en/account/representation/grants', { legalId: '10101234566', granteeNationalId: AMIR.nid });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /<title>Error: /);
  assert.match(bad.body, /the last one \(the check digit\) must match/);
  assert.match(bad.body, /That is your own national ID/);
  assert.match(bad.body, /Select at least one service/);
  assert.equal(
    (
      await amir.post(
        '/en/account/representation/grants',
        { legalId: PARS, granteeNationalId: HOSSEIN.nid, services: TRADE },
        { noCsrf: true },
      )
    ).statusCode,
    403,
  );
  await amir.get('/en/account/representation');
  const given = await amir.post('/en/account/representation/grants', { legalId: PARS, granteeNationalId: HOSSEIN.nid, services: TRADE });
  assert.equal(given.statusCode, 303);
  const page = await amir.get(given.headers.location as string);
  assert.match(page.body, /Access given/);
  assert.match(
    page.body,
    /Pars Publishing Co\. \(private joint stock\)<\/bdi>: the holder of national ID <bdi>4411223341<\/bdi>, for Apply for a trade licence/,
  );
  const grant = await f.t.ctx.database.db
    .selectFrom('company_grants')
    .selectAll()
    .where('grantee_national_id', '=', HOSSEIN.nid)
    .executeTakeFirstOrThrow();
  assert.deepEqual(grant.services, [TRADE]);
  assert.equal((await audits(`company:${PARS}`)).at(-1)?.action, 'representation.grant.created');

  // the colleague sees it, and applies for the company
  const h = await applicant(HOSSEIN, TRADE);
  assert.match((await h.b.get('/fa/account/representation')).body, /شرکت نشر پارس \(سهامی خاص\)/);
  assert.equal((await h.b.post(`${h.appPath}/questions/company`, { companyLegalId: PARS })).statusCode, 303);
  await business(h.b, h.appPath);
  assert.equal((await submit(h.b, h.appPath)).statusCode, 303);
  assert.equal((await checks(h.appId)).at(-1)?.relation, 'grant');

  // a grant that names other services does not cover this one
  await f.t.ctx.database.db
    .insertInto('company_grants')
    .values({
      company_legal_id: PARS,
      company_name: JSON.stringify({ fa: 'نشر پارس', en: 'Pars' }),
      granted_by: grant.granted_by,
      granted_by_national_id: AMIR.nid,
      grantee_national_id: REZA.nid,
      services: JSON.stringify(['register-a-trademark']),
    })
    .execute();
  const r = await applicant(REZA, TRADE);
  await refusedOnPage(
    r.b,
    r.appId,
    'company',
    { companyLegalId: PARS },
    /دسترسی‌ای که به شما برای شرکت نشر پارس/,
    /The access you were given for Pars Publishing Co\. \(private joint stock\) does not include “Apply for a trade licence”/,
  );

  // someone who is not a signatory cannot grant; one whose role ended cannot either
  const { token: nargesToken } = await sessionOf(f.t.ctx, NARGES.nid, NARGES.mobile);
  const narges = client(f.t.app, `session=${nargesToken}`);
  await narges.get('/en/account/representation');
  const no = await narges.post('/en/account/representation/grants', { legalId: PARS, granteeNationalId: REZA.nid, services: TRADE });
  assert.equal(no.statusCode, 400);
  assert.match(no.body, /your role at Pars Publishing Co\. \(private joint stock\) ended on 1 May 2026/);
  assert.equal((await audits(`company:${PARS}`)).at(-1)?.action, 'representation.grant.refused');

  // only its maker can end it; then the colleague is refused
  assert.equal((await narges.post(`/en/account/representation/grants/${grant.id}/end`, {})).statusCode, 404);
  const ended = await amir.post(`/en/account/representation/grants/${grant.id}/end`, {});
  assert.equal(ended.statusCode, 303);
  assert.match((await amir.get(ended.headers.location as string)).body, /Access ended/);
  assert.equal((await audits(`company:${PARS}`)).at(-1)?.action, 'representation.grant.revoked');
  const again = await applicant(HOSSEIN, TRADE);
  await refusedOnPage(
    again.b,
    again.appId,
    'company',
    { companyLegalId: PARS },
    /شما صاحب امضای مجاز شرکتی با این شناسه ملی نیستید/,
    /does not list you as an authorised signatory/,
  );
});

test('an attorney applies for their principal within scope: accepted, stored, on the timeline, audited; the principal is told', async () => {
  const principal = await sessionOf(f.t.ctx, MOHAMMAD, '09120000017'); // he has a Panjereh account
  const { b, appId, appPath } = await applicant(AMIR, VEHICLE);
  assert.equal((await b.post(`${appPath}/questions/owner`, { ownerNationalId: MOHAMMAD })).statusCode, 303);
  assert.equal((await vehicle(b, appPath)).statusCode, 303);
  assert.equal((await submit(b, appPath)).statusCode, 303);
  assert.equal(await statusOf(appId), 'submitted');
  const rows = await checks(appId);
  assert.deepEqual(
    rows.map((r) => [r.stage, r.outcome, r.relation, r.exchange_service]),
    [
      ['page', 'confirmed', 'attorney', NOTARIES],
      ['submission', 'confirmed', 'attorney', NOTARIES],
    ],
  );
  const mine = await b.get(`/en/applications/${appId}`);
  assert.match(mine.body, /You made this application for <bdi>Mohammad Sadeghi<\/bdi>/);
  assert.match(mine.body, /registered power of attorney from this person was confirmed/);
  assert.equal((await audits(`application:${appId}`)).at(-1)?.action, 'representation.confirmed');
  // the principal's e-box and an SMS: who applied, for what, the reference and how to object
  const reference = (await f.t.ctx.applications.repo.byId(appId))!.reference!;
  const box = await client(f.t.app, `session=${principal.token}`).get('/en/ebox');
  assert.match(box.body, /An application was made on your behalf/);
  const msg = await f.t.ctx.database.db
    .selectFrom('ebox_messages')
    .selectAll()
    .where('citizen_id', '=', principal.id)
    .executeTakeFirstOrThrow();
  assert.match(
    msg.body.en ?? '',
    new RegExp(
      `The holder of national ID 2288990015 made an application for “Transfer vehicle ownership” as your attorney \\(reference ${reference}\\)\\. If you do not agree`,
    ),
  );
  const sms = await f.t.ctx.database.db.selectFrom('notification_outbox').selectAll().where('recipient', '=', '09120000017').execute();
  assert.equal(sms.length, 1);
  assert.match(sms[0].body, new RegExp(`شماره پیگیری ${reference} از طرف شما ثبت شد`));
});

test('attorney refusals: outside the scope, after the end date, no power at all; nothing submitted, audited', async () => {
  const amir = await applicant(AMIR, VEHICLE);
  await refusedOnPage(
    amir.b,
    amir.appId,
    'owner',
    { ownerNationalId: FATEMEH },
    /وکالت‌نامه شما از فاطمه کریمی خدمت «نقل و انتقال خودرو/,
    /Your power of attorney from Fatemeh Karimi does not cover “Transfer vehicle ownership”/,
  );
  assert.equal((await checks(amir.appId)).at(-1)?.outcome, 'out-of-scope');
  const hossein = await applicant(HOSSEIN, VEHICLE);
  await refusedOnPage(
    hossein.b,
    hossein.appId,
    'owner',
    { ownerNationalId: NARGES_NID },
    /وکالت‌نامه شما از نرگس جعفری در .* به پایان رسیده است/,
    /Your power of attorney from Narges Jafari ended on 20 March 2025/,
  );
  assert.equal((await checks(hossein.appId)).at(-1)?.outcome, 'expired');
  await refusedOnPage(
    amir.b,
    amir.appId,
    'owner',
    { ownerNationalId: REZA.nid },
    /وکالت‌نامه‌ای که شما را وکیل فردی با این کد ملی کرده باشد ثبت نشده است/,
    /has no power of attorney making you the attorney of a person with this national ID/,
  );
  assert.equal((await checks(amir.appId)).at(-1)?.outcome, 'no-power');
});

test('a registry that is down: a clear message, the draft kept, nothing submitted (fail closed)', async () => {
  const c = await applicant(AMIR, TRADE);
  const v = await applicant(AMIR, VEHICLE);
  await setUpstream(f.t, COMPANIES, 'http://127.0.0.1:9');
  await setUpstream(f.t, NOTARIES, 'http://127.0.0.1:9');
  try {
    await refusedOnPage(
      c.b,
      c.appId,
      'company',
      { companyLegalId: PARS },
      /اکنون نتوانستیم از اداره ثبت شرکت‌ها بپرسیم/,
      /We could not check with the Companies Registration Office just now.*Try again in a few minutes/s,
    );
    await refusedOnPage(
      v.b,
      v.appId,
      'owner',
      { ownerNationalId: MOHAMMAD },
      /اکنون نتوانستیم از سامانه ثبت وکالت‌نامه‌های رسمی بپرسیم/,
      /We could not check with the notary registry just now/,
    );
    assert.equal((await checks(c.appId)).at(-1)?.outcome, 'unavailable');
    assert.equal((await checks(v.appId)).at(-1)?.outcome, 'unavailable');
    const { token } = await sessionOf(f.t.ctx, AMIR.nid, AMIR.mobile);
    const a = client(f.t.app, `session=${token}`);
    await a.get('/en/account/representation');
    const g = await a.post('/en/account/representation/grants', {
      legalId: PARS,
      granteeNationalId: REZA.nid,
      services: TRADE,
    });
    assert.equal(g.statusCode, 400);
    assert.match(g.body, /We could not check with the Companies Registration Office just now/);
  } finally {
    await setUpstream(f.t, COMPANIES, upstream[COMPANIES]);
    await setUpstream(f.t, NOTARIES, upstream[NOTARIES]);
  }
});

test('the account page asks the company and notary registries only on the button, and lists both sides (fa and en)', async () => {
  const { token } = await sessionOf(f.t.ctx, AMIR.nid, AMIR.mobile);
  const b = client(f.t.app, `session=${token}`);
  const first = await b.get('/en/account/representation');
  assert.match(first.body, /Ask about your companies and powers of attorney/);
  assert.doesNotMatch(first.body, /Mohammad Sadeghi/, 'nothing fetched before the citizen asks');
  assert.equal((await b.post('/en/account/representation/others', {}, { noCsrf: true })).statusCode, 403);
  await b.get('/en/account/representation');
  const en = await b.post('/en/account/representation/others', {});
  assert.equal(en.statusCode, 200);
  assert.match(en.body, /Pars Publishing Co\. \(private joint stock\)<\/bdi> \(<bdi>10101234565<\/bdi>\): Managing director since/);
  assert.match(en.body, /People you are the attorney of/);
  assert.match(
    en.body,
    /Mohammad Sadeghi<\/bdi> \(<bdi>6789012346<\/bdi>\), for: <bdi dir="ltr">transport-vehicles<\/bdi>, until 31 December 2027/,
  );
  const fa = await b.post('/fa/account/representation/others', {});
  assert.match(fa.body, /مدیرعامل/);
  const { token: n } = await sessionOf(f.t.ctx, NARGES.nid, NARGES.mobile);
  const nc = client(f.t.app, `session=${n}`);
  await nc.get('/en/account/representation');
  const narges = await nc.post('/en/account/representation/others', {});
  assert.match(narges.body, /Board member until 1 May 2026 \(ended\)/);
  assert.match(narges.body, /Your attorneys.*Hossein Mousavi.*ended on 20 March 2025/s);
  assert.match((await b.get('/en/account/data-use')).body, /Show the citizen the companies they may act for/);
});
