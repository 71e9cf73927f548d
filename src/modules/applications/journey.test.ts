// The citizen journey through app.inject: start, every question page (and its bad inputs), uploads,
// check your answers, exactly-once submit, confirmation, tracking; form versions stay with applications.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { citizenSession, client, PDF, PNG } from '../../../test/helpers/people.ts';
import { REFERENCE_PATTERN } from './reference.ts';

let t: TestApp;
before(async () => (t = await testApp({ NOTIFICATIONS_WORKER: false })));
after(() => t.close());

const SLUG = 'apply-for-an-ordinary-passport';

async function startPassport() {
  const who = await citizenSession(t.ctx);
  const b = client(t.app, who.cookie);
  const start = await b.get(`/fa/services/${SLUG}/apply`);
  assert.equal(start.statusCode, 200);
  assert.match(start.body, /شروع/);
  const r = await b.post(`/fa/services/${SLUG}/apply`, {});
  assert.equal(r.statusCode, 303);
  const appPath = r.headers.location as string;
  assert.match(appPath, /^\/fa\/applications\/[0-9a-f-]{36}$/);
  return { who, b, appPath, id: appPath.split('/').pop()! };
}

test('the service card offers "Apply online" only for services with a form; the start page is public', async () => {
  const card = await t.app.inject({ url: `/fa/services/${SLUG}` });
  assert.match(card.body, new RegExp(`href="/fa/services/${SLUG}/apply"`));
  const other = await t.app.inject({ url: '/en/services/national-smart-id-card' });
  assert.doesNotMatch(other.body, /\/apply"/);
  assert.equal((await t.app.inject({ url: '/en/services/national-smart-id-card/apply' })).statusCode, 404);
  const start = await t.app.inject({ url: `/en/services/${SLUG}/apply` });
  assert.equal(start.statusCode, 200);
  assert.match(start.body, /Start now/);
});

test('signed out: starting and every application page send the person to sign in', async () => {
  const b = client(t.app, '');
  await b.get(`/fa/services/${SLUG}/apply`);
  const r = await b.post(`/fa/services/${SLUG}/apply`, {});
  assert.equal(r.statusCode, 303);
  assert.match(r.headers.location as string, /^\/fa\/sign-in\?next=/);
  for (const url of ['/fa/applications', '/en/ebox', '/fa/applications/00000000-0000-0000-0000-000000000000']) {
    const res = await t.app.inject({ url });
    assert.equal(res.statusCode, 303, url);
    assert.match(res.headers.location as string, /sign-in\?next=/);
  }
});

test('a full Persian application: task list, prefill, bad inputs keep what was typed, Jalali date, upload, conditional page, check, one submit', async () => {
  const { who, b, appPath, id } = await startPassport();
  // a long form shows the task list; starting twice resumes the same draft
  const list = await b.get(appPath);
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /task-list/);
  assert.equal((await b.post(`/fa/services/${SLUG}/apply`, {})).headers.location, appPath);

  // prefilled from the profile
  const applicant = await b.get(`${appPath}/questions/applicant`);
  assert.match(applicant.body, new RegExp(`value="${who.nationalId}"`));
  assert.match(applicant.body, new RegExp(`value="${who.mobile}"`));
  assert.equal((await b.post(`${appPath}/questions/applicant`, { nationalId: who.nationalId, mobile: who.mobile })).statusCode, 303);

  // bad input: 400, an error summary linking to the field, the text kept; nothing saved before is lost
  const empty = await b.post(`${appPath}/questions/name`, { fullName: '   ' });
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /<title>خطا: /);
  assert.match(empty.body, /href="#fullName">«نام و نام خانوادگی» را وارد کنید/);
  const long = await b.post(`${appPath}/questions/name`, { fullName: 'ا'.repeat(101) });
  assert.equal(long.statusCode, 400);
  assert.match(long.body, /حداکثر ۱۰۰ نویسه/);
  assert.match(long.body, new RegExp(`value="${'ا'.repeat(101)}"`));
  const script = await b.post(`${appPath}/questions/name`, { fullName: '<script>alert(1)</script> علي' });
  assert.equal(script.statusCode, 303);
  const stored = await t.ctx.applications.own(who.id, id);
  assert.equal(stored.answers.fullName, '<script>alert(1)</script> علی', 'stored as text, Arabic yeh made Persian');
  assert.equal(stored.answers.nationalId, who.nationalId, 'the earlier page is still saved');
  const shown = await b.get(`${appPath}/questions/name`);
  assert.doesNotMatch(shown.body, /<script>alert/);

  // dates in Jalali on fa pages, with specific messages
  const noMonth = await b.post(`${appPath}/questions/date-of-birth`, {
    'dateOfBirth-day': '۲۷',
    'dateOfBirth-month': '',
    'dateOfBirth-year': '۱۳۷۰',
    'dateOfBirth-calendar': 'jalali',
  });
  assert.equal(noMonth.statusCode, 400);
  assert.match(noMonth.body, /باید ماه را داشته باشد/);
  const unreal = await b.post(`${appPath}/questions/date-of-birth`, {
    'dateOfBirth-day': '31',
    'dateOfBirth-month': '7',
    'dateOfBirth-year': '1370',
    'dateOfBirth-calendar': 'jalali',
  });
  assert.match(unreal.body, /تاریخی واقعی باشد/);
  const future = await b.post(`${appPath}/questions/date-of-birth`, {
    'dateOfBirth-day': '1',
    'dateOfBirth-month': '1',
    'dateOfBirth-year': '1499',
    'dateOfBirth-calendar': 'jalali',
  });
  assert.match(future.body, /امروز یا پیش از آن/);
  assert.equal(
    (
      await b.post(`${appPath}/questions/date-of-birth`, {
        'dateOfBirth-day': '۲۷',
        'dateOfBirth-month': '۳',
        'dateOfBirth-year': '۱۳۷۰',
        'dateOfBirth-calendar': 'jalali',
      })
    ).statusCode,
    303,
  );
  assert.equal((await t.ctx.applications.own(who.id, id)).answers.dateOfBirth, '1991-06-17');

  const badPostcode = await b.post(`${appPath}/questions/address`, {
    'homeAddress-line1': 'خیابان آزادی، پلاک ۱۰',
    'homeAddress-city': 'تهران',
    'homeAddress-postcode': '12345',
  });
  assert.equal(badPostcode.statusCode, 400);
  assert.match(badPostcode.body, /کد پستی ۱۰ رقم است/);
  assert.match(badPostcode.body, /خیابان آزادی، پلاک ۱۰/);
  assert.equal(
    (
      await b.post(`${appPath}/questions/address`, {
        'homeAddress-line1': 'خیابان آزادی، پلاک ۱۰',
        'homeAddress-city': 'تهران',
        'homeAddress-postcode': '۱۳۱۷۶-۵۳۷۱۸',
      })
    ).statusCode,
    303,
  );

  // hostile choice values are refused; the conditional page appears only for "yes"
  const hostile = await b.post(`${appPath}/questions/previous-passport`, { hadPassport: 'maybe' });
  assert.equal(hostile.statusCode, 400);
  assert.match(hostile.body, /یکی از گزینه‌های فهرست/);
  assert.equal((await b.get(`${appPath}/questions/old-passport`)).statusCode, 404);
  assert.equal((await b.post(`${appPath}/questions/previous-passport`, { hadPassport: 'yes' })).statusCode, 303);
  assert.equal((await b.get(`${appPath}/questions/old-passport`)).statusCode, 200);
  assert.equal((await b.post(`${appPath}/questions/old-passport`, { oldPassportNumber: 'A12345678' })).statusCode, 303);

  // uploads: a PDF where a photo is wanted, a renamed text file, too big, then a real PNG with a hostile name
  await b.get(`${appPath}/questions/photo`);
  const pdf = await b.postMultipart(`${appPath}/questions/photo`, [
    { name: 'photo', filename: 'photo.png', content: PDF, type: 'image/png' },
  ]);
  assert.equal(pdf.statusCode, 400);
  assert.match(pdf.body, /باید از این نوع‌ها باشد: JPEG, PNG/);
  const fake = await b.postMultipart(`${appPath}/questions/photo`, [
    { name: 'photo', filename: 'x.jpg', content: Buffer.from('not really a jpeg'), type: 'image/jpeg' },
  ]);
  assert.equal(fake.statusCode, 400);
  const big = await b.postMultipart(`${appPath}/questions/photo`, [
    { name: 'photo', filename: 'big.png', content: Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)]), type: 'image/png' },
  ]);
  assert.equal(big.statusCode, 400);
  assert.match(big.body, /کوچک‌تر از ۲ مگابایت/);
  const none = await b.postMultipart(`${appPath}/questions/photo`, [{ name: 'photo', filename: '', content: Buffer.alloc(0) }]);
  assert.equal(none.statusCode, 400);
  assert.match(none.body, /را انتخاب کنید/);
  const noCsrf = await b.postMultipart(
    `${appPath}/questions/photo`,
    [{ name: 'photo', filename: 'a.png', content: PNG, type: 'image/png' }],
    { noCsrf: true },
  );
  assert.equal(noCsrf.statusCode, 403);
  const ok = await b.postMultipart(`${appPath}/questions/photo`, [
    { name: 'photo', filename: '../../../etc/passwd\u202e.png', content: PNG, type: 'text/plain' },
  ]);
  assert.equal(ok.statusCode, 303, ok.body.slice(0, 300));
  const photo = (await t.ctx.applications.own(who.id, id)).answers.photo as { fileId: string; name: string; sha256: string; type: string };
  assert.equal(photo.name, 'passwd.png');
  assert.equal(photo.type, 'image/png');
  assert.equal(photo.sha256, (await import('node:crypto')).createHash('sha256').update(PNG).digest('hex'));
  const files = fs.readdirSync(path.join(t.ctx.config.DATA_DIR, 'files'), { recursive: true }) as string[];
  assert.equal(files.filter((f) => /[0-9a-f]{32}$/.test(f)).length, 1, 'refused files were not kept');
  const download = await b.get(`${appPath}/files/${photo.fileId}`);
  assert.equal(download.statusCode, 200);
  assert.equal(download.headers['content-type'], 'image/png');
  assert.match(String(download.headers['content-disposition']), /^attachment; filename="passwd.png"/);

  // check your answers with Change links; submit twice: one application, one reference
  const check = await b.get(`${appPath}/check`);
  assert.equal(check.statusCode, 200, check.body.slice(0, 500));
  assert.match(check.body, new RegExp(`href="${appPath}/questions/name\\?return=check#fullName"`));
  assert.match(check.body, /۲۷ خرداد ۱۳۷۰/);
  const token = /name="submissionToken" value="([^"]+)"/.exec(check.body)![1];
  const bad = await b.post(`${appPath}/submit`, { submissionToken: 'forged' });
  assert.equal(bad.statusCode, 400);
  const [s1, s2] = await Promise.all([
    b.post(`${appPath}/submit`, { submissionToken: token }),
    b.post(`${appPath}/submit`, { submissionToken: token }),
  ]);
  assert.equal(s1.statusCode, 303);
  assert.equal(s2.statusCode, 303);
  assert.equal(s1.headers.location, `${appPath}/confirmation`);
  const again = await b.post(`${appPath}/submit`, { submissionToken: token });
  assert.equal(again.headers.location, `${appPath}/confirmation`);
  const mine = await t.ctx.applications.mine(who.id);
  assert.equal(mine.length, 1);
  assert.match(mine[0].reference!, REFERENCE_PATTERN);
  assert.equal(
    (
      await t.ctx.database.db
        .selectFrom('application_events')
        .selectAll()
        .where('application_id', '=', id)
        .where('type', '=', 'submitted')
        .execute()
    ).length,
    1,
  );
  assert.equal(
    (await t.ctx.database.db.selectFrom('notification_outbox').selectAll().where('recipient', '=', who.mobile).execute()).length,
    1,
  );

  const conf = await b.get(`${appPath}/confirmation`);
  assert.match(conf.body, new RegExp(mine[0].reference!));
  // after submission the questions cannot be changed
  const late = await b.post(`${appPath}/questions/name`, { fullName: 'x' });
  assert.equal(late.statusCode, 303);
  assert.equal((await t.ctx.applications.own(who.id, id)).answers.fullName, '<script>alert(1)</script> علی');

  const listPage = await b.get('/fa/applications');
  assert.match(listPage.body, new RegExp(mine[0].reference!));
  assert.match(listPage.body, /ثبت شده/);
  const detail = await b.get(appPath);
  assert.match(detail.body, /درخواست ثبت شد/);
  assert.match(detail.body, /موعد اعلام نتیجه/);
});

test("another person's application is not found; unknown ids are 404", async () => {
  const { appPath } = await startPassport();
  const stranger = client(t.app, (await citizenSession(t.ctx)).cookie);
  assert.equal((await stranger.get(appPath)).statusCode, 404);
  assert.equal((await stranger.get(`${appPath}/questions/applicant`)).statusCode, 404);
  assert.equal((await stranger.get('/fa/applications/not-a-uuid')).statusCode, 404);
});

test('publishing a new form version leaves existing applications on theirs', async () => {
  const { who, b, appPath, id } = await startPassport();
  const before = (await t.ctx.applications.own(who.id, id)).form_version;
  const def = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../../datasets/demo/forms', `${SLUG}.json`), 'utf8'));
  def.pages[1].fields[0].label = { fa: 'نام کامل', en: 'Your full name' };
  const r = await t.ctx.applications.publishForm(def, 'test');
  assert.ok(r.ok);
  assert.equal(r.ok && r.version, before + 1);
  const page = await b.get(`${appPath}/questions/name`);
  assert.match(page.body, /نام و نام خانوادگی/, 'the draft keeps the old wording');
  const fresh = await citizenSession(t.ctx);
  const nb = client(t.app, fresh.cookie);
  await nb.get(`/fa/services/${SLUG}/apply`);
  const loc = (await nb.post(`/fa/services/${SLUG}/apply`, {})).headers.location as string;
  assert.match((await nb.get(`${loc}/questions/name`)).body, /نام کامل/);
});

test('a short form goes page by page without a task list; a missing required answer blocks submit', async () => {
  const who = await citizenSession(t.ctx);
  const b = client(t.app, who.cookie);
  await b.get('/en/services/certificate-of-single-status/apply');
  const start = await b.post('/en/services/certificate-of-single-status/apply', {});
  const first = await b.get(start.headers.location as string);
  assert.equal(first.statusCode, 303);
  assert.match(first.headers.location as string, /questions\/name$/, 'prefilled pages are complete: resume at the first unanswered one');
  const appPath = start.headers.location as string;
  await b.get(`${appPath}/questions/applicant`);
  const next = await b.post(`${appPath}/questions/applicant`, { nationalId: who.nationalId, mobile: who.mobile });
  assert.equal(next.headers.location, `${appPath}/questions/name`);
  const check = await b.get(`${appPath}/check`);
  assert.match(check.body, /Answer the remaining questions/);
  assert.doesNotMatch(check.body, /submissionToken/);
  const draft = (await t.ctx.applications.mine(who.id))[0];
  const r = await b.post(`${appPath}/submit`, { submissionToken: draft.submission_token });
  assert.equal(r.statusCode, 400);
  assert.equal((await t.ctx.applications.mine(who.id))[0].status, 'draft');
});

test('a refused upload leaves nothing behind: too many files (413), a malformed body (400), bad text (400): no new rows, no new files', async () => {
  const { b, appPath, id } = await startPassport();
  await b.get(`${appPath}/questions/photo`); // a CSRF token
  const filesDir = path.join(t.ctx.config.DATA_DIR, 'files');
  const onDisk = () =>
    fs.existsSync(filesDir)
      ? (fs.readdirSync(filesDir, { recursive: true }) as string[]).filter((f) => /[0-9a-f]{32}(\.part)?$/.test(f)).length
      : 0;
  const rows = async () =>
    (await t.ctx.database.db.selectFrom('application_files').select('id').where('application_id', '=', id).execute()).length;
  const before = { disk: onDisk(), rows: await rows() };
  const photo = { name: 'photo', filename: 'photo.png', content: PNG, type: 'image/png' };
  // the first part is a good photo (stored while streaming), the sixth file is one past the limit
  const tooMany = await b.postMultipart(
    `${appPath}/questions/photo`,
    Array.from({ length: 7 }, () => photo),
  );
  assert.equal(tooMany.statusCode, 413, tooMany.body.slice(0, 200));
  assert.deepEqual({ disk: onDisk(), rows: await rows() }, before, 'nothing of the refused request remains');
  const text = await b.postMultipart(`${appPath}/questions/photo`, [photo, { name: 'note', value: 'a\u0000b' }]);
  assert.equal(text.statusCode, 400);
  assert.deepEqual({ disk: onDisk(), rows: await rows() }, before, 'nothing of the request with bad text remains');
  assert.equal(
    (
      await t.ctx.applications.own(
        (await t.ctx.database.db.selectFrom('applications').select('citizen_id').where('id', '=', id).executeTakeFirstOrThrow()).citizen_id,
        id,
      )
    ).answers.photo,
    undefined,
  );
  // a body that never closes its boundary after a good file
  const cookie = [...b.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const boundary = '----unclosed';
  const unclosed = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${b.token}\r\n--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="p.png"\r\nContent-Type: image/png\r\n\r\n`,
    ),
    PNG,
    Buffer.from('\r\n'),
  ]);
  const malformed = await t.app.inject({
    method: 'POST',
    url: `${appPath}/questions/photo`,
    payload: unclosed,
    headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
  assert.equal(malformed.statusCode, 400, malformed.body.slice(0, 200));
  const noBoundary = await t.app.inject({
    method: 'POST',
    url: `${appPath}/questions/photo`,
    payload: unclosed,
    headers: { cookie, 'content-type': 'multipart/form-data' },
  });
  assert.equal(noBoundary.statusCode, 400, noBoundary.body.slice(0, 200));
  assert.deepEqual({ disk: onDisk(), rows: await rows() }, before, 'nothing of the malformed requests remains');
  // and an accepted upload still is kept
  const ok = await b.postMultipart(`${appPath}/questions/photo`, [photo]);
  assert.equal(ok.statusCode, 303);
  assert.deepEqual({ disk: onDisk(), rows: await rows() }, { disk: before.disk + 1, rows: before.rows + 1 });
});
