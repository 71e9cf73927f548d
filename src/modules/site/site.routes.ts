// The pages every government service has, and the files crawlers and browsers ask for. Each route
// declares method, path, schema and guards, calls one service method and renders one view.
//   GET /:lang/privacy | accessibility | help | terms | cookies   public pages (fa/en)
//   GET /:lang/account/my-data                                   what Panjereh holds about the signed-in citizen
//   GET /:lang/account/my-data.json                              the same, in full, as a JSON download (owner only)
//   GET /robots.txt, /sitemap.xml                                absolute URLs from PUBLIC_URL, never from the request
//   GET /favicon.ico                                             the icon (the SVG one is an asset linked in the head)
import fs from 'node:fs';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../context.ts';
import { langOf } from '../../platform/i18n.ts';
import { ASSETS } from '../../web/assets.ts';
import { sendPage } from '../../web/render.ts';
import { ExchangeStats } from '../exchange/exchange.stats.ts';
import { citizenOf, makeGuards } from '../identity/guards.ts';
import { AccessibilityPage } from './pages/AccessibilityPage.tsx';
import { CookiesPage } from './pages/CookiesPage.tsx';
import { HelpPage } from './pages/HelpPage.tsx';
import { MyDataPage } from './pages/MyDataPage.tsx';
import { PrivacyPage } from './pages/PrivacyPage.tsx';
import { TermsPage } from './pages/TermsPage.tsx';
import { SiteService } from './site.service.ts';

type L = { Params: { lang: string } };
// :lang is checked by langOf: another language is a 404, as on the catalogue's pages.
const schema = { hide: true, params: { type: 'object', properties: { lang: { type: 'string', maxLength: 8 } }, required: ['lang'] } };
const publicCache = (reply: FastifyReply, seconds: number) => reply.header('cache-control', `public, max-age=${seconds}`);

export function registerSite(app: FastifyInstance, ctx: AppContext): void {
  const c = ctx.config;
  const site = new SiteService(
    c,
    ctx.catalog,
    ctx.applications,
    ctx.exchange,
    new ExchangeStats(ctx.database.db, ctx.exchange.rollups),
    ctx.identity,
  );
  const guards = makeGuards(ctx);
  const favicon = fs.readFileSync(ASSETS['favicon.ico'].file);

  app.get<L>('/:lang/privacy', { schema }, async (req, reply) =>
    sendPage(
      reply,
      PrivacyPage({
        lang: langOf(req.params),
        r: {
          draftDays: c.DRAFT_RETENTION_DAYS,
          idleMinutes: c.SESSION_IDLE_MINUTES,
          absoluteHours: c.SESSION_ABSOLUTE_HOURS,
          codeMinutes: Math.round(c.OTP_TTL_SECONDS / 60),
        },
      }),
    ),
  );
  app.get<L>('/:lang/accessibility', { schema }, async (req, reply) => sendPage(reply, AccessibilityPage({ lang: langOf(req.params) })));
  app.get<L>('/:lang/help', { schema }, async (req, reply) =>
    sendPage(reply, HelpPage({ lang: langOf(req.params), agencies: await site.agencies(), contactEmail: c.CONTACT_EMAIL })),
  );
  app.get<L>('/:lang/terms', { schema }, async (req, reply) => sendPage(reply, TermsPage({ lang: langOf(req.params) })));
  app.get<L>('/:lang/cookies', { schema }, async (req, reply) =>
    sendPage(
      reply,
      CookiesPage({ lang: langOf(req.params), absoluteHours: c.SESSION_ABSOLUTE_HOURS, idleMinutes: c.SESSION_IDLE_MINUTES }),
    ),
  );

  app.get<L>('/:lang/account/my-data', { schema, preHandler: guards.citizen }, async (req, reply) =>
    sendPage(reply, MyDataPage({ lang: langOf(req.params), data: await site.myData(citizenOf(req).citizen) })),
  );
  app.get<L>('/:lang/account/my-data.json', { schema, preHandler: guards.citizen }, async (req, reply) => {
    const data = await site.myData(citizenOf(req).citizen);
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="panjereh-my-data-${data.generatedAt.slice(0, 10)}.json"`)
      .header('cache-control', 'private, no-store')
      .send(JSON.stringify(data, null, 2));
  });

  app.get('/robots.txt', { schema: { hide: true } }, async (_req, reply) =>
    publicCache(reply, 3600).header('content-type', 'text/plain; charset=utf-8').send(site.robots()),
  );
  app.get('/sitemap.xml', { schema: { hide: true } }, async (_req, reply) =>
    publicCache(reply, 3600)
      .header('content-type', 'application/xml; charset=utf-8')
      .send(await site.sitemap()),
  );
  app.get('/favicon.ico', { schema: { hide: true } }, async (_req, reply) =>
    publicCache(reply, 86_400).header('content-type', 'image/x-icon').send(favicon),
  );
}
