// Prefill from the civil registry through the exchange, with consent: the consent page, "no" calls
// nothing, "yes" fetches and fills (locked fields stay as the registry gave them), the request shows on
// the citizen's data-use page with its purpose, a registry that is down leaves the citizen typing with
// nothing lost, and the submission records how many prefill-able fields were prefilled.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { client, nationalId, sessionOf } from '../../../test/helpers/people.ts';
import { demoPeople } from '../exchange/registries/registry-server.ts';
import { exchangeFixture, setUpstream } from '../exchange/exchange.fixture.ts';
import { checkDefinition } from './forms.ts';

let f: Awaited<ReturnType<typeof exchangeFixture>>;
let civilUrl: string;
before(async () => {
  f = await exchangeFixture({ NOTIFICATIONS_WORKER: false });
  civilUrl = (
    await f.t.ctx.database.db
      .selectFrom('exchange_services')
      .select('upstream_url')
      .where('id', '=', 'GOV/NOCR/REGISTRY/person')
      .executeTakeFirstOrThrow()
  ).upstream_url;
});
after(() => f?.close());

const SLUG = 'register-for-universal-health-insurance';

/** A signed-in citizen with a given national ID (the demo registry knows some). */
async function person(nationalId: string, mobile: string) {
  const { token, ...c } = await sessionOf(f.t.ctx, nationalId, mobile);
  const b = client(f.t.app, `session=${token}`);
  await b.get(`/fa/services/${SLUG}/apply`);
  const r = await b.post(`/fa/services/${SLUG}/apply`, {});
  assert.equal(r.statusCode, 303);
  const appPath = r.headers.location as string;
  return { b, id: c.id, appPath, appId: appPath.split('/').pop()! };
}

const logCount = async () =>
  Number(
    (
      await f.t.ctx.database.db
        .selectFrom('exchange_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('service_id', '=', 'GOV/NOCR/REGISTRY/person')
        .executeTakeFirstOrThrow()
    ).n,
  );

test('the form definition checker knows registry prefill: source, field, type and options', () => {
  const def = (prefill: unknown, type = 'text', extra: Record<string, unknown> = {}) => ({
    service: 'x',
    pages: [{ id: 'a', title: { fa: 'الف', en: 'A' }, fields: [{ name: 'f', type, label: { fa: 'ف', en: 'F' }, prefill, ...extra }] }],
  });
  assert.deepEqual(checkDefinition(def({ from: 'civil-registry', field: 'fullName' })), []);
  assert.deepEqual(checkDefinition(def({ from: 'civil-registry', field: 'birthDate', editable: false }, 'date')), []);
  assert.equal(checkDefinition(def({ from: 'tax-office', field: 'fullName' }))[0].path, '/pages/0/fields/0/prefill/from');
  assert.equal(checkDefinition(def({ from: 'civil-registry', field: 'shoeSize' }))[0].path, '/pages/0/fields/0/prefill/field');
  assert.match(checkDefinition(def({ from: 'civil-registry', field: 'birthDate' }))[0].message, /only a date field/);
  assert.equal(
    checkDefinition(def({ from: 'civil-registry', field: 'fullName', editable: 'no' }))[0].path,
    '/pages/0/fields/0/prefill/editable',
  );
  assert.equal(checkDefinition(def({ from: 'civil-registry', field: 'fullName', why: 1 }))[0].path, '/pages/0/fields/0/prefill/why');
  const radio = { options: [{ value: 'female', label: { fa: 'زن', en: 'Female' } }] };
  assert.match(checkDefinition(def({ from: 'civil-registry', field: 'gender' }, 'radio', radio))[0].message, /"male"/);
});

test('"No, I\'ll type it": the decision is recorded and the registry is never called', async () => {
  const { b, appPath, appId } = await person('0012345679', '09351112233');
  const before = await logCount();
  // the first page drawing on the registry asks first
  const q = await b.get(`${appPath}/questions/name`);
  assert.equal(q.statusCode, 303);
  assert.match(q.headers.location as string, /\/questions\/name\/prefill\?source=civil-registry$/);
  const consent = await b.get(q.headers.location as string);
  assert.equal(consent.statusCode, 200);
  assert.match(consent.body, /سازمان ثبت احوال کشور/);
  assert.match(consent.body, /نام و نام خانوادگی، تاریخ تولد/, 'what will be fetched');
  assert.match(consent.body, /بیمه/, 'for which application');
  assert.match(consent.body, /بله، بگیرید/);
  assert.match(
    consent.body,
    new RegExp(`class="back-link" href="${appPath}"`),
    'a long form: back to the task list, not to the page that asks again',
  );
  // neither chosen: a specific error, nothing recorded
  const none = await b.post(`${appPath}/questions/name/prefill?source=civil-registry`, {});
  assert.equal(none.statusCode, 400);
  assert.match(none.body, /<title>خطا: /);
  assert.match(none.body, /href="#consent-yes"/);
  // without the CSRF token: refused
  assert.equal(
    (await b.post(`${appPath}/questions/name/prefill?source=civil-registry`, { consent: 'yes' }, { noCsrf: true })).statusCode,
    403,
  );
  const no = await b.post(`${appPath}/questions/name/prefill?source=civil-registry`, { consent: 'no' });
  assert.equal(no.statusCode, 303);
  assert.equal(no.headers.location, `${appPath}/questions/name`);
  const page = await b.get(`${appPath}/questions/name`);
  assert.equal(page.statusCode, 200, 'asked once: the page itself now');
  assert.doesNotMatch(page.body, /محمدی/);
  assert.match(page.body, /گرفتن این پاسخ‌ها از سازمان ثبت احوال کشور/, 'the citizen can still change their mind');
  assert.equal((await b.get(`${appPath}/questions/date-of-birth`)).statusCode, 200, 'not asked again on the next page');
  assert.equal(await logCount(), before, 'no exchange call without consent');
  const rows = await f.t.ctx.database.db.selectFrom('application_prefills').selectAll().where('application_id', '=', appId).execute();
  assert.equal(rows.length, 1);
  assert.equal(rows[0].decision, 'declined');
  assert.equal(rows[0].exchange_service, 'GOV/NOCR/REGISTRY/person');
  assert.equal(rows[0].fields_offered, 2);
});

test('"Yes, fetch it": fields filled and marked, a locked field keeps the registry value, data-use shows the request, the submission counts the prefilled fields', async () => {
  const { b, id, appPath, appId } = await person('0499370899', '09121234567');
  const before = await logCount();
  await b.get(`${appPath}/questions/name/prefill?source=civil-registry`);
  const yes = await b.post(`${appPath}/questions/name/prefill?source=civil-registry`, { consent: 'yes' });
  assert.equal(yes.statusCode, 303);
  assert.equal(await logCount(), before + 1, 'one call through the exchange');
  await b.get(`${appPath}/questions/name/prefill?source=civil-registry`);
  assert.equal(
    (await b.post(`${appPath}/questions/name/prefill?source=civil-registry`, { consent: 'yes' })).statusCode,
    303,
    'a double click',
  );
  assert.equal(await logCount(), before + 1, 'still one call');
  const name = await b.get(`${appPath}/questions/name`);
  assert.equal(name.statusCode, 200);
  assert.match(name.body, /value="مریم احمدی"/);
  assert.match(name.body, /از سازمان ثبت احوال کشور گرفته شده است؛ اگر نادرست است آن را تغییر دهید/);
  assert.equal((await b.post(`${appPath}/questions/name`, { fullName: 'مریم احمدی' })).statusCode, 303);
  // the date of birth may not be changed here: shown, not asked; a posted date is ignored
  const dob = await b.get(`${appPath}/questions/date-of-birth`);
  assert.equal(dob.statusCode, 200);
  assert.match(dob.body, /اینجا تغییر نمی‌کند/);
  assert.doesNotMatch(dob.body, /name="dateOfBirth-day"/);
  assert.equal(
    (
      await b.post(`${appPath}/questions/date-of-birth`, {
        'dateOfBirth-day': '1',
        'dateOfBirth-month': '1',
        'dateOfBirth-year': '1350',
        'dateOfBirth-calendar': 'jalali',
      })
    ).statusCode,
    303,
  );
  const stored = await f.t.ctx.applications.own(id, appId);
  assert.equal(stored.answers.dateOfBirth, '1990-03-21');
  const en = await b.get(`/en/applications/${appId}/questions/name`);
  assert.match(en.body, /These answers came from the National Organization for Civil Registration/);

  // the request is on Maryam's data-use page, with the purpose naming this application
  const use = await b.get('/en/account/data-use');
  assert.equal(use.statusCode, 200);
  assert.match(use.body, new RegExp(`Prefill of application form ${SLUG}, application ${appId}`));
  const consent = await f.t.ctx.database.db
    .selectFrom('application_prefills')
    .selectAll()
    .where('application_id', '=', appId)
    .executeTakeFirstOrThrow();
  assert.equal(consent.decision, 'accepted');
  assert.equal(consent.outcome, 'filled');
  assert.equal(consent.citizen_id, id);
  assert.ok(consent.exchange_request_id, 'the exchange request id is kept with the consent');
  assert.deepEqual(Object.keys(consent.filled).sort(), ['dateOfBirth', 'fullName']);

  // finish and submit: four fields declare a prefill source, all four carry their source's value
  await b.post(`${appPath}/questions/address`, {
    'homeAddress-line1': 'خیابان آزادی، پلاک ۱۰',
    'homeAddress-city': 'تهران',
    'homeAddress-postcode': '1317653718',
  });
  await b.post(`${appPath}/questions/household`, { householdSize: '3' });
  await b.post(`${appPath}/questions/email`, { email: '' });
  const check = await b.get(`${appPath}/check`);
  assert.match(check.body, /\(از سازمان ثبت احوال کشور\)/);
  const token = /name="submissionToken" value="([^"]+)"/.exec(check.body)![1];
  const sent = await b.post(`${appPath}/submit`, { submissionToken: token });
  assert.equal(sent.statusCode, 303);
  const row = await f.t.ctx.database.db
    .selectFrom('applications')
    .select(['prefill_offered', 'prefill_filled', 'status'])
    .where('id', '=', appId)
    .executeTakeFirstOrThrow();
  assert.deepEqual(row, { prefill_offered: 4, prefill_filled: 4, status: 'submitted' });
});

test('a changed prefilled answer no longer counts as prefilled', async () => {
  const { b, appPath, appId } = await person('2288990015', '09141230000');
  await b.get(`${appPath}/questions/name/prefill?source=civil-registry`);
  await b.post(`${appPath}/questions/name/prefill?source=civil-registry`, { consent: 'yes' });
  await b.get(`${appPath}/questions/name`);
  await b.post(`${appPath}/questions/name`, { fullName: 'امیرحسین رضایی' });
  const page = await b.get(`${appPath}/questions/name`);
  assert.doesNotMatch(page.body, /گرفته شده است؛ اگر نادرست/, 'no longer marked as from the registry');
  for (const [p, body] of [
    ['address', { 'homeAddress-line1': 'کوچه ۲', 'homeAddress-city': 'تبریز', 'homeAddress-postcode': '5166616471' }],
    ['household', { householdSize: '1' }],
    ['email', { email: '' }],
  ] as const)
    assert.equal((await b.post(`${appPath}/questions/${p}`, body)).statusCode, 303);
  const token = /name="submissionToken" value="([^"]+)"/.exec((await b.get(`${appPath}/check`)).body)![1];
  await b.post(`${appPath}/submit`, { submissionToken: token });
  const row = await f.t.ctx.database.db
    .selectFrom('applications')
    .select(['prefill_offered', 'prefill_filled'])
    .where('id', '=', appId)
    .executeTakeFirstOrThrow();
  assert.deepEqual(row, { prefill_offered: 4, prefill_filled: 3 });
});

test('registry down: a clear message, the citizen types the values, nothing lost; trying again later works', async () => {
  const { b, id, appPath, appId } = await person('1122334451', '09131234500');
  await setUpstream(f.t, 'GOV/NOCR/REGISTRY/person', 'http://127.0.0.1:9'); // nothing listens there
  try {
    await b.get(`${appPath}/questions/name/prefill?source=civil-registry`);
    const yes = await b.post(`${appPath}/questions/name/prefill?source=civil-registry`, { consent: 'yes' });
    assert.equal(yes.statusCode, 303);
    const page = await b.get(`${appPath}/questions/name`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /نتوانستیم به سازمان ثبت احوال کشور دسترسی پیدا کنیم/);
    assert.match(page.body, /دوباره امتحان کنید/);
    const en = await b.get(`/en/applications/${appId}/questions/name`);
    assert.match(en.body, /We could not reach the National Organization for Civil Registration just now/);
    assert.equal((await b.post(`${appPath}/questions/name`, { fullName: 'زهرا حسینی' })).statusCode, 303);
    const dob = await b.get(`${appPath}/questions/date-of-birth`);
    assert.match(dob.body, /name="dateOfBirth-day"/, 'a locked field is typed when the registry gave nothing');
    const row = await f.t.ctx.database.db
      .selectFrom('application_prefills')
      .selectAll()
      .where('application_id', '=', appId)
      .executeTakeFirstOrThrow();
    assert.equal(row.outcome, 'unavailable');
  } finally {
    await setUpstream(f.t, 'GOV/NOCR/REGISTRY/person', civilUrl);
  }
  // the registry is back: "try again" asks again and fills what was typed over only with consent
  const again = await b.get(`${appPath}/questions/name/prefill?source=civil-registry`);
  assert.equal(again.statusCode, 200);
  await b.post(`${appPath}/questions/name/prefill?source=civil-registry`, { consent: 'yes' });
  const stored = await f.t.ctx.applications.own(id, appId);
  assert.equal(stored.answers.fullName, 'زهرا حسینی');
  assert.equal(stored.answers.dateOfBirth, '1999-11-15');
});

test('a person the registry does not know: told so, and types the values', async () => {
  const unknown = nationalId(424242);
  assert.ok(!demoPeople().some((p) => p.nationalId === unknown));
  const { b, appPath } = await person(unknown, '09111239876');
  await b.get(`${appPath}/questions/name/prefill?source=civil-registry`);
  await b.post(`${appPath}/questions/name/prefill?source=civil-registry`, { consent: 'yes' });
  const page = await b.get(`/en${appPath.slice(3)}/questions/name`);
  assert.match(page.body, /has no record for your national ID/);
  assert.match(page.body, /name="fullName" value=""|name="fullName"(?![^>]*value="[^"])/);
});

test("the consent page is not a way into someone else's application, nor for a page without registry fields", async () => {
  const a = await person('0499370899', '09121234567');
  const other = await person('0012345679', '09351112233');
  assert.equal((await other.b.get(`${a.appPath}/questions/name/prefill`)).statusCode, 404);
  assert.equal((await a.b.get(`${a.appPath}/questions/address/prefill`)).statusCode, 404);
  assert.equal((await a.b.get(`${a.appPath}/questions/nothing/prefill`)).statusCode, 404);
});
