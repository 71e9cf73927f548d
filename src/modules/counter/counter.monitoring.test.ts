// Counter offices in monitoring (issue 14): each office's applications month by month (Solar Hijri
// months on Persian pages, Gregorian on English ones), and the citizens' average rating per channel
// (applications made at a counter office, and online).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { citizenSession, client, nationalId, staffSession } from '../../../test/helpers/people.ts';
import { DEMO_OFFICES } from './counter.demo.ts';
import { counterMetrics } from './counter.metrics.ts';

let t: TestApp;
before(async () => (t = await testApp({ NOTIFICATIONS_WORKER: false })));
after(() => t?.close());

/** An application made at the first demo office, submitted (the whole assisted flow). */
async function submittedAtOffice(): Promise<string> {
  const s = await staffSession(t.ctx, 'counter-operator', null, 'Monthly operator');
  await t.ctx.counter.service.attachOperator(s.id, DEMO_OFFICES[0].code, 'test');
  const op = client(t.app, s.cookie);
  await op.get('/en/staff/counter');
  const mobile = '09351990001';
  const started = await op.post('/en/staff/counter/sessions', {
    nationalId: nationalId(990001),
    mobile,
    service: 'certificate-of-single-status',
  });
  assert.equal(started.statusCode, 303, started.body);
  const sessionPath = started.headers.location as string;
  const sms = fs
    .readFileSync(path.join(t.ctx.config.DATA_DIR, 'outbox', 'sms.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { to: string; text: string })
    .filter((m) => m.to === mobile)
    .at(-1);
  await op.get(sessionPath);
  const ok = await op.post(`${sessionPath}/code`, { code: sms?.text.match(/#(\d{6})/)?.[1] ?? '' });
  const appPath = ok.headers.location as string;
  const appId = appPath.split('/').pop() ?? '';
  const app = (await t.ctx.applications.repo.byId(appId))!;
  await t.ctx.applications.saveAnswers(app, { fullName: 'Sara Ahmadi', purpose: 'employment', email: 'sara@example.ir' });
  const check = await op.get(`${appPath}/check`);
  const token = check.body.match(/name="submissionToken" value="([^"]+)"/)![1];
  assert.equal((await op.post(`${appPath}/submit`, { submissionToken: token })).statusCode, 303);
  return appId;
}

test('the offices page counts each office by month, in the Solar Hijri calendar on Persian pages', async () => {
  await submittedAtOffice();
  const admin = await staffSession(t.ctx, 'platform-admin', null);
  const b = client(t.app, admin.cookie);
  const now = new Date();
  const fa = await b.get('/fa/staff/counter/offices');
  assert.equal(fa.statusCode, 200);
  const faMonth = new Intl.DateTimeFormat('fa-IR-u-ca-persian', { year: 'numeric', month: 'long', timeZone: 'Asia/Tehran' }).format(now);
  assert.match(fa.body, /درخواست‌های ثبت‌شده در هر دفتر، ماه به ماه/);
  assert.ok(fa.body.includes(`<th scope="col">${faMonth}</th>`), `a Solar Hijri month heading ${faMonth}`);
  const en = await b.get('/en/staff/counter/offices');
  const enMonth = new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: 'long', timeZone: 'Asia/Tehran' }).format(now);
  assert.ok(en.body.includes(`<th scope="col">${enMonth}</th>`), `a Gregorian month heading ${enMonth}`);
  // this month's column (the last) holds the one application of the first office
  const row = en.body.match(new RegExp(`<th scope="row"><bdi>${DEMO_OFFICES[0].code}</bdi>[\\s\\S]*?</tr>`))?.[0] ?? '';
  assert.match(row, /<td>1<\/td><\/tr>$/);
});

test('monitoring: the average rating per channel, at counter offices and online', async () => {
  const atOffice = await submittedAtOffice().catch(async () => {
    // the first test's office application (a second one needs another citizen's code): reuse it
    const s = await t.ctx.database.db
      .selectFrom('counter_sessions')
      .select('application_id')
      .where('status', '=', 'submitted')
      .executeTakeFirstOrThrow();
    return s.application_id ?? '';
  });
  const office = (await t.ctx.applications.repo.byId(atOffice))!;
  // an application made online (the citizen's own draft; a rating needs only the application)
  const c = await citizenSession(t.ctx, 990002);
  const online = await t.ctx.applications.startDraft(
    { id: c.id, national_id: c.nationalId, mobile: c.mobile },
    'certificate-of-single-status',
    'en',
  );
  await t.ctx.database.db
    .insertInto('application_ratings')
    .values([
      { application_id: office.id, service_id: office.service_id, agency_id: office.agency_id, score: 5 },
      { application_id: online.id, service_id: online.service_id, agency_id: online.agency_id, score: 2 },
    ])
    .onConflict((oc) => oc.doNothing())
    .execute();
  const sources = counterMetrics(t.ctx.database.db);
  const at = new Date(Date.now() + 60_000);
  const of = async (metric: string) =>
    (await sources.find((s) => s.metric === metric)!.measure([office.agency_id], at, new Map())).get(office.agency_id)!;
  const o = await of('counter.rating-at-offices');
  assert.ok('value' in o && o.value === 5 && o.detail?.ratings === 1, JSON.stringify(o));
  const w = await of('counter.rating-online');
  assert.ok('value' in w && w.value === 2 && w.detail?.ratings === 1, JSON.stringify(w));
  const national = await sources.find((s) => s.metric === 'counter.rating-at-offices')!.national!(at, new Map());
  assert.ok('value' in national && national.value === 5, JSON.stringify(national));
});
