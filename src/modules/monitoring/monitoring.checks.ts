// Automated portal checks: HTTPS and its certificate (read over TLS), then the page loaded in headless
// Chromium (Debian's, through playwright-core): response time, page weight, lang/dir, mobile viewport,
// accessibility with axe-core (WCAG 2.2 AA), and whether there is a search, contact details, a
// privacy policy and a list of services. The results propose answers an assessor confirms.
import fs from 'node:fs';
import tls from 'node:tls';
import { createRequire } from 'node:module';
import type { Indicator, PortalCheckKey } from './monitoring.schema.ts';
import type { Browser } from 'playwright-core';

export interface PortalCheckResult {
  url: string;
  finalUrl?: string;
  checkedAt: string;
  reachable: boolean;
  error?: string;
  status?: number;
  https: boolean;
  certificate?: { valid: boolean; error?: string; validTo?: string; daysLeft?: number; issuer?: string };
  responseMs?: number;
  pageKb?: number;
  lang?: string;
  dir?: string;
  langDirOk?: boolean;
  viewport?: boolean;
  axe?: { violations: number; nodes: number; rules: string[] };
  search?: boolean;
  contact?: boolean;
  privacy?: boolean;
  servicesList?: boolean;
}

const RTL = /^(fa|ar|ur|he|ps|ckb)(-|$)/i;

/** The TLS certificate the server presents, judged against the system's trusted roots. */
export function certificateOf(url: URL, timeoutMs: number): Promise<PortalCheckResult['certificate']> {
  return new Promise((resolve) => {
    const socket = tls.connect(
      {
        host: url.hostname,
        port: Number(url.port || 443),
        servername: /^[\d.]+$|^\[/.test(url.hostname) ? undefined : url.hostname,
        rejectUnauthorized: false,
        timeout: timeoutMs,
      },
      () => {
        const cert = socket.getPeerCertificate();
        const validTo = cert.valid_to ? new Date(cert.valid_to) : undefined;
        const daysLeft = validTo ? Math.floor((validTo.getTime() - Date.now()) / 86_400_000) : undefined;
        const err = socket.authorizationError ? String(socket.authorizationError) : undefined;
        socket.end();
        resolve({
          valid: socket.authorized && (daysLeft ?? 0) >= 0,
          error: err,
          validTo: validTo?.toISOString(),
          daysLeft,
          issuer: typeof cert.issuer?.O === 'string' ? cert.issuer.O : typeof cert.issuer?.CN === 'string' ? cert.issuer.CN : undefined,
        });
      },
    );
    socket.on('timeout', () => {
      socket.destroy();
      resolve({ valid: false, error: 'timed out' });
    });
    socket.on('error', (e) => resolve({ valid: false, error: e.message }));
  });
}

interface DomProbe {
  responseMs?: number;
  bytes: number;
  lang: string;
  dir: string;
  viewport: boolean;
  search: boolean;
  contact: boolean;
  privacy: boolean;
  servicesList: boolean;
}

// Run in the page as source text (not a compiled function, so no build helpers leak into the page).
const DOM_PROBE = `(() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const resources = performance.getEntriesByType('resource');
  const bytes = (nav ? nav.encodedBodySize || nav.transferSize : 0) + resources.reduce((a, r) => a + (r.encodedBodySize || r.transferSize || 0), 0);
  const html = document.documentElement;
  const links = [...document.querySelectorAll('a')].map((a) => ((a.textContent || '') + ' ' + (a.getAttribute('href') || '')).toLowerCase());
  const text = document.body ? document.body.innerText : '';
  const has = (re) => links.some((l) => re.test(l));
  return {
    responseMs: nav ? Math.round(nav.responseStart - nav.requestStart) : undefined,
    bytes,
    lang: html.getAttribute('lang') || '',
    dir: html.getAttribute('dir') || '',
    viewport: /width\\s*=\\s*device-width/i.test((document.querySelector('meta[name="viewport"]') || { getAttribute: () => '' }).getAttribute('content') || ''),
    search: !!document.querySelector('input[type="search"], [role="search"], form[action*="search" i] input, input[name="q"], input[name="query"], input[name="search"]'),
    contact: !!document.querySelector('a[href^="mailto:"], a[href^="tel:"], address') || has(/contact|تماس/),
    privacy: has(/privacy|حریم[\\s\u200c]?خصوصی/),
    servicesList: has(/services|خدمات/) || /فهرست خدمات|list of services/i.test(text),
  };
})()`;

const AXE_RUN = `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }, resultTypes: ['violations'] })
  .then((r) => ({ violations: r.violations.length, nodes: r.violations.reduce((a, v) => a + v.nodes.length, 0), rules: r.violations.map((v) => v.id) }))`;

function loadAxe(): string {
  const require = createRequire(import.meta.url);
  return fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
}

export interface CheckerOptions {
  chromiumPath: string;
  timeoutMs: number;
}

/** Checks websites one after another in one browser. Call close() when done. */
export class PortalChecker {
  #browser: Promise<Browser> | null = null;
  constructor(private readonly opts: CheckerOptions) {}

  async #launch() {
    if (!fs.existsSync(this.opts.chromiumPath))
      throw new Error(
        `Chromium is not installed at ${this.opts.chromiumPath}. Install it with: apt-get install -y chromium (or set CHROMIUM_PATH).`,
      );
    const { chromium } = await import('playwright-core');
    return chromium.launch({
      executablePath: this.opts.chromiumPath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
      ],
    });
  }

  async check(raw: string): Promise<PortalCheckResult> {
    const checkedAt = new Date().toISOString();
    let url: URL;
    try {
      url = new URL(raw);
      if (!['http:', 'https:'].includes(url.protocol)) throw new Error('not http');
    } catch {
      return { url: raw, checkedAt, reachable: false, https: false, error: 'not a web address (it must start with http:// or https://)' };
    }
    this.#browser ??= this.#launch();
    const browser = await this.#browser;
    const context = await browser.newContext({ ignoreHTTPSErrors: true, bypassCSP: true, viewport: { width: 390, height: 844 } });
    try {
      const page = await context.newPage();
      let res;
      try {
        res = await page.goto(url.toString(), { waitUntil: 'load', timeout: this.opts.timeoutMs });
      } catch (e) {
        return { url: raw, checkedAt, reachable: false, https: url.protocol === 'https:', error: (e as Error).message.split('\n')[0] };
      }
      const final = new URL(page.url());
      const out: PortalCheckResult = {
        url: raw,
        finalUrl: final.toString(),
        checkedAt,
        reachable: true,
        status: res?.status(),
        https: final.protocol === 'https:',
      };
      if (out.https) out.certificate = await certificateOf(final, this.opts.timeoutMs);
      const dom = (await page.evaluate(DOM_PROBE)) as DomProbe;
      out.responseMs = dom.responseMs;
      out.pageKb = Math.round(dom.bytes / 102.4) / 10;
      out.lang = dom.lang;
      out.dir = dom.dir;
      out.langDirOk = !!dom.lang && (!RTL.test(dom.lang) || dom.dir.toLowerCase() === 'rtl');
      out.viewport = dom.viewport;
      out.search = dom.search;
      out.contact = dom.contact;
      out.privacy = dom.privacy;
      out.servicesList = dom.servicesList;
      await page.addScriptTag({ content: loadAxe() });
      out.axe = (await page.evaluate(AXE_RUN)) as PortalCheckResult['axe'];
      return out;
    } finally {
      await context.close();
    }
  }

  async close(): Promise<void> {
    if (this.#browser) await (await this.#browser).close().catch(() => {});
    this.#browser = null;
  }
}

/** The value each check gives, as a number, or undefined when the check could not tell. */
function checkValue(key: PortalCheckKey, r: PortalCheckResult, type: Indicator['type']): number | undefined {
  const b = (v: boolean | undefined) => (v === undefined ? undefined : v ? 1 : 0);
  if (!r.reachable) return key === 'https' ? b(r.https) : undefined;
  switch (key) {
    case 'https':
      return b(r.https);
    case 'certificate-valid':
      return r.https ? b(r.certificate?.valid) : 0;
    case 'certificate-days-left':
      return r.https && r.certificate?.valid && r.certificate.daysLeft !== undefined ? Math.max(0, r.certificate.daysLeft) : 0; // no HTTPS or no valid certificate: nothing left
    case 'response-ms':
      return r.responseMs;
    case 'page-kb':
      return r.pageKb;
    case 'lang-dir':
      return b(r.langDirOk);
    case 'viewport':
      return b(r.viewport);
    case 'axe-violations':
      return r.axe ? (type === 'yesno' ? (r.axe.violations === 0 ? 1 : 0) : r.axe.violations) : undefined;
    case 'search':
      return b(r.search);
    case 'contact':
      return b(r.contact);
    case 'privacy':
      return b(r.privacy);
    case 'services-list':
      return b(r.servicesList);
  }
}

export function summarize(r: PortalCheckResult): string {
  if (!r.reachable) return `Not reachable: ${r.error}`;
  const parts = [
    `HTTP ${r.status}`,
    r.https
      ? `HTTPS, certificate ${r.certificate?.valid ? `valid, ${r.certificate.daysLeft} days left` : `not valid (${r.certificate?.error ?? 'unknown'})`}`
      : 'no HTTPS',
    `${r.responseMs} ms`,
    `${r.pageKb} KB`,
    `lang="${r.lang}" dir="${r.dir}"`,
    r.viewport ? 'mobile viewport' : 'no mobile viewport',
    `${r.axe?.violations ?? '?'} accessibility rule(s) violated${r.axe?.rules.length ? ` (${r.axe.rules.join(', ')})` : ''}`,
    `search: ${r.search ? 'yes' : 'no'}`,
    `contact: ${r.contact ? 'yes' : 'no'}`,
    `privacy policy: ${r.privacy ? 'yes' : 'no'}`,
    `services list: ${r.servicesList ? 'yes' : 'no'}`,
  ];
  return parts.join('; ');
}

/** Proposed answers for the indicators that name a check. */
export function proposalsFrom(
  indicators: Indicator[],
  r: PortalCheckResult,
): { code: string; value: number; check: PortalCheckKey; note: string }[] {
  const note = `Automated check ${r.checkedAt.slice(0, 16).replace('T', ' ')} UTC of ${r.url}: ${summarize(r)}`.slice(0, 2000);
  return indicators.flatMap((i) => {
    if (!i.check) return [];
    const value = checkValue(i.check, r, i.type);
    return value === undefined ? [] : [{ code: i.code, value, check: i.check, note }];
  });
}
