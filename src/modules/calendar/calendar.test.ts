import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Browser } from 'playwright-core';
import { listen, testApp, type TestApp } from '../../../test/helpers/app.ts';
import { client, staffSession } from '../../../test/helpers/people.ts';
import { axeViolations, describeViolations, launchBrowser } from '../../../test/helpers/browser.ts';
import { gregorianToJalali, jalaliToGregorian } from '../applications/jalali.ts';
import { addWorkingDays, dayKind, tehranDay } from './calendar.ts';

let t: TestApp;
before(async () => (t = await testApp()));
after(() => t.close());

const none = new Map();

test('deadlines skip Thursdays, Fridays and the fixed Solar Hijri holidays, counted in Tehran', () => {
  assert.deepEqual(gregorianToJalali('2026-03-21'), { year: 1405, month: 1, day: 1 }, 'Nowruz 1405');
  // Tuesday 17 March 2026, 10:00 in Tehran, 3 working days: Wed 18 (1); Thu 19, Fri 20 (29 Esfand) off;
  // Nowruz Sat 21 - Tue 24 off; Wed 25 (2); Thu 26, Fri 27 off; Sat 28 (3).
  assert.equal(addWorkingDays(new Date('2026-03-17T06:30:00Z'), 3, none).toISOString(), '2026-03-28T06:30:00.000Z');
  // without holidays in the way: Saturday 21 Nov 2026 + 5 = Sun, Mon, Tue, Wed, (Thu, Fri) Sat 28
  assert.equal(addWorkingDays(new Date('2026-11-21T08:00:00Z'), 5, none).toISOString().slice(0, 10), '2026-11-28');
  // late evening UTC is already the next day in Tehran: Wednesday 22:00 UTC is Thursday 01:30 in Tehran
  assert.equal(tehranDay(new Date('2026-11-25T22:00:00Z')), '2026-11-26');
  assert.equal(dayKind('2026-11-26', none).working, false);
  // 22 Bahman 1405 and 14-15 Khordad 1405
  for (const [m, d] of [
    [11, 22],
    [3, 14],
    [3, 15],
    [1, 12],
    [1, 13],
  ])
    assert.deepEqual(dayKind(jalaliToGregorian(1405, m, d)!, none).working, false, `${m}/${d}`);
  fc.assert(
    fc.property(
      fc.date({ min: new Date('2022-01-01'), max: new Date('2035-01-01'), noInvalidDate: true }),
      fc.integer({ min: 1, max: 60 }),
      (from, n) => {
        const due = addWorkingDays(from, n, none);
        assert.ok(dayKind(tehranDay(due), none).working, 'the due day is a working day');
        let counted = 0;
        for (let t = from.getTime() + 86_400_000; t <= due.getTime(); t += 86_400_000)
          if (dayKind(tehranDay(new Date(t)), none).working) counted++;
        assert.equal(counted, n, 'exactly n working days after the day of submission');
      },
    ),
    { numRuns: 300 },
  );
});

test('an announced holiday moves the deadlines of new applications; only platform administrators announce', async () => {
  const admin = client(t.app, (await staffSession(t.ctx, 'platform-admin', null)).cookie);
  const operator = client(t.app, (await staffSession(t.ctx, 'operator', 'ir-moh')).cookie);
  assert.equal((await operator.get('/en/staff/calendar')).statusCode, 403);
  const page = await admin.get('/fa/staff/calendar?year=1405');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /عید نوروز/);
  assert.match(page.body, /پیروزی انقلاب اسلامی/);
  assert.equal((await admin.get('/en/staff/calendar?year=abc')).statusCode, 400);

  // bad input: every field says what to fix, nothing saved
  const empty = await admin.post('/en/staff/calendar', {});
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /Enter date of the holiday/i);
  assert.match(empty.body, /Enter name in Persian/i);
  // a Thursday needs no announcement
  const next = new Date(Date.now() + 30 * 86_400_000);
  let thursday = next;
  while (new Date(`${tehranDay(thursday)}T12:00:00Z`).getUTCDay() !== 4) thursday = new Date(thursday.getTime() + 86_400_000);
  const [ty, tm, td] = tehranDay(thursday).split('-');
  const onThursday = await admin.post('/en/staff/calendar', {
    'day-day': td,
    'day-month': tm,
    'day-year': ty,
    'day-calendar': 'gregorian',
    nameFa: 'آزمون',
    nameEn: 'Test',
  });
  assert.equal(onThursday.statusCode, 400);
  assert.match(onThursday.body, /already not a working day/);

  // the first working day after tomorrow becomes a holiday: an application submitted now is due a day later
  const now = new Date();
  const before = addWorkingDays(now, 3, none);
  let day = new Date(now.getTime() + 86_400_000);
  while (!dayKind(tehranDay(day), none).working) day = new Date(day.getTime() + 86_400_000);
  const iso = tehranDay(day);
  const j = gregorianToJalali(iso);
  const ok = await admin.post('/fa/staff/calendar', {
    'day-day': String(j.day),
    'day-month': String(j.month),
    'day-year': String(j.year),
    'day-calendar': 'jalali',
    nameFa: 'تعطیلی اعلام‌شده',
    nameEn: 'Announced closure',
  });
  assert.equal(ok.statusCode, 303, ok.body.slice(0, 500));
  const listed = await admin.get(ok.headers.location as string);
  assert.match(listed.body, /تعطیلی اعلام‌شده/);
  assert.equal(
    (
      await admin.post('/fa/staff/calendar', {
        'day-day': String(j.day),
        'day-month': String(j.month),
        'day-year': String(j.year),
        'day-calendar': 'jalali',
        nameFa: 'دوباره',
        nameEn: 'Again',
      })
    ).statusCode,
    400,
    'announced twice',
  );
  const after = await t.ctx.calendar.addWorkingDays(now, 3);
  assert.ok(after > before, `due ${after.toISOString()} moves past ${before.toISOString()}`);
  const audit = await t.ctx.database.db
    .selectFrom('audit_log')
    .select(['action', 'subject'])
    .where('action', 'like', 'calendar.%')
    .execute();
  assert.deepEqual(
    audit.map((a) => [a.action, a.subject]),
    [['calendar.holiday-announced', iso]],
  );

  // withdrawn: the deadline is back
  const withdrawn = await admin.post(`/fa/staff/calendar/${iso}/withdraw`, {});
  assert.equal(withdrawn.statusCode, 303);
  assert.equal((await t.ctx.calendar.addWorkingDays(now, 3)).getTime(), before.getTime());
  assert.equal((await admin.post(`/fa/staff/calendar/${iso}/withdraw`, {})).statusCode, 404);
  assert.equal((await admin.post('/fa/staff/calendar/not-a-day/withdraw', {})).statusCode, 404);
});

test('axe-core: the calendar page in both languages, and with errors', async () => {
  let browser: Browser | undefined;
  const base = await listen(t);
  try {
    browser = await launchBrowser();
    const context = await browser.newContext({ bypassCSP: true });
    const [name, value] = (await staffSession(t.ctx, 'platform-admin', null)).cookie.split('=');
    await context.addCookies([{ name, value, url: base }]);
    const page = await context.newPage();
    const failures: string[] = [];
    for (const lang of ['fa', 'en']) {
      await page.goto(`${base}/${lang}/staff/calendar`);
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      let v = await axeViolations(page);
      if (v.length) failures.push(`${lang}: ${describeViolations(v)}`);
      await page.locator('form[action$="/staff/calendar"] button[type=submit]').click();
      assert.ok(await page.locator('.error-summary').count(), 'the error summary shows');
      v = await axeViolations(page);
      if (v.length) failures.push(`${lang} with errors: ${describeViolations(v)}`);
    }
    assert.equal(failures.length, 0, failures.join('\n\n'));
  } finally {
    await browser?.close();
  }
});
