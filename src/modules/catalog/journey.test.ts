// Life events as step-by-step journeys (issue 17 s.2): ordered steps with and/or, each service with its
// agency, cost and time from the catalogue; the signed-in citizen's progress; editors change the steps.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { citizenSession, client, staffSession } from '../../../test/helpers/people.ts';

let t: TestApp;
before(async () => (t = await testApp({ NOTIFICATIONS_WORKER: false })));
after(() => t.close());

const get = (url: string, cookie = '') => t.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

test('a life event with steps is a journey: numbered steps in order, "and"/"or" steps, each service with agency, cost and time', async () => {
  const fa = await get('/fa/life-events/losing-a-loved-one');
  assert.equal(fa.statusCode, 200);
  assert.match(fa.body, /<ol class="step-by-step">/);
  const body = text(fa.body);
  const order = ['ثبت فوت', 'خاکسپاری', 'گواهی انحصار وراثت', 'مستمری بازماندگان', 'اظهارنامه مالیات بر ارث'].map((s) => body.indexOf(s));
  assert.ok(
    order.every((i) => i > 0),
    `every step shown: ${order}`,
  );
  assert.deepEqual(
    [...order].sort((a, b) => a - b),
    order,
    'in order',
  );
  // step 1, then "and" with no number of its own, step 2
  assert.match(body, /گام ۱ ثبت فوت/);
  assert.match(body, /و خاکسپاری/);
  assert.match(body, /گام ۲ گواهی انحصار وراثت/);
  assert.match(fa.body, /href="\/fa\/services\/register-a-death"/);
  assert.match(body, /دستگاه/);
  assert.match(body, /هزینه/);
  assert.match(body, /زمان/);
  assert.doesNotMatch(body, /Step|Agency|Cost/);
  assert.match(fa.body, /<meta name="description"/);
  // sign-in invitation for a visitor
  assert.match(fa.body, /href="\/fa\/sign-in\?next=%2Ffa%2Flife-events%2Flosing-a-loved-one"/);

  const en = await get('/en/life-events/losing-a-loved-one');
  assert.equal(en.statusCode, 200);
  const enBody = text(en.body);
  assert.match(enBody, /Step 1 Register the death/);
  assert.match(enBody, /and Arrange the burial/);
  assert.match(enBody, /Agency/);

  // a life event without steps stays a filtered list
  const list = await get('/en/life-events/retiring');
  assert.equal(list.statusCode, 200);
  assert.doesNotMatch(list.body, /step-by-step/);
  assert.equal((await get('/en/life-events/no-such-event')).statusCode, 404);
});

test('a signed-in citizen sees which steps they have applied for and the status, and nobody else does', async () => {
  const who = await citizenSession(t.ctx);
  const other = await citizenSession(t.ctx);
  const draft = await t.ctx.applications.startDraft(
    { id: who.id, national_id: who.nationalId, mobile: who.mobile },
    'register-a-death',
    'fa',
  );
  const mine = await get('/fa/life-events/losing-a-loved-one', who.cookie);
  assert.equal(mine.statusCode, 200);
  assert.match(text(mine.body), /شما برای ۱ خدمت از ۶ خدمت این مسیر درخواست داده‌اید/);
  assert.match(text(mine.body), /درخواست داده‌اید: پیش‌نویس/);
  assert.match(mine.body, new RegExp(`href="/fa/applications/${draft.id}"`));
  const theirs = await get('/fa/life-events/losing-a-loved-one', other.cookie);
  assert.match(text(theirs.body), /شما برای ۰ خدمت از ۶ خدمت/);
  assert.doesNotMatch(theirs.body, new RegExp(draft.id));
  const en = await get('/en/life-events/losing-a-loved-one', who.cookie);
  assert.match(text(en.body), /You have applied for 1 of the 6 services/);
  assert.match(text(en.body), /Applied: Draft/);
});

test('editors change the steps (audited); other staff and citizens cannot; bad steps are refused with what to fix', async () => {
  const url = '/en/staff/life-events/buying-a-car';
  const operator = await staffSession(t.ctx, 'operator', 'ir-nocr');
  assert.equal((await get(url, operator.cookie)).statusCode, 403);
  assert.equal((await get(url)).statusCode, 303);

  const editor = await staffSession(t.ctx, 'platform-admin', null, 'Editor');
  const b = client(t.app, editor.cookie);
  const form = await b.get(url);
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /transfer-vehicle-ownership/);
  // a step naming a service that does not exist: 400, the typed text kept, nothing changed
  const bad = await b.post(url, {
    'step1-connector': 'then',
    'step1-title-fa': 'انتقال سند',
    'step1-title-en': 'Transfer',
    'step1-services': 'no-such-service',
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /<title>Error: /);
  assert.match(bad.body, /no-such-service/);
  assert.match(text((await get('/en/life-events/buying-a-car')).body), /Transfer the ownership/);

  const ok = await b.post(url, {
    'step1-connector': 'then',
    'step1-title-fa': 'انتقال سند خودرو',
    'step1-title-en': 'Transfer the car to your name',
    'step1-services': 'transfer-vehicle-ownership',
    'step2-connector': 'or',
    'step2-title-fa': 'شماره‌گذاری خودروی نو',
    'step2-title-en': 'New car: get number plates',
    'step2-services': 'register-a-new-car-and-get-number-plates',
  });
  assert.equal(ok.statusCode, 303, ok.body.slice(0, 300));
  const shown = text((await get('/en/life-events/buying-a-car')).body);
  assert.match(shown, /Step 1 Transfer the car to your name/);
  assert.match(shown, /or New car: get number plates/);
  assert.doesNotMatch(shown, /Pay the annual car duty/);
  const audit = await t.ctx.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'catalog.journey-changed').execute();
  assert.equal(audit.length, 1);
  assert.equal(audit[0]?.actor, `staff:${editor.id}`);
});

test('journeys are national content: an agency administrator or service editor cannot change them; a platform administrator can', async () => {
  const url = '/fa/staff/life-events/having-a-baby';
  for (const role of ['agency-admin', 'service-editor'] as const) {
    const who = await staffSession(t.ctx, role, 'ir-nocr');
    const b = client(t.app, who.cookie);
    assert.equal((await b.get(url)).statusCode, 403, role);
    const res = await b.post(url, {
      'step1-connector': 'then',
      'step1-title-fa': 'گام',
      'step1-title-en': 'Step',
      'step1-services': 'transfer-vehicle-ownership',
    });
    assert.equal(res.statusCode, 403, `${role}: ${res.statusCode}`);
  }
  const admin = await staffSession(t.ctx, 'platform-admin', null, 'Admin');
  const b = client(t.app, admin.cookie);
  assert.equal((await b.get(url)).statusCode, 200);
  const ok = await b.post(url, {
    'step1-connector': 'then',
    'step1-title-fa': 'گام',
    'step1-title-en': 'Step',
    'step1-services': 'transfer-vehicle-ownership',
  });
  assert.equal(ok.statusCode, 303, ok.body.slice(0, 300));
});

test('two saves at once of a life event with no steps both finish (one waits for the other), no unique violation', async () => {
  const step = (en: string) => [
    {
      connector: 'then' as const,
      title: { fa: 'گام', en },
      note: null,
      serviceSlugs: ['transfer-vehicle-ownership'],
    },
  ];
  const code = 'having-a-baby';
  await t.ctx.database.db.deleteFrom('life_event_steps').where('life_event', '=', code).execute();
  const results = await Promise.allSettled([
    t.ctx.catalog.journeys.save(code, step('A'), 'staff:a'),
    t.ctx.catalog.journeys.save(code, step('B'), 'staff:b'),
  ]);
  assert.deepEqual(
    results.map((r) => r.status),
    ['fulfilled', 'fulfilled'],
    String(results.map((r) => (r.status === 'rejected' ? r.reason : '')).join(' ')),
  );
  const rows = await t.ctx.database.db.selectFrom('life_event_steps').selectAll().where('life_event', '=', code).execute();
  assert.equal(rows.length, 1);
});

test('a step naming the same service twice keeps it once', async () => {
  const code = 'having-a-baby';
  const slug = 'transfer-vehicle-ownership';
  const r = await t.ctx.catalog.journeys.save(
    code,
    [{ connector: 'then', title: { fa: 'گام', en: 'Step' }, note: null, serviceSlugs: [slug, slug, slug, slug, slug, slug, slug] }],
    'staff:x',
  );
  assert.deepEqual(r, { ok: true });
  const rows = await t.ctx.database.db.selectFrom('life_event_steps').selectAll().where('life_event', '=', code).execute();
  assert.deepEqual(rows[0]?.service_slugs, [slug]);
});
