// The staff's sign-in pages: account setup from the invitation link (password, then authenticator),
// sign in (password, then second factor), and the password reset (request a link, check your email,
// a new password). One question per page, each a form that posts back to its own address.
import { AuthenticatorKey } from './authenticator-key.tsx';
import type { ComponentChildren } from 'preact';
import { tr, type Lang } from '../../../platform/i18n.ts';
import { ErrorSummary, TextInput, type FieldError } from '../../../web/components.tsx';
import { Layout } from '../../../web/layout.tsx';

interface FormView {
  lang: Lang;
  csrf: string;
  errors: FieldError[];
}

const errorOf = (errors: FieldError[], field: string) => errors.find((e) => e.field === field)?.message;

/** A one-question staff form with a Continue button. */
export function StaffFormPage(v: FormView & { title: string; action: string; intro?: ComponentChildren; children: ComponentChildren }) {
  const { lang } = v;
  return (
    <Layout lang={lang} title={v.title} altPath={`/${lang === 'fa' ? 'en' : 'fa'}/staff`} hasError={v.errors.length > 0}>
      <ErrorSummary lang={lang} errors={v.errors} />
      <h1>{v.title}</h1>
      {v.intro}
      <form method="post" action={v.action} novalidate>
        <input type="hidden" name="_csrf" value={v.csrf} />
        {v.children}
        <button class="button" type="submit">
          {tr(lang, 'ادامه', 'Continue')}
        </button>
      </form>
    </Layout>
  );
}

/** Setup, step one: the password for a new account. */
export function SetupPasswordPage(v: FormView & { action: string }) {
  const { lang } = v;
  return (
    <StaffFormPage {...v} title={tr(lang, 'گذرواژه خود را بسازید', 'Create your password')}>
      <TextInput
        width="wide"
        id="password"
        type="password"
        label={tr(lang, 'گذرواژه', 'Password')}
        hint={tr(lang, 'دست‌کم ۱۲ نویسه', 'At least 12 characters')}
        error={errorOf(v.errors, 'password')}
        autocomplete="new-password"
      />
      <TextInput
        width="wide"
        id="confirm"
        type="password"
        label={tr(lang, 'تکرار گذرواژه', 'Type it again')}
        error={errorOf(v.errors, 'confirm')}
        autocomplete="new-password"
      />
    </StaffFormPage>
  );
}

/** Setup, step two: the authenticator app's key and its first code. */
export function AuthenticatorPage(v: FormView & { action: string; secret: string; email: string }) {
  const { lang } = v;
  return (
    <StaffFormPage
      {...v}
      title={tr(lang, 'برنامه تأیید هویت را تنظیم کنید', 'Set up your authenticator app')}
      intro={
        <>
          <p>
            {tr(
              lang,
              'در برنامه تأیید هویت (مانند Google Authenticator یا FreeOTP) یک حساب تازه با این کلید بسازید:',
              'In your authenticator app (such as Google Authenticator or FreeOTP) add an account with this key:',
            )}
          </p>
          <AuthenticatorKey lang={lang} secret={v.secret} account={v.email} />
        </>
      }
    >
      <TextInput
        width="wide"
        id="code"
        label={tr(lang, 'کد ۶ رقمی برنامه', 'The 6-digit code from the app')}
        error={v.errors[0]?.message}
        autocomplete="one-time-code"
      />
    </StaffFormPage>
  );
}

/** Sign in, step one: email and password. */
export function SignInPage(v: FormView & { next: string }) {
  const { lang } = v;
  return (
    <StaffFormPage
      {...v}
      title={tr(lang, 'ورود کارکنان', 'Staff sign in')}
      action={`/${lang}/staff/sign-in?next=${encodeURIComponent(v.next)}`}
      intro={
        <p>
          <a href={`/${lang}/staff/password/forgot`}>{tr(lang, 'گذرواژه را فراموش کرده‌اید؟', 'Forgotten your password?')}</a>
        </p>
      }
    >
      <TextInput
        width="wide"
        id="email"
        type="email"
        label={tr(lang, 'رایانامه', 'Email')}
        error={errorOf(v.errors, 'email')}
        autocomplete="username"
      />
      <TextInput width="wide" id="password" type="password" label={tr(lang, 'گذرواژه', 'Password')} autocomplete="current-password" />
    </StaffFormPage>
  );
}

/** Sign in, step two: the authenticator's code or a recovery code. */
export function SecondFactorPage(v: FormView & { next: string }) {
  const { lang } = v;
  return (
    <StaffFormPage
      {...v}
      title={tr(lang, 'کد برنامه تأیید هویت', 'Code from your authenticator app')}
      action={`/${lang}/staff/sign-in/second-factor?next=${encodeURIComponent(v.next)}`}
    >
      <TextInput
        width="wide"
        id="code"
        label={tr(lang, 'کد ۶ رقمی، یا یک کد بازیابی', 'The 6-digit code, or a recovery code')}
        error={v.errors[0]?.message}
        autocomplete="one-time-code"
      />
    </StaffFormPage>
  );
}

/** Password reset, step one: the account's email. */
export function ForgotPasswordPage(v: FormView) {
  const { lang } = v;
  return (
    <StaffFormPage
      {...v}
      title={tr(lang, 'گذرواژه را فراموش کرده‌اید؟', 'Forgotten your password?')}
      action={`/${lang}/staff/password/forgot`}
    >
      <TextInput
        width="wide"
        id="email"
        type="email"
        label={tr(lang, 'رایانامه', 'Email')}
        error={v.errors[0]?.message}
        autocomplete="username"
      />
    </StaffFormPage>
  );
}

/** Password reset, step two: the same answer whether or not the account exists. */
export function CheckEmailPage({ lang }: { lang: Lang }) {
  return (
    <Layout
      lang={lang}
      title={tr(lang, 'رایانامه‌تان را ببینید', 'Check your email')}
      altPath={`/${lang === 'fa' ? 'en' : 'fa'}/staff/sign-in`}
    >
      <h1>{tr(lang, 'رایانامه‌تان را ببینید', 'Check your email')}</h1>
      <p>
        {tr(
          lang,
          'اگر حسابی با این رایانامه باشد، پیوند بازنشانی گذرواژه برایش فرستاده شد. پیوند یک ساعت کار می‌کند.',
          'If there is an account with this email, we have sent it a link to reset the password. The link works for one hour.',
        )}
      </p>
    </Layout>
  );
}

/** Password reset, step three: a new password (the authenticator stays; signing in still asks for it). */
export function ResetPasswordPage(v: FormView & { action: string }) {
  const { lang } = v;
  return (
    <StaffFormPage
      {...v}
      title={tr(lang, 'گذرواژه تازه', 'Choose a new password')}
      intro={
        <p>
          {tr(
            lang,
            'برنامه تأیید هویت شما تغییر نمی‌کند: برای ورود همچنان کد آن (یا یک کد بازیابی) لازم است.',
            'Your authenticator app stays the same: signing in still needs its code (or a recovery code).',
          )}
        </p>
      }
    >
      <TextInput
        width="wide"
        id="password"
        type="password"
        label={tr(lang, 'گذرواژه تازه', 'New password')}
        hint={tr(lang, 'دست‌کم ۱۲ نویسه', 'At least 12 characters')}
        error={errorOf(v.errors, 'password')}
        autocomplete="new-password"
      />
      <TextInput
        width="wide"
        id="confirm"
        type="password"
        label={tr(lang, 'تکرار گذرواژه تازه', 'Type it again')}
        error={errorOf(v.errors, 'confirm')}
        autocomplete="new-password"
      />
    </StaffFormPage>
  );
}
