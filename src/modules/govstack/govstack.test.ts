// The GovStack Registration BB API: every operation, responses checked against the spec's own response
// schemas, bad input per operation, the three body encodings, both statistics paths, the access policy,
// and `panjereh seed govstack-conformance` run through the real CLI twice.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { adminQuery, withDatabase } from '../../../test/helpers/db.ts';
import { registrationSpec, statisticsSpec } from './govstack.routes.ts';
import { seedGovstackConformance } from './govstack.seed.ts';

const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
ajv.addSchema({ ...registrationSpec, $id: 'reg' });
ajv.addSchema({ ...statisticsSpec, $id: 'stat' });
const schema = (ref: string, array = false) =>
  ajv.compile(array ? { type: 'array', items: { $ref: ref } } : { allOf: [{ $ref: ref }], type: 'object' });
const v = {
  services: schema('reg#/components/schemas/service', true),
  service: schema('reg#/components/schemas/service'),
  eFormList: schema('reg#/components/schemas/EFormListItem', true),
  eForm: schema('reg#/components/schemas/EForm'),
  file: schema('reg#/components/schemas/applicationFileResponse'),
  files: schema('reg#/components/schemas/applicantApplicationFileListResponse', true),
  upload: schema('reg#/components/schemas/uploadResponse'),
  error: schema('reg#/components/schemas/systemError'),
  tasks: schema('reg#/components/schemas/userTaskResponse', true),
  task: schema('reg#/components/schemas/dataUserTaskResponse'),
  completed: schema('reg#/components/schemas/completedTaskResponse'),
  stats: schema('stat#/components/schemas/inline_response_200', true),
};
// the conformance suite's stricter checks: no extra keys in eForm list items and statistics
const noExtra = (o: Record<string, unknown>, keys: string[]) =>
  assert.deepEqual(
    Object.keys(o).filter((k) => !keys.includes(k)),
    [],
  );
function valid(check: ReturnType<typeof schema>, body: unknown, label: string) {
  assert.ok(check(body), `${label}: ${JSON.stringify(check.errors)} in ${JSON.stringify(body).slice(0, 400)}`);
}

const IMC = { 'information-mediator-client': 'eGovStack/GOV/90000009/eregistrations-dev' };
const P = '/govstack/registration';
let t: TestApp;
before(async () => {
  t = await testApp({ GOVSTACK_ACCESS: 'open' });
  await seedGovstackConformance(t.ctx.database.db, t.ctx.catalog, t.ctx.applications, t.ctx.audit);
});
after(() => t.close());

const get = (url: string, headers: Record<string, string> = IMC) => t.app.inject({ url: P + url, headers });
function multipart(fields: [string, string][], files: [string, string, Buffer][] = []) {
  const boundary = `----gs${crypto.randomBytes(6).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, val] of fields) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${val}\r\n`));
  for (const [k, name, data] of files)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${k}"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      data,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
function expectError(res: { statusCode: number; json(): unknown; headers: Record<string, unknown> }, status: number, code: string) {
  assert.equal(res.statusCode, status, JSON.stringify(res.json()));
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const body = res.json() as { code: string; traceId: string };
  valid(v.error, body, code);
  assert.equal(body.code, code);
  assert.ok(body.traceId);
}

test('services and eForms: list, by name, one, its eForms, an eForm with its JSON schema; 404 and 400', async () => {
  const all = await get('/services');
  assert.equal(all.statusCode, 200);
  valid(v.services, all.json(), 'services');
  const names = (all.json() as { name: string }[]).map((s) => s.name);
  for (const n of ['Good Health and Well-Being', 'Zero Hunger', 'MCTS', 'Mother and Child Registration']) assert.ok(names.includes(n), n);
  const one = (await get('/services?name=zero%20hunger')).json() as { id: string; name: string }[];
  assert.deepEqual(one.map((s) => s.id).sort(), ['DEc9280007e579ad7017e58a3399k5528']);
  assert.deepEqual((await get('/services?name=no-such-thing')).json(), []);

  const s = await get('/services/P2c9280957e579ad7017e58a3399f0068');
  assert.equal(s.statusCode, 200);
  valid(v.service, s.json(), 'service');
  assert.equal(s.json().name, 'Good Health and Well-Being');
  assert.equal(s.json().version, '1.1');
  assert.equal(s.json().isExecutable, true);
  expectError(await get('/services/n0t-ex1st1ng-serv1ce-1d'), 404, 'GOVSTACK_SERVICE_NOT_FOUND');
  expectError(await get('/services/bad%20id'), 400, 'GOVSTACK_INVALID_PARAMETER');
  expectError(
    await get('/services/P2c9280957e579ad7017e58a3399f0068', { 'information-mediator-client': 'invalid_header' }),
    400,
    'GOVSTACK_CLIENT_HEADER',
  );

  const forms = await get('/services/P2c9280957e579ad7017e58a3399f0068/eForms');
  assert.equal(forms.statusCode, 200);
  assert.match(String(forms.headers['content-type']), /application\/json/);
  valid(v.eFormList, forms.json(), 'eForms');
  for (const f of forms.json()) noExtra(f, ['eFormId', 'name', 'description', 'version', 'latest']);
  assert.equal(forms.json()[0].eFormId, 'w12a205a-679b-xx34-823d-7a32a391e744');
  expectError(await get('/services/n0t-ex1st1ng/eForms'), 404, 'GOVSTACK_SERVICE_NOT_FOUND');

  const f = await get('/eForms/d98a205a-679b-485b-823d-7a32a391e744', {});
  assert.equal(f.statusCode, 200);
  valid(v.eForm, f.json(), 'eForm');
  assert.equal(f.json().eFormId, 'd98a205a-679b-485b-823d-7a32a391e744');
  assert.equal(f.json().schema.type, 'object');
  assert.ok(f.json().schema.properties.notes);
  expectError(await get('/eForms/n0t-ex1st1ng-eForm', {}), 404, 'GOVSTACK_EFORM_NOT_FOUND');
  // a native form: <service uuid>-v<version>, from a demo service with a form
  const demo = await t.ctx.database.db
    .selectFrom('application_forms')
    .innerJoin('services', 'services.id', 'application_forms.service_id')
    .select(['services.id', 'application_forms.version'])
    .where('services.source', '!=', 'govstack')
    .executeTakeFirstOrThrow();
  const native = await get(`/eForms/${demo.id}-v${demo.version}`, {});
  assert.equal(native.statusCode, 200);
  valid(v.eForm, native.json(), 'native eForm');
  assert.ok(Object.keys(native.json().schema.properties).length > 0);
});

test('submit an application file in JSON, urlencoded and multipart: it is a real application in the agency queue', async () => {
  const url = `${P}/services/f7d33db0-2809-484e-a780-76b7ccd4ecbf/applications`;
  const json = await t.app.inject({
    method: 'POST',
    url,
    headers: IMC,
    payload: {
      applicationName: 'Amya Yuko',
      applicantId: 'sgh123h5-bdb2-11ed-9397-fdae352dfa10',
      created: '2022-10-21T00:00:00.000Z',
      formData: { data: { notes: 'First child' } },
    },
  });
  assert.equal(json.statusCode, 200, json.body);
  valid(v.file, json.json(), 'submit json');
  assert.equal(json.json().serviceId, 'f7d33db0-2809-484e-a780-76b7ccd4ecbf');
  assert.equal(json.json().applicationData.applicantId, 'sgh123h5-bdb2-11ed-9397-fdae352dfa10');
  assert.equal(json.json().status.code, 'PENDING');
  assert.deepEqual(json.json().applicationData.formData.data.notes, { value: 'First child' });

  const form = await t.app.inject({
    method: 'POST',
    url,
    headers: { ...IMC, 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'applicantId=fdae352d-9397-bdb2-11ed-11ed9397bdb2&applicationName=Application+name&formData%5Bdata%5D%5Bnotes%5D=By+form',
  });
  assert.equal(form.statusCode, 200, form.body);
  valid(v.file, form.json(), 'submit urlencoded');
  assert.deepEqual(form.json().applicationData.formData.data.notes, { value: 'By form' });
  const mp = multipart([
    ['applicantId', '11ed9397-11ed-9397-bdb2-sgh123h511ed'],
    ['formData.data.applicantName', 'Sara'],
  ]);
  const multi = await t.app.inject({ method: 'POST', url, headers: { ...IMC, ...mp.headers }, payload: mp.payload });
  assert.equal(multi.statusCode, 200, multi.body);
  valid(v.file, multi.json(), 'submit multipart');

  // the same model: in the agency's queue with a reference, with a review task, and found again by applicant
  const queue = await t.ctx.applications.queue({
    agencyId: 'govstack-conformance',
    status: 'open',
    sort: 'submitted',
    page: 1,
    pageSize: 100,
  });
  const app = queue.items.find((a) => a.id === json.json().fileId);
  assert.ok(app?.reference, 'in the back-office queue');
  const events = await t.ctx.applications.timeline(app);
  assert.deepEqual(
    events.map((e) => e.type),
    ['submitted'],
  );
  const tasks = await get(`/tasks?fileId=${app.id}`);
  assert.equal(tasks.json().length, 1);
  const mine = await get('/applications?applicantId=sgh123h5-bdb2-11ed-9397-fdae352dfa10');
  assert.deepEqual(
    mine.json().map((f: { fileId: string }) => f.fileId),
    [app.id],
  );
  // an applicant Panjereh does not know: the e-box has the message, but nothing is sent to a made-up number
  const db = t.ctx.database.db;
  assert.equal((await db.selectFrom('ebox_messages').select('id').where('application_id', '=', app.id).execute()).length, 1);
  const queued = await db.selectFrom('notification_outbox').select('id').where('recipient', '=', '09000000000').execute();
  assert.equal(queued.length, 0);
  // a citizen named by national ID: the application is in their own tracking and they are told by SMS
  const citizen = await db
    .insertInto('citizens')
    .values({ national_id: '0010000046', mobile: '09125551099' })
    .onConflict((oc) => oc.column('national_id').doUpdateSet({ mobile: '09125551099' }))
    .returning('id')
    .executeTakeFirstOrThrow();
  const known = await t.app.inject({ method: 'POST', url, headers: IMC, payload: { applicantId: '0010000046' } });
  assert.equal(known.statusCode, 200, known.body);
  assert.ok((await t.ctx.applications.mine(citizen.id)).some((a) => a.id === known.json().fileId));
  assert.equal((await db.selectFrom('notification_outbox').select('id').where('recipient', '=', '09125551099').execute()).length, 1);
  assert.deepEqual(
    (await get(`/applications?applicantId=${citizen.id}`)).json().map((f: { fileId: string }) => f.fileId),
    [known.json().fileId],
  );

  // bad input
  expectError(await t.app.inject({ method: 'POST', url, payload: { applicantId: 'x1' } }), 400, 'GOVSTACK_CLIENT_HEADER');
  for (const h of ['', "''", 'invalid_header', 'eGovStack/GOV/90000009/'])
    expectError(
      await t.app.inject({ method: 'POST', url, headers: { 'information-mediator-client': h }, payload: { applicantId: 'x1' } }),
      400,
      'GOVSTACK_CLIENT_HEADER',
    );
  expectError(
    await t.app.inject({ method: 'POST', url, headers: IMC, payload: { applicationName: 'no applicant' } }),
    400,
    'GOVSTACK_INVALID_BODY',
  );
  expectError(await t.app.inject({ method: 'POST', url, headers: IMC, payload: { applicantId: 5 } }), 400, 'GOVSTACK_INVALID_BODY');
  expectError(
    await t.app.inject({ method: 'POST', url, headers: { ...IMC, 'content-type': 'application/json' }, payload: '{"applicantId":' }),
    400,
    'GOVSTACK_INVALID_BODY',
  );
  expectError(
    await t.app.inject({ method: 'POST', url, headers: IMC, payload: { applicantId: 'a1', created: 'yesterday' } }),
    400,
    'GOVSTACK_INVALID_BODY',
  );
  expectError(
    await t.app.inject({ method: 'POST', url, headers: IMC, payload: { applicantId: 'a1', formData: { data: { colour: 'red' } } } }),
    400,
    'GOVSTACK_FORM_DATA_INVALID',
  );
  expectError(
    await t.app.inject({
      method: 'POST',
      url,
      headers: IMC,
      payload: { applicantId: 'a1', formData: { data: { notes: 'x'.repeat(3000) } } },
    }),
    400,
    'GOVSTACK_FORM_DATA_INVALID',
  );
  expectError(
    await t.app.inject({ method: 'POST', url, headers: IMC, payload: { applicantId: 'a1', documentUrls: ['https://example.com/x.pdf'] } }),
    400,
    'GOVSTACK_DOCUMENT_UNKNOWN',
  );
  expectError(
    await t.app.inject({
      method: 'POST',
      url: `${P}/services/n0t-ex1st1ng-serv1ce-1d/applications`,
      headers: IMC,
      payload: { applicantId: 'a1' },
    }),
    404,
    'GOVSTACK_SERVICE_NOT_FOUND',
  );
  // hostile input: clear 4xx, never a 5xx
  expectError(
    await t.app.inject({ method: 'POST', url, headers: IMC, payload: { applicantId: 'x'.repeat(201) } }),
    400,
    'GOVSTACK_INVALID_BODY',
  );
  expectError(await t.app.inject({ method: 'POST', url, headers: IMC, payload: { applicantId: 'a b' } }), 400, 'GOVSTACK_INVALID_BODY');
  expectError(
    await t.app.inject({ method: 'POST', url, headers: { ...IMC, 'content-type': 'text/plain' }, payload: 'applicantId=a1' }),
    415,
    'UNSUPPORTED_MEDIA_TYPE',
  );
  expectError(
    await t.app.inject({
      method: 'POST',
      url,
      headers: { ...IMC, 'content-type': 'application/x-www-form-urlencoded' },
      payload: '__proto__[polluted]=1&applicantId=a1',
    }),
    400,
    'GOVSTACK_INVALID_BODY',
  );
  expectError(
    await t.app.inject({
      method: 'POST',
      url,
      headers: IMC,
      payload: { applicantId: 'a1', formData: { data: { notes: { nested: { deep: 1 } } } } },
    }),
    400,
    'GOVSTACK_FORM_DATA_INVALID',
  );
  expectError(await t.app.inject({ method: 'POST', url, headers: IMC, payload: [{ applicantId: 'a1' }] }), 400, 'GOVSTACK_INVALID_BODY');
  const script = await t.app.inject({
    method: 'POST',
    url,
    headers: IMC,
    payload: { applicantId: 'a1', applicationName: '<script>alert(1)</script>' },
  });
  assert.equal(script.statusCode, 200);
  assert.equal(script.json().applicationData.applicationName, '<script>alert(1)</script>'); // JSON only, never HTML
  assert.match(String(script.headers['content-type']), /^application\/json/);
  const withFile = multipart([['applicantId', 'a1']], [['file', 'x.pdf', Buffer.from('%PDF-1.4')]]);
  expectError(
    await t.app.inject({ method: 'POST', url, headers: { ...IMC, ...withFile.headers }, payload: withFile.payload }),
    400,
    'GOVSTACK_INVALID_BODY',
  );
});

test('documents: multipart file, base64 in JSON and urlencoded; no payload is a 400; a submitted URL attaches the file', async () => {
  const mp = multipart([], [['file', 'scan.pdf', Buffer.from('%PDF-1.4\n1 0 obj\n')]]);
  const a = await t.app.inject({
    method: 'POST',
    url: `${P}/documents?additionalMetadata=additional%20metadata`,
    headers: mp.headers,
    payload: mp.payload,
  });
  assert.equal(a.statusCode, 200, a.body);
  valid(v.upload, a.json(), 'upload multipart');
  assert.match(a.json().url, /^\/govstack\/registration\/documents\/[0-9a-f-]{36}$/);
  const b64 = Buffer.from('{ fieldname: "image" }').toString('base64');
  const b = await t.app.inject({ method: 'POST', url: `${P}/documents`, payload: { file: [b64] } });
  assert.equal(b.statusCode, 200, b.body);
  valid(v.upload, b.json(), 'upload json');
  const c = await t.app.inject({
    method: 'POST',
    url: `${P}/documents`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `file=${encodeURIComponent(b64)}`,
  });
  assert.equal(c.statusCode, 200, c.body);
  expectError(await t.app.inject({ method: 'POST', url: `${P}/documents` }), 400, 'GOVSTACK_DOCUMENT_MISSING');
  expectError(
    await t.app.inject({ method: 'POST', url: `${P}/documents`, payload: { file: ['not base64 !'] } }),
    400,
    'GOVSTACK_DOCUMENT_MISSING',
  );
  const tricky = multipart([], [['file', '../../etc/passwd', Buffer.from('root:x:0:0')]]);
  const tr = await t.app.inject({ method: 'POST', url: `${P}/documents`, headers: tricky.headers, payload: tricky.payload });
  assert.equal(tr.statusCode, 200);
  const stored = await t.ctx.database.db
    .selectFrom('govstack_documents')
    .select(['original_name', 'content_type'])
    .where('id', '=', tr.json().url.split('/').at(-1))
    .executeTakeFirstOrThrow();
  assert.doesNotMatch(stored.original_name, /\.\.|\//);
  assert.equal(stored.content_type, 'application/octet-stream');
  const empty = multipart([], [['file', 'empty.pdf', Buffer.alloc(0)]]);
  expectError(
    await t.app.inject({ method: 'POST', url: `${P}/documents`, headers: empty.headers, payload: empty.payload }),
    400,
    'GOVSTACK_DOCUMENT_MISSING',
  );
  const wrong = multipart([], [['other', 'a.pdf', Buffer.from('%PDF')]]);
  expectError(
    await t.app.inject({ method: 'POST', url: `${P}/documents`, headers: wrong.headers, payload: wrong.payload }),
    400,
    'GOVSTACK_DOCUMENT_MISSING',
  );

  const download = await t.app.inject({ url: a.json().url });
  assert.equal(download.statusCode, 200);
  assert.equal(download.headers['content-type'], 'application/pdf');
  assert.match(String(download.headers['content-disposition']), /^attachment/);

  const sub = await t.app.inject({
    method: 'POST',
    url: `${P}/services/MCTS/applications`,
    headers: IMC,
    payload: { applicantId: 'mother-1', documentUrls: [a.json().url] },
  });
  assert.equal(sub.statusCode, 200, sub.body);
  const files = await t.ctx.applications.files((await t.ctx.applications.repo.byId(sub.json().fileId))!);
  assert.equal(files.length, 1);
  assert.equal(files[0].content_type, 'application/pdf');
  // a document attaches to one application only
  expectError(
    await t.app.inject({
      method: 'POST',
      url: `${P}/services/MCTS/applications`,
      headers: IMC,
      payload: { applicantId: 'mother-2', documentUrls: [a.json().url] },
    }),
    400,
    'GOVSTACK_DOCUMENT_UNKNOWN',
  );
});

test("a demo service's real form: required fields, checked values, a document for a file field, in the citizen's tracking", async () => {
  const db = t.ctx.database.db;
  const service = await db.selectFrom('services').select(['id', 'slug']).where('slug', '=', 'claim-sick-pay').executeTakeFirstOrThrow();
  const nid = (() => {
    for (let n = 123456780; ; n++) {
      const d = String(n).padStart(9, '0');
      const sum = [...d].reduce((a, c, i) => a + Number(c) * (10 - i), 0) % 11;
      const id = d + String(sum < 2 ? sum : 11 - sum);
      if (!/^(\d)\1{9}$/.test(id)) return id;
    }
  })();
  const citizen = await db
    .insertInto('citizens')
    .values({ national_id: nid, mobile: '09125551077' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const url = `${P}/services/${service.id}/applications`;
  const missing = await t.app.inject({ method: 'POST', url, headers: IMC, payload: { applicantId: nid } });
  expectError(missing, 400, 'GOVSTACK_FORM_DATA_INVALID');
  const names = missing.json().details.problems.map((p: { field: string }) => p.field);
  for (const f of ['sickFrom', 'days', 'medicalCertificate', 'employer']) assert.ok(names.includes(f), f);
  assert.ok(!names.includes('nationalId'), 'prefilled from the person');
  expectError(
    await t.app.inject({
      method: 'POST',
      url,
      headers: IMC,
      payload: { applicantId: nid, formData: { data: { sickFrom: '2026-13-40' } } },
    }),
    400,
    'GOVSTACK_FORM_DATA_INVALID',
  );
  expectError(
    await t.app.inject({ method: 'POST', url, headers: IMC, payload: { applicantId: nid, formData: { data: { days: 'three' } } } }),
    400,
    'GOVSTACK_FORM_DATA_INVALID',
  );

  const text = multipart([], [['file', 'note.txt', Buffer.from('plain text')]]);
  const textUrl = (await t.app.inject({ method: 'POST', url: `${P}/documents`, headers: text.headers, payload: text.payload })).json().url;
  const pdf = multipart([], [['file', 'certificate.pdf', Buffer.from('%PDF-1.4\n%sick note\n')]]);
  const pdfUrl = (await t.app.inject({ method: 'POST', url: `${P}/documents`, headers: pdf.headers, payload: pdf.payload })).json().url;
  const data = { sickFrom: '2026-01-10', days: 3, employer: { value: 'Acme Co' }, medicalCertificate: textUrl };
  expectError(
    await t.app.inject({ method: 'POST', url, headers: IMC, payload: { applicantId: nid, formData: { data }, documentUrls: [textUrl] } }),
    400,
    'GOVSTACK_FORM_DATA_INVALID',
  );
  expectError(
    await t.app.inject({
      method: 'POST',
      url,
      headers: IMC,
      payload: { applicantId: nid, formData: { data: { ...data, medicalCertificate: pdfUrl } } },
    }),
    400,
    'GOVSTACK_FORM_DATA_INVALID',
  ); // not in documentUrls
  const ok = await t.app.inject({
    method: 'POST',
    url,
    headers: IMC,
    payload: {
      applicantId: nid,
      formData: {
        data: { ...data, medicalCertificate: pdfUrl },
        eFormId: (await get(`/services/${service.id}/eForms`)).json().at(-1).eFormId,
      },
      documentUrls: [pdfUrl],
    },
  });
  assert.equal(ok.statusCode, 200, ok.body);
  valid(v.file, ok.json(), 'sick pay');
  const app = (await t.ctx.applications.repo.byId(ok.json().fileId))!;
  assert.equal(app.citizen_id, citizen.id);
  assert.equal(app.answers.nationalId, nid);
  assert.equal(app.answers.employer, 'Acme Co');
  const files = await t.ctx.applications.files(app);
  assert.deepEqual(
    files.map((f) => [f.field, f.content_type]),
    [['medicalCertificate', 'application/pdf']],
  );
  assert.equal((app.answers.medicalCertificate as { fileId: string }).fileId, files[0].id);
  assert.deepEqual(ok.json().applicationData.documentUrls, [pdfUrl]);
  assert.ok((await t.ctx.applications.mine(citizen.id)).some((a) => a.id === app.id));
});

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
  await t.ctx.applications.decide(row, sub.json().fileId, 'approved', 'complete');
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

test('access: with GOVSTACK_ACCESS=apikey the personal-data operations need a govstack key of the agency', async () => {
  const k = await testApp();
  try {
    await seedGovstackConformance(k.ctx.database.db, k.ctx.catalog, k.ctx.applications, k.ctx.audit);
    const own = await k.ctx.agencyApi.create('govstack-conformance', 'portal', ['govstack'], 'test');
    const noScope = await k.ctx.agencyApi.create('govstack-conformance', 'other', ['applications:read'], 'test');
    const other = await k.ctx.agencyApi.create('ir-nocr', 'nocr', ['govstack'], 'test');
    const url = `${P}/services/MCTS/applications`;
    const call = (key: string | null) =>
      k.app.inject({
        method: 'POST',
        url,
        headers: { ...IMC, ...(key ? { authorization: `Bearer ${key}` } : {}) },
        payload: { applicantId: 'key-mother' },
      });
    expectError(await call(null), 401, 'API_KEY_MISSING');
    expectError(await call('pjk_000000000000_' + 'x'.repeat(43)), 401, 'API_KEY_INVALID');
    expectError(await call(noScope.key), 403, 'API_KEY_SCOPE');
    expectError(await call(other.key), 404, 'GOVSTACK_SERVICE_NOT_FOUND');
    const ok = await call(own.key);
    assert.equal(ok.statusCode, 200, ok.body);
    const auth = (key: string) => ({ ...IMC, authorization: `Bearer ${key}` });
    assert.ok((await k.app.inject({ url: `${P}/applications`, headers: auth(own.key) })).json().length >= 6);
    assert.deepEqual((await k.app.inject({ url: `${P}/applications`, headers: auth(other.key) })).json(), []);
    expectError(
      await k.app.inject({ url: `${P}/applications/${ok.json().fileId}`, headers: auth(other.key) }),
      404,
      'GOVSTACK_FILE_NOT_FOUND',
    );
    for (const u of ['/tasks', '/tasks/81c4445c-bff6-11ed-afa1-0242ac120002'])
      expectError(await k.app.inject({ url: P + u }), 401, 'API_KEY_MISSING');
    expectError(await k.app.inject({ method: 'POST', url: `${P}/documents`, payload: { file: ['aGVsbG8='] } }), 401, 'API_KEY_MISSING');
    // the catalogue side and statistics stay open
    assert.equal((await k.app.inject({ url: `${P}/services` })).statusCode, 200);
    assert.equal((await k.app.inject({ url: `${P}/data/statistics`, headers: IMC })).statusCode, 200);
  } finally {
    await k.close();
  }
});

test('`panjereh seed govstack-conformance` through the CLI: loads the records, and a second run adds nothing', async () => {
  const root = path.resolve(import.meta.dirname, '..', '..', '..');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'panjereh-govstack-'));
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', NODE_ENV: 'test', DATA_DIR: path.join(work, 'data') };
  let drop = async () => {};
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `${new URL(url).pathname.slice(1)}_govstack_${crypto.randomBytes(3).toString('hex')}`;
    await adminQuery(url, `create database "${name}"`);
    env.DATABASE_URL = withDatabase(url, name);
    drop = () => adminQuery(url, `drop database if exists "${name}" with (force)`);
  }
  try {
    const run = () =>
      spawnSync(process.execPath, [path.join(root, 'bin', 'panjereh.js'), 'seed', 'govstack-conformance', '--json'], {
        env,
        encoding: 'utf8',
        cwd: work,
      });
    const first = run();
    assert.equal(first.status, 0, first.stderr + first.stdout);
    assert.deepEqual(JSON.parse(first.stdout.trim().split('\n').at(-1)!), {
      services: 12,
      applications: { created: 5, existing: 0 },
      tasks: 3,
    });
    const second = run();
    assert.equal(second.status, 0, second.stderr);
    assert.deepEqual(JSON.parse(second.stdout.trim().split('\n').at(-1)!), {
      services: 12,
      applications: { created: 0, existing: 5 },
      tasks: 3,
    });
  } finally {
    await drop();
    fs.rmSync(work, { recursive: true, force: true });
  }
});

test('hostile input: NUL and lone surrogates in PUT bodies, document metadata and paths are 400 with a code; a repeated parameter keeps its last value; a refused upload keeps no documents', async () => {
  const url = `${P}/applications/b8508d35-c2f3-442b-88a1-267ca25e85c0`;
  const before = await get('/applications/b8508d35-c2f3-442b-88a1-267ca25e85c0');
  for (const bad of ['Amya\u0000Yuko', 'Amya\uD800', '\uDFFFx']) {
    const payload = JSON.stringify({
      applicationName: bad,
      applicantId: '622fcd1a-8070-4efc-9d26-29461f83a15b',
      formData: { data: { note: bad }, eFormId: '42962de0-bdb2-11ed-9397-0242ac120004' },
    });
    expectError(
      await t.app.inject({ method: 'PUT', url, headers: { ...IMC, 'content-type': 'application/json' }, payload }),
      400,
      'INVALID_TEXT',
    );
  }
  expectError(
    await t.app.inject({
      method: 'PUT',
      url,
      headers: { ...IMC, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'applicantId=x&formData.data=%7B%22a%22%3A%22%00%22%7D',
    }),
    400,
    'INVALID_TEXT',
  );
  const mpBad = multipart([
    ['applicantId', 'x'],
    ['formData[data]', '{"stamp":"\u0000"}'],
  ]);
  expectError(
    await t.app.inject({ method: 'PUT', url, headers: { ...IMC, ...mpBad.headers }, payload: mpBad.payload }),
    400,
    'INVALID_TEXT',
  );
  assert.deepEqual((await get('/applications/b8508d35-c2f3-442b-88a1-267ca25e85c0')).json(), before.json(), 'nothing was stored');

  const docs = async () =>
    Number(
      (
        await t.ctx.database.db
          .selectFrom('govstack_documents')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const n = await docs();
  const pdf = Buffer.from('%PDF-1.4 x');
  for (const meta of ['%00', 'a%00b', '%ED%A0%80', '%C3%28']) {
    const mp = multipart([], [['file', 'a.pdf', pdf]]);
    const r = await t.app.inject({
      method: 'POST',
      url: `${P}/documents?additionalMetadata=${meta}`,
      headers: mp.headers,
      payload: mp.payload,
    });
    assert.ok(r.statusCode === 400, `${meta}: ${r.statusCode} ${r.body}`);
    assert.equal(r.json().code, 'INVALID_TEXT', meta);
  }
  // six documents, one more than allowed: 413, and the five stored while reading are gone again
  const six = multipart(
    [],
    Array.from({ length: 6 }, (_, i) => ['file', `d${i}.pdf`, pdf] as [string, string, Buffer]),
  );
  expectError(
    await t.app.inject({ method: 'POST', url: `${P}/documents`, headers: six.headers, payload: six.payload }),
    413,
    'PAYLOAD_TOO_LARGE',
  );
  const b64 = { file: Array.from({ length: 6 }, () => pdf.toString('base64')) };
  expectError(await t.app.inject({ method: 'POST', url: `${P}/documents`, payload: b64 }), 413, 'PAYLOAD_TOO_LARGE');
  const unclosed = multipart([], [['file', 'a.pdf', pdf]]);
  const cut = unclosed.payload.subarray(0, unclosed.payload.length - 12);
  assert.equal((await t.app.inject({ method: 'POST', url: `${P}/documents`, headers: unclosed.headers, payload: cut })).statusCode, 400);
  assert.equal(
    (
      await t.app.inject({
        method: 'POST',
        url: `${P}/documents`,
        headers: { 'content-type': 'multipart/form-data' },
        payload: unclosed.payload,
      })
    ).statusCode,
    400,
  );
  assert.equal(await docs(), n, 'no document of a refused request remains');

  // a repeated parameter: the last value wins, as common gateways do (never a 400)
  const twice = await get('/tasks?maxResult=abc&maxResult=1&sortOrder=up&sortOrder=asc');
  assert.equal(twice.statusCode, 200, twice.body);
  assert.equal(twice.json().length, 1);
  expectError(await get('/tasks/%00'), 400, 'INVALID_TEXT');
});
