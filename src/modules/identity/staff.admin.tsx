// Staff administration: an agency's people and invitations (agency admins, platform admins), the
// oversight view of all agencies (oversight analysts, platform admins), and the audit log with search
// and CSV export (platform admins). Each route asks the policy through requireStaff.
import { ROLE_NAMES } from './staff.nav.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toSafeCsv as stringify } from '../../platform/csv.ts';
import { AppError } from '../../platform/errors.ts';
import { formatDate, formatNumber, type Lang, langOf, tr } from '../../platform/i18n.ts';
import type { AppContext } from '../../context.ts';
import { Tag } from '../../web/components.tsx';
import { DataTable } from '../../web/charts.tsx';
import { Layout } from '../../web/layout.tsx';
import { sendPage } from '../../web/render.ts';
import type { StaffRole } from '../../db/schema.ts';
import { pick } from '../catalog/catalog.taxonomy.ts';
import { requireStaff } from './staff.guard.ts';
import { AuditPage, parseAuditDate } from './pages/audit.tsx';

const AGENCY_ROLES: StaffRole[] = ['agency-admin', 'service-editor', 'operator', 'finance-officer', 'participation-editor'];
export const roleName = (lang: Lang, role: StaffRole) => ROLE_NAMES[role][lang];

function StatusTag({
  lang,
  person,
}: {
  lang: Lang;
  person: { totp_enabled: boolean; totp_secret: string | null; deactivated_at: Date | null };
}) {
  if (person.deactivated_at) return <Tag tone="red">{tr(lang, 'غیرفعال', 'Deactivated')}</Tag>;
  if (person.totp_enabled && !person.totp_secret)
    return <Tag tone="grey">{tr(lang, 'در انتظار برنامه تأیید هویت تازه', 'Waiting for a new authenticator')}</Tag>;
  return person.totp_enabled ? (
    <Tag tone="green">{tr(lang, 'فعال', 'Active')}</Tag>
  ) : (
    <Tag tone="grey">{tr(lang, 'دعوت‌شده', 'Invited')}</Tag>
  );
}

function auditFilter(q: Record<string, string | undefined>, lang: Lang = 'en') {
  const to = parseAuditDate(q.to, 'to', lang);
  return {
    action: q.action?.slice(0, 60) || undefined,
    actor: q.actor?.slice(0, 80) || undefined,
    from: parseAuditDate(q.from, 'from', lang),
    to: to ? new Date(to.getTime() + 86_400_000) : undefined,
  };
}

export function registerStaffAdminPages(app: FastifyInstance, ctx: AppContext): void {
  const hide = { schema: { hide: true } };
  const csrf = { preHandler: app.csrfProtection };
  const base = (_req: FastifyRequest) => ctx.config.PUBLIC_URL;

  app.get<{ Params: { lang: string; id: string }; Querystring: { invited?: string; changed?: string } }>(
    '/:lang/staff/agencies/:id/people',
    hide,
    async (req, reply) => {
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
          {req.query.changed ? (
            <p class="notice">{tr(lang, `تغییرات ${req.query.changed} ذخیره شد.`, `Changes to ${req.query.changed} were saved.`)}</p>
          ) : null}
          {req.query.invited ? (
            <p class="notice">
              {tr(lang, `دعوت‌نامه برای ${req.query.invited} فرستاده شد.`, `An invitation was sent to ${req.query.invited}.`)}
            </p>
          ) : null}
          <h1>{title}</h1>
          <DataTable
            caption={tr(lang, 'کارکنان این دستگاه', "This agency's people")}
            head={[tr(lang, 'رایانامه', 'Email'), tr(lang, 'نقش', 'Role'), tr(lang, 'وضعیت', 'Status'), tr(lang, 'کار', 'Action')]}
            rows={people.map((p) => [
              <bdi>{p.email}</bdi>,
              roleName(lang, p.role),
              <StatusTag lang={lang} person={p} />,
              p.id === staff.id ? (
                tr(lang, 'حساب شما', 'Your account')
              ) : (
                <a href={`/${lang}/staff/agencies/${agency.id}/people/${p.id}`}>
                  {tr(lang, 'مدیریت', 'Manage')}
                  <span class="visually-hidden"> {p.email}</span>
                </a>
              ),
            ])}
          />
          <h2>{tr(lang, 'دعوت از همکار', 'Invite a colleague')}</h2>
          <form method="post" action={`/${lang}/staff/agencies/${agency.id}/people`} novalidate>
            <input type="hidden" name="_csrf" value={reply.generateCsrf()} />
            <label class="label" for="email">
              {tr(lang, 'رایانامه', 'Email')}
            </label>
            <input class="input input-wide" id="email" name="email" type="email" dir="ltr" />
            <label class="label" for="role">
              {tr(lang, 'نقش', 'Role')}
            </label>
            <select class="input" id="role" name="role">
              {AGENCY_ROLES.map((r) => (
                <option value={r}>{roleName(lang, r)}</option>
              ))}
            </select>
            <button class="button" type="submit">
              {tr(lang, 'فرستادن دعوت‌نامه', 'Send the invitation')}
            </button>
          </form>
        </Layout>,
      );
    },
  );

  app.post<{ Params: { lang: string; id: string }; Body: Record<string, string> }>(
    '/:lang/staff/agencies/:id/people',
    { ...hide, ...csrf },
    async (req, reply) => {
      const lang = langOf(req.params);
      const agency = await ctx.catalog.getAgency(req.params.id);
      const staff = await requireStaff(ctx, req, reply, lang, 'staff.manage', { agencyId: agency.id });
      if (!staff) return reply;
      const role = req.body?.role as StaffRole;
      if (!AGENCY_ROLES.includes(role)) throw new AppError('VALIDATION_FAILED', 'role must be agency-admin, service-editor or operator.');
      const email = String(req.body?.email ?? '')
        .trim()
        .slice(0, 200);
      const { token } = await ctx.staff.invite(email, role, agency.id, `staff:${staff.id}`);
      const link = `${base(req)}/${lang}/staff/setup/${token}`;
      await ctx.email.send({
        to: email.toLowerCase(),
        subject: 'دعوت به پنجره / Invitation to Panjereh',
        text: `شما به عنوان ${role} در ${agency.name.fa ?? agency.id} به پنجره دعوت شده‌اید. حساب خود را در ۲۴ ساعت آینده بسازید:\n${link}\n\nYou have been invited to Panjereh as ${role} of ${agency.name.en ?? agency.id}. Set up your account within 24 hours:\n${link}\n`,
      });
      return reply.redirect(`/${lang}/staff/agencies/${agency.id}/people?invited=${encodeURIComponent(email.toLowerCase())}`, 303);
    },
  );

  /** One colleague: change their role, reset a lost authenticator, deactivate or reactivate them (never oneself). */
  const person = async (req: FastifyRequest<{ Params: { lang: string; id: string; staffId: string } }>, reply: FastifyReply) => {
    const lang = langOf(req.params);
    const agency = await ctx.catalog.getAgency(req.params.id);
    const me = await requireStaff(ctx, req, reply, lang, 'staff.manage', { agencyId: agency.id });
    if (!me) return null;
    const target = /^[0-9a-f-]{36}$/.test(req.params.staffId) ? await ctx.staff.byId(req.params.staffId) : undefined;
    if (!target || target.agency_id !== agency.id) throw new AppError('NOT_FOUND');
    return { lang, agency, me, target };
  };

  app.get<{ Params: { lang: string; id: string; staffId: string } }>(
    '/:lang/staff/agencies/:id/people/:staffId',
    hide,
    async (req, reply) => {
      const found = await person(req, reply);
      if (!found) return reply;
      const { lang, agency, me, target } = found;
      const back = `/${lang}/staff/agencies/${agency.id}/people`;
      const title = tr(lang, 'مدیریت همکار', 'Manage a colleague');
      const token = reply.generateCsrf();
      const self = target.id === me.id;
      return sendPage(
        reply,
        <Layout lang={lang} title={title} altPath={`/${lang === 'fa' ? 'en' : 'fa'}/staff/agencies/${agency.id}/people/${target.id}`}>
          <p>
            <a class="back-link" href={back}>
              {tr(lang, 'بازگشت به کارکنان', 'Back to people')}
            </a>
          </p>
          <h1>{title}</h1>
          <dl class="summary-list">
            <div class="summary-row">
              <dt>{tr(lang, 'رایانامه', 'Email')}</dt>
              <dd>
                <bdi>{target.email}</bdi>
              </dd>
            </div>
            <div class="summary-row">
              <dt>{tr(lang, 'نقش', 'Role')}</dt>
              <dd>{roleName(lang, target.role)}</dd>
            </div>
            <div class="summary-row">
              <dt>{tr(lang, 'وضعیت', 'Status')}</dt>
              <dd>
                <StatusTag lang={lang} person={target} />
              </dd>
            </div>
          </dl>
          {self ? (
            <p>
              {tr(
                lang,
                'نقش یا حساب خودتان را نمی‌توانید تغییر دهید؛ از مدیر دیگری بخواهید.',
                'You cannot change your own role or account; ask another administrator.',
              )}
            </p>
          ) : (
            <>
              <h2>{tr(lang, 'تغییر نقش', 'Change role')}</h2>
              <form method="post" action={`/${lang}/staff/agencies/${agency.id}/people/${target.id}`} novalidate>
                <input type="hidden" name="_csrf" value={token} />
                <input type="hidden" name="action" value="role" />
                <label class="label" for="role">
                  {tr(lang, 'نقش تازه', 'New role')}
                </label>
                <select class="input" id="role" name="role">
                  {AGENCY_ROLES.map((r) => (
                    <option value={r} selected={r === target.role}>
                      {roleName(lang, r)}
                    </option>
                  ))}
                </select>
                <button class="button" type="submit">
                  {tr(lang, 'ذخیرهٔ نقش', 'Save the role')}
                </button>
              </form>
              {target.totp_enabled && !target.deactivated_at ? (
                <>
                  <h2>{tr(lang, 'بازنشانی برنامه تأیید هویت', 'Reset their authenticator')}</h2>
                  <p>
                    {tr(
                      lang,
                      'اگر همکار برنامه تأیید هویت و کدهای بازیابی خود را از دست داده است: برنامه قبلی و کدهای بازیابی‌اش دیگر کار نمی‌کنند، همه نشست‌هایش بسته می‌شود و پیوندی برای تنظیم برنامه تازه (۲۴ ساعت) به رایانامه‌اش فرستاده می‌شود. گذرواژه‌اش تغییر نمی‌کند. پیش از این کار، هویت او را از راهی جز رایانامه بسنجید.',
                      'If your colleague has lost their authenticator app and recovery codes: the old app and their recovery codes stop working, all their sessions end, and a link to set up a new app (valid 24 hours) goes to their email. Their password stays. Check who is asking by some way other than email first.',
                    )}
                  </p>
                  <form method="post" action={`/${lang}/staff/agencies/${agency.id}/people/${target.id}`}>
                    <input type="hidden" name="_csrf" value={token} />
                    <input type="hidden" name="action" value="reset-authenticator" />
                    <button class="button button-warning" type="submit">
                      {tr(lang, 'بازنشانی برنامه تأیید هویت', 'Reset their authenticator')}
                    </button>
                  </form>
                </>
              ) : null}
              <h2>{target.deactivated_at ? tr(lang, 'فعال کردن دوباره', 'Reactivate') : tr(lang, 'غیرفعال کردن', 'Deactivate')}</h2>
              <p>
                {target.deactivated_at
                  ? tr(lang, 'این همکار دوباره می‌تواند وارد شود.', 'This colleague will be able to sign in again.')
                  : tr(
                      lang,
                      'این همکار دیگر نمی‌تواند وارد شود و همهٔ نشست‌هایش همین حالا بسته می‌شود.',
                      'This colleague will no longer be able to sign in, and all their sessions end now.',
                    )}
              </p>
              <form method="post" action={`/${lang}/staff/agencies/${agency.id}/people/${target.id}`}>
                <input type="hidden" name="_csrf" value={token} />
                <input type="hidden" name="action" value={target.deactivated_at ? 'reactivate' : 'deactivate'} />
                <button class={target.deactivated_at ? 'button' : 'button button-warning'} type="submit">
                  {target.deactivated_at ? tr(lang, 'فعال کردن دوباره', 'Reactivate') : tr(lang, 'غیرفعال کردن', 'Deactivate')}
                </button>
              </form>
            </>
          )}
        </Layout>,
      );
    },
  );

  app.post<{ Params: { lang: string; id: string; staffId: string }; Body: Record<string, string> }>(
    '/:lang/staff/agencies/:id/people/:staffId',
    { ...hide, ...csrf },
    async (req, reply) => {
      const found = await person(req, reply);
      if (!found) return reply;
      const { lang, agency, me, target } = found;
      const action = req.body?.action;
      if (action === 'role') {
        const role = req.body?.role as StaffRole;
        if (!AGENCY_ROLES.includes(role))
          throw new AppError('VALIDATION_FAILED', 'role must be agency-admin, service-editor or operator.', { field: 'role' });
        await ctx.staff.changeRole(target, role, me);
      } else if (action === 'deactivate' || action === 'reactivate') {
        await ctx.staff.setActive(target, action === 'reactivate', me);
      } else if (action === 'reset-authenticator') {
        const token = await ctx.staff.resetAuthenticator(target, me);
        const link = `${base(req)}/${lang}/staff/authenticator/${token}`;
        await ctx.email.send({
          to: target.email,
          subject: 'برنامه تأیید هویت تازه در پنجره / Set up a new authenticator for Panjereh',
          text: `مدیر دستگاه برنامه تأیید هویت شما را بازنشانی کرد. برای تنظیم برنامه تازه (تا ۲۴ ساعت، با گذرواژه کنونی‌تان):\n${link}\n\nAn administrator reset your authenticator app. To set up a new one (within 24 hours, with your current password):\n${link}\n\nاگر شما درخواست نکرده‌اید، به مدیر دستگاه خبر دهید. / If you did not ask for this, tell your administrator.\n`,
        });
      } else
        throw new AppError('VALIDATION_FAILED', 'action must be role, reset-authenticator, deactivate or reactivate.', { field: 'action' });
      return reply.redirect(`/${lang}/staff/agencies/${agency.id}/people?changed=${encodeURIComponent(target.email)}`, 303);
    },
  );

  app.get<{ Params: { lang: string } }>('/:lang/staff/oversight', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const staff = await requireStaff(ctx, req, reply, lang, 'oversight.view');
    if (!staff) return reply;
    const agencies = await ctx.catalog.agencies();
    const connected = agencies.filter((a) => a.connected).length;
    return sendPage(
      reply,
      <Layout
        lang={lang}
        title={tr(lang, 'دستگاه‌ها از نگاه نظارت', 'Agencies: oversight view')}
        altPath={`/${lang === 'fa' ? 'en' : 'fa'}/staff/oversight`}
      >
        <h1>{tr(lang, 'دستگاه‌ها از نگاه نظارت', 'Agencies: oversight view')}</h1>
        <p class="lead">
          {tr(
            lang,
            `${formatNumber(lang, connected)} از ${formatNumber(lang, agencies.length)} دستگاه به پنجره متصل‌اند.`,
            `${connected} of ${agencies.length} agencies are connected to Panjereh.`,
          )}
        </p>
        <DataTable
          caption={tr(lang, 'همه دستگاه‌ها', 'All agencies')}
          head={[
            tr(lang, 'دستگاه', 'Agency'),
            tr(lang, 'اتصال', 'Connected'),
            tr(lang, 'خدمات منتشرشده', 'Published services'),
            tr(lang, 'آخرین به‌روزرسانی', 'Last update'),
          ]}
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
    const rows = await ctx.staff.audit.search(auditFilter(req.query, lang));
    const qs = new URLSearchParams(Object.entries(req.query).filter((e): e is [string, string] => !!e[1])).toString();
    const ids = [...new Set(rows.filter((r) => r.actor.startsWith('staff:')).map((r) => r.actor.slice(6)))];
    const people = await Promise.all(ids.map((id) => ctx.staff.byId(id).catch(() => undefined)));
    const names = new Map(people.filter((p) => !!p).map((p) => [p.id, p.name || p.email]));
    return sendPage(
      reply,
      <AuditPage lang={lang} rows={rows} names={names} query={req.query} csvHref={`/${lang}/staff/audit.csv${qs ? `?${qs}` : ''}`} />,
    );
  });

  app.get<{ Params: { lang: string }; Querystring: Record<string, string | undefined> }>(
    '/:lang/staff/audit.csv',
    hide,
    async (req, reply) => {
      const lang = langOf(req.params);
      const staff = await requireStaff(ctx, req, reply, lang, 'audit.view');
      if (!staff) return reply;
      const rows = await ctx.staff.audit.search({ ...auditFilter(req.query, lang), limit: 100_000 });
      const csv = stringify([
        ['seq', 'at', 'actor', 'action', 'subject', 'ip_hash', 'detail', 'prev_hash', 'hash'],
        ...rows.map((r) => [
          r.seq,
          new Date(r.at).toISOString(),
          r.actor,
          r.action,
          r.subject ?? '',
          r.ip_hash ?? '',
          JSON.stringify(r.detail),
          r.prev_hash,
          r.hash,
        ]),
      ]);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="panjereh-audit.csv"')
        .send(csv);
    },
  );
}
