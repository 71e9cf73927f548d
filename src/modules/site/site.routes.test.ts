// The pages every government service has (privacy, accessibility, help and contact, terms, cookies) in
// both languages; robots.txt and the sitemap with absolute URLs from PUBLIC_URL whatever the Host header
// says; the icon; and "your data" (page and JSON download) for its owner only.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { citizenSession, client } from '../../../test/helpers/people.ts';
import { CATEGORIES } from '../catalog/catalog.taxonomy.ts';
import { languagePaths } from '../../web/layout.tsx';

const ORIGIN = 'https://window.example.ir';
let t: TestApp;
before(async () => (t = await testApp({ PUBLIC_URL: ORIGIN, CONTACT_EMAIL: 'help@window.example.ir', TRUST_PROXY: true })));
after(() => t?.close());

const PAGES: [string, string, string][] = [
  ['privacy', 'حریم خصوصی', 'Privacy notice'],
  ['accessibility', 'بیانیه دسترس‌پذیری', 'Accessibility statement'],
  ['help', 'راهنما و تماس با ما', 'Help and contact'],
  ['terms', 'شرایط استفاده', 'Terms of use'],
  ['cookies', 'کوکی‌ها', 'Cookies'],
];

/** Latin words a reader sees on a page, leaving out code, addresses and the allowed names and codes. */
const ALLOWED_LATIN = new Set(['API', 'CSV', 'CC', 'BY', 'WCAG', 'AA', 'axe']); // codes and a tool's name
export function latinWords(html: string): string[] {
  const body = html
    .replace(/^[\s\S]*?<body[^>]*>/, '')
    .replace(/<(script|style|code|template)\b[\s\S]*?<\/\1>/g, ' ')
    .replace(/<(\w+)\b[^>]*\blang="en"[^>]*>[\s\S]*?<\/\1>/g, ' ') // text marked as English (the language switch)
    .replace(/<[^>]+>/g, ' ')
    .replace(/&[a-z#0-9]+;/gi, ' ')
    .replace(/[\w.+-]+@[\w.-]+/g, ' ') // email addresses
    .replace(/(https?:\/\/)?([\w-]+\.)+(ir|com|org|net|gov)\b\S*/g, ' '); // web addresses
  return [...new Set(body.match(/[A-Za-z]{2,}/g) ?? [])].filter((w) => !ALLOWED_LATIN.has(w));
}

test('each page answers in Persian and English: lang, dir, title, description, absolute alternates, footer links', async () => {
  for (const [path, fa, en] of PAGES) {
    for (const lang of ['fa', 'en'] as const) {
      const res = await t.app.inject({ url: `/${lang}/${path}` });
      assert.equal(res.statusCode, 200, `${lang}/${path}`);
      const html = res.body;
      assert.match(html, new RegExp(`<html lang="${lang}" dir="${lang === 'fa' ? 'rtl' : 'ltr'}">`));
      assert.ok(html.includes(`<title>${lang === 'fa' ? fa : en} – `), `${lang}/${path} title`);
      assert.match(html, /<meta name="description" content="[^"]{20,}"/);
      assert.ok(html.includes(`<link rel="alternate" hreflang="fa" href="${ORIGIN}/fa/${path}"`), `${lang}/${path} fa alternate`);
      assert.ok(html.includes(`<link rel="alternate" hreflang="en" href="${ORIGIN}/en/${path}"`), `${lang}/${path} en alternate`);
      assert.ok(html.includes(`<link rel="alternate" hreflang="x-default" href="${ORIGIN}/fa/${path}"`));
      for (const [p] of PAGES) assert.ok(html.includes(`href="/${lang}/${p}"`), `${lang}/${path} footer links ${p}`);
      assert.ok(html.includes('<link rel="icon" href="/favicon.ico"'));
      if (lang === 'fa') assert.deepEqual(latinWords(html), [], `Latin words on /fa/${path}`);
    }
  }
});

test('another language is a 404, as on the catalogue’s pages', async () => {
  const catalogue = await t.app.inject({ url: '/de/agencies' });
  assert.equal(catalogue.statusCode, 404);
  for (const url of ['/de/privacy', '/de/account/my-data', '/xx/cookies']) {
    const res = await t.app.inject({ url });
    assert.equal(res.statusCode, 404, url);
    assert.equal(res.headers['content-type'], catalogue.headers['content-type']);
  }
});

test('alternates come from the other language’s path; a path without a language prefix gets none', () => {
  assert.deepEqual(languagePaths('en', '/fa/agencies/ir-nocr?page=2'), {
    en: '/en/agencies/ir-nocr?page=2',
    fa: '/fa/agencies/ir-nocr?page=2',
  });
  assert.deepEqual(languagePaths('fa', '/en'), { fa: '/fa', en: '/en' });
  assert.equal(languagePaths('fa', '/oidc/session/end?ui_locales=en'), null);
  assert.equal(languagePaths('fa', '/english'), null);
});

test('the Latin-word check finds Latin words (a check that can fail)', () => {
  assert.deepEqual(latinWords('<body><p>سلام Hello <code>__Host-csrf</code> help@x.ir WCAG</p></body>'), ['Hello']);
});

test('every page, not only the new ones, has absolute alternates from PUBLIC_URL and the footer', async () => {
  const res = await t.app.inject({ url: '/en/agencies', headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example' } });
  assert.ok(res.body.includes(`<link rel="alternate" hreflang="fa" href="${ORIGIN}/fa/agencies"`));
  assert.ok(res.body.includes(`href="/en/privacy">Privacy</a>`));
  assert.ok(!res.body.includes('evil.example'));
});

test('the privacy notice states the retention the configuration sets, and links to the data request', async () => {
  const fa = (await t.app.inject({ url: '/fa/privacy' })).body;
  assert.match(fa, /۳۰ روز/); // DRAFT_RETENTION_DAYS
  assert.match(fa, /۱۲ ساعت/); // SESSION_ABSOLUTE_HOURS
  assert.ok(fa.includes('منشور حقوق شهروندی'));
  assert.ok(fa.includes('href="/fa/account/my-data"'));
  const en = (await t.app.inject({ url: '/en/privacy' })).body;
  assert.match(en, /30 days/);
  assert.match(en, /never sold/);
});

test('the accessibility statement is dated in the Jalali calendar in Persian', async () => {
  const fa = (await t.app.inject({ url: '/fa/accessibility' })).body;
  assert.match(fa, /<time datetime="2026-12-07">۱۶ آذر ۱۴۰۵<\/time>/);
  const en = (await t.app.inject({ url: '/en/accessibility' })).body;
  assert.match(en, /<time datetime="2026-12-07">7 December 2026<\/time>/);
  assert.ok(en.includes('WCAG 2.2'));
});

test('help lists each agency’s contact details from the catalogue and the platform’s address', async () => {
  const agencies = await t.ctx.catalog.agencies();
  const nocr = agencies.find((a) => a.id === 'ir-nocr')!;
  const fa = (await t.app.inject({ url: '/fa/help' })).body;
  for (const a of agencies) assert.ok(fa.includes(`href="/fa/agencies/${a.id}"`), a.id);
  assert.ok(fa.includes(`href="tel:${nocr.contact.phone}"`));
  assert.ok(fa.includes('۰۲۱-۱۵۲۲'));
  assert.ok(fa.includes(`mailto:${nocr.contact.email}`));
  assert.ok(fa.includes(nocr.contact.address?.fa ?? 'an address'));
  assert.ok(fa.includes(`href="${nocr.website}"`));
  assert.ok(fa.includes('mailto:help@window.example.ir'));
});

test('the cookies page lists the cookies the code sets', async () => {
  const en = (await t.app.inject({ url: '/en/cookies' })).body;
  for (const name of ['__Host-session', '__Host-staff', '__Host-csrf', 'signin', 'lang', '_session', '_interaction', '_interaction_resume'])
    assert.ok(en.includes(`<code dir="ltr">${name}</code>`), name);
  // and those are the names: a first visit gets the lang cookie, a form page the csrf one
  const first = await t.app.inject({ url: '/en/sign-in' });
  const names = first.cookies.map((c) => c.name).sort();
  assert.deepEqual(names, ['csrf', 'lang']); // development names: without __Host- (the page says so)
});

test('robots.txt and the sitemap use PUBLIC_URL, never the Host or X-Forwarded-Host header', async () => {
  const forged = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' };
  const robots = await t.app.inject({ url: '/robots.txt', headers: forged });
  assert.equal(robots.statusCode, 200);
  assert.match(robots.headers['content-type'] as string, /^text\/plain/);
  assert.ok(robots.body.includes(`Sitemap: ${ORIGIN}/sitemap.xml`));
  for (const p of ['/fa/staff', '/en/staff', '/fa/account', '/en/applications', '/api/agency/', '/oidc/'])
    assert.ok(robots.body.includes(`Disallow: ${p}\n`), p);
  assert.ok(robots.body.includes('Allow: /\n'));

  const map = await t.app.inject({ url: '/sitemap.xml', headers: forged });
  assert.equal(map.statusCode, 200);
  assert.match(map.headers['content-type'] as string, /^application\/xml/);
  assert.ok(!map.body.includes('evil.example'));
  const locs = [...map.body.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
  const hrefs = [...map.body.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
  for (const u of [...locs, ...hrefs]) assert.ok(u.startsWith(`${ORIGIN}/`), u);
  const { agencies, services } = await t.ctx.catalog.openData();
  const expected = [
    '',
    '/search',
    '/agencies',
    ...agencies.map((a) => `/agencies/${a.id}`),
    ...CATEGORIES.map((c) => `/categories/${c.code}`),
    ...services.map((s) => `/services/${s.slug}`),
    ...PAGES.map(([p]) => `/${p}`),
  ];
  for (const p of expected) for (const lang of ['fa', 'en']) assert.ok(locs.includes(`${ORIGIN}/${lang}${p}`), `${lang}${p}`);
  assert.equal(new Set(locs).size, locs.length, 'each URL once');
  assert.ok(services.length > 100);
  assert.ok(
    map.body.includes(
      `<url><loc>${ORIGIN}/en/privacy</loc><xhtml:link rel="alternate" hreflang="fa" href="${ORIGIN}/fa/privacy"/><xhtml:link rel="alternate" hreflang="en" href="${ORIGIN}/en/privacy"/><xhtml:link rel="alternate" hreflang="x-default" href="${ORIGIN}/fa/privacy"/></url>`,
    ),
  );
  // a retired or draft card is not listed
  const draft = await t.ctx.database.db.selectFrom('services').select('slug').where('status', '!=', 'published').executeTakeFirst();
  if (draft) assert.ok(!locs.includes(`${ORIGIN}/fa/services/${draft.slug}`));
});

test('the icons: /favicon.ico and the SVG icon linked in the head', async () => {
  const ico = await t.app.inject({ url: '/favicon.ico' });
  assert.equal(ico.statusCode, 200);
  assert.equal(ico.headers['content-type'], 'image/x-icon');
  assert.deepEqual([...ico.rawPayload.subarray(0, 4)], [0, 0, 1, 0]);
  const home = (await t.app.inject({ url: '/fa' })).body;
  const svg = /<link rel="icon" href="([^"]+icon\.svg)" type="image\/svg\+xml"/.exec(home);
  assert.ok(svg);
  const res = await t.app.inject({ url: svg[1] });
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /^<svg /);
});

async function applicant(seed: number, fullName: string) {
  const who = await citizenSession(t.ctx, seed);
  const citizen = { id: who.id, national_id: who.nationalId, mobile: who.mobile };
  const d = await t.ctx.applications.startDraft(citizen, 'certificate-of-single-status', 'fa');
  await t.ctx.applications.saveAnswers(d, { nationalId: who.nationalId, mobile: who.mobile, fullName, purpose: 'employment' });
  const r = await t.ctx.applications.submit(citizen, d.id, d.submission_token);
  assert.ok('app' in r, JSON.stringify(r));
  return { ...who, applicationId: d.id };
}

test('“your data”: signed out goes to sign in; a citizen sees and downloads their own data and nobody else’s', async () => {
  for (const url of ['/fa/account/my-data', '/en/account/my-data.json']) {
    const res = await t.app.inject({ url });
    assert.equal(res.statusCode, 303, url);
    assert.match(res.headers.location as string, /\/sign-in\?next=/);
  }
  const a = await applicant(101_000_001, 'Ava Alpha');
  const b = await applicant(202_000_002, 'Bita Beta');
  const ca = client(t.app, a.cookie);

  const page = await ca.get('/fa/account/my-data');
  assert.equal(page.statusCode, 200);
  assert.ok(page.body.includes('href="/fa/account/my-data.json"'));
  assert.equal(page.headers['cache-control'], 'private, no-store');
  assert.deepEqual(latinWords(page.body), []);

  const res = await ca.get('/en/account/my-data.json');
  assert.equal(res.statusCode, 200);
  assert.match(res.headers['content-type'] as string, /^application\/json/);
  assert.match(res.headers['content-disposition'] as string, /^attachment; filename="panjereh-my-data-\d{4}-\d{2}-\d{2}\.json"$/);
  assert.equal(res.headers['cache-control'], 'private, no-store');
  const data = JSON.parse(res.body);
  assert.equal(data.profile.nationalId, a.nationalId);
  assert.equal(data.profile.mobile, a.mobile);
  assert.deepEqual(
    data.applications.map((x: { id: string }) => x.id),
    [a.applicationId],
  );
  assert.equal(data.applications[0].answers.fullName, 'Ava Alpha');
  assert.equal(data.applications[0].status, 'submitted');
  assert.ok(data.applications[0].history.length >= 1);
  assert.ok(data.sessions.length >= 1);
  assert.ok(data.eboxMessages.length >= 1, 'the submission’s e-box message');
  assert.ok(Array.isArray(data.dataUse));
  for (const m of data.eboxMessages) assert.ok(m.applicationId === null || m.applicationId === a.applicationId);
  // nothing of the other citizen, and no secrets
  for (const secret of [b.nationalId, b.mobile, b.applicationId, 'Bita Beta', 'token_hash', 'submission_token'])
    assert.ok(!res.body.includes(secret), `found ${secret}`);

  // and the other way round
  const other = JSON.parse((await client(t.app, b.cookie).get('/fa/account/my-data.json')).body);
  assert.equal(other.profile.nationalId, b.nationalId);
  assert.deepEqual(
    other.applications.map((x: { id: string }) => x.id),
    [b.applicationId],
  );
});
