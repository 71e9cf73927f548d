// Platform administrators register agencies' portals for single sign-on (as `panjereh oidc client add` does).
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { cleanText } from '../../platform/persian.ts';
import { type Lang, langOf, tr } from '../../platform/i18n.ts';
import type { AppContext } from '../../context.ts';
import { ErrorSummary, SummaryList, TextInput, type FieldError } from '../../web/components.tsx';
import { DataTable } from '../../web/charts.tsx';
import { Layout } from '../../web/layout.tsx';
import { sendPage } from '../../web/render.ts';
import { requireStaff } from '../identity/staff.guard.ts';
import { SSO_SCOPES } from './sso.provider.ts';
import { clientProblems, SsoRepository } from './sso.repository.ts';

/** A portal's registration: its name, one redirect URI and the scopes ticked (one or several). */
const ClientBody = Type.Object({
  name: Type.Optional(Type.String()),
  redirectUri: Type.Optional(Type.String()),
  scope: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
  _csrf: Type.Optional(Type.String()),
});

export function registerSsoAdminPages(app: FastifyInstance, ctx: AppContext): void {
  const hide = { schema: { hide: true } };
  const repo = new SsoRepository(ctx.database.db, ctx.config.SESSION_SECRET);

  const page = async (lang: Lang, token: string, errors: FieldError[], created?: { clientId: string; clientSecret: string }) => {
    const clients = await repo.clients();
    return (
      <Layout
        lang={lang}
        title={tr(lang, 'سامانه‌های متصل با ورود یکپارچه', 'Single sign-on portals')}
        altPath={`/${lang === 'fa' ? 'en' : 'fa'}/staff/sso/clients`}
        hasError={errors.length > 0}
      >
        <ErrorSummary lang={lang} errors={errors} />
        <h1>{tr(lang, 'سامانه‌های متصل با ورود یکپارچه', 'Single sign-on portals')}</h1>
        {created ? (
          <div class="notice">
            <p>
              {tr(
                lang,
                'سامانه ثبت شد. این رمز فقط همین یک بار نمایش داده می‌شود:',
                'The portal is registered. This secret is shown only this once:',
              )}
            </p>
            <SummaryList
              rows={[
                { key: 'client_id', value: <code>{created.clientId}</code> },
                { key: 'client_secret', value: <code>{created.clientSecret}</code> },
              ]}
            />
          </div>
        ) : null}
        <DataTable
          caption={tr(lang, 'سامانه‌های ثبت‌شده', 'Registered portals')}
          head={[tr(lang, 'نام', 'Name'), 'client_id', tr(lang, 'دامنه‌ها', 'Scopes'), tr(lang, 'نشانی بازگشت', 'Redirect URIs')]}
          rows={clients.map((c) => [
            c.name,
            <code>{c.client_id}</code>,
            String(c.metadata.scope ?? ''),
            <bdi>{(c.metadata.redirect_uris as string[]).join(' ')}</bdi>,
          ])}
        />
        <h2>{tr(lang, 'ثبت سامانه تازه', 'Register a portal')}</h2>
        <form method="post" action={`/${lang}/staff/sso/clients`} novalidate>
          <input type="hidden" name="_csrf" value={token} />
          <TextInput
            width="wide"
            id="name"
            label={tr(lang, 'نام سامانه (به شهروند نمایش داده می‌شود)', 'Portal name (shown to citizens)')}
            error={errors.find((e) => e.field === 'name')?.message}
          />
          <TextInput
            width="wide"
            id="redirectUri"
            label={tr(lang, 'نشانی بازگشت (https)', 'Redirect URI (https)')}
            error={errors.find((e) => e.field === 'redirectUri')?.message}
          />
          <fieldset class="plain-fieldset">
            <legend class="label">{tr(lang, 'اطلاعات مجاز برای این سامانه', 'What this portal may ask for')}</legend>
            {SSO_SCOPES.filter((s) => s !== 'openid').map((s) => (
              <div class="checkbox">
                <input type="checkbox" id={`scope-${s}`} name="scope" value={s} />
                <label for={`scope-${s}`}>
                  {s === 'national_id' ? tr(lang, 'کد ملی', 'National ID') : tr(lang, 'شماره همراه', 'Mobile number')}
                </label>
              </div>
            ))}
          </fieldset>
          <button class="button" type="submit">
            {tr(lang, 'ثبت', 'Register')}
          </button>
        </form>
      </Layout>
    );
  };

  app.get<{ Params: { lang: string } }>('/:lang/staff/sso/clients', hide, async (req, reply) => {
    const lang = langOf(req.params);
    if (!(await requireStaff(ctx, req, reply, lang, 'sso.manage'))) return reply;
    return sendPage(reply, await page(lang, reply.generateCsrf(), []));
  });

  app.post<{ Params: { lang: string }; Body: Static<typeof ClientBody> }>(
    '/:lang/staff/sso/clients',
    { schema: { hide: true, body: ClientBody }, preHandler: app.csrfProtection },
    async (req, reply) => {
      const lang = langOf(req.params);
      const staff = await requireStaff(ctx, req, reply, lang, 'sso.manage');
      if (!staff) return reply;
      const name = String(req.body?.name ?? '')
        .trim()
        .slice(0, 120);
      const uri = String(req.body?.redirectUri ?? '')
        .trim()
        .slice(0, 500);
      const scopes = ([] as string[]).concat(req.body?.scope ?? []).map(String);
      const problems = clientProblems(name, uri ? [uri] : [], scopes, SSO_SCOPES);
      if (problems.length) {
        const errors = problems.map((p) => ({ field: /name/.test(p) ? 'name' : 'redirectUri', message: p }));
        return sendPage(reply, await page(lang, reply.generateCsrf(), errors), 400);
      }
      const c = await repo.addClient(cleanText(name), [uri], scopes, [], (tx, clientId) =>
        ctx.audit.record(
          { actor: `staff:${staff.id}`, action: 'sso.client-registered', subject: clientId, detail: { name: cleanText(name), scopes } },
          tx,
        ),
      );
      return sendPage(reply, await page(lang, reply.generateCsrf(), [], c));
    },
  );
}
