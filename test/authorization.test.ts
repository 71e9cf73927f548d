// Authorization over EVERY route the app serves, for every kind of caller: signed out, a citizen,
// and staff of each role (including staff of another agency). Each route is classified below; a
// route nobody classified fails the test, so a new route cannot ship without saying who may use it.
// For each call the outcome must be clear: allowed (not 401/403, no redirect to a sign-in page) or
// refused (401/403, or 303 to sign in); never a 5xx. The exact staff role matrix per route is in
// src/modules/identity/staff.test.ts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from './helpers/app.ts';
import { browserFor, nextCode, setUpStaff, signInCitizen, signInStaff, type Browser } from './helpers/sessions.ts';
import type { StaffRole } from '../src/db/schema.ts';

type Access =
  | 'public' // anyone
  | 'citizen' // a signed-in citizen only
  | 'staff' // signed-in staff only (which roles: the staff role matrix)
  | 'staff-entry' // staff sign-in, setup and reset pages: anyone, they carry their own one-time tokens
  | 'provider' // the OpenID Connect protocol endpoints: anyone, the protocol authenticates
  | 'agency-api' // agency systems with an API key only (no browser session of any kind opens them)
  | 'bank-api' // banks' P2G bill API with a bank API key only (no browser session of any kind opens it)
  | 'gateway'; // the payment gateway's callback: anyone may post it; nothing in it counts until the gateway verifies it

/** First match wins. Patterns are "METHOD /url/pattern" as Fastify registered them. */
const RULES: [RegExp, Access][] = [
  [/^GET \/(assets\/.*|healthz|api\/docs|api\/openapi\.json|open-data\/.*)?$/, 'public'],
  [/^GET \/api\/v1\//, 'public'],
  [/^[A-Z]+ \/api\/agency\/v1\//, 'agency-api'],
  [/^[A-Z]+ \/api\/p2g\/v1\//, 'bank-api'],
  [/^POST \/payments\/ipg\/callback\/:paymentId$/, 'gateway'],
  // GovStack Registration API: the catalogue side (services, eForms) and the statistics are open, as the
  // spec says; applications, documents and tasks carry personal data and need an agency API key with
  // the govstack scope (they are open only with GOVSTACK_ACCESS=open, in a conformance-test sandbox).
  [/^GET \/govstack\/registration\/(services(\/:serviceId(\/eForms)?)?|eForms\/:eFormId|data\/statistics(\/1\.0)?)$/, 'public'],
  [/^[A-Z]+ \/govstack\/registration\//, 'agency-api'],
  [/^(GET|POST) (\/:lang)?\/verify(\/:code)?$/, 'public'], // anyone may check a document
  [/^GET \/\.well-known\/panjereh-document-keys\.json$/, 'public'],
  [/^POST \/:lang\/services\/:slug\/apply$/, 'citizen'], // GET is the public start page
  [/^GET \/:lang(\/(agencies|categories|life-events|search|services|un-egov|monitoring|participation)(\/.*)?)?$/, 'public'],
  [/^POST \/:lang\/participation\/:slug\/.*$/, 'citizen'], // comment, reply, support, flag, propose, vote: signed-in citizens; staff pages under /staff/participation
  [/^GET \/:lang\/(privacy|accessibility|help|terms|cookies)$/, 'public'], // the pages every government service has
  [/^GET \/:lang\/foi$/, 'public'], // the public FOI register (requests module); agency statistics are under /agencies
  [/^GET \/:lang\/foi\/:id\/files\/:file$/, 'public'], // a file the FOI officer published with a published answer (else 404)
  [/^(GET|POST) \/:lang\/requests(\/.*)?$/, 'citizen'], // the citizen's own complaints, demands and FOI requests
  [/^GET \/(robots\.txt|sitemap\.xml|favicon\.ico)$/, 'public'],
  [/^(GET|POST) \/:lang\/applications\/:id\/questions\/:page\/prefill$/, 'citizen'], // consent to prefill from a registry: the applicant only
  [/^(GET|POST) \/:lang\/(applications|ebox)(\/.*)?$/, 'citizen'],
  [/^(GET|POST) \/:lang\/sign-in(\/code)?$/, 'public'],
  [/^POST \/:lang\/(staff\/)?sign-out$/, 'public'], // anyone may sign out; it ends at a sign-in page
  [/^(GET|POST) \/:lang\/session\/(warning|extend)$/, 'citizen'],
  [/^(GET|POST) \/:lang\/account\/representation$/, 'citizen'], // whom the citizen may apply for (their minor children and wards, from the civil registry)
  [/^POST \/:lang\/account\/representation\/(others|grants|grants\/:id\/end)$/, 'citizen'], // companies and powers of attorney (registries), a signatory gives or ends a colleague's access
  [/^(GET|POST) \/:lang\/account\/representation\/made-for-me(\/:id\/object)?$/, 'citizen'], // applications an attorney made in the citizen's name; the objection (only the person it names)
  [/^(GET|POST) \/:lang\/account\/assurance$/, 'citizen'], // step-up of the sign-in's identity assurance with the civil registry: the signed-in citizen's own session only
  [/^(GET|POST) \/:lang\/account(\/.*)?$/, 'citizen'],
  [/^(GET|POST) \/:lang\/staff\/(sign-in(\/second-factor)?|setup\/.*|password\/.*|authenticator\/:token)$/, 'staff-entry'], // authenticator/:token: the link an administrator's authenticator reset sends
  [/^(GET|POST) \/:lang\/staff\/agencies\/:agency\/services\/:slug\/form(\/preview)?$/, 'staff'], // form editor: service editors and admins of the agency (catalog.edit)
  [/^(GET|POST) \/:lang\/staff\/agencies\/:agency\/offline-applications$/, 'staff'], // counter application counts: operators and admins of the agency
  [/^(GET|POST) \/:lang\/staff\/monitoring\/indicator-sets\/:key\/weights$/, 'staff'], // the oversight office (monitoring.manage); others 403
  [/^(GET|POST) \/:lang\/staff\/monitoring\/rounds\/:round\/checks(\/.*)?$/, 'staff'], // portal check jobs: the oversight office or the subject's assessor
  [/^(GET|POST) \/:lang\/staff\/search\/(dictionary(\/:id(\/delete)?)?|queries)$/, 'staff'], // search dictionary and counts: service editors, agency and platform admins (catalog.dictionary)
  [/^(GET|POST) \/:lang\/staff\/counter(\/sessions(\/:id(\/(code|end))?)?)?$/, 'staff'], // counter office desk: counter operators of the session's office (counter.work); others 403
  [/^(GET|POST) \/:lang\/staff\/counter\/offices$/, 'staff'], // registering counter offices: platform admins (counter.manage)
  [/^(GET|POST) \/:lang\/staff\/life-events(\/:code)?$/, 'staff'], // life-event journeys, national content: platform admins only (catalog.journeys); others 403
  [/^(GET|POST) \/:lang\/staff(\/.*)?$/, 'staff'],
  [/^[A-Z]+ \/(\.well-known\/openid-configuration|oidc\/\*)$/, 'provider'],
  [/^(GET|POST) \/oidc\/interaction\/.*$/, 'provider'],
];

const CALLERS: [string, StaffRole | 'citizen' | null, string | null][] = [
  ['signed-out', null, null],
  ['citizen', 'citizen', null],
  ['admin', 'platform-admin', null],
  ['analyst', 'oversight-analyst', null],
  ['nocr-admin', 'agency-admin', 'ir-nocr'],
  ['nocr-editor', 'service-editor', 'ir-nocr'],
  ['nocr-operator', 'operator', 'ir-nocr'],
  ['tax-admin', 'agency-admin', 'ir-tax'],
  ['tax-participation', 'participation-editor', 'ir-tax'],
  ['counter-operator', 'counter-operator', null],
];

let t: TestApp;
before(async () => (t = await testApp()));
after(() => t.close());

function allowed(access: Access, caller: string): boolean {
  if (access === 'citizen') return caller === 'citizen';
  if (access === 'staff') return caller !== 'signed-out' && caller !== 'citizen';
  if (access === 'agency-api' || access === 'bank-api') return false;
  return true;
}

test('every route is classified, and every caller is either served or clearly refused, never a 5xx', async () => {
  const unclassified = t.ctx.routes.filter((r) => !RULES.some(([re]) => re.test(`${r.method} ${r.url}`)));
  assert.deepEqual(unclassified, [], 'add each new route to RULES with who may use it');

  const sessions = new Map<string, Browser>();
  let n = 0;
  for (const [name, role, agency] of CALLERS) {
    if (role === null) sessions.set(name, browserFor(t));
    else if (role === 'citizen') sessions.set(name, await signInCitizen(t, '0010000046', '09125551001'));
    else {
      const email = `authz-${name}-${n++}@example.ir`;
      const { secret } = await setUpStaff(t, email, role, agency);
      const { b, res } = await signInStaff(t, email, nextCode(secret));
      assert.equal(res.statusCode, 303, name);
      sessions.set(name, b);
    }
  }
  const card = (await t.ctx.catalog.agencyCards('ir-nocr'))[0];
  const person = (await t.ctx.staff.listByAgency('ir-nocr'))[0];
  const withForm = await t.ctx.database.db
    .selectFrom('application_forms')
    .innerJoin('services', 'services.id', 'application_forms.service_id')
    .select('services.slug')
    .where('services.assurance', '=', 'low') // a service above a citizen's sign-in is a refusal that page says how to pass (assurance.test.ts)
    .executeTakeFirstOrThrow();
  const fill = (url: string) =>
    url
      .replace(':lang', 'en')
      .replace(/:(id|agency)\b/, 'ir-nocr')
      .replace(':slug', url.endsWith('/apply') ? withForm.slug : card.slug)
      .replace(':staffId', person.id)
      .replace(':iso3', 'IRN')
      .replace(':code', 'identity-civil-status')
      .replace(':round', 'demo-1404-h1')
      .replace(':ext', 'json')
      .replace(/:(token|uid|hash|name|page|file|subject|key|paymentId|billId)\b/g, 'x')
      .replace('*', 'jwks');

  const problems: string[] = [];
  // Signing out ends the session the later calls need: those go last.
  const last = (r: { url: string }) => (r.url.endsWith('/sign-out') ? 1 : 0);
  const routes = t.ctx.routes.filter((r) => r.method === 'GET' || r.method === 'POST').sort((a, b) => last(a) - last(b));
  for (const route of routes) {
    const access = RULES.find(([re]) => re.test(`${route.method} ${route.url}`))![1];
    const url = fill(route.url);
    for (const [name] of CALLERS) {
      const b = sessions.get(name)!;
      if (route.method === 'POST') await b.get(name === 'signed-out' || name === 'citizen' ? '/en/sign-in' : '/en/staff'); // a fresh CSRF token
      const res = route.method === 'GET' ? await b.get(url) : await b.post(url, {});
      const location = String(res.headers.location ?? '');
      const toSignIn = res.statusCode === 303 && /\/(staff\/)?sign-in(\?|$)/.test(location) && !/\/sign-(in|out)/.test(url);
      const refused = res.statusCode === 401 || res.statusCode === 403 || toSignIn;
      const label = `${route.method} ${route.url} as ${name}: ${res.statusCode}${location ? ` -> ${location}` : ''}`;
      if (res.statusCode >= 500) problems.push(`${label} (server error)`);
      else if (allowed(access, name) && refused && !(access === 'staff' && res.statusCode === 403))
        problems.push(`${label} (refused, but ${access} routes are for this caller)`);
      else if (!allowed(access, name) && !refused) problems.push(`${label} (served, but the route is ${access})`);
    }
  }
  assert.deepEqual(problems, []);
});
