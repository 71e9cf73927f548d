import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { authenticator } from 'otplib';
import type { Browser } from 'playwright-core';
import { axeViolations, describeViolations, launchBrowser } from '../../../test/helpers/browser.ts';
import type { StaffRole } from '../../db/schema.ts';
import { exchangeFixture } from './exchange.fixture.ts';
import { listen } from '../../../test/helpers/app.ts';

let f: Awaited<ReturnType<typeof exchangeFixture>>;
let browser: Browser;
let web = '';
let maryam: Awaited<ReturnType<typeof citizen>>;

before(async () => {
  f = await exchangeFixture();
  web = await listen(f.t);
  // Two people's data asked for: Maryam's by the tax portal (with a purpose), Reza's by Panjereh.
  assert.equal(
    (await f.call('/r1/IR/GOV/NOCR/REGISTRY/person/persons/0499370899', { headers: { 'x-road-issue': 'tax-file-1405-778' } })).status,
    200,
  );
  assert.equal((await f.call('/r1/IR/GOV/CRA/SHAHKAR/mobile-ownership/ownership?nationalId=0499370899&mobile=09121234567')).status, 200);
  assert.equal(
    (await f.ex.call({ service: 'GOV/NOCR/REGISTRY/person', path: '/persons/0012345679', issue: 'secret-case-of-reza' })).status,
    200,
  );
  assert.equal((await f.call('/r1/IR/GOV/NOCR/REGISTRY/person/persons/0499370899', { method: 'DELETE' })).status, 403);
});
after(async () => {
  await browser?.close();
  await f?.close();
});

function client() {
  const jar = new Map<string, string>();
  let token = '';
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const keep = <R extends { cookies: { name: string; value: string }[]; body: string }>(res: R): R => {
    for (const c of res.cookies) {
      if (c.value) jar.set(c.name, c.value);
      else jar.delete(c.name);
    }
    const m = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (m) token = m[1];
    return res;
  };
  return {
    jar,
    get: async (url: string) => keep(await f.t.app.inject({ method: 'GET', url, headers: { cookie: cookie() } })),
    post: async (url: string, form: Record<string, string>) =>
      keep(
        await f.t.app.inject({
          method: 'POST',
          url,
          payload: new URLSearchParams({ _csrf: token, ...form }).toString(),
          headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
        }),
      ),
  };
}

async function citizen(nationalId: string, mobile: string) {
  const b = client();
  await b.get('/en/sign-in');
  const r1 = await b.post('/en/sign-in', { nationalId, mobile, next: '' });
  assert.equal(r1.statusCode, 303, r1.body.slice(0, 300));
  await b.get(r1.headers.location as string);
  const lines = fs
    .readFileSync(path.join(f.t.ctx.config.DATA_DIR, 'outbox', 'sms.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const code = /\b(\d{6})\b/.exec(lines.filter((l) => l.to === mobile).at(-1).text)![1];
  const r2 = await b.post('/en/sign-in/code', { code, next: '' });
  assert.equal(r2.statusCode, 303);
  return b;
}

async function staffMember(email: string, role: StaffRole, agency: string | null) {
  const { staff } = await f.t.ctx.staff.invite(email, role, agency, 'test');
  const secret = await f.t.ctx.staff.setPassword((await f.t.ctx.staff.byId(staff.id))!, 'correct horse battery staple');
  assert.ok(await f.t.ctx.staff.confirmTotp((await f.t.ctx.staff.byId(staff.id))!, authenticator.generate(secret)));
  const b = client();
  await b.get('/en/staff/sign-in');
  const r1 = await b.post('/en/staff/sign-in?next=%2Fen%2Fstaff', { email, password: 'correct horse battery staple' });
  await b.get(r1.headers.location as string);
  const r2 = await b.post(r1.headers.location as string, { code: authenticator.clone({ epoch: Date.now() + 30_000 }).generate(secret) });
  assert.equal(r2.statusCode, 303);
  return { b, id: staff.id };
}

test('a citizen sees who asked for their data, when and why, and nobody else’s', async () => {
  assert.equal((await client().get('/fa/account/data-use')).statusCode, 303, 'signed out: to sign-in');
  maryam = await citizen('0499370899', '09121234567');
  const en = await maryam.get('/en/account/data-use');
  assert.equal(en.statusCode, 200);
  assert.match(en.body, /Iranian National Tax Administration/);
  assert.match(en.body, /National Organization for Civil Registration/);
  assert.match(en.body, /Communications Regulatory Authority/);
  assert.match(en.body, /tax-file-1405-778/);
  assert.match(en.body, /Person by national ID/);
  assert.match(en.body, /Not answered/, 'the refused DELETE is listed too');
  assert.doesNotMatch(en.body, /secret-case-of-reza/);
  const fa = await maryam.get('/fa/account/data-use');
  assert.match(fa.body, /سازمان امور مالیاتی کشور/);
  const reza = await citizen('0012345679', '09351112233');
  const his = await reza.get('/en/account/data-use');
  assert.match(his.body, /secret-case-of-reza/);
  assert.match(his.body, /Information Technology Organization of Iran/);
  assert.doesNotMatch(his.body, /tax-file-1405-778/);
  const nobody = await citizen('5123456783', '09111239876');
  assert.match((await nobody.get('/en/account/data-use')).body, /No agency has asked for your data/);
});

test('statistics for oversight, open data for everyone; admin pages only for platform admins, every change audited', async () => {
  const analyst = await staffMember('analyst@example.ir', 'oversight-analyst', null);
  const stats = await analyst.b.get('/en/staff/exchange/statistics');
  assert.equal(stats.statusCode, 200);
  assert.match(stats.body, /Organisations providing services/);
  assert.match(stats.body, /Person by national ID/);
  assert.equal((await analyst.b.get('/en/staff/exchange')).statusCode, 403);
  const editor = await staffMember('editor@example.ir', 'agency-admin', 'ir-nocr');
  assert.equal((await editor.b.get('/en/staff/exchange/statistics')).statusCode, 403);
  assert.equal((await editor.b.get('/en/staff/exchange')).statusCode, 403);

  const csv = await client().get('/open-data/exchange-statistics.csv');
  assert.equal(csv.statusCode, 200);
  const lines = csv.body.trim().split('\n');
  assert.equal(lines[0], 'day,provider,consumer,service,transactions,errors,error_rate,p50_ms,p95_ms,p99_ms');
  assert.ok(lines.some((l) => l.includes(',GOV/NOCR,GOV/TAX,GOV/NOCR/REGISTRY/person,')));
  assert.ok(!csv.body.includes('0499370899'));

  const admin = await staffMember('exchange.admin@example.ir', 'platform-admin', null);
  assert.equal((await admin.b.get('/en/staff/exchange')).statusCode, 200);
  await admin.b.get('/en/staff/exchange/members/new');
  const bad = await admin.b.post('/en/staff/exchange/members/new', { memberClass: 'GOV', memberCode: 'bad code!', nameEn: 'X' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /<title>Error:/);
  assert.match(bad.body, /may use only letters/);
  const empty = await admin.b.post('/en/staff/exchange/members/new', { memberClass: '', memberCode: '' });
  assert.match(empty.body, /Enter the member class/);
  const ok = await admin.b.post('/en/staff/exchange/members/new', {
    memberClass: 'GOV',
    memberCode: 'SSO',
    nameEn: 'Social Security Organization',
    nameFa: 'سازمان تأمین اجتماعی',
    agencyId: 'ir-sso',
  });
  assert.equal(ok.statusCode, 303);
  await admin.b.get('/en/staff/exchange/subsystems/new');
  assert.equal((await admin.b.post('/en/staff/exchange/subsystems/new', { member: 'GOV/SSO', code: 'PENSIONS' })).statusCode, 303);
  await admin.b.get('/en/staff/exchange/services/new');
  const badService = await admin.b.post('/en/staff/exchange/services/new', {
    subsystem: 'GOV/SSO/PENSIONS',
    code: 'insured',
    upstream: 'ftp://x',
    subject: 'path:x',
  });
  assert.equal(badService.statusCode, 400);
  assert.match(badService.body, /segment number/);
  // The same mistakes on the Persian pages are explained in Persian, not in the service's English.
  await admin.b.get('/fa/staff/exchange/members/new');
  const badFa = await admin.b.post('/fa/staff/exchange/members/new', { memberClass: 'GOV', memberCode: 'bad code!', nameFa: 'آزمون' });
  assert.equal(badFa.statusCode, 400);
  assert.match(badFa.body, /کد عضو «bad code!» فقط می‌تواند حروف لاتین/);
  assert.doesNotMatch(badFa.body, /may use only letters/);
  await admin.b.get('/fa/staff/exchange/services/new');
  const badServiceFa = await admin.b.post('/fa/staff/exchange/services/new', {
    subsystem: 'GOV/SSO/PENSIONS',
    code: 'insured',
    upstream: 'ftp://x',
    subject: 'path:x',
  });
  assert.equal(badServiceFa.statusCode, 400);
  assert.match(badServiceFa.body, /شماره بخش پس از کد خدمت/);
  const noSubsystemFa = await admin.b.post('/fa/staff/exchange/services/new', {
    subsystem: 'GOV/NONE/X',
    code: 'y',
    titleFa: 'آزمون',
    upstream: 'ftp://x',
  });
  assert.match(noSubsystemFa.body, /نشانی سامانه ارائه‌دهنده باید با http/);
  await admin.b.get('/fa/staff/exchange/grants/new');
  const badGrantFa = await admin.b.post('/fa/staff/exchange/grants/new', {
    service: 'GOV/NONE/X/y',
    client: 'GOV/TAX/PORTAL',
    method: 'GET',
    path: '/x',
  });
  assert.equal(badGrantFa.statusCode, 400);
  assert.match(badGrantFa.body, /خدمت GOV\/NONE\/X\/y وجود ندارد/);
  assert.doesNotMatch(badGrantFa.body, /There is no service/);
  const svc = await admin.b.post('/en/staff/exchange/services/new', {
    subsystem: 'GOV/SSO/PENSIONS',
    code: 'insured',
    titleEn: 'Insurance record',
    upstream: 'http://127.0.0.1:9/api',
    timeout: '2000',
    subject: 'path:2',
    logBodies: 'yes',
  });
  assert.equal(svc.statusCode, 303, svc.body.slice(0, 500));
  await admin.b.get('/en/staff/exchange/grants/new');
  assert.equal(
    (
      await admin.b.post('/en/staff/exchange/grants/new', {
        service: 'GOV/SSO/PENSIONS/insured',
        client: 'GOV/TAX/PORTAL',
        method: 'GET',
        path: '/insured/*',
      })
    ).statusCode,
    303,
  );
  const page = await admin.b.get('/en/staff/exchange');
  assert.match(page.body, /GOV\/SSO\/PENSIONS\/insured/);
  const grant = (await f.ex.registry()).raw.grants.find((g) => g.service_id === 'GOV/SSO/PENSIONS/insured')!;
  assert.equal((await admin.b.post(`/en/staff/exchange/grants/${grant.id}/revoke`, {})).statusCode, 303);
  assert.ok(!(await f.ex.registry()).raw.grants.some((g) => g.id === grant.id));
  const audit = await f.t.ctx.audit.search({ action: 'exchange.', actor: `staff:${admin.id}` });
  assert.deepEqual(audit.map((a) => a.action).sort(), [
    'exchange.grant-added',
    'exchange.grant-revoked',
    'exchange.member-added',
    'exchange.service-created',
    'exchange.subsystem-added',
  ]);
});

test('exchange pages are axe-clean in Chromium, in Persian and English', async () => {
  browser = await launchBrowser();
  const admin = await staffMember('axe.admin@example.ir', 'platform-admin', null);
  const failures: string[] = [];
  const check = async (jar: Map<string, string>, paths: string[]) => {
    const context = await browser.newContext({ bypassCSP: true });
    await context.addCookies([...jar].map(([name, value]) => ({ name, value, url: web })));
    const page = await context.newPage();
    page.setDefaultTimeout(5000);
    for (const p of paths) {
      const res = await page.goto(web + p);
      assert.equal(res?.status(), 200, p);
      const v = await axeViolations(page);
      if (v.length) failures.push(`${p}\n${describeViolations(v)}`);
    }
    if (paths.includes('/fa/staff/exchange/members/new')) {
      for (const lang of ['fa', 'en']) {
        await page.goto(`${web}/${lang}/staff/exchange/members/new`);
        await page.locator('#memberCode').fill('bad code');
        await page.locator('#main button[type=submit]').click();
        assert.match(await page.title(), lang === 'fa' ? /^خطا:/ : /^Error:/);
        const v = await axeViolations(page);
        if (v.length) failures.push(`${lang} member form with errors\n${describeViolations(v)}`);
      }
    }
    await context.close();
  };
  await check(maryam.jar, ['/fa/account/data-use', '/en/account/data-use']);
  await check(admin.b.jar, [
    '/fa/staff/exchange/statistics',
    '/en/staff/exchange/statistics',
    '/fa/staff/exchange',
    '/en/staff/exchange',
    '/fa/staff/exchange/services/new',
    '/en/staff/exchange/grants/new',
    '/fa/staff/exchange/members/new',
  ]);
  assert.equal(failures.length, 0, failures.join('\n\n'));
});
