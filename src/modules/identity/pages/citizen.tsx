// The citizen's identity pages: sign in (national ID and mobile, then the texted code), the account
// page and the sessions page. Words: identity.words.ts; controls: the shared components.
import { digits, formatDate, formatTime, type Lang } from '../../../platform/i18n.ts';
import {
  BackLink,
  Breadcrumbs,
  Button,
  CsrfField,
  ErrorSummary,
  Ltr,
  SummaryList,
  TextField,
  type FieldError,
} from '../../../web/components.tsx';
import { Layout } from '../../../web/layout.tsx';
import { deviceName } from '../device.ts';
import { identityWords } from '../identity.words.ts';

const other = (lang: Lang) => (lang === 'fa' ? 'en' : 'fa');
const maskMobile = (m: string) => `${m.slice(0, 4)}***${m.slice(-4)}`;
const errorOf = (errors: FieldError[], field: string) => errors.find((e) => e.field === field)?.message;

export interface SignInView {
  nationalId: string;
  mobile: string;
  next: string;
  errors: FieldError[];
  notice?: string;
}

export function SignInPage({ lang, v, token }: { lang: Lang; v: SignInView; token: string }) {
  const m = identityWords(lang);
  return (
    <Layout lang={lang} title={m('signIn')} altPath={`/${other(lang)}/sign-in`} hasError={v.errors.length > 0}>
      <ErrorSummary lang={lang} errors={v.errors} />
      {v.notice ? <p class="notice">{v.notice}</p> : null}
      <h1>{m('signIn')}</h1>
      <p class="lead">{m('signInIntro')}</p>
      <form method="post" action={`/${lang}/sign-in`} novalidate>
        <CsrfField token={token} />
        <input type="hidden" name="next" value={v.next} />
        <TextField
          lang={lang}
          id="nationalId"
          label={m('nationalId')}
          hint={m('nationalIdHint')}
          value={v.nationalId}
          error={errorOf(v.errors, 'nationalId')}
          autocomplete="off"
          inputMode="numeric"
          dir="ltr"
          spellcheck={false}
        />
        <TextField
          lang={lang}
          id="mobile"
          label={m('mobile')}
          hint={m('mobileHint')}
          value={v.mobile}
          error={errorOf(v.errors, 'mobile')}
          autocomplete="tel"
          inputMode="tel"
          dir="ltr"
          spellcheck={false}
        />
        <Button>{m('continue')}</Button>
      </form>
    </Layout>
  );
}

export function SignInCodePage({
  lang,
  v,
  token,
}: {
  lang: Lang;
  v: { mobile: string; next: string; errors: FieldError[] };
  token: string;
}) {
  const m = identityWords(lang);
  const again = `/${lang}/sign-in?next=${encodeURIComponent(v.next)}`;
  return (
    <Layout lang={lang} title={m('codeTitle')} altPath={`/${other(lang)}/sign-in/code`} hasError={v.errors.length > 0}>
      <p>
        <BackLink lang={lang} href={again} />
      </p>
      <ErrorSummary lang={lang} errors={v.errors} />
      <h1>{m('codeTitle')}</h1>
      {v.mobile ? (
        <p>
          {m('codeSentBefore')}
          <Ltr>{digits(lang, maskMobile(v.mobile))}</Ltr>
          {m('codeSentAfter')}
        </p>
      ) : null}
      <form method="post" action={`/${lang}/sign-in/code`} novalidate>
        <CsrfField token={token} />
        <input type="hidden" name="next" value={v.next} />
        <TextField
          lang={lang}
          id="code"
          label={m('code')}
          value=""
          error={errorOf(v.errors, 'code')}
          autocomplete="one-time-code"
          inputMode="numeric"
          dir="ltr"
          spellcheck={false}
        />
        <Button>{m('continue')}</Button>
      </form>
      <p>
        <a href={again}>{m('notReceived')}</a>
      </p>
    </Layout>
  );
}

export interface AccountView {
  nationalId: string;
  mobile: string;
  createdAt: Date | string;
  lastSignInAt: Date | string | null;
}

export function AccountPage({ lang, me, token }: { lang: Lang; me: AccountView; token: string }) {
  const m = identityWords(lang);
  return (
    <Layout lang={lang} title={m('account')} altPath={`/${other(lang)}/account`}>
      <Breadcrumbs lang={lang} items={[{ label: m('account') }]} />
      <h1>{m('account')}</h1>
      <p>{m('accountIntro')}</p>
      <SummaryList
        rows={[
          { key: m('nationalId'), value: <Ltr>{digits(lang, me.nationalId)}</Ltr> },
          { key: m('mobile'), value: <Ltr>{digits(lang, me.mobile)}</Ltr> },
          { key: m('firstSeen'), value: formatDate(lang, me.createdAt) },
          { key: m('lastSignIn'), value: me.lastSignInAt ? formatDate(lang, me.lastSignInAt) : '–' },
        ]}
      />
      <p>
        <a href={`/${lang}/account/sessions`}>{m('sessions')}</a>
      </p>
      <p>
        <a href={`/${lang}/account/data-use`}>{m('dataUse')}</a>
      </p>
      <p>
        <a href={`/${lang}/account/representation`}>{m('representation')}</a>
      </p>
      <form method="post" action={`/${lang}/sign-out`}>
        <CsrfField token={token} />
        <Button variant="secondary">{m('signOut')}</Button>
      </form>
    </Layout>
  );
}

export interface SessionView {
  id: string;
  user_agent: string | null;
  created_at: Date | string;
  last_seen_at: Date | string;
}

export function SessionsPage({ lang, sessions, current, token }: { lang: Lang; sessions: SessionView[]; current: string; token: string }) {
  const m = identityWords(lang);
  return (
    <Layout lang={lang} title={m('sessions')} altPath={`/${other(lang)}/account/sessions`}>
      <Breadcrumbs lang={lang} items={[{ href: `/${lang}/account`, label: m('account') }, { label: m('sessions') }]} />
      <h1>{m('sessions')}</h1>
      <p>{m('sessionsIntro')}</p>
      <ul class="card-list">
        {sessions.map((s) => (
          <li>
            <h2 class="card-title">
              <bdi>{deviceName(lang, s.user_agent)}</bdi>
              {s.id === current ? ` (${m('thisDevice')})` : ''}
            </h2>
            <p class="card-meta">
              {m('started')}: {formatDate(lang, s.created_at)} · {m('lastSeen')}: {formatDate(lang, s.last_seen_at)}
              {m('listComma')}
              {formatTime(lang, new Date(s.last_seen_at))}
            </p>
            {s.id === current ? null : (
              <form method="post" action={`/${lang}/account/sessions/${s.id}/revoke`}>
                <CsrfField token={token} />
                <Button variant="secondary">{m('revoke')}</Button>
              </form>
            )}
          </li>
        ))}
      </ul>
    </Layout>
  );
}
