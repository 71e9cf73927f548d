// The page that shows a staff member's ten new recovery codes, once (after setting up an authenticator,
// and when they ask for new codes).
import type { FastifyReply } from 'fastify';
import { type Lang, tr } from '../../../platform/i18n.ts';
import { Layout } from '../../../web/layout.tsx';
import { sendPage } from '../../../web/render.ts';

const other = (lang: Lang) => (lang === 'fa' ? 'en' : 'fa');

/** The ten recovery codes, shown once; then a link to sign in (again) or back to the staff home. */
export function recoveryCodesPage(reply: FastifyReply, lang: Lang, codes: string[], next: 'sign-in' | 'home' = 'sign-in') {
  return sendPage(
    reply,
    <Layout lang={lang} title={tr(lang, 'کدهای بازیابی', 'Your recovery codes')} altPath={`/${other(lang)}/staff`}>
      <h1>{tr(lang, 'کدهای بازیابی', 'Your recovery codes')}</h1>
      <p class="notice">
        {tr(
          lang,
          'این کدها فقط یک بار نمایش داده می‌شوند. آن‌ها را جای امنی نگه دارید؛ هر کد یک بار به جای کد برنامه کار می‌کند.',
          'These codes are shown only once. Keep them somewhere safe: each works once instead of an app code.',
        )}
      </p>
      <ul class="recovery-codes">
        {codes.map((c) => (
          <li>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      <p>
        {next === 'sign-in' ? (
          <a class="button" href={`/${lang}/staff/sign-in`}>
            {tr(lang, 'ورود کارکنان', 'Staff sign in')}
          </a>
        ) : (
          <a class="button" href={`/${lang}/staff`}>
            {tr(lang, 'میز کار کارکنان', 'Staff home')}
          </a>
        )}
      </p>
    </Layout>,
  );
}
