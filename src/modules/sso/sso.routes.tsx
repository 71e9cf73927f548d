// Mounts the OpenID Connect provider (/.well-known/openid-configuration and /oidc/...) and serves its
// interactions: sign-in goes through Panjereh's own citizen sign-in, then a consent page (fa/en)
// that lists exactly what the agency's portal will receive.
import { Type, type Static } from '@sinclair/typebox';
import { citizenCookie } from '../identity/citizen.guard.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.ts';
import { isLang, preferredLang, type Lang } from '../../platform/i18n.ts';
import type { AppContext } from '../../context.ts';
import { Layout } from '../../web/layout.tsx';
import { sendPage } from '../../web/render.ts';
import { createProvider, type ProviderHolder } from './sso.provider.ts';

const SCOPE_TEXT: Record<string, { fa: string; en: string }> = {
  openid: { fa: 'شناسه‌ای که فقط همین سامانه شما را با آن می‌شناسد', en: 'An identifier that only this service knows you by' },
  national_id: { fa: 'کد ملی شما', en: 'Your national ID' },
  phone: { fa: 'شماره همراه شما', en: 'Your mobile number' },
};

/** The consent form: allow, or anything else (deny). */
const ConsentBody = Type.Object({ decision: Type.Optional(Type.String()), _csrf: Type.Optional(Type.String()) });

export async function registerSso(app: FastifyInstance, ctx: AppContext): Promise<ProviderHolder> {
  const issuer = ctx.config.PUBLIC_URL;
  const holder = await createProvider(ctx, issuer, app.log);
  holder.start(ctx.config.SSO_KEYS_REFRESH_MS, app.log);
  app.addHook('onClose', async () => holder.stop());
  const sessionCookie = citizenCookie(ctx);

  // The provider reads its own request bodies: this scope parses nothing and hands the raw request over.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null));
    const pass = (req: FastifyRequest, reply: FastifyReply) => {
      reply.hijack();
      // the provider (a Koa app) answers its own errors; anything that still escapes is logged
      holder.handler(req.raw, reply.raw).catch((err: unknown) => req.log.error({ err }, 'oidc request failed'));
    };
    scope.all('/.well-known/openid-configuration', { schema: { hide: true } }, pass);
    scope.all('/oidc/*', { schema: { hide: true } }, pass);
  });

  const langFor = (req: FastifyRequest): Lang => {
    const q = (req.query as Record<string, string>)?.lang;
    return isLang(q) ? q : preferredLang(req.cookies.lang, req.headers['accept-language'], ctx.config.DEFAULT_LANG);
  };

  app.get<{ Params: { uid: string } }>('/oidc/interaction/:uid', { schema: { hide: true } }, async (req, reply) => {
    const lang = langFor(req);
    let details;
    try {
      details = await holder.provider.interactionDetails(req.raw, reply.raw);
    } catch {
      throw new AppError('NOT_FOUND');
    }
    if (details.uid !== req.params.uid) throw new AppError('NOT_FOUND');
    const found = await ctx.identity.sessionFor(req.cookies[sessionCookie]);
    const citizen = found && 'citizen' in found ? found.citizen : null;

    if (details.prompt.name === 'login') {
      if (!citizen) return reply.redirect(`/${lang}/sign-in?next=${encodeURIComponent(`/oidc/interaction/${details.uid}`)}`, 303);
      reply.hijack();
      return holder.provider.interactionFinished(
        req.raw,
        reply.raw,
        { login: { accountId: citizen.id } },
        { mergeWithLastSubmission: false },
      );
    }
    if (!citizen || details.session?.accountId !== citizen.id)
      return reply.redirect(`/${lang}/sign-in?next=${encodeURIComponent(`/oidc/interaction/${details.uid}`)}`, 303);

    const client = await holder.provider.Client.find(String(details.params.client_id));
    // The form's redirect chain ends at the portal's registered redirect URI: allow that origin as a
    // form target on this page only (browsers apply form-action to redirects after a form post).
    const target = new URL(String(details.params.redirect_uri)).origin;
    const csp = String(reply.getHeader('content-security-policy') ?? '').replace(/form-action [^;]*/, `form-action 'self' ${target}`);
    reply.header('content-security-policy', csp);
    const scopes = String(details.params.scope ?? 'openid')
      .split(' ')
      .filter((s) => SCOPE_TEXT[s]);
    const title = lang === 'fa' ? `ورود به ${client?.clientName ?? ''} با پنجره` : `Sign in to ${client?.clientName ?? ''} with Panjereh`;
    return sendPage(
      reply,
      <Layout lang={lang} title={title} altPath={`/oidc/interaction/${details.uid}?lang=${lang === 'fa' ? 'en' : 'fa'}`}>
        <h1>{title}</h1>
        <p class="lead">
          {lang === 'fa' ? 'این سامانه این اطلاعات را از پنجره دریافت می‌کند:' : 'This service will receive from Panjereh:'}
        </p>
        <ul>
          {scopes.map((s) => (
            <li>{SCOPE_TEXT[s][lang]}</li>
          ))}
        </ul>
        <form method="post" action={`/oidc/interaction/${details.uid}/confirm?lang=${lang}`}>
          <input type="hidden" name="_csrf" value={reply.generateCsrf()} />
          <button class="button" type="submit" name="decision" value="allow">
            {lang === 'fa' ? 'اجازه می‌دهم' : 'Allow'}
          </button>{' '}
          <button class="button button-secondary" type="submit" name="decision" value="deny">
            {lang === 'fa' ? 'اجازه نمی‌دهم' : 'Do not allow'}
          </button>
        </form>
      </Layout>,
    );
  });

  app.post<{ Params: { uid: string }; Body: Static<typeof ConsentBody> }>(
    '/oidc/interaction/:uid/confirm',
    { schema: { hide: true, body: ConsentBody }, preHandler: app.csrfProtection },
    async (req, reply) => {
      let details;
      try {
        details = await holder.provider.interactionDetails(req.raw, reply.raw);
      } catch {
        throw new AppError('NOT_FOUND');
      }
      const found = await ctx.identity.sessionFor(req.cookies[sessionCookie]);
      const citizen = found && 'citizen' in found ? found.citizen : null;
      if (details.uid !== req.params.uid || details.prompt.name !== 'consent' || !citizen || details.session?.accountId !== citizen.id)
        throw new AppError('FORBIDDEN');
      reply.hijack();
      if (req.body?.decision !== 'allow') {
        return holder.provider.interactionFinished(
          req.raw,
          reply.raw,
          { error: 'access_denied', error_description: 'The citizen did not allow it' },
          { mergeWithLastSubmission: false },
        );
      }
      const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
      const grant = details.grantId
        ? await holder.provider.Grant.find(details.grantId)
        : new holder.provider.Grant({ accountId: citizen.id, clientId: String(details.params.client_id) });
      if (!grant) throw new AppError('NOT_FOUND');
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      const grantId = await grant.save();
      await ctx.audit.record({
        actor: `citizen:${citizen.id}`,
        action: 'sso.consent',
        subject: String(details.params.client_id),
        detail: { scopes: missing.missingOIDCScope ?? [] },
      });
      return holder.provider.interactionFinished(req.raw, reply.raw, { consent: { grantId } }, { mergeWithLastSubmission: true });
    },
  );

  return holder;
}
