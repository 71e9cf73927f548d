// Static assets: the stylesheet and the self-hosted Vazirmatn font, with content hashes in their URLs
// so they can be cached for a year.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const fontDir = path.join(path.dirname(require.resolve('vazirmatn/package.json')), 'fonts', 'webfonts');

export const ASSETS: Record<string, { file: string; type: string }> = {
  'app.css': { file: path.join(here, 'assets', 'app.css'), type: 'text/css; charset=utf-8' },
  'timeout.js': { file: path.join(here, 'assets', 'timeout.js'), type: 'text/javascript; charset=utf-8' },
  'form-editor.js': { file: path.join(here, 'assets', 'form-editor.js'), type: 'text/javascript; charset=utf-8' },
  'icon.svg': { file: path.join(here, 'assets', 'icon.svg'), type: 'image/svg+xml' },
  'favicon.ico': { file: path.join(here, 'assets', 'favicon.ico'), type: 'image/x-icon' },
  'vazirmatn.woff2': { file: path.join(fontDir, 'Vazirmatn[wght].woff2'), type: 'font/woff2' },
};

const hashes = new Map<string, string>();
export function assetHash(name: string): string {
  let h = hashes.get(name);
  if (!h) {
    h = crypto.createHash('sha256').update(fs.readFileSync(ASSETS[name].file)).digest('hex').slice(0, 12);
    hashes.set(name, h);
  }
  return h;
}

export const assetUrl = (name: string) => `/assets/${assetHash(name)}/${name}`;
