// Issue 17 §4-§6, route level: the staff shell (its own header, navigation by role, the officer's name and
// agency, sign-out) instead of the citizen header; approve and reject only after a confirmation step, then
// a success banner; a staff timeline speaks of "the applicant", never "your response".
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from './helpers/app.ts';
import { citizenSession, client, staffSession } from './helpers/people.ts';

let t: TestApp;
before(async () => (t = await testApp({ NOTIFICATIONS_WORKER: false })));
after(() => t.close());

const SLUG = 'certificate-of-single-status'; // ir-nocr

async function submitted() {
  const who = await citizenSession(t.ctx);
  const citizen = { id: who.id, national_id: who.nationalId, mobile: who.mobile };
  const draft = await t.ctx.applications.startDraft(citizen, SLUG, 'fa');
  await t.ctx.applications.saveAnswers(draft, { fullName: 'مریم احمدی', purpose: 'employment', email: 'maryam@example.ir' });
  const r = await t.ctx.applications.submit(citizen, draft.id, draft.submission_token);
  assert.ok('app' in r);
  return { citizen, app: (r as { app: { id: string; reference: string } }).app };
}

const navKeys = (html: string) => [...html.matchAll(/data-nav="([a-z-]+)"/g)].map((m) => m[1]);

test('staff pages carry the staff shell (name, agency, role-based links, sign-out), not the citizen header', async () => {
  const op = client(t.app, (await staffSession(t.ctx, 'operator', 'ir-nocr', 'Zahra Karimi')).cookie);
  const home = await op.get('/fa/staff');
  assert.equal(home.statusCode, 200);
  assert.match(home.body, /class="site-header staff-header"/);
  assert.doesNotMatch(home.body, /درخواست‌های من|حساب من/, 'no citizen header links');
  assert.match(home.body, /Zahra Karimi/);
  assert.match(home.body, /ثبت احوال|سازمان ثبت/);
  assert.match(home.body, /action="\/fa\/staff\/sign-out"/);
  assert.deepEqual(navKeys(home.body), ['queue', 'statistics', 'services', 'requests', 'documents', 'monitoring', 'account']);
  const queue = await op.get('/en/staff/applications');
  assert.doesNotMatch(queue.body, /Your applications|Your account/);
  assert.match(queue.body, /data-nav="queue"/);

  const admin = client(t.app, (await staffSession(t.ctx, 'platform-admin', null, 'Reza Admin')).cookie);
  const keys = navKeys((await admin.get('/fa/staff')).body);
  for (const k of ['audit', 'integrations', 'monitoring', 'oversight']) assert.ok(keys.includes(k), k);
  assert.ok(!keys.includes('queue'), 'a platform admin works no queue');
  assert.ok(!navKeys((await op.get('/fa/staff')).body).includes('audit'), 'an operator sees no audit link');

  // citizens' pages keep the citizen header, even for a signed-in officer
  const service = await op.get(`/fa/services/${SLUG}`);
  assert.doesNotMatch(service.body, /staff-header/);
});

test('approve and reject ask for confirmation first (no change until confirmed), then show a success banner', async () => {
  const { app } = await submitted();
  const op = client(t.app, (await staffSession(t.ctx, 'operator', 'ir-nocr')).cookie);
  const url = `/fa/staff/applications/${app.id}`;
  await op.get(url);
  const ask = await op.post(`${url}/approve`, { text: 'مدارک کامل است' });
  assert.equal(ask.statusCode, 200);
  assert.match(ask.body, /این درخواست را می‌پذیرید؟/);
  assert.match(ask.body, /name="confirm" value="yes"/);
  assert.match(ask.body, /مدارک کامل است/);
  assert.equal((await t.ctx.applications.backoffice.forAgency(app.id)).status, 'submitted', 'nothing decided without confirmation');
  const reject = await op.post(`${url}/reject`, { text: 'مدرک ناقص' });
  assert.match(reject.body, /این درخواست را رد می‌کنید؟/);
  assert.equal((await t.ctx.applications.backoffice.forAgency(app.id)).status, 'submitted');

  const done = await op.post(`${url}/approve`, { text: 'مدارک کامل است', confirm: 'yes' });
  assert.equal(done.statusCode, 303);
  assert.match(done.headers.location as string, /\?done=approve/);
  assert.equal((await t.ctx.applications.backoffice.forAgency(app.id)).status, 'approved');
  const page = await op.get(done.headers.location as string);
  assert.match(page.body, /id="done"[^>]*>\s*<p>درخواست پذیرفته شد و به متقاضی خبر داده شد/);
  assert.equal((await op.post(`${url}/reject`, { text: 'x' })).statusCode, 409, 'a decided application offers no confirmation');
});

test('the staff timeline names the applicant, never "your response"', async () => {
  const { app, citizen } = await submitted();
  const op = await staffSession(t.ctx, 'operator', 'ir-nocr');
  const staff = (await t.ctx.staff.byId(op.id))!;
  await t.ctx.applications.backoffice.requestInfo(staff, app.id, 'گواهی سلامت را بفرستید');
  await t.ctx.applications.respond(citizen, app.id, 'فرستادم', []);
  const page = await client(t.app, op.cookie).get(`/fa/staff/applications/${app.id}`);
  assert.match(page.body, /متقاضی اطلاعات خواسته‌شده را فرستاد/);
  assert.doesNotMatch(page.body, /پاسخ شما|پیام شما/);
  const en = await client(t.app, op.cookie).get(`/en/staff/applications/${app.id}`);
  assert.doesNotMatch(en.body, /You sent|Your message/);
});

test('audit page: Solar Hijri local times, actors by name, readable details, a Solar Hijri date filter on fa', async () => {
  const admin = await staffSession(t.ctx, 'platform-admin', null, 'Reza Admin');
  await t.ctx.audit.record({ actor: `staff:${admin.id}`, action: 'test.changed', subject: 'x', detail: { field: { from: 'a', to: 'b' } } });
  const b = client(t.app, admin.cookie);
  const fa = await b.get('/fa/staff/audit?action=test.changed');
  assert.equal(fa.statusCode, 200);
  const table = fa.body.slice(fa.body.indexOf('<table'));
  assert.match(table, /Reza Admin/);
  assert.doesNotMatch(table, new RegExp(`staff:${admin.id}`), 'no raw actor id');
  assert.doesNotMatch(table, /\{&quot;|\{"/, 'no raw JSON');
  assert.match(table, /field<\/bdi>: <bdi>a → b<\/bdi>/);
  assert.doesNotMatch(table, /20\d\d-\d\d-\d\d/, 'no ISO (Gregorian) timestamps');
  assert.match(table, /۱۴۰[۰-۹]/, 'a Solar Hijri year');
  // the date filter takes Solar Hijri dates on Persian pages (and shows them back that way)
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tehran' }).format(new Date());
  const { gregorianToJalali } = await import('../src/modules/applications/jalali.ts');
  const j = gregorianToJalali(today);
  const jal = `${j.year}/${j.month}/${j.day}`;
  const found = await b.get(`/fa/staff/audit?action=test.changed&from=${encodeURIComponent(jal)}&to=${encodeURIComponent(jal)}`);
  assert.equal(found.statusCode, 200);
  assert.match(found.body.slice(found.body.indexOf('<table')), /Reza Admin/);
  assert.doesNotMatch(found.body, /type="date"/, 'no Gregorian date picker on fa');
  const before = await b.get(`/fa/staff/audit?action=test.changed&to=${encodeURIComponent(`${j.year - 1}/01/01`)}`);
  assert.doesNotMatch(before.body.slice(before.body.indexOf('<table')), /Reza Admin/);
  assert.equal((await b.get('/fa/staff/audit?from=1405/13/40')).statusCode, 400);
});

test('authenticator setup shows a QR code drawn on the server beside the key', async () => {
  const op = client(t.app, (await staffSession(t.ctx, 'operator', 'ir-nocr')).cookie);
  const page = await op.get('/fa/staff/account/authenticator');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<svg class="qr-code" role="img" aria-label="کد QR برای برنامه تأیید هویت"[^>]*>.*<path d="M\d/s);
  assert.match(page.body, /otpauth:\/\/totp\//);
});

test('notifications say something: the request-for-information email carries the question, a next step and an absolute link; reading the application page marks its messages read', async () => {
  const { app, citizen } = await submitted();
  const op = await staffSession(t.ctx, 'operator', 'ir-nocr');
  await t.ctx.applications.backoffice.requestInfo((await t.ctx.staff.byId(op.id))!, app.id, 'لطفاً گواهی سلامت را بفرستید');
  const rows = await t.ctx.database.db
    .selectFrom('notification_outbox')
    .selectAll()
    .where('recipient', 'in', ['maryam@example.ir', citizen.mobile])
    .execute();
  const email = rows.filter((r) => r.channel === 'email').at(-1)!;
  assert.match(email.body, /لطفاً گواهی سلامت را بفرستید/, "the officer's question is in the email");
  assert.match(email.body, /پاسخ و مدارک خواسته‌شده را در صفحه درخواست بفرستید/, 'the next step');
  assert.match(email.body, new RegExp(`${t.ctx.config.PUBLIC_URL.replace(/[.:/]/g, '\\$&')}/fa/applications/${app.id}`));
  const sms = rows.filter((r) => r.channel === 'sms').at(-1)!;
  assert.match(sms.body, /پاسخ و مدارک خواسته‌شده/);

  const { sessionOf } = await import('./helpers/people.ts');
  const s = await sessionOf(t.ctx, citizen.national_id, citizen.mobile);
  const unread = async () =>
    (
      await t.ctx.database.db
        .selectFrom('ebox_messages')
        .select('read_at')
        .where('application_id', '=', app.id)
        .where('sender', '!=', 'citizen')
        .execute()
    ).filter((m) => !m.read_at).length;
  assert.ok((await unread()) > 0);
  const page = await client(t.app, `session=${s.token}`).get(`/fa/applications/${app.id}`);
  assert.equal(page.statusCode, 200);
  assert.equal(await unread(), 0, 'read on the application page');
});
