// Staff pages for an agency's systems: API keys (secret shown once, revoke) and webhooks (endpoints,
// delivery log, dead letters, replay). Platform admins for every agency; agency admins for their own.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../platform/errors.ts';
import { formatDate, langOf, tr, type Lang } from '../../platform/i18n.ts';
import { ErrorSummary, SummaryList, Tag, TextInput, type FieldError } from '../../web/components.tsx';
import { DataTable } from '../../web/charts.tsx';
import { Layout } from '../../web/layout.tsx';
import { sendPage } from '../../web/render.ts';
import { requireStaff } from '../identity/staff.guard.ts';
import { DeliveryPage, WebhookSections } from '../webhooks/webhooks.admin.tsx';
import { API_SCOPES, keyProblems } from './agencyapi.service.ts';

type Params = { lang: string; agencyId: string };
type Form = Record<string, string | string[]>;
const list = (v: string | string[] | undefined) => ([] as string[]).concat(v ?? []).map(String);

export function registerIntegrationPages(app: FastifyInstance, ctx: AppContext): void {
  const hide = { schema: { hide: true } };
  const post = { ...hide, preHandler: app.csrfProtection };

  const page = async (
    reply: FastifyReply,
    lang: Lang,
    agencyId: string,
    o: { created?: { label: string; value: string }; errors?: FieldError[]; message?: string } = {},
    status = 200,
  ) => {
    const agency = await ctx.catalog.getAgency(agencyId);
    const base = `/${lang}/staff/agencies/${agencyId}`;
    const token = reply.generateCsrf();
    const errors = o.errors ?? [];
    const [keys, endpoints, recent, dead] = await Promise.all([
      ctx.agencyApi.list(agencyId),
      ctx.webhooks.endpoints(agencyId),
      ctx.webhooks.deliveries(agencyId, null, 30),
      ctx.webhooks.deliveries(agencyId, 'dead', 30),
    ]);
    const err = (f: string) => errors.find((e) => e.field === f)?.message;
    return sendPage(
      reply,
      <Layout
        lang={lang}
        title={tr(lang, 'اتصال سامانه‌های دستگاه', 'Agency systems')}
        altPath={`/${lang === 'fa' ? 'en' : 'fa'}/staff/agencies/${agencyId}/integrations`}
        hasError={errors.length > 0}
      >
        <ErrorSummary lang={lang} errors={errors} />
        <p>
          <a class="back-link" href={`/${lang}/staff`}>
            {tr(lang, 'بازگشت به میز کار', 'Back to staff home')}
          </a>
        </p>
        <h1>{tr(lang, 'اتصال سامانه‌های دستگاه', 'Agency systems')}</h1>
        <p>{agency.name[lang] ?? agency.name.fa ?? agency.id}</p>
        {o.message ? (
          <p class="notice" role="status">
            {o.message}
          </p>
        ) : null}
        {o.created ? (
          <div class="notice" role="status">
            <p>
              {tr(
                lang,
                'این رمز فقط همین یک بار نمایش داده می‌شود. آن را اکنون در سامانه خود بگذارید:',
                'This secret is shown only this once. Put it in your system now:',
              )}
            </p>
            <SummaryList rows={[{ key: o.created.label, value: <code dir="ltr">{o.created.value}</code> }]} />
          </div>
        ) : null}
        <h2>{tr(lang, 'کلیدهای API', 'API keys')}</h2>
        <p>
          {tr(lang, 'سامانه دستگاه کلید را در سرآیند می‌فرستد: ', 'Your system sends the key in a header: ')}
          <code dir="ltr">Authorization: Bearer pjk_…</code>
        </p>
        <DataTable
          caption={tr(lang, 'کلیدها', 'Keys')}
          head={[
            tr(lang, 'نام', 'Name'),
            tr(lang, 'پیشوند', 'Prefix'),
            tr(lang, 'دامنه‌ها', 'Scopes'),
            tr(lang, 'ساخته‌شده', 'Created'),
            tr(lang, 'آخرین استفاده', 'Last used'),
            tr(lang, 'وضعیت', 'Status'),
            tr(lang, 'کار', 'Action'),
          ]}
          rows={keys.map((k) => [
            k.name,
            <code dir="ltr">{`pjk_${k.prefix}_…`}</code>,
            <bdi>{k.scopes.join(', ')}</bdi>,
            formatDate(lang, k.created_at),
            k.last_used_at ? formatDate(lang, k.last_used_at) : tr(lang, 'هرگز', 'Never'),
            k.revoked_at ? <Tag tone="grey">{tr(lang, 'باطل‌شده', 'Revoked')}</Tag> : <Tag tone="green">{tr(lang, 'فعال', 'Active')}</Tag>,
            k.revoked_at ? (
              '–'
            ) : (
              <form method="post" action={`${base}/api-keys/${k.id}/revoke`}>
                <input type="hidden" name="_csrf" value={token} />
                <button class="button button-secondary" type="submit">
                  {tr(lang, 'ابطال', 'Revoke')} <span class="visually-hidden">{k.name}</span>
                </button>
              </form>
            ),
          ])}
        />
        <h3>{tr(lang, 'ساخت کلید تازه', 'Create a key')}</h3>
        <form method="post" action={`${base}/api-keys`} novalidate>
          <input type="hidden" name="_csrf" value={token} />
          <TextInput
            width="wide"
            id="name"
            label={tr(lang, 'نام (سامانه‌ای که از آن استفاده می‌کند)', 'Name (the system that uses it)')}
            error={err('name')}
          />
          <fieldset class="plain-fieldset" id="scopes" aria-describedby={err('scopes') ? 'scopes-error' : undefined}>
            <legend class="label">{tr(lang, 'دامنه‌ها', 'Scopes')}</legend>
            {err('scopes') ? (
              <p class="error-message" id="scopes-error">
                {err('scopes')}
              </p>
            ) : null}
            {API_SCOPES.map((s) => (
              <div class="checkbox">
                <input type="checkbox" id={`scope-${s}`} name="scopes" value={s} />
                <label for={`scope-${s}`} lang="en" dir="ltr">
                  {s}
                </label>
              </div>
            ))}
          </fieldset>
          <button class="button" type="submit">
            {tr(lang, 'ساخت کلید', 'Create key')}
          </button>
        </form>
        <WebhookSections
          lang={lang}
          base={base}
          token={token}
          endpoints={endpoints}
          recent={recent}
          dead={dead}
          urlError={err('url')}
          eventsError={err('events')}
        />
      </Layout>,
      status,
    );
  };

  const guard = (req: FastifyRequest, reply: FastifyReply, lang: Lang, agencyId: string) =>
    requireStaff(ctx, req, reply, lang, 'integrations.manage', { agencyId });

  app.get<{ Params: { lang: string } }>('/:lang/staff/integrations', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const staff = await requireStaff(ctx, req, reply, lang, 'integrations.manage');
    if (!staff) return reply;
    if (staff.agency_id) return reply.redirect(`/${lang}/staff/agencies/${staff.agency_id}/integrations`, 303);
    const agencies = await ctx.catalog.agencies();
    return sendPage(
      reply,
      <Layout
        lang={lang}
        title={tr(lang, 'اتصال سامانه‌های دستگاه‌ها', 'Agency systems')}
        altPath={`/${lang === 'fa' ? 'en' : 'fa'}/staff/integrations`}
      >
        <h1>{tr(lang, 'اتصال سامانه‌های دستگاه‌ها', 'Agency systems')}</h1>
        <ul>
          {agencies.map((a) => (
            <li>
              <a href={`/${lang}/staff/agencies/${a.id}/integrations`}>{a.name[lang] ?? a.name.fa ?? a.id}</a>
            </li>
          ))}
        </ul>
      </Layout>,
    );
  });

  app.get<{ Params: Params; Querystring: { done?: string } }>('/:lang/staff/agencies/:agencyId/integrations', hide, async (req, reply) => {
    const lang = langOf(req.params);
    if (!(await guard(req, reply, lang, req.params.agencyId))) return reply;
    const done = {
      revoked: tr(lang, 'کلید باطل شد.', 'The key was revoked.'),
      disabled: tr(lang, 'نشانی غیرفعال شد.', 'The endpoint was disabled.'),
      replayed: tr(lang, 'ارسال دوباره در صف قرار گرفت.', 'The delivery is queued to be sent again.'),
    }[req.query.done ?? ''];
    return page(reply, lang, req.params.agencyId, { message: done });
  });

  app.post<{ Params: Params; Body: Form }>('/:lang/staff/agencies/:agencyId/api-keys', post, async (req, reply) => {
    const lang = langOf(req.params);
    const staff = await guard(req, reply, lang, req.params.agencyId);
    if (!staff) return reply;
    const name = String(req.body?.name ?? '').trim();
    const scopes = list(req.body?.scopes);
    const problems = keyProblems(name, scopes);
    if (problems.length) {
      const errors = problems.map((p) => ({
        field: /name/i.test(p) ? 'name' : 'scopes',
        message: /name/i.test(p)
          ? tr(lang, 'برای کلید نامی تا ۱۰۰ نویسه بنویسید', 'Give the key a name of at most 100 characters')
          : tr(lang, 'دست‌کم یک دامنه انتخاب کنید', 'Choose at least one scope'),
      }));
      return page(reply, lang, req.params.agencyId, { errors }, 400);
    }
    const k = await ctx.agencyApi.create(req.params.agencyId, name, scopes, `staff:${staff.id}`);
    return page(reply, lang, req.params.agencyId, { created: { label: tr(lang, 'کلید API', 'API key'), value: k.key } });
  });

  app.post<{ Params: Params & { id: string } }>('/:lang/staff/agencies/:agencyId/api-keys/:id/revoke', post, async (req, reply) => {
    const lang = langOf(req.params);
    const staff = await guard(req, reply, lang, req.params.agencyId);
    if (!staff) return reply;
    await ctx.agencyApi.revoke(req.params.id, req.params.agencyId, `staff:${staff.id}`);
    return reply.redirect(`/${lang}/staff/agencies/${req.params.agencyId}/integrations?done=revoked`, 303);
  });

  app.post<{ Params: Params; Body: Form }>('/:lang/staff/agencies/:agencyId/webhooks', post, async (req, reply) => {
    const lang = langOf(req.params);
    const staff = await guard(req, reply, lang, req.params.agencyId);
    if (!staff) return reply;
    try {
      const r = await ctx.webhooks.register(req.params.agencyId, String(req.body?.url ?? ''), list(req.body?.events), `staff:${staff.id}`);
      return page(reply, lang, req.params.agencyId, {
        created: { label: tr(lang, 'رمز امضای وب‌هوک', 'Webhook signing secret'), value: r.secret },
      });
    } catch (e) {
      if (!(e instanceof AppError) || !e.code.startsWith('WEBHOOK_')) throw e;
      const field = e.code === 'WEBHOOK_EVENT_UNKNOWN' ? 'events' : 'url';
      const message =
        field === 'events'
          ? tr(lang, 'دست‌کم یک رویداد انتخاب کنید', 'Choose at least one event')
          : e.code === 'WEBHOOK_URL_PRIVATE'
            ? tr(
                lang,
                'این نشانی به شبکه خصوصی یا محلی اشاره می‌کند؛ نشانی عمومی بدهید',
                'This address points to a private or local network; give a public address',
              )
            : tr(
                lang,
                'نشانی را با https:// آغاز کنید، مانند https://agency.example.ir/hooks',
                'Enter an address starting with https://, like https://agency.example.ir/hooks',
              );
      return page(reply, lang, req.params.agencyId, { errors: [{ field, message }] }, 400);
    }
  });

  app.post<{ Params: Params & { id: string } }>('/:lang/staff/agencies/:agencyId/webhooks/:id/disable', post, async (req, reply) => {
    const lang = langOf(req.params);
    const staff = await guard(req, reply, lang, req.params.agencyId);
    if (!staff) return reply;
    await ctx.webhooks.disable(req.params.id, req.params.agencyId, `staff:${staff.id}`);
    return reply.redirect(`/${lang}/staff/agencies/${req.params.agencyId}/integrations?done=disabled`, 303);
  });

  app.get<{ Params: Params & { id: string } }>('/:lang/staff/agencies/:agencyId/webhooks/deliveries/:id', hide, async (req, reply) => {
    const lang = langOf(req.params);
    if (!(await guard(req, reply, lang, req.params.agencyId))) return reply;
    const d = await ctx.webhooks.delivery(req.params.id, req.params.agencyId);
    return sendPage(
      reply,
      <DeliveryPage lang={lang} base={`/${lang}/staff/agencies/${req.params.agencyId}`} token={reply.generateCsrf()} d={d} />,
    );
  });

  app.post<{ Params: Params & { id: string } }>(
    '/:lang/staff/agencies/:agencyId/webhooks/deliveries/:id/replay',
    post,
    async (req, reply) => {
      const lang = langOf(req.params);
      const staff = await guard(req, reply, lang, req.params.agencyId);
      if (!staff) return reply;
      await ctx.webhooks.replay(req.params.id, req.params.agencyId, `staff:${staff.id}`);
      return reply.redirect(`/${lang}/staff/agencies/${req.params.agencyId}/integrations?done=replayed`, 303);
    },
  );
}
