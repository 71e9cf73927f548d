// The GovStack Registration BB API: services and eForms, submitting application files in the three
// body encodings, documents, and a demo service's real form; responses checked against the spec's own
// response schemas. Files, tasks and statistics: govstack.files.test.ts; access, the CLI and hostile
// input: govstack.access.test.ts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
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
  const queue = await t.ctx.applications.backoffice.queue({
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
