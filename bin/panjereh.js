#!/usr/bin/env node
// Entry point for `npx panjereh`. Runs the compiled dist/cli.js when it was built from the sources as they
// are now (`npm run build` writes dist/.built last; no file under src/ may be newer), and otherwise the
// TypeScript sources through tsx, so it is never stale code (the tests run it after editing sources).
// A deployment (`npm run build`, then `npm prune --omit=dev`) has no tsx and always runs dist/.
import fs from 'node:fs';

const source = new URL('../src/', import.meta.url);
const stamp = new URL('../dist/.built', import.meta.url);

function builtFromCurrentSources() {
  let built;
  try {
    built = fs.statSync(stamp).mtimeMs;
  } catch {
    return false;
  }
  if (!fs.existsSync(source)) return true;
  const newer = (dir) =>
    fs.readdirSync(dir, { withFileTypes: true }).some((e) => {
      const p = `${dir}/${e.name}`;
      return e.isDirectory() ? newer(p) : fs.statSync(p).mtimeMs > built;
    });
  return !newer(source.pathname);
}

const tsx = builtFromCurrentSources() ? null : await import('tsx/esm/api').catch(() => null);
if (tsx) {
  tsx.register();
  await import(new URL('cli.ts', source).href);
} else await import('../dist/cli.js');
