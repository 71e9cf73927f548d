// The one page for the counter module's refusals: what happened, what to do, the stable code, a way back.
import type { FastifyReply } from 'fastify';
import { tr, type Lang } from '../../../platform/i18n.ts';
import { Layout } from '../../../web/layout.tsx';
import { sendPage } from '../../../web/render.ts';
import { COUNTER_ERRORS, type CounterError } from '../counter.errors.ts';

export function refusalPage(reply: FastifyReply, lang: Lang, e: CounterError): FastifyReply {
  const title = tr(lang, 'این کار در نشست حضوری ممکن نیست', 'This cannot be done at the counter');
  const back = e.back ?? `/${lang}/staff/counter`;
  return sendPage(
    reply.header('x-error-code', e.code),
    <Layout lang={lang} title={title} altPath={back.replace(/^\/(fa|en)/, `/${lang === 'fa' ? 'en' : 'fa'}`)}>
      <h1>{title}</h1>
      <p class="lead">{COUNTER_ERRORS[e.code][lang]}</p>
      <p class="hint">
        {tr(lang, 'کد خطا: ', 'Error code: ')}
        <code>{e.code}</code>
      </p>
      <p>
        <a href={back}>{tr(lang, 'بازگشت', 'Go back')}</a>
      </p>
    </Layout>,
    e.status,
  );
}
