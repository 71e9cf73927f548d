// `prepare` (npm ci / npm install run it): links node_modules/.bin/panjereh to bin/panjereh.js. npm does not
// link a project's own "bin"; without the link `npx panjereh` first reads the whole installed tree to find it
// (over a second on a busy machine), with it npx starts the command directly.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const link = path.join(root, 'node_modules', '.bin', 'panjereh');
fs.mkdirSync(path.dirname(link), { recursive: true });
fs.rmSync(link, { force: true });
fs.symlinkSync(path.relative(path.dirname(link), path.join(root, 'bin', 'panjereh.js')), link);
