import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeConfig, loadConfig } from './config.ts';

test('defaults give an embedded database in ./data on port 3000, Persian first', () => {
  const c = loadConfig({});
  assert.equal(c.PORT, 3000);
  assert.equal(c.DATABASE_URL, undefined);
  assert.match(c.DATA_DIR, /data$/);
  assert.equal(c.DEFAULT_LANG, 'fa');
});

test('every problem is reported at once, naming the variable', () => {
  assert.throws(
    () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', SEED_DEMO: 'sometimes', REDIS_URL: 'not a url' }),
    (e: Error) => /PORT must be a whole number/.test(e.message) && /DATABASE_URL must start with postgres:/.test(e.message) && /SEED_DEMO must be one of/.test(e.message) && /REDIS_URL must be a URL/.test(e.message),
  );
  assert.throws(() => loadConfig({ PORT: '70000' }), /PORT must be between 0 and 65535/);
});

test('every variable is documented', () => {
  for (const v of describeConfig()) assert.ok(v.description.length > 10, v.name);
});
