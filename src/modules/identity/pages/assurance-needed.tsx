// The page a citizen sees when a service needs a higher identity assurance than their sign-in reached
// (issue 14): what is needed, what they have, and how to reach it (step up now, or visit a counter office).
// Never a silent refusal. Status 403.
import type { FastifyReply } from 'fastify';
import { tr, type Lang } from '../../../platform/i18n.ts';
import { Layout } from '../../../web/layout.tsx';
import { sendPage } from '../../../web/render.ts';
import { ASSURANCE_TEXT, type Assurance } from '../assurance.ts';

const other = (lang: Lang, path: string) => path.replace(/^\/(fa|en)/, `/${lang === 'fa' ? 'en' : 'fa'}`);

/** How to be seen in person: what to take to a counter office. */
export function InPersonAdvice({ lang }: { lang: Lang }) {
  return (
    <p>
      {tr(
        lang,
        'به یکی از دفاتر پیشخوان دولت بروید و کارت ملی و تلفن همراهتان را همراه داشته باشید. کاربر دفتر با کدی که برایتان پیامک می‌کنیم، حضوری درخواست را با شما ثبت می‌کند.',
        'Go to a government counter office (daftar-e pishkhan) with your national ID card and your mobile phone. The office’s operator makes the application with you, in person, with a code we text you.',
      )}
    </p>
  );
}

export function AssuranceNeeded(p: { lang: Lang; needed: Assurance; reached: Assurance; serviceName: string; next: string }) {
  const { lang, needed, reached, next } = p;
  const title = tr(lang, 'برای این خدمت سطح ورود بالاتری لازم است', 'You need a higher sign-in level for this service');
  const need = ASSURANCE_TEXT[needed][lang];
  const have = ASSURANCE_TEXT[reached][lang];
  const stepUp = `/${lang}/account/assurance?next=${encodeURIComponent(next)}`;
  return (
    <Layout lang={lang} title={title} altPath={other(lang, next)}>
      <h1>{title}</h1>
      <p class="lead">
        {tr(
          lang,
          `برای استفاده از «${p.serviceName}» سطح اطمینان هویتی «${need.name}» لازم است: ${need.means}.`,
          `To use “${p.serviceName}” you need ${need.name} identity assurance: ${need.means}.`,
        )}
      </p>
      <p>
        {tr(
          lang,
          `ورود کنونی شما در سطح «${have.name}» است. چیزی از پاسخ‌هایتان از دست نرفته است.`,
          `Your sign-in now is at ${have.name}. Nothing you entered has been lost.`,
        )}
      </p>
      {needed === 'substantial' ? (
        <>
          <h2>{tr(lang, 'همین حالا سطح ورودتان را بالا ببرید', 'Raise your sign-in level now')}</h2>
          <p>
            {tr(
              lang,
              'تاریخ تولد و نام پدرتان را وارد کنید تا با سازمان ثبت احوال تطبیق داده شود. یک دقیقه طول می‌کشد.',
              'Enter your date of birth and your father’s first name, and we check them with the civil registry. It takes a minute.',
            )}
          </p>
          <p>
            <a class="button" href={stepUp}>
              {tr(lang, 'بالا بردن سطح ورود', 'Raise your sign-in level')}
            </a>
          </p>
          <h2>{tr(lang, 'یا حضوری', 'Or in person')}</h2>
          <InPersonAdvice lang={lang} />
        </>
      ) : (
        <>
          <h2>{tr(lang, 'به دفتر پیشخوان بروید', 'Visit a counter office')}</h2>
          <InPersonAdvice lang={lang} />
          <p>
            {tr(
              lang,
              'ورود برخط با گواهی امضای دیجیتال هنوز در پنجره فراهم نیست.',
              'Signing in online with a digital signature certificate is not available on Panjereh yet.',
            )}
          </p>
        </>
      )}
      <p>
        <a href={`/${lang}/account`}>{tr(lang, 'حساب من', 'Your account')}</a>
      </p>
    </Layout>
  );
}

export function assuranceNeededPage(
  reply: FastifyReply,
  lang: Lang,
  v: { needed: Assurance; reached: Assurance; serviceName: string; next: string },
): FastifyReply {
  return sendPage(reply, <AssuranceNeeded lang={lang} {...v} />, 403);
}
