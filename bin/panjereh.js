#!/usr/bin/env node
// Entry point for `npx panjereh`. In a checkout with the development dependencies installed it runs the
// TypeScript sources through tsx, so it is always the code you see (the tests run it so too); where tsx
// is not installed (a deployment: `npm run build`, then `npm prune --omit=dev`) it runs the compiled
// dist/cli.js. `npm start` runs dist/cli.js directly, after building it.
import fs from 'node:fs';

const source = new URL('../src/cli.ts', import.meta.url);
let tsx = null;
if (fs.existsSync(source)) tsx = await import('tsx/esm/api').catch(() => null);
if (tsx) {
  tsx.register();
  await import(source.href);
} else await import('../dist/cli.js');
