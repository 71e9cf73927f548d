// Staff account takeover paths (security issue items 2 and 5): tokens with one purpose each, a reset that
// sets a password only, a lost authenticator replaced by another administrator or with a recovery code,
// every session ending on a credential change, and failures counted atomically under parallel guesses.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { authenticator } from 'otplib';
import { browserFor, nextCode, setUpStaff, signInStaff, STAFF_PASSWORD } from '../../../test/helpers/sessions.ts';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { MAX_FAILURES } from './staff.service.ts';

let t: TestApp;
before(async () => (t = await testApp()));
after(() => t.close());

const browser = () => browserFor(t);
const mails = (): { to: string; text: string }[] => {
  const f = path.join(t.ctx.config.DATA_DIR, 'outbox', 'email.jsonl');
  return fs.existsSync(f)
    ? fs
        .readFileSync(f, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
    : [];
};
const linkIn = (to: string, re: RegExp) =>
  new URL(
    re.exec(
      mails()
        .filter((m) => m.to === to)
        .at(-1)!.text,
    )![1],
  ).pathname;
const row = (id: string) => t.ctx.database.db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const codeIn = (secret: string, steps: number) => authenticator.clone({ epoch: Date.now() + steps * 30_000 }).generate(secret);

async function requestReset(email: string): Promise<string> {
  const b = browser();
  await b.get('/en/staff/password/forgot');
  assert.equal((await b.post('/en/staff/password/forgot', { email })).statusCode, 200);
  return linkIn(email, /(https?:\/\/\S+\/en\/staff\/password\/reset\/[A-Za-z0-9_-]+)/);
}

test('a password-reset link is not an invitation: the setup route refuses it; the reset sets the password only and signing in still needs the old authenticator', async () => {
  const { secret, id } = await setUpStaff(t, 'reset.victim@example.ir', 'operator', 'ir-nocr');
  const before = await row(id);
  const link = await requestReset('reset.victim@example.ir');
  const token = link.split('/').at(-1)!;
  const b = browser();
  assert.equal((await b.get(`/en/staff/setup/${token}`)).statusCode, 404, 'the setup route refuses a reset token');
  await b.get('/en/staff/sign-in');
  assert.equal(
    (await b.post(`/en/staff/setup/${token}`, { password: 'attacker passphrase', confirm: 'attacker passphrase' })).statusCode,
    404,
  );
  assert.equal((await b.get(`/en/staff/setup/${token}/authenticator`)).statusCode, 404, 'no new authenticator key for a reset token');
  const after = await row(id);
  assert.equal(after.totp_secret, before.totp_secret, 'the authenticator is unchanged');
  assert.equal(after.password_hash, before.password_hash);

  // the reset itself: a new password, nothing else
  await b.get(link);
  const mismatch = await b.post(link, { password: 'a brand new passphrase', confirm: 'something else entirely' });
  assert.equal(mismatch.statusCode, 400);
  assert.equal((await b.post(link, { password: 'a brand new passphrase', confirm: 'a brand new passphrase' })).statusCode, 303);
  assert.equal((await row(id)).totp_secret, before.totp_secret, 'a reset never touches the authenticator');
  const s = browser();
  await s.get('/en/staff/sign-in');
  const pw = await s.post('/en/staff/sign-in', { email: 'reset.victim@example.ir', password: 'a brand new passphrase' });
  assert.equal(pw.statusCode, 303);
  assert.match(pw.headers.location as string, /second-factor/);
  assert.equal((await s.get('/en/staff')).statusCode, 303, 'the new password alone does not sign in');
  await s.get(pw.headers.location as string);
  assert.equal(
    (await s.post(pw.headers.location as string, { code: nextCode(secret) })).statusCode,
    303,
    'the existing authenticator does',
  );
  assert.equal((await s.get('/en/staff')).statusCode, 200);
});

test('an invitation link is not a reset link, and a link is used once even when sent twice at the same moment', async () => {
  const { token } = await t.ctx.staff.invite('pending.person@example.ir', 'operator', 'ir-nocr', 'test');
  assert.equal(
    (await t.app.inject({ url: `/en/staff/password/reset/${token}` })).statusCode,
    404,
    'the reset route refuses an invitation token',
  );

  await setUpStaff(t, 'double.click@example.ir', 'operator', 'ir-nocr');
  const link = await requestReset('double.click@example.ir');
  const b = browser();
  await b.get(link);
  const results = await Promise.all(['first passphrase!!', 'second passphrase!'].map((p) => b.post(link, { password: p, confirm: p })));
  assert.deepEqual(results.map((r) => r.statusCode).sort(), [303, 404], 'one use wins, the other finds the link used');
  assert.equal((await b.get(link)).statusCode, 404);
  await setUpStaff(t, 'active.person@example.ir', 'operator', 'ir-nocr');
  await assert.rejects(
    t.ctx.staff.invite('active.person@example.ir', 'operator', 'ir-nocr', 'test'),
    (e: { code?: string }) => e.code === 'STAFF_ALREADY_SET_UP',
    'an active account cannot be re-invited (that would be a new authenticator by email)',
  );
});

test('25 parallel wrong passwords are all counted: the account locks and the right password is refused', async () => {
  const { id } = await setUpStaff(t, 'parallel.password@example.ir', 'operator', 'ir-nocr');
  const b = browser();
  await b.get('/en/staff/sign-in');
  const res = await Promise.all(
    Array.from({ length: 25 }, (_, i) =>
      b.post('/en/staff/sign-in', { email: 'parallel.password@example.ir', password: `wrong password ${i}` }),
    ),
  );
  const tried = res.filter((r) => r.statusCode === 400).length;
  assert.ok(
    res.every((r) => r.statusCode === 400 || r.statusCode === 429),
    res.map((r) => r.statusCode).join(),
  );
  assert.ok(tried < MAX_FAILURES, `at most ${MAX_FAILURES} guesses were checked (${tried} answered "not right" before the lock)`);
  const staff = await row(id);
  assert.ok(staff.failed_attempts >= MAX_FAILURES, `failures counted: ${staff.failed_attempts}`);
  assert.ok(staff.locked_until && new Date(staff.locked_until).getTime() > Date.now(), 'locked');
  assert.equal(
    (await b.post('/en/staff/sign-in', { email: 'parallel.password@example.ir', password: STAFF_PASSWORD })).statusCode,
    429,
    'the right password waits out the lock',
  );
});

test('25 parallel wrong authenticator codes are all counted, and one TOTP code sent twice at once signs in once', async () => {
  const { secret, id } = await setUpStaff(t, 'parallel.code@example.ir', 'operator', 'ir-nocr');
  const b = browser();
  await b.get('/en/staff/sign-in');
  const pw = await b.post('/en/staff/sign-in', { email: 'parallel.code@example.ir', password: STAFF_PASSWORD });
  assert.equal(pw.statusCode, 303);
  const url = pw.headers.location as string;
  await b.get(url);
  const res = await Promise.all(Array.from({ length: 25 }, (_, i) => b.post(url, { code: String(100000 + i * 7919) })));
  assert.ok(res.filter((r) => r.statusCode === 400).length < MAX_FAILURES, res.map((r) => r.statusCode).join());
  const staff = await row(id);
  assert.ok(staff.failed_attempts >= MAX_FAILURES && staff.locked_until, `failures counted: ${staff.failed_attempts}`);
  assert.equal((await b.post(url, { code: nextCode(secret) })).statusCode, 429, 'the right code waits out the lock');

  // replay at the same moment: two sessions, one code
  const { secret: s2 } = await setUpStaff(t, 'replay.code@example.ir', 'operator', 'ir-nocr');
  const tabs = [browser(), browser()];
  const urls = await Promise.all(
    tabs.map(async (x) => {
      await x.get('/en/staff/sign-in');
      const r = await x.post('/en/staff/sign-in', { email: 'replay.code@example.ir', password: STAFF_PASSWORD });
      await x.get(r.headers.location as string);
      return r.headers.location as string;
    }),
  );
  const code = nextCode(s2);
  const both = await Promise.all(tabs.map((x, i) => x.post(urls[i], { code })));
  assert.deepEqual(both.map((r) => r.statusCode).sort(), [303, 400], 'the code works once');
});

test("an administrator resets a colleague's lost authenticator: sessions end, the old key stops working, audited; the emailed link sets up a new one with the password", async () => {
  const { secret: chief } = await setUpStaff(t, 'chief.reset@example.ir', 'agency-admin', 'ir-post');
  const { secret: lost, id } = await setUpStaff(t, 'lost.phone@example.ir', 'operator', 'ir-post');
  const { b: victimSession } = await signInStaff(t, 'lost.phone@example.ir', nextCode(lost));
  assert.equal((await victimSession.get('/en/staff')).statusCode, 200);
  const { b } = await signInStaff(t, 'chief.reset@example.ir', nextCode(chief));
  const page = await b.get(`/fa/staff/agencies/ir-post/people/${id}`);
  assert.match(page.body, /reset-authenticator/);
  assert.equal((await b.post(`/fa/staff/agencies/ir-post/people/${id}`, { action: 'reset-authenticator' })).statusCode, 303);
  assert.equal((await victimSession.get('/en/staff')).statusCode, 303, 'every session of the account ended');
  const signIn = browser();
  await signIn.get('/en/staff/sign-in');
  assert.equal(
    (await signIn.post('/en/staff/sign-in', { email: 'lost.phone@example.ir', password: STAFF_PASSWORD })).statusCode,
    400,
    'no sign-in until a new authenticator is set up',
  );
  const entry = await t.ctx.database.db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', 'staff.authenticator-reset')
    .where('subject', '=', id)
    .executeTakeFirst();
  assert.ok(entry, 'audited');
  const head = (await t.ctx.staff.listByAgency('ir-post')).find((p) => p.email === 'chief.reset@example.ir')!;
  await b.get(`/fa/staff/agencies/ir-post/people/${head.id}`);
  assert.equal(
    (await b.post(`/fa/staff/agencies/ir-post/people/${head.id}`, { action: 'reset-authenticator' })).statusCode,
    409,
    "never one's own",
  );

  const link = linkIn('lost.phone@example.ir', /(https?:\/\/\S+\/fa\/staff\/authenticator\/[A-Za-z0-9_-]+)/);
  assert.equal((await t.app.inject({ url: link.replace('/authenticator/', '/setup/') })).statusCode, 404, 'not an invitation either');
  const phone = browser();
  const form = await phone.get(link);
  assert.equal(form.statusCode, 200);
  const fresh = /<code[^>]*>([A-Z2-7 ]{16,})<\/code>/.exec(form.body)![1].replace(/ /g, '');
  assert.notEqual(fresh, lost);
  assert.equal(
    (
      await phone.post(link, {
        password: 'not the password',
        code: authenticator.generate(fresh),
        pending: /name="pending" value="([^"]+)"/.exec(form.body)![1],
      })
    ).statusCode,
    400,
    'the password is needed too',
  );
  const done = await phone.post(link, {
    password: STAFF_PASSWORD,
    code: authenticator.generate(fresh),
    pending: /name="pending" value="([^"]+)"/.exec(form.body)![1],
  });
  assert.equal(done.statusCode, 200);
  assert.equal((done.body.match(/<li><code>[A-Z0-9]{8}<\/code><\/li>/g) ?? []).length, 10);
  assert.equal((await phone.get(link)).statusCode, 404, 'the link works once');
  assert.equal((await signInStaff(t, 'lost.phone@example.ir', codeIn(lost, 1))).res.statusCode, 400, 'the old authenticator is refused');
  assert.equal((await signInStaff(t, 'lost.phone@example.ir', codeIn(fresh, 1))).res.statusCode, 303, 'the new one works');
});

test('signed in with a recovery code, a staff member sets up a new authenticator (every session ends) and regenerates recovery codes (old ones stop working)', async () => {
  const { secret: old, codes, id } = await setUpStaff(t, 'new.phone@example.ir', 'service-editor', 'ir-nocr');
  const other = await signInStaff(t, 'new.phone@example.ir', nextCode(old));
  const { b, res } = await signInStaff(t, 'new.phone@example.ir', codes[0]);
  assert.equal(res.statusCode, 303);
  const account = await b.get('/en/staff/account');
  assert.equal(account.statusCode, 200);
  assert.match(account.body, /9 recovery codes left/);
  const form = await b.get('/en/staff/account/authenticator');
  const fresh = /<code[^>]*>([A-Z2-7 ]{16,})<\/code>/.exec(form.body)![1].replace(/ /g, '');
  const pending = /name="pending" value="([^"]+)"/.exec(form.body)![1];
  assert.equal((await b.post('/en/staff/account/authenticator', { password: STAFF_PASSWORD, code: '000000', pending })).statusCode, 400);
  const done = await b.post('/en/staff/account/authenticator', { password: STAFF_PASSWORD, code: authenticator.generate(fresh), pending });
  assert.equal(done.statusCode, 200);
  const newCodes = [...done.body.matchAll(/<li><code>([A-Z0-9]{8})<\/code><\/li>/g)].map((m) => m[1]);
  assert.equal(newCodes.length, 10);
  assert.equal((await other.b.get('/en/staff')).statusCode, 303, 'the other session ended');
  assert.equal((await b.get('/en/staff')).statusCode, 303, 'and this one');
  assert.equal((await signInStaff(t, 'new.phone@example.ir', codeIn(old, 1))).res.statusCode, 400, 'the old authenticator is refused');
  assert.equal((await signInStaff(t, 'new.phone@example.ir', codes[1])).res.statusCode, 400, 'so are the old recovery codes');
  const again = await signInStaff(t, 'new.phone@example.ir', codeIn(fresh, 1));
  assert.equal(again.res.statusCode, 303);
  const stored = (await row(id)).recovery_codes;
  assert.ok(
    newCodes.every((c) => !stored.some((h) => h.includes(c))),
    'codes are stored hashed',
  );

  await again.b.get('/en/staff/account');
  assert.equal((await again.b.post('/en/staff/account/recovery-codes', { password: 'wrong password!!' })).statusCode, 400);
  const regen = await again.b.post('/en/staff/account/recovery-codes', { password: STAFF_PASSWORD });
  assert.equal(regen.statusCode, 200);
  const third = [...regen.body.matchAll(/<li><code>([A-Z0-9]{8})<\/code><\/li>/g)].map((m) => m[1]);
  assert.equal(third.length, 10);
  assert.equal((await signInStaff(t, 'new.phone@example.ir', newCodes[0])).res.statusCode, 400, 'replaced codes stop working');
  assert.equal((await signInStaff(t, 'new.phone@example.ir', third[0])).res.statusCode, 303);
});
