// The agency side and what the citizen sees of it: authorization per agency, the queue, claim, request
// for information and resubmission, decisions, the e-box with read times, ratings, statistics, the
// audit log, the event feed for documents/webhooks, and the notification outbox worker.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { citizenSession, client, PDF, staffSession } from '../../../test/helpers/people.ts';
import { NotificationWorker } from './notifications.ts';
import type { ApplicationEvent } from './applications.types.ts';

let t: TestApp;
before(async () => (t = await testApp({ NOTIFICATIONS_WORKER: false })));
after(() => t.close());

const SLUG = 'certificate-of-single-status'; // ir-nocr

async function submitted(lang: 'fa' | 'en' = 'fa') {
  const who = await citizenSession(t.ctx);
  const citizen = { id: who.id, national_id: who.nationalId, mobile: who.mobile };
  const draft = await t.ctx.applications.startDraft(citizen, SLUG, lang);
  await t.ctx.applications.saveAnswers(draft, { fullName: 'مریم احمدی', purpose: 'employment', email: 'maryam@example.ir' });
  const r = await t.ctx.applications.submit(citizen, draft.id, draft.submission_token);
  assert.ok('app' in r && !r.already);
  return { who, citizen, app: (r as { app: { id: string; reference: string } }).app, b: client(t.app, who.cookie) };
}

test('authorization: operators work only their own agency; others get 403; signed-out staff are sent to sign in', async () => {
  const { app } = await submitted();
  const own = client(t.app, (await staffSession(t.ctx, 'operator', 'ir-nocr')).cookie);
  const otherAgency = client(t.app, (await staffSession(t.ctx, 'operator', 'ir-tax')).cookie);
  const admin = client(t.app, (await staffSession(t.ctx, 'platform-admin', null)).cookie);
  const editor = client(t.app, (await staffSession(t.ctx, 'service-editor', 'ir-nocr')).cookie);
  const analyst = client(t.app, (await staffSession(t.ctx, 'oversight-analyst', null)).cookie);
  const url = `/fa/staff/applications/${app.id}`;
  assert.equal((await own.get(url)).statusCode, 200);
  const queue = await own.get('/fa/staff/applications');
  assert.match(queue.body, new RegExp(app.reference));
  assert.doesNotMatch((await otherAgency.get('/fa/staff/applications')).body, new RegExp(app.reference));
  for (const who of [otherAgency, admin, editor]) {
    assert.equal((await who.get(url)).statusCode, 403);
    await who.get('/fa/staff');
    for (const action of ['claim', 'approve', 'reject', 'request-info', 'message'])
      assert.equal((await who.post(`${url}/${action}`, { text: 'x' })).statusCode, 403, action);
  }
  assert.equal((await admin.get('/fa/staff/applications')).statusCode, 403);
  assert.equal((await editor.get('/fa/staff/applications/stats')).statusCode, 403);
  assert.equal((await analyst.get('/fa/staff/applications/stats?agency=ir-nocr')).statusCode, 200);
  assert.equal((await otherAgency.get('/fa/staff/applications/stats?agency=ir-nocr')).statusCode, 403);
  const anon = await t.app.inject({ url });
  assert.equal(anon.statusCode, 303);
  assert.match(anon.headers.location as string, /^\/fa\/staff\/sign-in/);
  assert.equal(
    (
      await t.ctx.applications.own(
        app.id === ''
          ? ''
          : (await t.ctx.database.db.selectFrom('applications').select('citizen_id').where('id', '=', app.id).executeTakeFirstOrThrow())
              .citizen_id,
        app.id,
      )
    ).status,
    'submitted',
    'nothing changed',
  );
});

test('claim, request information, the citizen answers with a file and resubmits, approval requests the document; all audited and in the e-box', async () => {
  const events: ApplicationEvent[] = [];
  const stop = t.ctx.applications.onEvent((e) => void events.push(e));
  const { app, b, who } = await submitted();
  const op = await staffSession(t.ctx, 'operator', 'ir-nocr', 'Officer Rahimi');
  const s = client(t.app, op.cookie);
  const url = `/fa/staff/applications/${app.id}`;
  await s.get(url);
  assert.equal((await s.post(`${url}/claim`, {})).statusCode, 303);
  assert.equal((await t.ctx.applications.backoffice.forAgency(app.id)).status, 'in-review');
  assert.equal((await t.ctx.applications.backoffice.forAgency(app.id)).assigned_to, op.id);

  const empty = await s.post(`${url}/request-info`, { text: '  ' });
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /بنویسید چه اطلاعاتی لازم است/);
  assert.equal((await s.post(`${url}/request-info`, { text: 'تصویر کارت ملی را بفرستید.' })).statusCode, 303);
  assert.equal((await t.ctx.applications.backoffice.forAgency(app.id)).status, 'info-requested');

  // the citizen sees the request in the e-box (unread), then on the application page, which marks it read
  const inbox = await b.get('/fa/ebox');
  assert.match(inbox.body, /اطلاعات بیشتری لازم است/);
  assert.match(inbox.body, /class="unread"/);
  const request = (await t.ctx.applications.inbox(who.id)).find((m) => m.kind === 'info-request')!;
  assert.equal(request.read_at, null);
  assert.match((await s.get(url)).body, /هنوز خوانده نشده/);
  const page = await b.get(`/fa/applications/${app.id}`);
  assert.match(page.body, /تصویر کارت ملی را بفرستید/);
  assert.ok((await t.ctx.applications.inbox(who.id)).find((m) => m.id === request.id)!.read_at);
  assert.match((await s.get(url)).body, /خوانده شده/);
  const opened = await b.get(`/fa/ebox/${request.id}`);
  assert.equal(opened.statusCode, 200);

  // answering: empty text is refused and nothing changes; a wrong file type is refused; then a PDF
  await b.get(`/fa/applications/${app.id}`);
  const bad = await b.postMultipart(`/fa/applications/${app.id}/respond`, [{ name: 'response', value: '' }]);
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /پاسخ خود را بنویسید/);
  const exe = await b.postMultipart(`/fa/applications/${app.id}/respond`, [
    { name: 'response', value: 'پیوست شد' },
    { name: 'attachment', filename: 'card.pdf', content: Buffer.from('MZ\x90\x00 not a pdf') },
  ]);
  assert.equal(exe.statusCode, 400);
  assert.equal((await t.ctx.applications.backoffice.forAgency(app.id)).status, 'info-requested');
  const ok = await b.postMultipart(`/fa/applications/${app.id}/respond`, [
    { name: 'response', value: 'پیوست شد' },
    { name: 'attachment', filename: 'کارت ملی.pdf', content: PDF, type: 'application/pdf' },
  ]);
  assert.equal(ok.statusCode, 303);
  const resubmitted = await t.ctx.applications.backoffice.forAgency(app.id);
  assert.equal(resubmitted.status, 'resubmitted');
  const files = await t.ctx.applications.files(resubmitted);
  assert.equal(files.length, 1);
  assert.equal(files[0].original_name, 'کارت ملی.pdf');
  const staffPage = await s.get(url);
  assert.match(staffPage.body, /پیوست شد/);
  const dl = await s.get(`${url}/files/${files[0].id}`);
  assert.equal(dl.statusCode, 200);
  assert.equal(dl.headers['content-type'], 'application/pdf');
  assert.equal(dl.rawPayload.length, PDF.length);

  // rejecting needs a reason; approving does not
  const noReason = await s.post(`${url}/reject`, { text: '' });
  assert.equal(noReason.statusCode, 400);
  assert.match(noReason.body, /دلیل رد درخواست را بنویسید/);
  assert.equal((await s.post(`${url}/approve`, { text: 'گواهی تا سه روز آماده است.', confirm: 'yes' })).statusCode, 303);
  const done = await t.ctx.applications.backoffice.forAgency(app.id);
  assert.equal(done.status, 'approved');
  assert.equal(done.decided_by, op.id);
  assert.equal((await s.post(`${url}/approve`, { text: '' })).statusCode, 409, 'no second decision');

  // (the signed document that follows, 'document.issued', arrives after the commit: integrations.test.ts)
  const types = (await t.ctx.applications.timeline(done)).map((e) => e.type).filter((x) => x !== 'document.issued');
  assert.deepEqual(types, ['submitted', 'in-review', 'info-requested', 'resubmitted', 'approved', 'document.requested']);
  assert.deepEqual(
    events.filter((e) => e.application.id === app.id && e.event.type !== 'document.issued').map((e) => e.event.type),
    ['submitted', 'in-review', 'info-requested', 'resubmitted', 'approved', 'document.requested'],
  );
  stop();
  const feed = await t.ctx.applications.eventsAfter(0, 1000);
  assert.ok(feed.some((e) => e.application_id === app.id && e.type === 'document.requested'));

  // the documents module reports the issued document through the hook
  await t.ctx.applications.backoffice.documentIssued(app.id, { code: 'ABCD-1234', url: '/verify/ABCD-1234' });
  const tracked = await b.get(`/fa/applications/${app.id}`);
  assert.match(tracked.body, /سند نتیجه صادر شد/);
  assert.match(tracked.body, /href="\/verify\/ABCD-1234"/);

  const audit = await t.ctx.audit.search({ action: 'application.', actor: `staff:${op.id}` });
  assert.deepEqual(
    audit.map((a) => a.action).sort(),
    ['application.approve', 'application.claim', 'application.file-download', 'application.request-info'].sort(),
  );
  assert.ok(
    audit.every((a) => !JSON.stringify(a.detail).includes(who.nationalId)),
    'no personal data in the audit log',
  );
  assert.ok((await t.ctx.audit.verify()).ok);

  // ratings: only after a decision, 1-5, once
  const badScore = await b.post(`/fa/applications/${app.id}/rating`, { score: '9', comment: '' });
  assert.equal(badScore.statusCode, 400);
  assert.match(badScore.body, /امتیازی از ۱ تا ۵/);
  assert.equal((await b.post(`/fa/applications/${app.id}/rating`, { score: '5', comment: 'سریع بود' })).statusCode, 303);
  await b.get(`/fa/applications/${app.id}`);
  await b.post(`/fa/applications/${app.id}/rating`, { score: '1', comment: '' });
  assert.equal((await t.ctx.applications.rating(done))!.score, 5);
  const card = await t.app.inject({ url: `/en/services/${SLUG}` });
  assert.match(card.body, /Satisfaction/);
  assert.match(card.body, /100% satisfied/);
});

test('the citizen cannot rate before a decision nor answer a request that was not made', async () => {
  const { app, b } = await submitted('en');
  await b.get(`/en/services/${SLUG}/apply`); // any page with a form, for the CSRF token
  assert.equal((await b.post(`/en/applications/${app.id}/rating`, { score: '4' })).statusCode, 409);
  const r = await b.postMultipart(`/en/applications/${app.id}/respond`, [{ name: 'response', value: 'hello' }]);
  assert.equal(r.statusCode, 303);
  assert.equal((await t.ctx.applications.backoffice.forAgency(app.id)).status, 'submitted');
});

test('queue: filters, sort, paging and overdue; statistics per service and officer', async () => {
  const op = await staffSession(t.ctx, 'operator', 'ir-nocr');
  const s = client(t.app, op.cookie);
  const apps = [];
  for (let i = 0; i < 3; i++) apps.push((await submitted()).app);
  await t.ctx.database.db
    .updateTable('applications')
    .set({ due_at: new Date(Date.now() - 86400_000) })
    .where('id', '=', apps[0].id)
    .execute();
  const overdue = await s.get('/fa/staff/applications?overdue=1');
  assert.match(overdue.body, new RegExp(apps[0].reference));
  assert.doesNotMatch(overdue.body, new RegExp(apps[1].reference));
  assert.match(overdue.body, /class="overdue"/);
  const staff = (await t.ctx.staff.byId(op.id))!;
  await t.ctx.applications.backoffice.decide(staff, apps[1].id, 'rejected', 'مدارک کامل نبود');
  const rejected = await s.get('/en/staff/applications?status=rejected');
  assert.match(rejected.body, new RegExp(apps[1].reference));
  assert.doesNotMatch(rejected.body, new RegExp(apps[2].reference));
  const junk = await s.get('/en/staff/applications?status=<x>&sort=drop%20table&page=-1&service=nope');
  assert.equal(junk.statusCode, 200);
  const q = await t.ctx.applications.backoffice.queue({ agencyId: 'ir-nocr', status: 'all', sort: '-submitted', page: 1, pageSize: 2 });
  assert.equal(q.items.length, 2);
  assert.ok(q.total >= 4);
  const stats = await t.ctx.applications.backoffice.stats('ir-nocr');
  const row = stats.byService.find((r) => r.key !== null)!;
  assert.ok(row.received >= 4 && row.rejected >= 1 && row.overdue >= 1 && row.sent_back >= 1);
  assert.ok(stats.byOperator.some((r) => r.key === op.id && r.rejected === 1 && r.median_hours !== null));
  const page = await s.get('/fa/staff/applications/stats');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /میانه زمان تصمیم/);
});

test('notifications: written with the change, sent once by the worker, retried with back-off, never duplicated', async () => {
  const { who } = await submitted();
  const rows = await t.ctx.database.db.selectFrom('notification_outbox').selectAll().where('status', '=', 'pending').execute();
  assert.ok(rows.some((r) => r.recipient === who.mobile && r.channel === 'sms'));
  assert.ok(rows.some((r) => r.recipient === 'maryam@example.ir' && r.channel === 'email'));
  for (const r of rows)
    assert.match(
      r.body,
      new RegExp(`${t.ctx.config.PUBLIC_URL.replace(/[.:/]/g, '\\$&')}/(fa|en)/applications/`),
      'links in SMS and email are absolute, on PUBLIC_URL',
    );
  // a failing SMS provider: the row stays, with the error and a later attempt time
  let fail = true;
  const smsSent: string[] = [];
  const flaky = new NotificationWorker(
    t.ctx.database.db,
    {
      send: async (to) =>
        void (fail
          ? (() => {
              throw new Error('provider down');
            })()
          : smsSent.push(to)),
    },
    t.ctx.email,
    50,
  );
  await flaky.runOnce(1000);
  const failed = await t.ctx.database.db
    .selectFrom('notification_outbox')
    .selectAll()
    .where('recipient', '=', who.mobile)
    .executeTakeFirstOrThrow();
  assert.equal(failed.status, 'pending');
  assert.equal(failed.last_error, 'provider down');
  assert.ok(new Date(failed.next_attempt_at).getTime() > Date.now() + 20_000);
  fail = false;
  assert.equal(await flaky.runOnce(1000), 0, 'not before its time');
  await t.ctx.database.db
    .updateTable('notification_outbox')
    .set({ next_attempt_at: sql`now()` })
    .where('status', '=', 'pending')
    .execute();
  // two workers at once (two app nodes): each row goes to exactly one of them
  const [a, b] = await Promise.all([flaky.runOnce(1000), flaky.runOnce(1000)]);
  assert.ok(a + b >= 1);
  assert.equal(smsSent.filter((m) => m === who.mobile).length, 1);
  assert.equal(await flaky.runOnce(1000), 0);
  const emails = fs
    .readFileSync(path.join(t.ctx.config.DATA_DIR, 'outbox', 'email.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(emails.filter((e) => e.to === 'maryam@example.ir').length >= 1, true);
  const keys = await t.ctx.database.db.selectFrom('notification_outbox').select('dedupe_key').execute();
  assert.equal(new Set(keys.map((k) => k.dedupe_key)).size, keys.length);
  // the server's own worker starts and stops with it
  const w = t.ctx.notifications;
  w.start();
  await w.stop();
});

test('a deactivated colleague cannot be given an application: not offered, refused by the back office and the agency API alike', async () => {
  const { app } = await submitted();
  const me = await staffSession(t.ctx, 'operator', 'ir-nocr', 'Officer Rahimi');
  const gone = await staffSession(t.ctx, 'operator', 'ir-nocr', 'Officer Gone');
  await t.ctx.database.db.updateTable('staff').set({ deactivated_at: new Date() }).where('id', '=', gone.id).execute();
  const goneEmail = (await t.ctx.staff.byId(gone.id))!.email;
  const b = client(t.app, me.cookie);
  const page = await b.get(`/en/staff/applications/${app.id}`);
  assert.equal(page.statusCode, 200);
  assert.doesNotMatch(page.body, new RegExp(`value="${gone.id}"`), 'not offered in the list');
  assert.match(page.body, new RegExp(`value="${me.id}"`));
  const r = await b.post(`/en/staff/applications/${app.id}/assign`, { assignee: gone.id });
  assert.equal(r.statusCode, 400, 'the back office refuses it');
  assert.match(r.body, /Choose an active officer of this agency/);
  const key = (await t.ctx.agencyApi.create('ir-nocr', 'Assigner', ['applications:write'], 'test')).key;
  for (const operator of [gone.id, goneEmail]) {
    const api = await t.app.inject({
      method: 'POST',
      url: `/api/agency/v1/applications/${app.id}/assign`,
      payload: { operator },
      headers: { authorization: `Bearer ${key}` },
    });
    assert.equal(api.statusCode, 400, 'the agency API refuses it');
    assert.equal(api.json().code, 'VALIDATION_FAILED');
  }
  // the service itself refuses, whatever a caller passes
  const goneRow = (await t.ctx.staff.byId(gone.id))!;
  await assert.rejects(
    t.ctx.applications.backoffice.claim((await t.ctx.staff.byId(me.id))!, app.id, { ...goneRow, deactivated_at: null }),
    {
      code: 'OFFICER_NOT_ASSIGNABLE',
    },
  );
  const row = await t.ctx.database.db
    .selectFrom('applications')
    .select(['assigned_to', 'status'])
    .where('id', '=', app.id)
    .executeTakeFirstOrThrow();
  assert.deepEqual(row, { assigned_to: null, status: 'submitted' });
  // an active colleague still can be
  assert.equal((await b.post(`/en/staff/applications/${app.id}/assign`, { assignee: me.id })).statusCode, 303);
});
