// Issue 17 s.5: the data-use purpose is a code plus parameters, shown in the page's language; rows logged
// before (the English text) read back the same way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderToString } from 'preact-render-to-string';
import { parsePurpose, purposeHeader } from './purpose.ts';
import { PurposeText } from '../modules/exchange/exchange.pages.tsx';

const APP = '0b7c4a52-8f0e-4a55-9c1b-3d2f1e6a7b90';
const OLD = `Prefill of application form register-a-death, application ${APP}`;

test('a prefill purpose is a code with its form and application, and its header is what older rows hold', () => {
  assert.deepEqual(parsePurpose(OLD), { code: 'prefill', form: 'register-a-death', application: APP });
  assert.equal(purposeHeader({ code: 'prefill', form: 'register-a-death', application: APP }), OLD);
  assert.deepEqual(parsePurpose('Tax check'), { code: 'other', text: 'Tax check' });
  assert.equal(parsePurpose(`${OLD} and more`).code, 'other');
});

test('on a Persian page the purpose is Persian, with the application linked and isolated; English shows it as logged', () => {
  const fa = renderToString(<PurposeText lang="fa" issue={OLD} />);
  const words = fa.replace(/<[^>]*>/g, ' ');
  assert.doesNotMatch(words.replace(/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}|[0-9a-f-]+/g, ''), /[A-Za-z]/, `no English: ${words}`);
  assert.match(fa, /پر کردن خودکار فرم درخواست/);
  assert.match(fa, new RegExp(`href="/fa/applications/${APP}"`));
  assert.match(fa, /<bdi dir="ltr">/);
  const en = renderToString(<PurposeText lang="en" issue={OLD} />);
  assert.match(en, new RegExp(OLD));
  // something else an agency sent is shown as sent, isolated
  assert.equal(renderToString(<PurposeText lang="fa" issue="Audit <x>" />), '<bdi>Audit &lt;x></bdi>');
});
