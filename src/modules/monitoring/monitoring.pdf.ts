// The PDF of a printable page: Debian's Chromium loads the page (every request answered by the app
// itself, no network) and prints it with the print stylesheet. Chromium shapes Persian text with
// HarfBuzz and uses the self-hosted Vazirmatn font, so joined letters and right-to-left order hold.
import fs from 'node:fs';

export type LocalFetch = (path: string) => Promise<{ status: number; contentType: string; body: Buffer }>;

export async function renderPdf(chromiumPath: string, path: string, fetchLocal: LocalFetch): Promise<Buffer> {
  if (!fs.existsSync(chromiumPath))
    throw new Error(`Chromium is not installed at ${chromiumPath}. Install it with: apt-get install -y chromium (or set CHROMIUM_PATH).`);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  try {
    const context = await browser.newContext();
    await context.route('**/*', async (route) => {
      const u = new URL(route.request().url());
      if (u.host !== 'panjereh.local') return route.abort();
      const r = await fetchLocal(u.pathname + u.search);
      return route.fulfill({ status: r.status, contentType: r.contentType, body: r.body });
    });
    const page = await context.newPage();
    await page.goto(`http://panjereh.local${path}`, { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready);
    return await page.pdf({ format: 'A4', printBackground: true, margin: { top: '16mm', bottom: '16mm', left: '14mm', right: '14mm' } });
  } finally {
    await browser.close();
  }
}
