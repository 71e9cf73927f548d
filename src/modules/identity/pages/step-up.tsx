// The step-up page (issue 14): raise a sign-in from low to substantial by checking the citizen's date of
// birth and father's name with the civil registry, with their consent. A real form (no JavaScript needed),
// its outcomes in words: what to fix, how many tries are left, a registry that is down or has no record.
import { digits, tr, type Lang } from '../../../platform/i18n.ts';
import { Breadcrumbs, ErrorSummary, TextInput, type FieldError } from '../../../web/components.tsx';
import { Layout } from '../../../web/layout.tsx';
import { ASSURANCE_TEXT, type Assurance } from '../assurance.ts';
import { InPersonAdvice } from './assurance-needed.tsx';

export type StepUpOutcome = 'done' | 'too-many' | 'not-found' | 'unavailable' | 'replayed';

export interface StepUpView {
  lang: Lang;
  csrf: string;
  next: string;
  level: Assurance;
  triesLeft: number;
  values?: Record<string, string>;
  errors?: FieldError[];
  outcome?: StepUpOutcome;
}

const path = (lang: Lang, next: string) => `/${lang}/account/assurance?next=${encodeURIComponent(next)}`;

function Outcome({ lang, outcome }: { lang: Lang; outcome: StepUpOutcome }) {
  switch (outcome) {
    case 'done':
      return (
        <p class="notice" role="status">
          {tr(
            lang,
            'مشخصات شما با ثبت احوال تطبیق داده شد. سطح ورود شما اکنون «متوسط» است.',
            'Your particulars match the civil registry. Your sign-in is now at substantial.',
          )}
        </p>
      );
    case 'too-many':
      return (
        <div class="error-summary" role="alert" tabIndex={-1}>
          <h2 class="error-summary-title">{tr(lang, 'تلاش‌های امروز تمام شد', 'No more tries today')}</h2>
          <p>
            {tr(
              lang,
              'مشخصاتی که وارد کردید چند بار با ثبت احوال جور نبود. برای امنیت حسابتان تا ۲۴ ساعت دیگر نمی‌توانید دوباره تلاش کنید. اگر مطمئنید درست وارد کرده‌اید، به دفتر پیشخوان یا اداره ثبت احوال بروید.',
              'The particulars you entered did not match the civil registry several times. To keep your account safe you cannot try again for 24 hours. If you are sure they are right, visit a counter office or a civil registration office.',
            )}
          </p>
        </div>
      );
    case 'not-found':
      return (
        <div class="error-summary" role="alert" tabIndex={-1}>
          <h2 class="error-summary-title">{tr(lang, 'ثبت احوال سابقه‌ای از شما ندارد', 'The civil registry has no record for you')}</h2>
          <p>
            {tr(
              lang,
              'سازمان ثبت احوال برای کد ملی شما سابقه‌ای برنگرداند، پس سطح ورود شما بالا نرفت. به یکی از ادارات ثبت احوال یا دفاتر پیشخوان بروید.',
              'The civil registry returned no record for your national ID, so your sign-in level was not raised. Visit a civil registration office or a counter office.',
            )}
          </p>
        </div>
      );
    case 'unavailable':
      return (
        <div class="error-summary" role="alert" tabIndex={-1}>
          <h2 class="error-summary-title">{tr(lang, 'ثبت احوال اکنون در دسترس نیست', 'The civil registry cannot be reached now')}</h2>
          <p>
            {tr(
              lang,
              'نتوانستیم مشخصات شما را با ثبت احوال تطبیق دهیم، پس سطح ورود شما همان «پایه» ماند. این تلاش شمرده نشد. چند دقیقه دیگر دوباره امتحان کنید.',
              'We could not check your particulars with the civil registry, so your sign-in stays at low. This try was not counted. Try again in a few minutes.',
            )}
          </p>
        </div>
      );
    case 'replayed':
      return (
        <div class="error-summary" role="alert" tabIndex={-1}>
          <h2 class="error-summary-title">{tr(lang, 'این فرم پیش‌تر فرستاده شده است', 'This form was already sent')}</h2>
          <p>{tr(lang, 'سطح ورود این نشست پیش‌تر بالا رفته است.', 'The level of this session was already raised.')}</p>
        </div>
      );
  }
}

export function StepUpPage(v: StepUpView) {
  const { lang, next, level } = v;
  const errors = v.errors ?? [];
  const title = tr(lang, 'بالا بردن سطح ورود', 'Raise your sign-in level');
  const err = (f: string) => errors.find((e) => e.field === f)?.message;
  const val = (f: string) => v.values?.[f] ?? '';
  const have = ASSURANCE_TEXT[level][lang];
  const part = (id: 'birthDay' | 'birthMonth' | 'birthYear', label: string, width: string, max: number) => (
    <div class="date-part">
      <label class="label" for={id}>
        {label}
      </label>
      <input
        class={`input ${width}${err('birthDay') ? ' input-error' : ''}`}
        id={id}
        name={id}
        value={val(id)}
        inputMode="numeric"
        dir="ltr"
        autocomplete="off"
        maxLength={max}
      />
    </div>
  );
  return (
    <Layout lang={lang} title={title} altPath={path(lang === 'fa' ? 'en' : 'fa', next)} hasError={errors.length > 0}>
      <Breadcrumbs lang={lang} items={[{ href: `/${lang}/account`, label: tr(lang, 'حساب من', 'Your account') }, { label: title }]} />
      <ErrorSummary lang={lang} errors={errors} />
      {v.outcome ? <Outcome lang={lang} outcome={v.outcome} /> : null}
      <h1>{title}</h1>
      <p class="lead">
        {tr(lang, `سطح ورود کنونی شما: «${have.name}» (${have.means}).`, `Your sign-in level now: ${have.name} (${have.means}).`)}
      </p>
      {level !== 'low' ? (
        <p>
          <a class="button" href={next}>
            {tr(lang, 'ادامه', 'Continue')}
          </a>
        </p>
      ) : v.outcome === 'too-many' ? (
        <InPersonAdvice lang={lang} />
      ) : (
        <>
          <p>
            {tr(
              lang,
              'برخی خدمات سطح «متوسط» می‌خواهند. برای رسیدن به آن، تاریخ تولد و نام پدرتان را همان‌گونه که در شناسنامه آمده وارد کنید تا با سازمان ثبت احوال تطبیق داده شود. این استعلام در صفحه «چه دستگاه‌هایی اطلاعات شما را استعلام کرده‌اند» ثبت می‌شود.',
              'Some services need substantial assurance. To reach it, enter your date of birth and your father’s first name as on your birth certificate, and we check them with the civil registry. The check is listed on your “Which agencies have used your data” page.',
            )}
          </p>
          {v.triesLeft < 3 ? (
            <p>
              {tr(
                lang,
                `امروز ${digits('fa', String(v.triesLeft))} بار دیگر می‌توانید تلاش کنید.`,
                `You can try ${v.triesLeft} more time${v.triesLeft === 1 ? '' : 's'} today.`,
              )}
            </p>
          ) : null}
          <form method="post" action={path(lang, next)} novalidate>
            <input type="hidden" name="_csrf" value={v.csrf} />
            <fieldset class="plain-fieldset" aria-describedby={err('birthDay') ? 'birthDay-error birthDay-hint' : 'birthDay-hint'}>
              <legend class="label">{tr(lang, 'تاریخ تولد', 'Date of birth')}</legend>
              <p class="hint" id="birthDay-hint">
                {tr(
                  lang,
                  'همان‌گونه که در شناسنامه آمده، به خورشیدی؛ برای نمونه ۲۷ ۳ ۱۳۷۰',
                  'As on your birth certificate, for example 27 3 1991',
                )}
              </p>
              {err('birthDay') ? (
                <p class="error-message" id="birthDay-error">
                  {err('birthDay')}
                </p>
              ) : null}
              <div class="date-input">
                {part('birthDay', tr(lang, 'روز', 'Day'), 'input-2', 2)}
                {part('birthMonth', tr(lang, 'ماه', 'Month'), 'input-2', 2)}
                {part('birthYear', tr(lang, 'سال', 'Year'), 'input-4', 4)}
              </div>
            </fieldset>
            <TextInput
              id="fatherName"
              label={tr(lang, 'نام پدر', 'Father’s first name')}
              hint={tr(lang, 'همان‌گونه که در شناسنامه آمده', 'As written on your birth certificate')}
              value={val('fatherName')}
              error={err('fatherName')}
              autocomplete="off"
              dir="auto"
            />
            <TextInput
              id="cardSerial"
              label={tr(lang, 'سریال کارت ملی هوشمند', 'National smart card serial')}
              hint={tr(
                lang,
                'ده نویسه‌ای که پشت کارت ملی هوشمند چاپ شده، برای نمونه 1A23456789',
                'The 10 letters and digits printed on the back of your national smart card, for example 1A23456789',
              )}
              value=""
              error={err('cardSerial')}
              autocomplete="off"
              dir="ltr"
            />
            <div class="field">
              {err('consent') ? (
                <p class="error-message" id="consent-error">
                  {err('consent')}
                </p>
              ) : null}
              <div class="checkbox">
                <input
                  type="checkbox"
                  id="consent"
                  name="consent"
                  value="yes"
                  aria-describedby={err('consent') ? 'consent-error' : undefined}
                />
                <label for="consent">
                  {tr(
                    lang,
                    'اجازه می‌دهم پنجره این مشخصات را برای تطبیق با سازمان ثبت احوال استعلام کند.',
                    'I agree that Panjereh checks these particulars with the civil registry.',
                  )}
                </label>
              </div>
            </div>
            <button class="button" type="submit">
              {tr(lang, 'تطبیق با ثبت احوال', 'Check with the civil registry')}
            </button>
          </form>
          <h2>{tr(lang, 'سطح «بالا»', 'High assurance')}</h2>
          <InPersonAdvice lang={lang} />
        </>
      )}
    </Layout>
  );
}
