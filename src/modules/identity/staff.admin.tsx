// Staff administration: an agency's people and invitations (agency admins, platform admins), the
// oversight view of all agencies (oversight analysts, platform admins), and the audit log with search
// and CSV export (platform admins). Each route asks the policy through requireStaff.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { stringify } from 'csv-stringify/sync';
import { AppError } from '../../platform/errors.ts';
import { formatDate, formatNumber, isLang, type Lang, langOf, tr } from '../../platform/i18n.ts';
import type { AppContext } from '../../server.ts';
import { Tag } from '../../web/components.tsx';
import { DataTable } from '../../web/charts.tsx';
import { Layout } from '../../web/layout.tsx';
import { sendPage } from '../../web/render.ts';
import type { StaffRole } from '../../db/schema.ts';
import { pick } from '../catalog/catalog.taxonomy.ts';
import { requireStaff } from './staff.guard.ts';

const AGENCY_ROLES: StaffRole[] = ['agency-admin', 'service-editor', 'operator'];


function auditFilter(q: Record<string, string | undefined>) {
  const date = (v: string | undefined, field: string) => {
    if (!v) return undefined;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v))) throw new AppError('VALIDATION_FAILED', `${field} must be a date like 2026-11-23.`, { field });
    return new Date(`${v}T00:00:00Z`);
  };
  const to = date(q.to, 'to');
  return { action: q.action?.slice(0, 60) || undefined, actor: q.actor?.slice(0, 80) || undefined, from: date(q.from, 'from'), to: to ? new Date(to.getTime() + 86_400_000) : undefined };
}

export function registerStaffAdminPages(app: FastifyInstance, ctx: AppContext): void {
  const hide = { schema: { hide: true } };
  const csrf = { preHandler: app.csrfProtection };
  const base = (req: FastifyRequest) => ctx.config.PUBLIC_URL?.replace(/\/$/, '') ?? `${req.protocol}://${req.host}`;

  app.get<{ Params: { lang: string; id: string }; Querystring: { invited?: string } }>('/:lang/staff/agencies/:id/people', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const agency = await ctx.catalog.getAgency(req.params.id);
    const staff = await requireStaff(ctx, req, reply, lang, 'staff.manage', { agencyId: agency.id });
    if (!staff) return reply;
    const people = await ctx.staff.listByAgency(agency.id);
    const title = `${tr(lang, 'کارکنان', 'People')}: ${pick(agency.name, lang).text}`;
    return sendPage(
      reply,
      <Layout lang={lang} title={title} altPath={`/${lang === 'fa' ? 'en' : 'fa'}/staff/agencies/${agency.id}/people`}>
        <p>
          <a href={`/${lang}/staff`}>{tr(lang, 'میز کار کارکنان', 'Staff home')}</a>
        </p>
        {req.query.invited ? <p class="notice">{tr(lang, `دعوت‌نامه برای ${req.query.invited} فرستاده شد.`, `An invitation was sent to ${req.query.invited}.`)}</p> : null}
        <h1>{title}</h1>
        <DataTable
          caption={tr(lang, 'کارکنان این دستگاه', "This agency's people")}
          head={[tr(lang, 'رایانامه', 'Email'), tr(lang, 'نقش', 'Role'), tr(lang, 'وضعیت', 'Status')]}
          rows={people.map((p) => [<bdi>{p.email}</bdi>, p.role, p.totp_enabled ? <Tag tone="green">{tr(lang, 'فعال', 'Active')}</Tag> : <Tag tone="grey">{tr(lang, 'دعوت‌شده', 'Invited')}</Tag>])}
        />
        <h2>{tr(lang, 'دعوت از همکار', 'Invite a colleague')}</h2>
        <form method="post" action={`/${lang}/staff/agencies/${agency.id}/people`} novalidate>
          <input type="hidden" name="_csrf" value={await reply.generateCsrf()} />
          <label class="label" for="email">
            {tr(lang, 'رایانامه', 'Email')}
          </label>
          <input class="input input-wide" id="email" name="email" type="email" dir="ltr" />
          <label class="label" for="role">
            {tr(lang, 'نقش', 'Role')}
          </label>
          <select class="input" id="role" name="role">
            {AGENCY_ROLES.map((r) => (
              <option value={r}>{r}</option>
            ))}
          </select>
          <button class="button" type="submit">
            {tr(lang, 'فرستادن دعوت‌نامه', 'Send the invitation')}
          </button>
        </form>
      </Layout>,
    );
  });

  app.post<{ Params: { lang: string; id: string }; Body: Record<string, string> }>('/:lang/staff/agencies/:id/people', { ...hide, ...csrf }, async (req, reply) => {
    const lang = langOf(req.params);
    const agency = await ctx.catalog.getAgency(req.params.id);
    const staff = await requireStaff(ctx, req, reply, lang, 'staff.manage', { agencyId: agency.id });
    if (!staff) return reply;
    const role = req.body?.role as StaffRole;
    if (!AGENCY_ROLES.includes(role)) throw new AppError('VALIDATION_FAILED', 'role must be agency-admin, service-editor or operator.');
    const email = String(req.body?.email ?? '').trim().slice(0, 200);
    const { token } = await ctx.staff.invite(email, role, agency.id, `staff:${staff.id}`);
    const link = `${base(req)}/${lang}/staff/setup/${token}`;
    await ctx.email.send({
      to: email.toLowerCase(),
      subject: 'دعوت به پنجره / Invitation to Panjereh',
      text: `شما به عنوان ${role} در ${agency.name.fa ?? agency.id} به پنجره دعوت شده‌اید. حساب خود را در ۲۴ ساعت آینده بسازید:\n${link}\n\nYou have been invited to Panjereh as ${role} of ${agency.name.en ?? agency.id}. Set up your account within 24 hours:\n${link}\n`,
    });
    return reply.redirect(`/${lang}/staff/agencies/${agency.id}/people?invited=${encodeURIComponent(email.toLowerCase())}`, 303);
  });

  app.get<{ Params: { lang: string } }>('/:lang/staff/oversight', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const staff = await requireStaff(ctx, req, reply, lang, 'oversight.view');
    if (!staff) return reply;
    const agencies = await ctx.catalog.agencies();
    const connected = agencies.filter((a) => a.connected).length;
    return sendPage(
      reply,
      <Layout lang={lang} title={tr(lang, 'دستگاه‌ها از نگاه نظارت', 'Agencies: oversight view')} altPath={`/${lang === 'fa' ? 'en' : 'fa'}/staff/oversight`}>
        <h1>{tr(lang, 'دستگاه‌ها از نگاه نظارت', 'Agencies: oversight view')}</h1>
        <p class="lead">
          {tr(lang, `${formatNumber(lang, connected)} از ${formatNumber(lang, agencies.length)} دستگاه به پنجره متصل‌اند.`, `${connected} of ${agencies.length} agencies are connected to Panjereh.`)}
        </p>
        <DataTable
          caption={tr(lang, 'همه دستگاه‌ها', 'All agencies')}
          head={[tr(lang, 'دستگاه', 'Agency'), tr(lang, 'اتصال', 'Connected'), tr(lang, 'خدمات منتشرشده', 'Published services'), tr(lang, 'آخرین به‌روزرسانی', 'Last update')]}
          rows={agencies.map((a) => [
            <a href={`/${lang}/agencies/${a.id}`}>{pick(a.name, lang).text}</a>,
            a.connected ? (a.connected_since ? formatDate(lang, a.connected_since) : tr(lang, 'بله', 'Yes')) : tr(lang, 'خیر', 'No'),
            formatNumber(lang, Number(a.service_count)),
            a.last_updated ? formatDate(lang, a.last_updated as Date) : '–',
          ])}
        />
      </Layout>,
    );
  });

  app.get<{ Params: { lang: string }; Querystring: Record<string, string | undefined> }>('/:lang/staff/audit', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const staff = await requireStaff(ctx, req, reply, lang, 'audit.view');
    if (!staff) return reply;
    const rows = await ctx.staff.audit.search(auditFilter(req.query));
    const qs = new URLSearchParams(Object.entries(req.query).filter((e): e is [string, string] => !!e[1])).toString();
    return sendPage(
      reply,
      <Layout lang={lang} title={tr(lang, 'گزارش رخدادها', 'Audit log')} altPath={`/${lang === 'fa' ? 'en' : 'fa'}/staff/audit`}>
        <h1>{tr(lang, 'گزارش رخدادها', 'Audit log')}</h1>
        <form method="get" action={`/${lang}/staff/audit`} class="panel">
          <label class="label" for="action">
            {tr(lang, 'رخداد (آغاز نام، مانند sign-in)', 'Action (start of its name, like sign-in)')}
          </label>
          <input class="input input-wide" id="action" name="action" value={req.query.action ?? ''} dir="ltr" />
          <label class="label" for="from">
            {tr(lang, 'از تاریخ (میلادی)', 'From (date)')}
          </label>
          <input class="input input-narrow" id="from" name="from" type="date" value={req.query.from ?? ''} />
          <label class="label" for="to">
            {tr(lang, 'تا تاریخ', 'To (date)')}
          </label>
          <input class="input input-narrow" id="to" name="to" type="date" value={req.query.to ?? ''} />
          <button class="button" type="submit">
            {tr(lang, 'جست‌وجو', 'Search')}
          </button>
        </form>
        <p>
          <a href={`/${lang}/staff/audit.csv${qs ? `?${qs}` : ''}`}>{tr(lang, 'دریافت CSV', 'Download as CSV')}</a>
        </p>
        <DataTable
          caption={tr(lang, 'تازه‌ترین رخدادها', 'Latest entries')}
          head={['#', tr(lang, 'زمان', 'Time'), tr(lang, 'کنشگر', 'Actor'), tr(lang, 'رخداد', 'Action'), tr(lang, 'جزئیات', 'Detail')]}
          rows={rows.map((r) => [String(r.seq), new Date(r.at).toISOString().replace('T', ' ').slice(0, 19), <bdi>{r.actor}</bdi>, <code>{r.action}</code>, <code>{JSON.stringify(r.detail)}</code>])}
        />
      </Layout>,
    );
  });

  app.get<{ Params: { lang: string }; Querystring: Record<string, string | undefined> }>('/:lang/staff/audit.csv', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const staff = await requireStaff(ctx, req, reply, lang, 'audit.view');
    if (!staff) return reply;
    const rows = await ctx.staff.audit.search({ ...auditFilter(req.query), limit: 100_000 });
    const csv = stringify([['seq', 'at', 'actor', 'action', 'subject', 'ip_hash', 'detail', 'prev_hash', 'hash'], ...rows.map((r) => [r.seq, new Date(r.at).toISOString(), r.actor, r.action, r.subject ?? '', r.ip_hash ?? '', JSON.stringify(r.detail), r.prev_hash, r.hash])]);
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="panjereh-audit.csv"').send(csv);
  });
}
