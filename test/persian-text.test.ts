// Issue 17 §5, route level: Persian pages show no Gregorian years and no Latin digits in their text;
// English tables print years ungrouped ("2019", not "2,019"); numbers, codes and masked mobiles inside
// Persian text are direction-isolated.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
before(async () => (t = await testApp({ NOTIFICATIONS_WORKER: false })));
after(() => t.close());

/** The visible text of <main>: tags, scripts, styles, attributes and URLs left out. */
const mainText = (html: string) =>
  html
    .slice(html.indexOf('<main'), html.indexOf('</main>'))
    .replace(/<(script|style|code|svg)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&[a-z]+;/g, ' ');

test('monitoring (fa): the yearly chart and its table use Solar Hijri years, no Gregorian year anywhere in the text', async () => {
  const fa = await t.app.inject({ url: '/fa/monitoring' });
  assert.equal(fa.statusCode, 200);
  const text = mainText(fa.body);
  const greg = text.match(/(?<![0-9۰-۹])(?:19|20)[0-9]{2}(?![0-9۰-۹])|(?<![0-9۰-۹])[۱۲][۹۰][۰-۹]{2}(?![0-9۰-۹])/g) ?? [];
  assert.deepEqual(
    greg.filter((y) => /^(19|20)|^[۱۲][۹۰]/.test(y) && !/^۱[۳۴]/.test(y)),
    [],
    'no Gregorian year (Latin or Persian digits)',
  );
  const yearly = fa.body.slice(fa.body.indexOf('id="connected-title"'));
  assert.match(yearly, /۱۴۰[۰-۹]/, 'Solar Hijri years on the yearly chart');
});

test('monitoring (en): years in tables are not grouped like "2,019"', async () => {
  const en = await t.app.inject({ url: '/en/monitoring' });
  assert.doesNotMatch(mainText(en.body), /\b[12],[0-9]{3}\b(?=\s)/);
  assert.match(mainText(en.body), /\b20[12][0-9]\b/);
});

test('sign-in code: the SMS writes its minutes in Persian digits; the page isolates the masked mobile (first four digits first)', async () => {
  const { client, nationalId } = await import('./helpers/people.ts');
  const fs = await import('node:fs');
  const path = await import('node:path');
  const b = client(t.app, '');
  await b.get('/fa/sign-in');
  const mobile = '09127654321';
  const r = await b.post('/fa/sign-in', { nationalId: nationalId(424242), mobile, next: '' });
  assert.equal(r.statusCode, 303, r.body.slice(0, 200));
  const page = await b.get(r.headers.location as string);
  assert.match(page.body, /<bdi dir="ltr">۰۹۱۲\*\*\*۴۳۲۱<\/bdi>/);
  const sms = fs
    .readFileSync(path.join(t.ctx.config.DATA_DIR, 'outbox', 'sms.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { to: string; text: string })
    .filter((m) => m.to === mobile)
    .at(-1)!;
  assert.match(sms.text, /اعتبار: [۰-۹]+ دقیقه/);
  assert.doesNotMatch(sms.text, /[0-9]+ دقیقه/);
});

test('sessions page: device and browser family in words, last active with its time, "this device"', async () => {
  const { deviceName } = await import('../src/modules/identity/device.ts');
  const android = 'Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
  assert.equal(deviceName('en', android), 'Chrome on Android');
  assert.equal(deviceName('fa', android), 'Chrome روی اندروید');
  assert.equal(
    deviceName('en', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Version/17.5 Mobile/15E148 Safari/604.1'),
    'Safari on iPhone',
  );
  assert.equal(deviceName('en', null), 'Unknown device');
  const { citizenSession, client } = await import('./helpers/people.ts');
  const who = await citizenSession(t.ctx);
  const page = await client(t.app, who.cookie).get('/fa/account/sessions');
  assert.equal(page.statusCode, 200);
  const main = mainText(page.body);
  assert.match(main, /همین دستگاه/);
  assert.match(main, /آخرین فعالیت: [^·]*، [۰-۹]{2}:[۰-۹]{2}/);
  assert.doesNotMatch(main, /[0-9]/, 'no Latin digits');
});
