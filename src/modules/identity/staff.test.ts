import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { authenticator } from 'otplib';
import { browserFor, nextCode, setUpStaff, signInStaff, STAFF_PASSWORD } from '../../../test/helpers/sessions.ts';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import type { StaffRole } from '../../db/schema.ts';

let t: TestApp;
before(async () => (t = await testApp()));
after(() => t.close());

const browser = () => browserFor(t);
const PASSWORD = STAFF_PASSWORD;
const setUp = (email: string, role: StaffRole, agency: string | null) => setUpStaff(t, email, role, agency);
const signIn = (email: string, secondFactor: string) => signInStaff(t, email, secondFactor);

test('setup from the invitation link: password rules, authenticator, recovery codes; the link then stops working', async () => {
  const { token } = await t.ctx.staff.invite('Setup.Person@Example.ir', 'platform-admin', null, 'test');
  const b = browser();
  await b.get(`/fa/staff/setup/${token}`);
  const short = await b.post(`/fa/staff/setup/${token}`, { password: 'short', confirm: 'short' });
  assert.equal(short.statusCode, 400);
  assert.match(short.body, /دست‌کم ۱۲ نویسه/);
  const mismatch = await b.post(`/fa/staff/setup/${token}`, { password: PASSWORD, confirm: PASSWORD + 'x' });
  assert.match(mismatch.body, /یکسان نیستند/);
  assert.equal((await b.post(`/fa/staff/setup/${token}`, { password: PASSWORD, confirm: PASSWORD })).statusCode, 303);
  const page = await b.get(`/fa/staff/setup/${token}/authenticator`);
  assert.match(page.body, /otpauth:\/\/totp\/Panjereh:setup\.person%40example\.ir/);
  const wrong = await b.post(`/fa/staff/setup/${token}/authenticator`, { code: '000000' });
  assert.equal(wrong.statusCode, 400);
  const row = await t.ctx.database.db
    .selectFrom('staff')
    .selectAll()
    .where('email', '=', 'setup.person@example.ir')
    .executeTakeFirstOrThrow();
  assert.ok(!row.totp_secret!.includes(t.ctx.staff.totpSecret(row)!), 'the TOTP seed is sealed at rest');
  assert.match(row.password_hash!, /^\$argon2id\$/);
  const ok = await b.post(`/fa/staff/setup/${token}/authenticator`, { code: authenticator.generate(t.ctx.staff.totpSecret(row)!) });
  assert.equal((ok.body.match(/<code>[A-Z0-9]{8}<\/code>/g) ?? []).length, 10);
  assert.equal((await b.get(`/fa/staff/setup/${token}`)).statusCode, 404);
});

test('staff sign in with password then the authenticator code; a recovery code works once; failures lock the account', async () => {
  const { secret, codes } = await setUp('editor.one@example.ir', 'service-editor', 'ir-nocr');
  const code = nextCode(secret);
  const { b, res } = await signIn('editor.one@example.ir', code);
  assert.equal(res.headers.location, '/en/staff');
  assert.equal((await signIn('editor.one@example.ir', code)).res.statusCode, 400, 'a TOTP code works once (no replay)');
  const home = await b.get('/en/staff');
  assert.match(home.body, /Service editor/);

  // password alone is not enough
  const half = browser();
  await half.get('/en/staff/sign-in');
  await half.post('/en/staff/sign-in', { email: 'editor.one@example.ir', password: PASSWORD });
  assert.equal((await half.get('/en/staff')).statusCode, 303);

  assert.equal((await signIn('editor.one@example.ir', codes[0])).res.statusCode, 303);
  assert.equal((await signIn('editor.one@example.ir', codes[0])).res.statusCode, 400, 'a recovery code works once');

  // one failure so far (the reused recovery code: the recovery sign-in before it reset the count); four more make five
  const b2 = browser();
  await b2.get('/en/staff/sign-in');
  for (let i = 0; i < 3; i++)
    assert.equal((await b2.post('/en/staff/sign-in', { email: 'editor.one@example.ir', password: 'wrong password!!' })).statusCode, 400);
  const fifth = await b2.post('/en/staff/sign-in', { email: 'editor.one@example.ir', password: 'wrong password!!' });
  assert.equal(fifth.statusCode, 429);
  const locked = await b2.post('/en/staff/sign-in', { email: 'editor.one@example.ir', password: PASSWORD });
  assert.equal(locked.statusCode, 429, 'even the right password waits out the lock');
  assert.match(locked.body, /locked for 15 minutes/);
  const unknown = await b2.post('/en/staff/sign-in', { email: 'nobody@example.ir', password: PASSWORD });
  assert.match(unknown.body, /The email or password is not right/);
});

test('authorization: every staff route for every role, signed out and another agency; allowed or refused, nothing between', async () => {
  const roles: [string, StaffRole | null, string | null][] = [
    ['admin', 'platform-admin', null],
    ['analyst', 'oversight-analyst', null],
    ['nocr-admin', 'agency-admin', 'ir-nocr'],
    ['nocr-editor', 'service-editor', 'ir-nocr'],
    ['nocr-operator', 'operator', 'ir-nocr'],
    ['tax-editor', 'service-editor', 'ir-tax'],
    ['signed-out', null, null],
  ];
  const card = (await t.ctx.catalog.agencyCards('ir-nocr'))[0];
  const draft = (await t.ctx.catalog.agencyCards('ir-nocr'))[1];
  assert.equal((await t.ctx.catalog.editCard(draft.slug, { status: 'draft' }, 'test')).ok, true);
  assert.equal((await t.app.inject({ url: `/en/services/${draft.slug}` })).statusCode, 404, 'drafts are not public');
  // expected status per route: 200 allowed page, 303 allowed form post (or sign-in redirect for signed out), 403 refused
  const routes: [string, string, Record<string, number>][] = [
    [
      'GET',
      '/en/staff',
      { admin: 200, analyst: 200, 'nocr-admin': 200, 'nocr-editor': 200, 'nocr-operator': 200, 'tax-editor': 200, 'signed-out': 303 },
    ],
    [
      'GET',
      '/en/staff/requests', // citizens' requests: the agency's officers and admins, and the oversight office
      { admin: 403, analyst: 200, 'nocr-admin': 200, 'nocr-editor': 403, 'nocr-operator': 200, 'tax-editor': 403, 'signed-out': 303 },
    ],
    [
      'GET',
      '/en/staff/agencies/ir-nocr/services',
      { admin: 200, analyst: 200, 'nocr-admin': 200, 'nocr-editor': 200, 'nocr-operator': 200, 'tax-editor': 403, 'signed-out': 303 },
    ],
    [
      'GET',
      '/en/staff/agencies/ir-nocr/services/new',
      { admin: 200, analyst: 403, 'nocr-admin': 200, 'nocr-editor': 200, 'nocr-operator': 403, 'tax-editor': 403, 'signed-out': 303 },
    ],
    [
      'POST',
      '/en/staff/agencies/ir-nocr/services/new',
      { admin: 303, analyst: 403, 'nocr-admin': 303, 'nocr-editor': 303, 'nocr-operator': 403, 'tax-editor': 403, 'signed-out': 303 },
    ],
    [
      'GET',
      `/en/staff/services/${draft.slug}/preview`,
      { admin: 200, analyst: 200, 'nocr-admin': 200, 'nocr-editor': 200, 'nocr-operator': 200, 'tax-editor': 403, 'signed-out': 303 },
    ],
    [
      'GET',
      `/en/staff/services/${card.slug}/edit`,
      { admin: 200, analyst: 403, 'nocr-admin': 200, 'nocr-editor': 200, 'nocr-operator': 403, 'tax-editor': 403, 'signed-out': 303 },
    ],
    [
      'POST',
      `/en/staff/services/${card.slug}/edit`,
      { admin: 303, analyst: 403, 'nocr-admin': 303, 'nocr-editor': 303, 'nocr-operator': 403, 'tax-editor': 403, 'signed-out': 303 },
    ],
    [
      'GET',
      '/en/staff/agencies/ir-nocr/people',
      { admin: 200, analyst: 403, 'nocr-admin': 200, 'nocr-editor': 403, 'nocr-operator': 403, 'tax-editor': 403, 'signed-out': 303 },
    ],
    [
      'POST',
      '/en/staff/agencies/ir-nocr/people',
      { admin: 303, analyst: 403, 'nocr-admin': 303, 'nocr-editor': 403, 'nocr-operator': 403, 'tax-editor': 403, 'signed-out': 303 },
    ],
    [
      'GET',
      '/en/staff/agencies/ir-nocr/people/PERSON',
      { admin: 200, analyst: 403, 'nocr-admin': 200, 'nocr-editor': 403, 'nocr-operator': 403, 'tax-editor': 403, 'signed-out': 303 },
    ],
    [
      'POST',
      '/en/staff/agencies/ir-nocr/people/PERSON',
      { admin: 303, analyst: 403, 'nocr-admin': 303, 'nocr-editor': 403, 'nocr-operator': 403, 'tax-editor': 403, 'signed-out': 303 },
    ],
    [
      'GET',
      '/en/staff/oversight',
      { admin: 200, analyst: 200, 'nocr-admin': 403, 'nocr-editor': 403, 'nocr-operator': 403, 'tax-editor': 403, 'signed-out': 303 },
    ],
    [
      'GET',
      '/en/staff/audit',
      { admin: 200, analyst: 403, 'nocr-admin': 403, 'nocr-editor': 403, 'nocr-operator': 403, 'tax-editor': 403, 'signed-out': 303 },
    ],
    [
      'GET',
      '/en/staff/sso/clients',
      { admin: 200, analyst: 403, 'nocr-admin': 403, 'nocr-editor': 403, 'nocr-operator': 403, 'tax-editor': 403, 'signed-out': 303 },
    ],
    [
      'POST',
      '/en/staff/sso/clients',
      { admin: 200, analyst: 403, 'nocr-admin': 403, 'nocr-editor': 403, 'nocr-operator': 403, 'tax-editor': 403, 'signed-out': 303 },
    ],
    [
      'GET',
      '/en/staff/audit.csv',
      { admin: 200, analyst: 403, 'nocr-admin': 403, 'nocr-editor': 403, 'nocr-operator': 403, 'tax-editor': 403, 'signed-out': 303 },
    ],
  ];
  const sessions = new Map<string, ReturnType<typeof browser>>();
  for (const [name, role, agency] of roles) {
    if (!role) {
      const b = browser();
      await b.get('/en/staff/sign-in');
      sessions.set(name, b);
      continue;
    }
    const { secret } = await setUp(`${name}@example.ir`, role, agency);
    const { b, res } = await signIn(`${name}@example.ir`, nextCode(secret));
    assert.equal(res.statusCode, 303, name);
    sessions.set(name, b);
  }
  const target = (await t.ctx.staff.invite('target@example.ir', 'operator', 'ir-nocr', 'test')).staff;
  const failures: string[] = [];
  for (const [method, template, expected] of routes) {
    const url = template.replace('PERSON', target.id);
    for (const [name] of roles) {
      const b = sessions.get(name)!;
      if (method === 'POST') await b.get(url.replace(/\/edit$/, '/edit').replace('/en/staff/services', '/en/staff')); // a page with a fresh CSRF token
      const form: Record<string, string> = url.endsWith('/new')
        ? { name_en: `Card by ${name}`, maturity: '2', status: 'draft' }
        : url.includes('/people/')
          ? { action: 'role', role: 'operator' }
          : url.endsWith('/people')
            ? { email: `invitee-${name}@example.ir`, role: 'operator' }
            : url.endsWith('/clients')
              ? { name: `Portal of ${name}`, redirectUri: 'https://portal.example.ir/cb', scope: 'national_id' }
              : { name_fa: card.name.fa ?? '', name_en: card.name.en ?? 'x', maturity: String(card.maturity), status: card.status };
      const res = method === 'GET' ? await b.get(url) : await b.post(url, form);
      if (res.statusCode !== expected[name]) failures.push(`${method} ${url} as ${name}: ${res.statusCode}, expected ${expected[name]}`);
      if (name === 'signed-out' && res.statusCode === 303) assert.match(res.headers.location as string, /\/en\/staff\/sign-in/);
    }
  }
  assert.deepEqual(failures, []);
  // a citizen's session is not a staff session
  const citizen = browser();
  citizen.jar.set('session', 'anything');
  assert.equal((await citizen.get('/en/staff')).statusCode, 303);
});

test('a service editor edits their agency card: new version with author, public page updated, audit entry with before and after; bad input saves nothing', async () => {
  const { secret } = await setUp('writer@example.ir', 'service-editor', 'ir-tax');
  const { b } = await signIn('writer@example.ir', nextCode(secret));
  const card = (await t.ctx.catalog.agencyCards('ir-tax')).find((c) => c.status === 'published')!;
  await b.get(`/en/staff/services/${card.slug}/edit`);
  const bad = await b.post(`/en/staff/services/${card.slug}/edit`, {
    name_fa: card.name.fa!,
    name_en: 'Changed',
    maturity: '9',
    status: 'published',
    processingDays: 'soon',
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /maturity &quot;9&quot; must be a whole number from 1 to 5/);
  assert.doesNotMatch(bad.body, /must be text/);
  assert.equal((await t.ctx.catalog.cardForEditing(card.slug)).version, card.version, 'nothing saved');

  const ok = await b.post(`/en/staff/services/${card.slug}/edit`, {
    name_fa: card.name.fa!,
    name_en: 'File your tax return online',
    summary_en: card.summary.en ?? '',
    summary_fa: card.summary.fa ?? '',
    description_fa: card.description.fa ?? '',
    description_en: card.description.en ?? '',
    maturity: '4',
    status: 'published',
    processingDays: String(card.processing_days ?? ''),
  });
  assert.equal(ok.statusCode, 303);
  assert.match(ok.headers.location as string, /saved=/);
  const api = (await t.app.inject({ url: `/api/v1/services/${card.slug}` })).json();
  assert.equal(api.name.en, 'File your tax return online');
  assert.equal(api.version, card.version + 1);
  assert.equal(api.history[0].author, 'staff:writer@example.ir');
  const page = await t.app.inject({ url: `/en/services/${card.slug}` });
  assert.match(page.body, /<h1>File your tax return online<\/h1>/);
  const entry = await t.ctx.database.db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', 'catalog.card-edited')
    .orderBy('seq', 'desc')
    .executeTakeFirstOrThrow();
  assert.equal((entry.detail.after as { name: { en: string } }).name.en, 'File your tax return online');
  assert.equal((entry.detail.before as { name: { en: string } }).name.en, card.name.en);
  assert.deepEqual(await t.ctx.staff.audit.verify(), {
    ok: true,
    entries: (await t.ctx.database.db.selectFrom('audit_log').select('seq').execute()).length,
  });
});

test('an agency admin invites a colleague by email; the link in the email sets up the account', async () => {
  const { secret } = await setUp('chief@example.ir', 'agency-admin', 'ir-sso');
  const { b } = await signIn('chief@example.ir', nextCode(secret));
  await b.get('/fa/staff/agencies/ir-sso/people');
  const res = await b.post('/fa/staff/agencies/ir-sso/people', { email: 'New.Colleague@Example.ir', role: 'service-editor' });
  assert.equal(res.statusCode, 303);
  const { default: fs } = await import('node:fs');
  const { default: path } = await import('node:path');
  const mail = fs
    .readFileSync(path.join(t.ctx.config.DATA_DIR, 'outbox', 'email.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .at(-1);
  assert.equal(mail.to, 'new.colleague@example.ir');
  const link = /(https?:\/\/\S+\/fa\/staff\/setup\/[A-Za-z0-9_-]+)/.exec(mail.text)![1];
  assert.equal((await t.app.inject({ url: new URL(link).pathname })).statusCode, 200);
  const people = await b.get('/fa/staff/agencies/ir-sso/people');
  assert.match(people.body, /new\.colleague@example\.ir/);
  const bad = await b.post('/fa/staff/agencies/ir-sso/people', { email: 'x@example.ir', role: 'platform-admin' });
  assert.equal(bad.statusCode, 400, 'an agency admin cannot create platform roles');
});

test('the audit log can be searched and exported by a platform admin', async () => {
  const { secret } = await setUp('root@example.ir', 'platform-admin', null);
  const { b } = await signIn('root@example.ir', nextCode(secret));
  const page = await b.get('/en/staff/audit?action=staff.signed-in');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /staff\.signed-in/);
  assert.doesNotMatch(page.body, /<code>staff\.invited<\/code>/);
  const csv = await b.get('/en/staff/audit.csv?action=staff');
  assert.match(csv.headers['content-type'] as string, /text\/csv/);
  assert.match(csv.body.split('\n')[0], /^seq,at,actor,action,subject,ip_hash,detail,prev_hash,hash/);
  const badDate = await b.get('/en/staff/audit?from=yesterday');
  assert.equal(badDate.statusCode, 400);
});

test('password reset: same answer for unknown emails, link by email, a new password only (the authenticator stays); sessions end', async () => {
  const { secret } = await setUp('forgetful@example.ir', 'operator', 'ir-nocr');
  const old = await signIn('forgetful@example.ir', nextCode(secret));
  assert.equal((await old.b.get('/en/staff')).statusCode, 200);
  const { default: fs } = await import('node:fs');
  const { default: path } = await import('node:path');
  const mails = () =>
    fs.existsSync(path.join(t.ctx.config.DATA_DIR, 'outbox', 'email.jsonl'))
      ? fs
          .readFileSync(path.join(t.ctx.config.DATA_DIR, 'outbox', 'email.jsonl'), 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l))
      : [];
  const b = browser();
  await b.get('/en/staff/password/forgot');
  const before = mails().length;
  const unknown = await b.post('/en/staff/password/forgot', { email: 'nobody@example.ir' });
  const known = await b.post('/en/staff/password/forgot', { email: 'forgetful@example.ir' });
  assert.equal(
    unknown.body.replace(/name="_csrf" value="[^"]*"/, ''),
    known.body.replace(/name="_csrf" value="[^"]*"/, ''),
    'no account enumeration',
  );
  assert.equal(mails().length, before + 1);
  const link = new URL(/(https?:\/\/\S+\/en\/staff\/password\/reset\/[A-Za-z0-9_-]+)/.exec(mails().at(-1).text)![1]).pathname;
  await b.get(link);
  assert.equal((await b.post(link, { password: 'short', confirm: 'short' })).statusCode, 400);
  assert.equal((await b.post(link, { password: 'a brand new passphrase', confirm: 'a brand new passphrase' })).statusCode, 303);
  assert.equal((await old.b.get('/en/staff')).statusCode, 303, 'existing sessions end with the reset');
  assert.equal((await b.get(link)).statusCode, 404, 'the link works once');
  const b2 = browser();
  await b2.get('/en/staff/sign-in');
  assert.equal(
    (await b2.post('/en/staff/sign-in', { email: 'forgetful@example.ir', password: PASSWORD })).statusCode,
    400,
    'the old password no longer works',
  );
  assert.equal((await b2.post('/en/staff/sign-in', { email: 'forgetful@example.ir', password: 'a brand new passphrase' })).statusCode, 303);
});

test('a platform admin registers a portal in the admin pages; the secret is shown once; bad URIs are refused', async () => {
  const { secret } = await setUp('sso.admin@example.ir', 'platform-admin', null);
  const { b } = await signIn('sso.admin@example.ir', nextCode(secret));
  await b.get('/fa/staff/sso/clients');
  const bad = await b.post('/fa/staff/sso/clients', { name: 'Portal', redirectUri: 'http://portal.example.ir/cb' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /must use https/);
  const ok = await b.post('/fa/staff/sso/clients', {
    name: 'Deeds portal',
    redirectUri: 'https://deeds.example.ir/callback',
    scope: 'national_id',
  });
  assert.equal(ok.statusCode, 200);
  const id = /<code>(rp-[A-Za-z0-9_-]+)<\/code>/.exec(ok.body)![1];
  assert.match(ok.body, /client_secret<\/dt><dd><code>[A-Za-z0-9_-]{43}<\/code>/);
  const list = await b.get('/fa/staff/sso/clients');
  assert.ok(list.body.includes(id));
  assert.doesNotMatch(list.body, /client_secret<\/dt>/, 'the secret is not shown again');
});

test("an agency admin changes a colleague's role and deactivates them: sessions end, sign-in refused, audited; never their own account or another agency's", async () => {
  const { secret: chiefSecret } = await setUp('head@example.ir', 'agency-admin', 'ir-post');
  const { secret: opSecret } = await setUp('clerk@example.ir', 'operator', 'ir-post');
  const { secret: otherSecret } = await setUp('outsider@example.ir', 'agency-admin', 'ir-tax');
  const clerk = (await t.ctx.staff.listByAgency('ir-post')).find((p) => p.email === 'clerk@example.ir')!;
  const head = (await t.ctx.staff.listByAgency('ir-post')).find((p) => p.email === 'head@example.ir')!;
  const { b: clerkSession } = await signIn('clerk@example.ir', nextCode(opSecret));
  assert.equal((await clerkSession.get('/en/staff')).statusCode, 200);

  const { b } = await signIn('head@example.ir', nextCode(chiefSecret));
  const page = await b.get(`/fa/staff/agencies/ir-post/people/${clerk.id}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /غیرفعال کردن/);
  const bad = await b.post(`/fa/staff/agencies/ir-post/people/${clerk.id}`, { action: 'role', role: 'platform-admin' });
  assert.equal(bad.statusCode, 400);
  assert.equal((await t.ctx.staff.byId(clerk.id))!.role, 'operator', 'a refused change changes nothing');
  const role = await b.post(`/fa/staff/agencies/ir-post/people/${clerk.id}`, { action: 'role', role: 'service-editor' });
  assert.equal(role.statusCode, 303);
  assert.equal((await t.ctx.staff.byId(clerk.id))!.role, 'service-editor');

  await b.get(`/fa/staff/agencies/ir-post/people/${clerk.id}`);
  assert.equal((await b.post(`/fa/staff/agencies/ir-post/people/${clerk.id}`, { action: 'deactivate' })).statusCode, 303);
  assert.equal((await clerkSession.get('/en/staff')).statusCode, 303, "the deactivated colleague's session ended");
  const again = browser();
  await again.get('/en/staff/sign-in');
  const refused = await again.post('/en/staff/sign-in', { email: 'clerk@example.ir', password: PASSWORD });
  assert.equal(refused.statusCode, 400, 'a deactivated account cannot sign in');
  assert.match((await b.get('/en/staff/agencies/ir-post/people')).body, /Deactivated/);

  // own account: refused with a clear reason; another agency's admin: 403
  await b.get(`/fa/staff/agencies/ir-post/people/${head.id}`);
  assert.equal((await b.post(`/fa/staff/agencies/ir-post/people/${head.id}`, { action: 'deactivate' })).statusCode, 409);
  const { b: outsider } = await signIn('outsider@example.ir', nextCode(otherSecret));
  assert.equal((await outsider.get(`/en/staff/agencies/ir-post/people/${clerk.id}`)).statusCode, 403);
  assert.equal(
    (await outsider.get(`/en/staff/agencies/ir-tax/people/${clerk.id}`)).statusCode,
    404,
    'a person is only found under their own agency',
  );

  await b.get(`/fa/staff/agencies/ir-post/people/${clerk.id}`);
  assert.equal((await b.post(`/fa/staff/agencies/ir-post/people/${clerk.id}`, { action: 'reactivate' })).statusCode, 303);
  const back = browser();
  await back.get('/en/staff/sign-in');
  assert.equal(
    (await back.post('/en/staff/sign-in', { email: 'clerk@example.ir', password: PASSWORD })).statusCode,
    303,
    'reactivated: the password step works again',
  );
  const actions = (
    await t.ctx.database.db.selectFrom('audit_log').select(['action', 'subject']).where('subject', '=', clerk.id).execute()
  ).map((r) => r.action);
  for (const a of ['staff.role-changed', 'staff.deactivated', 'staff.reactivated']) assert.ok(actions.includes(a), a);
});

test('a service editor creates a new card for their own agency: a draft with a unique slug, version 1 with its author, audited; bad input keeps what was typed', async () => {
  const { secret } = await setUp('maker@example.ir', 'service-editor', 'ir-post');
  const { b } = await signIn('maker@example.ir', nextCode(secret));
  const list = await b.get('/fa/staff/agencies/ir-post/services');
  assert.match(list.body, /services\/new/);
  await b.get('/fa/staff/agencies/ir-post/services/new');
  const bad = await b.post('/fa/staff/agencies/ir-post/services/new', {
    name_fa: '',
    name_en: '',
    summary_fa: 'خلاصه‌ای که نباید گم شود',
    processingDays: 'ten',
    maturity: '2',
    status: 'draft',
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /خلاصه‌ای که نباید گم شود/, 'what was typed is kept');
  assert.match(bad.body, /href="#processingDays"/);
  const made = await b.post('/fa/staff/agencies/ir-post/services/new', {
    name_fa: 'ثبت مرسوله بین‌المللی',
    name_en: 'Register an international parcel',
    summary_fa: 'خلاصه',
    processingDays: '3',
    maturity: '3',
    status: 'draft',
  });
  assert.equal(made.statusCode, 303);
  const card = await t.ctx.catalog.cardForEditing('register-an-international-parcel');
  assert.equal(card.status, 'draft');
  assert.equal(card.agency_id, 'ir-post');
  assert.equal((await t.app.inject({ url: '/en/services/register-an-international-parcel' })).statusCode, 404, 'a draft is not public');
  await b.get('/fa/staff/agencies/ir-post/services/new');
  assert.equal(
    (
      await b.post('/fa/staff/agencies/ir-post/services/new', {
        name_en: 'Register an international parcel',
        maturity: '1',
        status: 'draft',
      })
    ).statusCode,
    303,
  );
  assert.equal((await t.ctx.catalog.cardForEditing('register-an-international-parcel-2')).version, 1, 'the same name gets its own slug');
  const versions = await t.ctx.database.db
    .selectFrom('service_versions')
    .select(['author', 'version'])
    .where('service_id', '=', card.id)
    .execute();
  assert.deepEqual(versions, [{ author: 'staff:maker@example.ir', version: 1 }]);
  assert.ok(
    await t.ctx.database.db
      .selectFrom('audit_log')
      .select('seq')
      .where('action', '=', 'catalog.card-created')
      .where('subject', '=', card.slug)
      .executeTakeFirst(),
  );
  assert.equal((await b.get('/fa/staff/agencies/ir-tax/services/new')).statusCode, 403, 'never for another agency');
});
