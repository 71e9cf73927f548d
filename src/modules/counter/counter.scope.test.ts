// The counter scope costs an ordinary citizen nothing: only a token marked as an assisted session's is
// looked up (and never for an asset), while an assisted session is still held to its one draft.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { citizenSession, client, nationalId, staffSession } from '../../../test/helpers/people.ts';
import { DEMO_OFFICES } from './counter.demo.ts';

let t: TestApp;
before(async () => (t = await testApp({ NOTIFICATIONS_WORKER: false })));
after(() => t?.close());

/** Counts the counter module's lookups of a session by its token (the query the scope would make). */
function countLookups() {
  const svc = t.ctx.counter.service;
  const calls = { scope: 0, query: 0 };
  const scopeOf = svc.scopeOf.bind(svc);
  const byTokenHash = svc.repo.byTokenHash.bind(svc.repo);
  svc.scopeOf = (token) => (calls.scope++, scopeOf(token));
  svc.repo.byTokenHash = (h) => (calls.query++, byTokenHash(h));
  return calls;
}

test("an ordinary citizen's requests make no counter lookup; an assisted session's are still held to its draft", async () => {
  const calls = countLookups();
  const c = await citizenSession(t.ctx, 880001);
  const b = client(t.app, c.cookie);
  assert.equal((await b.get('/en/applications')).statusCode, 200);
  assert.equal((await b.get('/fa/account')).statusCode, 200);
  await b.get('/assets/app.css');
  assert.deepEqual(calls, { scope: 0, query: 0 });

  // an assisted session: its token is marked, looked up, and the scope still refuses the citizen's list
  const s = await staffSession(t.ctx, 'counter-operator', null, 'Scope operator');
  await t.ctx.counter.service.attachOperator(s.id, DEMO_OFFICES[0].code, 'test');
  const op = client(t.app, s.cookie);
  await op.get('/en/staff/counter');
  const mobile = '09351880002';
  const started = await op.post('/en/staff/counter/sessions', {
    nationalId: nationalId(880002),
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
  const code = sms?.text.match(/#(\d{6})/)?.[1] ?? '';
  await op.get(sessionPath);
  const ok = await op.post(`${sessionPath}/code`, { code });
  assert.equal(ok.statusCode, 303);
  const before = calls.query;
  await op.get('/assets/app.css');
  assert.equal(calls.query, before, 'an asset is never looked up');
  const list = await op.get('/en/applications');
  assert.equal(list.statusCode, 403);
  assert.equal(list.headers['x-error-code'], 'COUNTER_OUT_OF_SCOPE');
  assert.ok(calls.query > before);
  assert.equal((await op.get(ok.headers.location as string)).statusCode, 303);
});
