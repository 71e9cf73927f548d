// `npm run build`: compiles src/ to dist/ with tsc (tsconfig.build.json; tests and test fixtures left
// out) and copies the files the code reads next to itself (stylesheet, scripts, JSON specs and data)
// into the same places under dist/. `npm start` runs it before starting dist/cli.js.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);

let copied = 0;
fs.cpSync(path.join(root, 'src'), path.join(root, 'dist'), {
  recursive: true,
  filter: (from) => {
    if (fs.statSync(from).isDirectory()) return true;
    const keep = !/\.(ts|tsx|md)$/.test(from);
    if (keep) copied++;
    return keep;
  },
});
// Written last: bin/panjereh.js runs dist/ only when no source file is newer than this.
fs.writeFileSync(path.join(root, 'dist', '.built'), new Date().toISOString() + '\n');
console.log(`build: dist/ compiled, ${copied} asset files copied`);
