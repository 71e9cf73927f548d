// Issue 17 s.5: the data-use purpose is a code plus parameters, shown in the page's language; rows logged
// before (the English text) read back the same way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderToString } from 'preact-render-to-string';
import { parsePurpose, purposeHeader } from './purpose.ts';
import { PurposeText } from '../modules/exchange/exchange.pages.tsx';

const APP = '0b7c4a52-8f0e-4a55-9c1b-3d2f1e6a7b90';
const OLD = `Prefill of application form register-a-death, application ${APP}`;
const SELF = 'GOV/ITO/PANJEREH';

test('a prefill purpose is a code with its form and application, and its header is what older rows hold', () => {
  assert.deepEqual(parsePurpose(OLD, true), { code: 'prefill', form: 'register-a-death', application: APP });
  assert.equal(purposeHeader({ code: 'prefill', form: 'register-a-death', application: APP }), OLD);
  assert.deepEqual(parsePurpose('Tax check', true), { code: 'other', text: 'Tax check' });
  assert.equal(parsePurpose(`${OLD} and more`, true).code, 'other');
  // strict UUID: 36 hyphens (or any non-UUID shape) is not an application id
  assert.equal(parsePurpose(`Prefill of application form x, application ${'-'.repeat(36)}`, true).code, 'other');
  assert.equal(parsePurpose(`Prefill of application form x, application ${APP.replace(/-/g, 'a')}aaaa`, true).code, 'other');
  // only Panjereh's own subsystem's rows are read as a prefill
  assert.equal(parsePurpose(OLD, false).code, 'other');
});

test('on a Persian page the purpose is Persian, with the application linked and isolated; English shows it as logged', () => {
  const fa = renderToString(<PurposeText lang="fa" issue={OLD} client={SELF} self={SELF} />);
  const words = fa.replace(/<[^>]*>/g, ' ');
  assert.doesNotMatch(words.replace(/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}|[0-9a-f-]+/g, ''), /[A-Za-z]/, `no English: ${words}`);
  assert.match(fa, /پر کردن خودکار فرم درخواست/);
  assert.match(fa, new RegExp(`href="/fa/applications/${APP}"`));
  assert.match(fa, /<bdi dir="ltr">/);
  const en = renderToString(<PurposeText lang="en" issue={OLD} client={SELF} self={SELF} />);
  assert.match(en, new RegExp(OLD));
  // something else an agency sent is shown as sent, isolated
  assert.equal(
    renderToString(<PurposeText lang="fa" issue="Audit <x>" client="GOV/TAX/X" self={SELF} />),
    '<bdi dir="ltr" lang="en">Audit &lt;x></bdi>',
  );
  assert.equal(renderToString(<PurposeText lang="fa" issue="بررسی مالیات" client="GOV/TAX/X" self={SELF} />), '<bdi>بررسی مالیات</bdi>');
});

test('another member sending the prefill wording gets it shown as sent: no Persian prefill words, no link to an application', () => {
  for (const client of ['GOV/TAX/X', null]) {
    const fa = renderToString(<PurposeText lang="fa" issue={OLD} client={client} self={SELF} />);
    assert.doesNotMatch(fa, /\/fa\/applications\//);
    assert.doesNotMatch(fa, /پر کردن خودکار/);
    assert.equal(fa, `<bdi dir="ltr" lang="en">${OLD}</bdi>`);
  }
});
