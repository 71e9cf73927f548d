import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { readMobile, readNationalId } from './identity.schema.ts';
import { safeNext } from './next.ts';

let t: TestApp;
before(async () => (t = await testApp()));
after(() => t.close());

/** One browser: a cookie jar, its address, and helpers to GET and to submit forms with their CSRF token. */
function browser(ip = `10.1.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`) {
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const keep = (res: { cookies: { name: string; value: string; maxAge?: number; expires?: Date }[] }) => {
    for (const c of res.cookies) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) jar.delete(c.name);
      else jar.set(c.name, c.value);
    }
  };
  let lastToken = '';
  return {
    jar,
    ip,
    async get(url: string) {
      const res = await t.app.inject({ method: 'GET', url, headers: { cookie: cookieHeader() }, remoteAddress: ip });
      keep(res);
      const m = /name="_csrf" value="([^"]+)"/.exec(res.body);
      if (m) lastToken = m[1];
      return res;
    },
    async post(url: string, form: Record<string, string>, opts: { csrf?: boolean } = {}) {
      const body = new URLSearchParams({ ...(opts.csrf === false ? {} : { _csrf: lastToken }), ...form }).toString();
      const res = await t.app.inject({
        method: 'POST',
        url,
        payload: body,
        headers: { cookie: cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'Mozilla/5.0 Chrome/156.0' },
        remoteAddress: ip,
      });
      keep(res);
      const m = /name="_csrf" value="([^"]+)"/.exec(res.body);
      if (m) lastToken = m[1];
      return res;
    },
  };
}

const outbox = () => path.join(t.ctx.config.DATA_DIR, 'outbox', 'sms.jsonl');
function lastCode(to: string): string {
  const lines = fs
    .readFileSync(outbox(), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const msg = lines.filter((l) => l.to === to).at(-1);
  assert.ok(msg, `an SMS to ${to}`);
  return /\b(\d{6})\b/.exec(msg.text)![1];
}

// A fresh valid national ID (its check digit computed) and mobile for each person, so the per-person
// limits of one test do not meet another's.
let n = 0;
function nationalId(seed: number): string {
  const nine = String(100000000 + seed * 7919).slice(-9);
  const r = [...nine].reduce((acc, d, i) => acc + Number(d) * (10 - i), 0) % 11;
  return nine + String(r < 2 ? r : 11 - r);
}
const person = () => {
  n++;
  return { nationalId: nationalId(n), mobile: `0912${String(1000000 + n * 7).slice(-7)}` };
};

async function signIn(b: ReturnType<typeof browser>, p = person(), next?: string) {
  await b.get(`/fa/sign-in${next ? `?next=${encodeURIComponent(next)}` : ''}`);
  const r1 = await b.post('/fa/sign-in', { nationalId: p.nationalId, mobile: p.mobile, next: next ?? '' });
  assert.equal(r1.statusCode, 303, r1.body.slice(0, 300));
  await b.get(r1.headers.location as string);
  const r2 = await b.post('/fa/sign-in/code', { code: lastCode(p.mobile), next: next ?? '' });
  return { p, res: r2 };
}

test('national ID and mobile are read leniently and refused precisely', () => {
  assert.deepEqual(readNationalId('۰۴۹۹۳۷۰۸۹۹', 'en'), { ok: true, value: '0499370899' });
  assert.match((readNationalId('0499370898', 'en') as { message: string }).message, /check digit/);
  assert.match((readNationalId('12345', 'fa') as { message: string }).message, /۱۰ رقم/);
  for (const m of ['09121234567', '+989121234567', '00989121234567', '9121234567', '۰۹۱۲ ۱۲۳ ۴۵۶۷', '0912-123-4567'])
    assert.deepEqual(readMobile(m, 'en'), { ok: true, value: '09121234567' }, m);
  assert.match((readMobile('02188776655', 'en') as { message: string }).message, /landline/);
  assert.match((readMobile('0912123', 'en') as { message: string }).message, /11 digits/);
});

test('a citizen signs in with the code from the SMS outbox and sees their account', async () => {
  const b = browser();
  const { p, res } = await signIn(b);
  assert.equal(res.headers.location, '/fa/account');
  const cookie = res.cookies.find((c) => c.name === 'session')!;
  assert.ok(cookie.httpOnly);
  assert.equal(cookie.sameSite, 'Lax');
  const account = await b.get('/fa/account');
  assert.equal(account.statusCode, 200);
  assert.ok(
    account.body.includes(p.nationalId.replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)))),
    'national ID in Persian digits',
  );
  const sms = fs
    .readFileSync(outbox(), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .at(-1);
  assert.deepEqual(Object.keys(sms).sort(), ['at', 'text', 'to']);
  const row = await t.ctx.database.db
    .selectFrom('sign_in_challenges')
    .select('code_hash')
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
  assert.ok(!row.code_hash.includes(lastCode(p.mobile)) && row.code_hash.length === 64, 'only a keyed hash is stored');
});

test('bad input keeps what was typed and says what to fix; nothing is sent', async () => {
  const b = browser();
  await b.get('/en/sign-in');
  const res = await b.post('/en/sign-in', { nationalId: '0499370898', mobile: '021 8877 6655' });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /<title>Error: /);
  assert.match(res.body, /href="#nationalId">Check your national ID: its last digit \(the check digit\)/);
  assert.match(res.body, /href="#mobile">Mobile numbers start with 09/);
  assert.match(res.body, /value="0499370898"/);
  assert.match(res.body, /value="021 8877 6655"/);
});

test('every form refuses a request without a valid CSRF token', async () => {
  const b = browser();
  await b.get('/fa/sign-in');
  const noToken = await b.post('/fa/sign-in', person(), { csrf: false });
  assert.equal(noToken.statusCode, 403);
  assert.match(noToken.body, /این فرم منقضی شده/);
  const forged = await t.app.inject({
    method: 'POST',
    url: '/fa/sign-in',
    payload: 'nationalId=0499370899&mobile=09120000000&_csrf=forged',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(forged.statusCode, 403);
  for (const url of ['/fa/sign-in/code', '/fa/sign-out', '/fa/account/sessions/00000000-0000-0000-0000-000000000000/revoke']) {
    const res = await t.app.inject({
      method: 'POST',
      url,
      payload: 'x=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(res.statusCode, 403, url);
  }
});

test('code brute force: the sixth try fails even with the right code', async () => {
  const b = browser();
  const p = person();
  await b.get('/fa/sign-in');
  await b.get((await b.post('/fa/sign-in', p)).headers.location as string);
  const right = lastCode(p.mobile);
  const wrong = right === '000000' ? '111111' : '000000';
  for (let i = 1; i <= 4; i++) {
    const r = await b.post('/fa/sign-in/code', { code: wrong });
    assert.equal(r.statusCode, 400);
    assert.match(r.body, new RegExp(`${String.fromCharCode(0x06f0 + 5 - i)} بار دیگر`));
  }
  const fifth = await b.post('/fa/sign-in/code', { code: wrong });
  assert.match(fifth.body, /بیش از حد تلاش کرده‌اید/);
  const sixth = await b.post('/fa/sign-in/code', { code: right });
  assert.equal(sixth.statusCode, 400);
  assert.equal(b.jar.has('session'), false);
});

test('expired and replayed codes are refused', async () => {
  const b = browser();
  const p = person();
  await b.get('/en/sign-in');
  await b.get((await b.post('/en/sign-in', p)).headers.location as string);
  await sql`update sign_in_challenges set expires_at = now() - interval '1 second' where mobile = ${p.mobile}`.execute(t.ctx.database.db);
  const expired = await b.post('/en/sign-in/code', { code: lastCode(p.mobile) });
  assert.match(expired.body, /This code has expired/);

  const b2 = browser();
  const { res } = await signIn(b2);
  assert.equal(res.statusCode, 303);
  const challenge = await t.ctx.database.db
    .selectFrom('sign_in_challenges')
    .select(['id', 'mobile'])
    .where('consumed_at', 'is not', null)
    .orderBy('consumed_at', 'desc')
    .executeTakeFirstOrThrow();
  const attacker = browser();
  attacker.jar.set('signin', challenge.id);
  await attacker.get('/fa/sign-in');
  const replay = await attacker.post('/fa/sign-in/code', { code: lastCode(challenge.mobile) });
  assert.equal(replay.statusCode, 400);
  assert.equal(attacker.jar.has('session'), false);
});

test('session fixation: a session cookie set before sign-in is never adopted', async () => {
  const b = browser();
  b.jar.set('session', 'attacker-chosen-value');
  await signIn(b);
  assert.notEqual(b.jar.get('session'), 'attacker-chosen-value');
  const other = browser();
  other.jar.set('session', 'attacker-chosen-value');
  assert.equal((await other.get('/fa/account')).statusCode, 303);
});

test('after sign-in only paths on this site are followed (no open redirect)', async () => {
  const { res } = await signIn(browser(), person(), '/en/un-egov/countries/IRN');
  assert.equal(res.headers.location, '/en/un-egov/countries/IRN');
  for (const evil of [
    'https://evil.example/',
    '//evil.example',
    '/\\evil.example',
    '/fa//evil.example',
    'javascript:alert(1)',
    '/fa/account?x=<script>',
  ]) {
    assert.equal(safeNext(evil, 'fa'), '/fa/account', evil);
  }
  const evilRes = (await signIn(browser(), person(), 'https://evil.example/')).res;
  assert.equal(evilRes.headers.location, '/fa/account');
});

test('signed out, the account asks to sign in and comes back after', async () => {
  const res = await browser().get('/fa/account');
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/fa/sign-in?next=%2Ffa%2Faccount');
});

test('sessions: list, revoke another device, sign out', async () => {
  const p = person();
  const phone = browser();
  const laptop = browser();
  await signIn(phone, p);
  await sql`update sign_in_challenges set created_at = created_at - interval '2 minutes' where mobile = ${p.mobile}`.execute(
    t.ctx.database.db,
  );
  await signIn(laptop, p);
  const list = await laptop.get('/en/account/sessions');
  assert.equal((list.body.match(/class="card-title"/g) ?? []).length, 2);
  assert.match(list.body, /\(This device\)/);
  const other = /action="(\/en\/account\/sessions\/[0-9a-f-]+\/revoke)"/.exec(list.body)![1];
  assert.equal((await laptop.post(other, {})).statusCode, 303);
  assert.equal((await phone.get('/en/account')).statusCode, 303, 'the revoked device is signed out');
  await laptop.get('/en/account');
  await laptop.post('/en/sign-out', {});
  assert.equal((await laptop.get('/en/account')).statusCode, 303);
});

test('idle timeout: after 20 minutes without activity the session ends', async () => {
  const b = browser();
  await signIn(b);
  await sql`update sessions set last_seen_at = now() - interval '21 minutes'`.execute(t.ctx.database.db);
  const res = await b.get('/en/account');
  assert.equal(res.statusCode, 303);
  assert.match(res.headers.location as string, /expired=idle/);
  const page = await b.get(res.headers.location as string);
  assert.match(page.body, /signed out after 20 minutes without activity/);
});

test('mobile ownership mismatch, resend cool-down and hourly limits', async () => {
  const b = browser();
  await b.get('/en/sign-in');
  const mismatch = await b.post('/en/sign-in', { nationalId: person().nationalId, mobile: '09120009999' });
  assert.equal(mismatch.statusCode, 400);
  assert.match(mismatch.body, /not registered to this national ID/);

  const p = person();
  assert.equal((await b.post('/en/sign-in', p)).statusCode, 303);
  await b.get('/en/sign-in');
  const again = await b.post('/en/sign-in', p);
  assert.equal(again.statusCode, 429);
  assert.match(again.body, /Wait \d+ seconds/);
  for (let i = 0; i < 5; i++) {
    await sql`update sign_in_challenges set created_at = created_at - interval '61 seconds' where mobile = ${p.mobile}`.execute(
      t.ctx.database.db,
    );
    await b.get('/en/sign-in');
    await b.post('/en/sign-in', p);
  }
  await sql`update sign_in_challenges set created_at = created_at - interval '61 seconds' where mobile = ${p.mobile}`.execute(
    t.ctx.database.db,
  );
  await b.get('/en/sign-in');
  const limited = await b.post('/en/sign-in', p);
  assert.equal(limited.statusCode, 429);
  assert.match(limited.body, /Too many codes were requested/);
});

test('a sign-in with another mobile does not silently replace the one on record: the change is recorded and the old number told', async () => {
  const db = t.ctx.database.db;
  const victim = person();
  assert.equal((await signIn(browser(), victim)).res.statusCode, 303);
  const before = await db.selectFrom('citizens').selectAll().where('national_id', '=', victim.nationalId).executeTakeFirstOrThrow();
  assert.equal(before.mobile, victim.mobile);
  const cooldown = () =>
    sql`update sign_in_challenges set created_at = created_at - interval '61 seconds' where national_id = ${victim.nationalId}`.execute(db);
  await cooldown();
  // a number the ownership check says is not this person's: refused, nothing stored
  const b = browser();
  await b.get('/en/sign-in');
  assert.equal((await b.post('/en/sign-in', { nationalId: victim.nationalId, mobile: '09120019999' })).statusCode, 400);
  assert.equal(
    (await db.selectFrom('citizens').select('mobile').where('id', '=', before.id).executeTakeFirstOrThrow()).mobile,
    victim.mobile,
  );
  // a number the check says is theirs now: the change goes through, recorded and told to the old number
  await cooldown();
  const newMobile = `0935${victim.mobile.slice(-7)}`;
  assert.equal((await signIn(browser(), { nationalId: victim.nationalId, mobile: newMobile })).res.statusCode, 303);
  assert.equal((await db.selectFrom('citizens').select('mobile').where('id', '=', before.id).executeTakeFirstOrThrow()).mobile, newMobile);
  const changes = await t.ctx.identity.repo.mobileChanges(before.id);
  assert.deepEqual(
    changes.map((c) => [c.old_mobile, c.new_mobile]),
    [[victim.mobile, newMobile]],
  );
  assert.ok(changes[0].ip_hash && !changes[0].ip_hash.includes('.'), 'the address is kept as a keyed hash');
  const told = await db.selectFrom('notification_outbox').selectAll().where('recipient', '=', victim.mobile).execute();
  assert.equal(told.length, 1, 'one SMS to the old number');
  assert.equal(told[0].channel, 'sms');
  assert.match(told[0].body, new RegExp(`شماره همراه حساب شما .* ${newMobile.slice(-4)} `));
  assert.match(told[0].body, new RegExp(`changed on .* to a number ending in ${newMobile.slice(-4)}`));
  assert.ok(told[0].body.includes(`${t.ctx.config.PUBLIC_URL}/en/account/sessions`), 'an absolute link');
  assert.ok(!told[0].body.includes(newMobile), 'the new number is not spelled out');
  const audited = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', 'citizen.mobile-changed')
    .where('actor', '=', `citizen:${before.id}`)
    .execute();
  assert.equal(audited.length, 1);
  // signing in again with the same (new) number changes nothing and tells nobody
  await cooldown();
  assert.equal((await signIn(browser(), { nationalId: victim.nationalId, mobile: newMobile })).res.statusCode, 303);
  assert.equal((await t.ctx.identity.repo.mobileChanges(before.id)).length, 1);
  assert.equal(
    (await db.selectFrom('notification_outbox').select('id').where('recipient', 'in', [victim.mobile, newMobile]).execute()).length,
    1,
  );
});

test('the audit log records sign-ins without personal data and catches tampering', async () => {
  const db = t.ctx.database.db;
  const rows = await db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  assert.ok(rows.some((r) => r.action === 'sign-in.succeeded') && rows.some((r) => r.action === 'sign-in.failed'));
  const text = JSON.stringify(rows);
  const citizens = await db.selectFrom('citizens').select(['national_id', 'mobile']).execute();
  assert.ok(citizens.length > 3);
  for (const c of citizens) assert.ok(!text.includes(c.national_id) && !text.includes(c.mobile), 'no national ID or mobile in the log');
  assert.deepEqual(await t.ctx.identity.audit.verify(), { ok: true, entries: rows.length });
  const victim = rows[Math.floor(rows.length / 2)];
  await db.updateTable('audit_log').set({ action: 'sign-in.nothing-happened' }).where('seq', '=', victim.seq).execute();
  const broken = await t.ctx.identity.audit.verify();
  assert.equal(broken.ok, false);
  assert.equal((broken as { seq: number }).seq, Number(victim.seq));
});
