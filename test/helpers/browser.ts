// Debian's Chromium driven by playwright-core (never a downloaded browser), and axe-core for WCAG checks.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';

const require = createRequire(import.meta.url);
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}. Install it with: apt-get install -y chromium (or set CHROMIUM_PATH).`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
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

const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[]; failureSummary: string }[];
}

/** Runs axe-core with the WCAG 2.0-2.2 A and AA rules; returns the violations. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    // @ts-expect-error axe is injected above
    const r = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
      resultTypes: ['violations'],
    });
    return r.violations.map((v: AxeViolation) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
}

export function describeViolations(vs: AxeViolation[]): string {
  return vs
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n${v.nodes
          .slice(0, 3)
          .map((n) => `   ${n.target.join(' ')}: ${n.failureSummary}`)
          .join('\n')}`,
    )
    .join('\n');
}

/**
 * axe-core over a page as the browser shows it (also a page answered to a POST): its HTML is set in a
 * fresh context at the app's origin (so the stylesheet loads), and any violation is pushed to `failures`
 * under `label`, so one test can report every page at once.
 */
export async function axeOfPage(browser: Browser, base: string, page: Page, label: string, failures: string[]): Promise<void> {
  const axeCtx = await browser.newContext({ bypassCSP: true });
  const axePage = await axeCtx.newPage();
  await axePage.goto(`${base}/healthz`);
  await axePage.setContent((await page.content()).replace('<head>', `<head><base href="${base}/">`), { waitUntil: 'load' });
  const v = await axeViolations(axePage);
  if (v.length) failures.push(`${label}\n${describeViolations(v)}`);
  await axeCtx.close();
}
