// Applications wired to the other modules: each event reaches the agency's webhook receiver (signed,
// delivered by the worker), and an approval issues a signed result document that /verify accepts and
// the citizen finds on the timeline and in the e-box.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import type net from 'node:net';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { citizenSession, client, staffSession } from '../../../test/helpers/people.ts';

let t: TestApp;
let receiver: http.Server;
let url: string;
const received: { event: string; body: Record<string, unknown>; signature: string; raw: string }[] = [];

before(async () => {
  t = await testApp({ NOTIFICATIONS_WORKER: false, WEBHOOK_WORKER: false, WEBHOOK_ALLOW_PRIVATE_TARGETS: true });
  receiver = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      received.push({
        event: String(req.headers['panjereh-event']),
        body: JSON.parse(raw),
        signature: String(req.headers['panjereh-signature']),
        raw,
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(receiver.address() as net.AddressInfo).port}/hooks`;
});
after(async () => {
  receiver?.close();
  await t?.close();
});

test("an application from submission to approval: every event signed to the agency's receiver, and a verifiable signed document", async () => {
  const hook = await t.ctx.webhooks.register(
    'ir-nocr',
    url,
    ['application.submitted', 'application.status_changed', 'application.approved', 'document.issued'],
    'test',
  );
  const who = await citizenSession(t.ctx);
  const citizen = { id: who.id, national_id: who.nationalId, mobile: who.mobile };
  const draft = await t.ctx.applications.startDraft(citizen, 'certificate-of-single-status', 'fa');
  await t.ctx.applications.saveAnswers(draft, { fullName: 'مریم احمدی', purpose: 'employment' });
  const r = await t.ctx.applications.submit(citizen, draft.id, draft.submission_token);
  const app = (r as { app: { id: string; reference: string } }).app;

  const operator = client(t.app, (await staffSession(t.ctx, 'operator', 'ir-nocr')).cookie);
  await operator.get(`/fa/staff/applications/${app.id}`);
  assert.equal((await operator.post(`/fa/staff/applications/${app.id}/claim`, {})).statusCode, 303);
  await operator.get(`/fa/staff/applications/${app.id}`);
  assert.equal(
    (await operator.post(`/fa/staff/applications/${app.id}/approve`, { reason: 'مدارک کامل است', confirm: 'yes' })).statusCode,
    303,
  );

  // the document is issued after the approval commits
  let issued: { code: string } | undefined;
  for (let i = 0; i < 100 && !issued; i++) {
    const ev = await t.ctx.database.db
      .selectFrom('application_events')
      .select(['data'])
      .where('application_id', '=', app.id)
      .where('type', '=', 'document.issued')
      .executeTakeFirst();
    issued = ev?.data as { code: string } | undefined;
    if (!issued) await new Promise((res) => setTimeout(res, 50));
  }
  assert.ok(issued, 'a document.issued event follows the approval');
  const doc = await t.ctx.documents.find(issued.code.replace('-', ''));
  assert.ok(doc, 'the document exists');
  assert.equal((await t.app.inject({ url: `/fa/verify/${issued.code}` })).statusCode, 200);
  const mine = client(t.app, who.cookie);
  assert.match((await mine.get(`/fa/applications/${app.id}`)).body, new RegExp(issued.code));

  // the worker delivers every subscribed event, signed with the endpoint's secret
  await t.ctx.webhookWorker.runOnce();
  const events = received.map((x) => x.event);
  for (const e of ['application.submitted', 'application.status_changed', 'application.approved', 'document.issued'])
    assert.ok(events.includes(e), `${e} delivered (${events.join(', ')})`);
  for (const x of received) {
    const [, ts, v1] = /t=(\d+),v1=([0-9a-f]+)/.exec(x.signature)!;
    assert.equal(v1, crypto.createHmac('sha256', hook.secret).update(`${ts}.${x.raw}`).digest('hex'));
  }
  const approved = received.find((x) => x.event === 'application.approved')!;
  assert.equal(approved.body.reference ?? (approved.body.data as Record<string, unknown>)?.reference, app.reference);
  assert.doesNotMatch(JSON.stringify(received.map((x) => x.body)), /مریم|0\d{9}/, 'no personal data in webhook payloads');
});

test('monitoring reads decisions and ratings: on time, median days, average rating and SDG 16.6.2 satisfaction', async () => {
  const m = t.ctx.monitoring.metrics;
  const later = new Date(Date.now() + 60_000);
  const before = new Date(Date.now() - 3600_000);
  const who = await citizenSession(t.ctx);
  const citizen = { id: who.id, national_id: who.nationalId, mobile: who.mobile };
  const app = (await t.ctx.database.db.selectFrom('applications').select('id').where('status', '=', 'approved').executeTakeFirstOrThrow())
    .id;
  await t.ctx.database.db.updateTable('applications').set({ citizen_id: citizen.id }).where('id', '=', app).execute();
  assert.equal(await t.ctx.applications.rate(citizen, app, 5, 'سریع بود'), true);
  const onTime = (await m.measure('applications.on-time-share', ['ir-nocr', 'ir-tax'], later, new Map())).get('ir-nocr')!;
  assert.ok('value' in onTime && onTime.value === 100, JSON.stringify(onTime));
  assert.ok(
    'noData' in (await m.measure('applications.on-time-share', ['ir-tax'], later, new Map())).get('ir-tax')!,
    'an agency with no decision has no data',
  );
  const days = (await m.measure('applications.median-days', ['ir-nocr'], later, new Map())).get('ir-nocr')!;
  assert.ok('value' in days && days.value >= 0 && days.value < 1);
  const satisfied = await m.national('ratings.satisfied-share', later, new Map());
  assert.ok('value' in satisfied && satisfied.value === 100);
  assert.ok('value' in (await m.national('ratings.average', later, new Map())));
  assert.ok('noData' in (await m.national('ratings.average', before, new Map())), 'as of an earlier cut-off there was no rating yet');
});
