// Site-wide routes: static assets, the language chooser at "/", and the standard error pages.
import fs from 'node:fs';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { preferredLang, t, type Lang } from '../platform/i18n.ts';
import type { AppContext } from '../context.ts';
import { ASSETS, assetHash } from './assets.ts';
import { Layout, configureSite } from './layout.tsx';
import { sendPage } from './render.ts';
import { registerFrame } from './frame.ts';

export function renderErrorPage(
  reply: FastifyReply,
  lang: Lang,
  kind: 'not-found' | 'error' | 'client' | 'unavailable',
  status: number,
  requestId: string,
  message?: string,
): FastifyReply {
  const title =
    kind === 'not-found'
      ? t(lang, 'notFoundTitle')
      : kind === 'client'
        ? t(lang, 'thereIsAProblem')
        : kind === 'unavailable'
          ? t(lang, 'unavailableTitle')
          : t(lang, 'serviceErrorTitle');
  return sendPage(
    reply,
    <Layout lang={lang} title={title} altPath={`/${lang === 'fa' ? 'en' : 'fa'}`}>
      <h1>{title}</h1>
      {kind === 'not-found' ? (
        <p>{t(lang, 'notFoundBody')}</p>
      ) : kind === 'client' ? (
        <p>{message}</p>
      ) : kind === 'unavailable' ? (
        <>
          <p>{t(lang, 'unavailableBody')}</p>
          <p>{t(lang, 'unavailableKept')}</p>
        </>
      ) : (
        <p>
          {t(lang, 'serviceErrorBody')} <code>{requestId}</code>
        </p>
      )}
      <p>
        <a href={`/${lang}`}>{t(lang, 'goHome')}</a>
      </p>
    </Layout>,
    status,
  );
}

export function registerWeb(app: FastifyInstance, ctx: AppContext): void {
  configureSite(ctx.config.PUBLIC_URL, ctx.config.DEFAULT_LANG);
  registerFrame(app);
  const files = new Map(
    Object.entries(ASSETS).map(([name, a]) => [name, { body: fs.readFileSync(a.file), type: a.type, hash: assetHash(name) }]),
  );
  const serve = (reply: FastifyReply, name: string, immutable: boolean) => {
    const f = files.get(name);
    if (!f) return reply.callNotFound();
    return reply
      .header('content-type', f.type)
      .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=300')
      .send(f.body);
  };
  app.get<{ Params: { hash: string; name: string } }>('/assets/:hash/:name', { schema: { hide: true } }, (req, reply) =>
    serve(reply, req.params.name, files.get(req.params.name)?.hash === req.params.hash),
  );
  app.get('/assets/font/vazirmatn.woff2', { schema: { hide: true } }, (_req, reply) => serve(reply, 'vazirmatn.woff2', true));

  app.get('/', { schema: { hide: true } }, (req, reply) => {
    const lang = preferredLang(req.cookies.lang, req.headers['accept-language'], ctx.config.DEFAULT_LANG);
    return reply.header('vary', 'Cookie, Accept-Language').redirect(`/${lang}`, 302);
  });

  // Remember the language a visitor last chose, for "/".
  app.addHook('onRequest', async (req, reply) => {
    const seg = req.url.split('/')[1];
    if ((seg === 'fa' || seg === 'en') && req.method === 'GET' && req.cookies.lang !== seg) {
      reply.setCookie('lang', seg, {
        path: '/',
        sameSite: 'lax',
        httpOnly: true,
        secure: ctx.config.NODE_ENV === 'production',
        maxAge: 365 * 24 * 3600,
      });
    }
  });
}
