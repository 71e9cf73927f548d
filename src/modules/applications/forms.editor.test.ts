// The form editor through app.inject: who may use it, preview with problems by line and JSON path
// (the checker `forms import` uses), the live-preview fragment, publishing a new version (audited), and
// applications started on the old version keeping it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { citizenSession, client, staffSession } from '../../../test/helpers/people.ts';

let t: TestApp;
before(async () => (t = await testApp({ NOTIFICATIONS_WORKER: false })));
after(() => t.close());

const SLUG = 'certificate-of-single-status'; // ir-nocr
const EDITOR = `/en/staff/agencies/ir-nocr/services/${SLUG}/form`;
const current = async () => (await t.ctx.applications.currentFormBySlug(SLUG))!;

test('only service editors and admins of the agency (and platform admins) open the editor', async () => {
  for (const [role, agency, status] of [
    ['service-editor', 'ir-nocr', 200],
    ['agency-admin', 'ir-nocr', 200],
    ['platform-admin', null, 200],
    ['operator', 'ir-nocr', 403],
    ['service-editor', 'ir-tax', 403],
    ['oversight-analyst', null, 403],
  ] as const) {
    const b = client(t.app, (await staffSession(t.ctx, role, agency)).cookie);
    assert.equal((await b.get(EDITOR)).statusCode, status, `${role} of ${agency}`);
  }
  const citizen = client(t.app, (await citizenSession(t.ctx)).cookie);
  assert.equal((await citizen.get(EDITOR)).statusCode, 303, 'a citizen is sent to staff sign-in');
  const editor = client(t.app, (await staffSession(t.ctx, 'service-editor', 'ir-nocr')).cookie);
  const taxService = (await t.ctx.catalog.agencyCards('ir-tax'))[0];
  assert.equal(
    (await editor.get(`/en/staff/agencies/ir-nocr/services/${taxService.slug}/form`)).statusCode,
    404,
    "another agency's service under this agency",
  );
  const page = await editor.get(EDITOR);
  assert.match(page.body, /<textarea[^>]*id="definition"/);
  assert.match(page.body, /&quot;service&quot;: &quot;certificate-of-single-status&quot;/);
  assert.match(page.body, new RegExp(`Publish as version ${(await current()).version + 1}`));
  assert.match(page.body, /<script src="\/assets\/[0-9a-f]{12}\/form-editor\.js" defer>/);
  assert.match(page.body, /id="preview-nationalId"/, "the preview shows the pages with the journey's fields");
  const list = await editor.get('/en/staff/agencies/ir-nocr/services');
  assert.match(list.body, new RegExp(`href="/en/staff/agencies/ir-nocr/services/${SLUG}/form"`));
});

test('preview: problems by line and JSON path, the text kept; the live fragment is the preview alone', async () => {
  const b = client(t.app, (await staffSession(t.ctx, 'service-editor', 'ir-nocr')).cookie);
  await b.get(EDITOR);
  const broken =
    '{\n  "service": "certificate-of-single-status",\n  "pages": [\n    {"id": "a", "title": {"fa": "الف", "en": "A"}, "fields": [\n      {"name": "x", "type": "colour", "label": {"fa": "ایکس", "en": "X"}}\n    ]}\n  ]\n}';
  const r = await b.post(`${EDITOR}/preview`, { definition: broken });
  assert.equal(r.statusCode, 400);
  assert.match(r.body, /<title>Error: /);
  assert.match(r.body, /href="#definition">Line 5, \/pages\/0\/fields\/0\/type: must be one of text/);
  assert.match(r.body, /&quot;colour&quot;/, 'what was typed is kept');
  const syntax = await b.post(`${EDITOR}/preview`, { definition: '{"service": "certificate-of-single-status",\n"pages": [' });
  assert.equal(syntax.statusCode, 400);
  assert.match(syntax.body, /Line 2: JSON syntax/);
  const wrongService = await b.post(`${EDITOR}/preview`, {
    definition: JSON.stringify({ ...(await current()).def, service: 'claim-sick-pay' }),
  });
  assert.match(wrongService.body, /\/service: must be &quot;certificate-of-single-status&quot;/);
  const fa = await b.post(`/fa/staff/agencies/ir-nocr/services/${SLUG}/form/preview`, { definition: broken });
  assert.match(fa.body, /سطر ۵، \/pages\/0\/fields\/0\/type/);

  const good = JSON.stringify({ ...(await current()).def, title: { fa: 'گواهی تجرد', en: 'Single status, previewed' } });
  const ok = await b.post(`${EDITOR}/preview`, { definition: good });
  assert.equal(ok.statusCode, 200);
  assert.match(ok.body, /id="preview-fullName"/);
  const raw = await staffCookie();
  const fragment = await t.app.inject({
    method: 'POST',
    url: `${EDITOR}/preview`,
    headers: { cookie: raw.cookie, 'content-type': 'application/x-www-form-urlencoded', 'x-preview': 'fragment' },
    payload: new URLSearchParams({ _csrf: raw.token, definition: broken }).toString(),
  });
  assert.equal(fragment.statusCode, 200);
  assert.doesNotMatch(fragment.body, /<html/);
  assert.match(fragment.body, /No preview: 1 problem/);
  // without the CSRF token nothing is previewed or published
  assert.equal((await b.post(`${EDITOR}/preview`, { definition: good }, { noCsrf: true })).statusCode, 403);
  assert.equal((await b.post(EDITOR, { definition: good }, { noCsrf: true })).statusCode, 403);
});

/** A staff cookie and a CSRF token that goes with it (for raw requests like the live preview's). */
async function staffCookie() {
  const s = await staffSession(t.ctx, 'service-editor', 'ir-nocr');
  const b = client(t.app, s.cookie);
  const page = await b.get(EDITOR);
  const csrf = page.cookies.find((c) => c.name === 'csrf');
  return { cookie: `${s.cookie}; csrf=${csrf?.value}`, token: b.token };
}

test('publish: a new version, audited; applications started on the old version keep it', async () => {
  const b = client(t.app, (await staffSession(t.ctx, 'service-editor', 'ir-nocr')).cookie);
  const before = await current();
  // a citizen starts on the current version
  const who = await citizenSession(t.ctx);
  const citizen = client(t.app, who.cookie);
  await citizen.get(`/en/services/${SLUG}/apply`);
  const started = (await citizen.post(`/en/services/${SLUG}/apply`, {})).headers.location as string;

  await b.get(EDITOR);
  const same = await b.post(EDITOR, { definition: JSON.stringify(before.def, null, 2) });
  assert.equal(same.statusCode, 400);
  assert.match(same.body, new RegExp(`the same as version ${before.version}`));
  const changed = structuredClone(before.def);
  changed.pages.find((p) => p.id === 'name')!.fields[0].label = { fa: 'نام کامل شما', en: 'Your full name, as registered' };
  const r = await b.post(EDITOR, { definition: JSON.stringify(changed, null, 2) });
  assert.equal(r.statusCode, 303);
  assert.equal(r.headers.location, `${EDITOR}?published=${before.version + 1}`);
  const after = await current();
  assert.equal(after.version, before.version + 1);
  assert.match((await b.get(r.headers.location as string)).body, new RegExp(`Version ${after.version} of the form is published`));
  const audit = await t.ctx.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'applications.form-published').execute();
  assert.equal(audit.length, 1);
  assert.equal((audit[0].detail as { version: number }).version, after.version);

  // the draft made before keeps its version; a new one uses the new version
  const old = await citizen.get(`${started}/questions/name`);
  assert.match(old.body, />Full name</);
  assert.doesNotMatch(old.body, /as registered/);
  const other = client(t.app, (await citizenSession(t.ctx)).cookie);
  await other.get(`/en/services/${SLUG}/apply`);
  const fresh = (await other.post(`/en/services/${SLUG}/apply`, {})).headers.location as string;
  assert.match((await other.get(`${fresh}/questions/name`)).body, /Your full name, as registered/);
  const rows = await t.ctx.database.db
    .selectFrom('applications')
    .select(['form_version'])
    .where('id', 'in', [started.split('/').pop()!, fresh.split('/').pop()!])
    .orderBy('created_at')
    .execute();
  assert.deepEqual(
    rows.map((x) => x.form_version),
    [before.version, after.version],
  );
});

test('hostile input: oversized, not text, script in labels: a clear 4xx or escaped text, never a 500', async () => {
  const b = client(t.app, (await staffSession(t.ctx, 'service-editor', 'ir-nocr')).cookie);
  await b.get(EDITOR);
  const big = await b.post(`${EDITOR}/preview`, { definition: ' '.repeat(200_001) + '{}' });
  assert.equal(big.statusCode, 400);
  assert.match(big.body, /at most 200000 characters/);
  assert.equal((await b.post(`${EDITOR}/preview`, { definition: ['a', 'b'] })).statusCode, 400);
  const def = structuredClone((await current()).def);
  def.pages[0].title = { fa: '<script>alert(1)</script>', en: '<img src=x onerror=alert(1)>' };
  const r = await b.post(`${EDITOR}/preview`, { definition: JSON.stringify(def) });
  assert.equal(r.statusCode, 200);
  assert.doesNotMatch(r.body, /<script>alert|<img src=x/);
});
