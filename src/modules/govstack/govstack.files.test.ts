// The GovStack Registration BB API: application files (list, one, operator update), tasks (list, one,
// complete) and statistics on both paths, checked against the spec's own response schemas.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { seedGovstackConformance } from './govstack.seed.ts';
import { expectError, IMC, multipart, noExtra, P, v, valid } from './govstack.testkit.ts';

let t: TestApp;
before(async () => {
  t = await testApp({ GOVSTACK_ACCESS: 'open' });
  await seedGovstackConformance(t.ctx.database.db, t.ctx.catalog, t.ctx.applications, t.ctx.audit);
});
after(() => t.close());

const get = (url: string, headers: Record<string, string> = IMC) => t.app.inject({ url: P + url, headers });

test('application files: list with filters and paging, one by id, the operator update in three encodings; 404 and 400', async () => {
  const all = await get('/applications');
  assert.equal(all.statusCode, 200);
  valid(v.files, all.json(), 'files');
  const ids = all.json().map((f: { fileId: string }) => f.fileId);
  for (const id of ['81c4445c-bff6-11ed-afa1-0242ac120002', 'b8508d35-c2f3-442b-88a1-267ca25e85c0']) assert.ok(ids.includes(id), id);
  const byService = (await get('/applications?serviceId=0b4e529c-fe1a-11ed-be56-0242ac120002')).json();
  assert.deepEqual(
    byService.map((f: { fileId: string }) => f.fileId),
    ['33c4445c-bff3-13ed-afa1-0332ac120033'],
  );
  valid(v.files, byService, 'by service');
  assert.equal(byService[0].operatorName, 'Mason Kane');
  assert.equal(byService[0].roleName, 'Registrar');
  assert.deepEqual(
    (await get('/applications?applicantId=11962de0-11b2-11cc-9390-0242ac121114')).json().map((f: { fileId: string }) => f.fileId),
    ['77c4775c-b7f3-17ed-afa1-0772ac120077'],
  );
  assert.deepEqual((await get('/applications?serviceId=n0t-ex1st1ng-serv1ce')).json(), []);
  assert.deepEqual((await get('/applications?applicantId=n0t-ex1st1ng-applicant')).json(), []);
  const paged = await get('/applications?firstResult=1&maxResult=2&sortBy=created&sortOrder=asc');
  assert.equal(paged.json().length, 2);
  assert.equal(paged.json()[0].fileId, all.json().at(-2).fileId); // default order is newest first
  expectError(await get('/applications', {}), 400, 'GOVSTACK_CLIENT_HEADER');
  expectError(await get('/applications?maxResult=0'), 400, 'GOVSTACK_INVALID_PARAMETER');
  expectError(await get('/applications?sortBy=colour'), 400, 'GOVSTACK_INVALID_PARAMETER');
  expectError(await get('/applications?sortBy=created&sortOrder=up'), 400, 'GOVSTACK_INVALID_PARAMETER');

  const one = await get('/applications/81c4445c-bff6-11ed-afa1-0242ac120002');
  assert.equal(one.statusCode, 200);
  valid(v.file, one.json(), 'file');
  assert.equal(one.json().fileId, '81c4445c-bff6-11ed-afa1-0242ac120002');
  assert.equal(one.json().ended, false);
  expectError(await get('/applications/n0t-ex1st1ng-serv1ce'), 404, 'GOVSTACK_FILE_NOT_FOUND');

  const url = `${P}/applications/b8508d35-c2f3-442b-88a1-267ca25e85c0`;
  const body = {
    applicationName: 'Amya Yuko',
    applicantId: '622fcd1a-8070-4efc-9d26-29461f83a15b',
    created: '2000-10-23T00:00:00.000Z',
    formData: { data: { additionalProp1: {} }, eFormId: '42962de0-bdb2-11ed-9397-0242ac120004' },
    documentUrls: ['string'],
  };
  const put = await t.app.inject({ method: 'PUT', url, headers: IMC, payload: body });
  assert.equal(put.statusCode, 200, put.body);
  valid(v.file, put.json(), 'put json');
  assert.equal(put.json().fileId, 'b8508d35-c2f3-442b-88a1-267ca25e85c0');
  assert.deepEqual(put.json().operatorData.formData.data, { additionalProp1: {} });
  const form = await t.app.inject({
    method: 'PUT',
    url,
    headers: { ...IMC, 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'applicantId=x&formData.data=%7B%22checked%22%3A%7B%22ok%22%3Atrue%7D%7D',
  });
  assert.equal(form.statusCode, 200, form.body);
  assert.deepEqual(form.json().operatorData.formData.data, { checked: { ok: true } });
  const mp = multipart([
    ['applicantId', 'x'],
    ['formData[data]', '{"stamp":{"by":"clerk"}}'],
  ]);
  const multi = await t.app.inject({ method: 'PUT', url, headers: { ...IMC, ...mp.headers }, payload: mp.payload });
  assert.equal(multi.statusCode, 200, multi.body);
  assert.deepEqual(multi.json().operatorData.formData.data, { stamp: { by: 'clerk' } });
  expectError(
    await t.app.inject({ method: 'PUT', url: `${P}/applications/n0t-ex1st1ng-file`, headers: IMC, payload: body }),
    404,
    'GOVSTACK_FILE_NOT_FOUND',
  );
  expectError(await t.app.inject({ method: 'PUT', url, headers: IMC, payload: { formData: {} } }), 400, 'GOVSTACK_INVALID_BODY');
  expectError(
    await t.app.inject({ method: 'PUT', url, headers: IMC, payload: { applicantId: 'x', documentUrls: 'one' } }),
    400,
    'GOVSTACK_INVALID_BODY',
  );
  expectError(await t.app.inject({ method: 'PUT', url, payload: body }), 400, 'GOVSTACK_CLIENT_HEADER');
});

test('tasks: list with filters, one by id, complete once (JSON, urlencoded, multipart); 404, 409 and 400', async () => {
  const all = await get('/tasks');
  assert.equal(all.statusCode, 200);
  valid(v.tasks, all.json(), 'tasks');
  const conf = all.json().find((x: { taskId: string }) => x.taskId === '42962de0-bdb2-11ed-9397-0242ac120033');
  assert.equal(conf.mainTaskId, '42962de0-bdb2-11ed-9397-0242ac120004');
  assert.deepEqual(
    (await get('/tasks?assigneeId=42962de0-bdb2-11ed-9397-0242ac120022')).json().map((x: { taskId: string }) => x.taskId),
    ['42962de0-bdb2-11ed-9397-0242ac120033'],
  );
  assert.deepEqual(
    (
      await get(
        '/tasks?fileId=99be529c-fe1a-11ed-be56-0242ac120555&mainTaskId=42962de0-bdb2-11ed-9397-0242ac120004&assigneeId=42962de0-bdb2-11ed-9397-0242ac120022&firstResult=0&maxResult=20&sortBy=created&sortOrder=asc',
      )
    ).json().length,
    1,
  );
  for (const q of ['fileId=n0t-ex1st1ng-file', 'mainTaskId=n0t-ex1st1ng-main-task', 'assigneeId=n0t-ex1st1ng-assignee'])
    assert.deepEqual((await get(`/tasks?${q}`)).json(), [], q);
  expectError(await get('/tasks?firstResult=-1'), 400, 'GOVSTACK_INVALID_PARAMETER');

  const one = await get('/tasks/81c4445c-bff6-11ed-afa1-0242ac120002', {});
  assert.equal(one.statusCode, 200);
  valid(v.task, one.json(), 'task');
  assert.equal(one.json().taskId, '81c4445c-bff6-11ed-afa1-0242ac120002');
  expectError(await get('/tasks/n0t-ex1st1ng-task', {}), 404, 'GOVSTACK_TASK_NOT_FOUND');

  const url = `${P}/tasks/d1e33d56-c5c7-4272-aeb6-bc2732cce1f2/complete`;
  expectError(await t.app.inject({ method: 'POST', url, payload: { data: 'not an object' } }), 400, 'GOVSTACK_INVALID_BODY');
  const done = await t.app.inject({ method: 'POST', url, payload: { data: { additionalProp1: {}, checked: { ok: true } } } });
  assert.equal(done.statusCode, 200, done.body);
  valid(v.completed, done.json(), 'completed');
  assert.equal(done.json().taskId, 'd1e33d56-c5c7-4272-aeb6-bc2732cce1f2');
  // a retry with the same outcome is idempotent (200, the same answer); another outcome is 409
  const again = await t.app.inject({ method: 'POST', url, payload: { data: { checked: { ok: true }, additionalProp1: {} } } });
  assert.equal(again.statusCode, 200, again.body);
  assert.deepEqual(again.json(), done.json());
  expectError(await t.app.inject({ method: 'POST', url, payload: { data: {} } }), 409, 'GOVSTACK_TASK_COMPLETED');
  expectError(
    await t.app.inject({ method: 'POST', url: `${P}/tasks/n0t-ex1st1ng-task/complete`, payload: { data: {} } }),
    404,
    'GOVSTACK_TASK_NOT_FOUND',
  );
  // the review tasks of two submitted applications, completed with a form and with multipart
  const open = (await get('/tasks?sortBy=created&sortOrder=desc'))
    .json()
    .filter((x: { taskId: string }) => /^[0-9a-f-]{36}$/.test(x.taskId) && x.taskId !== 'd1e33d56-c5c7-4272-aeb6-bc2732cce1f2');
  const form = await t.app.inject({
    method: 'POST',
    url: `${P}/tasks/${open[0].taskId}/complete`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'data.checked.ok=yes',
  });
  assert.equal(form.statusCode, 200, form.body);
  assert.deepEqual((await get(`/tasks/${open[0].taskId}`, {})).json().data, { checked: { ok: 'yes' } });
  const mp = multipart([['data', '{"checked":{"by":"clerk"}}']]);
  const multi = await t.app.inject({
    method: 'POST',
    url: `${P}/tasks/${open[1].taskId}/complete`,
    headers: mp.headers,
    payload: mp.payload,
  });
  assert.equal(multi.statusCode, 200, multi.body);
});

test('statistics on both paths: decisions and send-backs per registration, operator, role and period; 400 and 404', async () => {
  // an operator decides one MCTS application in the back office
  const { staff } = await t.ctx.staff.invite(
    `gs-${crypto.randomBytes(3).toString('hex')}@example.ir`,
    'operator',
    'govstack-conformance',
    'test',
  );
  const row = await t.ctx.database.db.selectFrom('staff').selectAll().where('id', '=', staff.id).executeTakeFirstOrThrow();
  const sub = await t.app.inject({
    method: 'POST',
    url: `${P}/services/MCTS/applications`,
    headers: IMC,
    payload: { applicantId: 'stats-mother' },
  });
  await t.ctx.applications.backoffice.decide(row, sub.json().fileId, 'approved', 'complete');
  assert.equal((await get(`/applications/${sub.json().fileId}`)).json().status.code, 'APPROVED');
  assert.equal((await get(`/applications/${sub.json().fileId}`)).json().ended, true);

  const today = new Date().toISOString().slice(0, 10);
  for (const p of ['/data/statistics', '/data/statistics/1.0']) {
    const r = await get(p);
    assert.equal(r.statusCode, 200, p);
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    valid(v.stats, r.json(), p);
    for (const item of r.json()) {
      noExtra(item, ['processed', 'approved', 'sentBack', 'rejected', 'references']);
      noExtra(item.references, [
        'startDate',
        'endDate',
        'registrationName',
        'operator',
        'role',
        'timeframeDay',
        'timeframeWeek',
        'timeframeMonth',
        'timeframeYear',
      ]);
    }
    const mcts = (await get(`${p}?registrationName=MCTS&startDate=${today}&endDate=${today}`)).json();
    assert.deepEqual([mcts.length, mcts[0].approved, mcts[0].processed, mcts[0].rejected, mcts[0].sentBack], [1, 1, 1, 0, 0]);
    assert.equal((await get(`${p}?registrationName=MCTS&operator=nobody&startDate=${today}&endDate=${today}`)).json()[0].processed, 0);
    assert.equal((await get(`${p}?registrationName=MCTS&role=operator&startDate=${today}&endDate=${today}`)).json()[0].approved, 1);
    expectError(await get(`${p}?registrationName=n0tex1st`), 404, 'GOVSTACK_REGISTRATION_NOT_FOUND');
    expectError(await get(p, {}), 400, 'GOVSTACK_CLIENT_HEADER');
    for (const h of ['', "''", 'invalid_header', 'eGovStack/GOV/90000009/'])
      expectError(await get(p, { 'information-mediator-client': h }), 400, 'GOVSTACK_CLIENT_HEADER');
    expectError(await get(`${p}?startDate=2021-02-30`), 400, 'GOVSTACK_INVALID_PARAMETER');
    expectError(await get(`${p}?timeframe=hour`), 400, 'GOVSTACK_INVALID_PARAMETER');
    expectError(await get(`${p}?startDate=2022-01-01&endDate=2021-01-01`), 400, 'GOVSTACK_INVALID_PARAMETER');
  }
  // without dates: the last 30 days, 12 or 13 weeks, 12 months, 5 years; each period ends today at the latest
  assert.equal((await get('/data/statistics?timeframe=day')).json().length, 30);
  assert.equal((await get('/data/statistics?timeframe=month')).json().length, 12);
  assert.equal((await get('/data/statistics?timeframe=year')).json().length, 5);
  assert.ok([12, 13].includes((await get('/data/statistics?timeframe=week')).json().length));
  assert.equal((await get('/data/statistics?timeframe=day')).json().at(-1).references.endDate, today);
  expectError(await get('/data/statistics?timeframe=day&startDate=2000-01-01'), 400, 'GOVSTACK_INVALID_PARAMETER');
  // the conformance examples: one period per day/week/month/year in the range
  const periods = async (q: string) =>
    (await get(`/data/statistics/1.0?registrationName=MCTS&operator=Ingmar%20Vali&role=Handler&${q}`)).json();
  assert.equal((await periods('startDate=2021-01-30&endDate=2021-01-30&timeframe=day')).length, 1);
  const weeks = await periods('startDate=2021-01-30&endDate=2021-02-06&timeframe=week');
  assert.deepEqual(
    weeks.map((w: { references: { startDate: string; endDate: string } }) => [w.references.startDate, w.references.endDate]),
    [
      ['2021-01-30', '2021-01-31'],
      ['2021-02-01', '2021-02-06'],
    ],
  );
  assert.equal((await periods('startDate=2020-12-30&endDate=2021-01-30&timeframe=month')).length, 2);
  const years = await periods('startDate=2021-01-30&endDate=2022-01-30&timeframe=year');
  assert.equal(years.length, 2);
  assert.equal(years[0].references.timeframeYear, true);
  valid(v.stats, years, 'years');
});
