// The agency back office: the queue (filters, sort, paging; overdue stands out), one application with
// its answers, files, timeline and messages (with read times), and the actions: claim or assign,
// request more information, message, approve or reject with a reason. Every action is policy-checked
// (scoped to the operator's agency) and recorded in the audit log by the service.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.ts';
import { tr, type Lang, langOf } from '../../platform/i18n.ts';
import type { AppContext } from '../../context.ts';
import type { FieldError } from '../../web/components.tsx';
import { sendPage } from '../../web/render.ts';
import { can } from '../identity/identity.policy.ts';
import { principal, requireStaff } from '../identity/staff.guard.ts';
import type { StaffRow } from '../identity/staff.service.ts';
import { pick as pickText } from '../catalog/catalog.taxonomy.ts';
import type { ApplicationStatus } from '../../db/schema.ts';
import { sendFile } from './files.http.ts';
import { cleanText } from './validate.ts';
import { QueuePage, STATUSES } from './pages/queue.tsx';
import { StatsPage } from './pages/stats.tsx';
import { StaffApplicationPage } from './pages/staff-application.tsx';
import { ConfirmDecisionPage } from './pages/confirm-decision.tsx';
import type { ApplicationRow } from './applications.repository.ts';

type P = { Params: { lang: string; id: string; file: string }; Querystring: Record<string, string | undefined> };
const PAGE_SIZE = 25;

export function registerBackOffice(app: FastifyInstance, ctx: AppContext): void {
  const hide = { schema: { hide: true } };
  const csrf = { preHandler: app.csrfProtection };
  const A = () => ctx.applications;

  /** The staff member allowed to work on this application (their agency's), or a redirect / 403. */
  const staffFor = async (
    req: FastifyRequest<P>,
    reply: FastifyReply,
    lang: Lang,
  ): Promise<{ staff: StaffRow; a: ApplicationRow } | null> => {
    const staff = await requireStaff(ctx, req, reply, lang, 'applications.work');
    if (!staff) return null;
    const a = await A().forAgency(req.params.id);
    if (!can(principal(staff), 'applications.work', { agencyId: a.agency_id })) throw new AppError('FORBIDDEN');
    return { staff, a };
  };

  app.get<P>('/:lang/staff/applications', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const staff = await requireStaff(ctx, req, reply, lang, 'applications.work');
    if (!staff) return reply;
    const agencyId = staff.agency_id;
    if (!agencyId) throw new AppError('FORBIDDEN'); // the policy gives applications.work only to staff of an agency
    const q = req.query;
    const status = STATUSES.includes(q.status as ApplicationStatus) ? (q.status as ApplicationStatus) : 'open';
    const sort = q.sort === 'submitted' || q.sort === '-submitted' ? q.sort : 'due';
    const page = /^\d{1,4}$/.test(q.page ?? '') ? Math.max(1, Number(q.page)) : 1;
    const services = await ctx.catalog.agencyCards(agencyId);
    const serviceId = services.find((s) => s.id === q.service)?.id;
    const assigned = q.assigned === 'me' ? staff.id : q.assigned === 'none' ? 'none' : undefined;
    const payment = q.payment === 'paid' || q.payment === 'unpaid' || q.payment === 'refunded' ? q.payment : undefined;
    const { total, items } = await A().queue({
      agencyId,
      status,
      serviceId,
      overdue: q.overdue === '1',
      assignedTo: assigned,
      payment,
      sort,
      page,
      pageSize: PAGE_SIZE,
    });
    const paid = await ctx.payments.payments.paidSet(items.map((a) => a.id));
    const names = new Map(services.map((s) => [s.id, pickText(s.name, lang).text]));
    const people = new Map((await ctx.staff.listByAgency(agencyId)).map((p) => [p.id, p.name || p.email]));
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const qs = (over: Record<string, string | undefined>) => {
      const p = new URLSearchParams();
      for (const [k, v] of Object.entries({
        status,
        service: serviceId,
        overdue: q.overdue === '1' ? '1' : undefined,
        assigned: q.assigned,
        payment,
        sort,
        ...over,
      }))
        if (v) p.set(k, v);
      return `/${lang}/staff/applications?${p}`;
    };
    return sendPage(
      reply,
      <QueuePage
        lang={lang}
        url={req.url}
        agencyId={agencyId}
        q={q}
        status={status}
        sort={sort}
        payment={payment}
        serviceId={serviceId}
        services={services}
        names={names}
        people={people}
        paid={paid}
        items={items}
        total={total}
        page={page}
        pages={pages}
        qs={qs}
      />,
    );
  });

  app.get<P>('/:lang/staff/applications/stats', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const requested = req.query.agency;
    const staff = await requireStaff(ctx, req, reply, lang, 'applications.stats', requested ? { agencyId: requested } : {});
    if (!staff) return reply;
    const agencyId = requested ?? staff.agency_id;
    if (!agencyId) throw new AppError('NOT_FOUND');
    if (!can(principal(staff), 'applications.stats', { agencyId })) throw new AppError('FORBIDDEN');
    const agency = await ctx.catalog.getAgency(agencyId);
    const { byService, byOperator } = await A().stats(agencyId);
    const services = new Map((await ctx.catalog.agencyCards(agencyId)).map((s) => [s.id, pickText(s.name, lang).text]));
    const people = new Map((await ctx.staff.listByAgency(agencyId)).map((p) => [p.id, p.name || p.email]));
    const rating = await A().ratingSummary({ agencyId });
    return sendPage(
      reply,
      <StatsPage
        lang={lang}
        url={req.url}
        agencyName={pickText(agency.name, lang).text}
        byService={byService}
        byOperator={byOperator}
        services={services}
        people={people}
        rating={rating}
      />,
    );
  });

  const detailPage = async (
    reply: FastifyReply,
    lang: Lang,
    staff: StaffRow,
    a: ApplicationRow,
    errors: FieldError[] = [],
    status = 200,
    done?: string,
  ) => {
    const [service, events, files, messages, def, people, citizen] = await Promise.all([
      ctx.catalog.getService(a.service_id),
      A().timeline(a),
      A().files(a),
      A().messagesOf(a),
      A().formOf(a),
      ctx.staff.listByAgency(a.agency_id),
      A().applicantOf(a),
    ]);
    const token = reply.generateCsrf();
    const payment = await ctx.payments.payments.stateOf(a);
    const actingFor = await ctx.representation.service.recordOf(a.id);
    return sendPage(
      reply,
      <StaffApplicationPage
        lang={lang}
        staff={staff}
        a={a}
        errors={errors}
        token={token}
        service={service}
        events={events}
        files={files}
        messages={messages}
        def={def}
        people={people}
        citizen={citizen}
        payment={payment}
        actingFor={actingFor}
        done={done}
      />,
      status,
    );
  };

  app.get<P>('/:lang/staff/applications/:id', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const r = await staffFor(req, reply, lang);
    if (!r) return reply;
    return detailPage(reply, lang, r.staff, r.a, [], 200, req.query.done);
  });

  app.get<P>('/:lang/staff/applications/:id/files/:file', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const r = await staffFor(req, reply, lang);
    if (!r) return reply;
    const f = await A().file(r.a, req.params.file);
    await ctx.audit.record({
      actor: `staff:${r.staff.id}`,
      action: 'application.file-download',
      subject: r.a.id,
      detail: { file: f.row.id },
    });
    return sendFile(reply, f);
  });

  const text = (body: unknown) =>
    cleanText(typeof (body as Record<string, unknown>)?.text === 'string' ? ((body as Record<string, string>).text as string) : '', true);
  const tooLong = (lang: Lang) => tr(lang, 'متن باید حداکثر ۲۰۰۰ نویسه باشد', 'The text must be 2000 characters or fewer');

  /** A decided application is not offered a confirmation page: the same 409 the service gives. */
  const closed = (a: ApplicationRow): null => {
    if (!['submitted', 'in-review', 'resubmitted'].includes(a.status)) throw new AppError('APPLICATION_CLOSED');
    return null;
  };

  const action = (
    name: string,
    run: (lang: Lang, staff: StaffRow, a: ApplicationRow, body: Record<string, unknown>) => Promise<FieldError | 'confirm' | null>,
  ) =>
    app.post<P & { Body: Record<string, unknown> }>(`/:lang/staff/applications/:id/${name}`, { ...hide, ...csrf }, async (req, reply) => {
      const lang = langOf(req.params);
      const r = await staffFor(req, reply, lang);
      if (!r) return reply;
      const problem = await run(lang, r.staff, r.a, req.body ?? {});
      if (problem === 'confirm') {
        // approve and reject change the application for good: first a page that asks "are you sure?"
        const service = await ctx.catalog.getService(r.a.service_id);
        return sendPage(
          reply,
          <ConfirmDecisionPage
            lang={lang}
            a={r.a}
            decision={name as 'approve' | 'reject'}
            text={text(req.body)}
            token={reply.generateCsrf()}
            serviceName={pickText(service.name, lang).text}
          />,
        );
      }
      if (problem) return detailPage(reply, lang, r.staff, r.a, [problem], 400);
      return reply.redirect(`/${lang}/staff/applications/${r.a.id}?done=${name}#done`, 303);
    });

  action('claim', async (_l, staff, a) => (await A().claim(staff, a.id), null));
  action('assign', async (lang, staff, a, body) => {
    const to = typeof body.assignee === 'string' ? await A().findAssignable(a.agency_id, body.assignee) : undefined;
    if (!to)
      return {
        field: 'assignee',
        message: tr(lang, 'یکی از کارشناسان فعال همین دستگاه را انتخاب کنید', 'Choose an active officer of this agency'),
      };
    await A().claim(staff, a.id, to);
    return null;
  });
  action('request-info', async (lang, staff, a, body) => {
    const t = text(body);
    if (!t) return { field: 'request', message: tr(lang, 'بنویسید چه اطلاعاتی لازم است', 'Enter what information you need') };
    if (t.length > 2000) return { field: 'request', message: tooLong(lang) };
    await A().requestInfo(staff, a.id, t);
    return null;
  });
  action('approve', async (lang, staff, a, body) => {
    const t = text(body);
    if (t.length > 2000) return { field: 'approve', message: tooLong(lang) };
    if (body.confirm !== 'yes') return closed(a) ?? 'confirm';
    try {
      await A().decide(staff, a.id, 'approved', t);
    } catch (e) {
      if (e instanceof AppError && e.code === 'PAYMENT_REQUIRED')
        return {
          field: 'approve',
          message: tr(
            lang,
            'هزینه این درخواست هنوز پرداخت نشده است؛ پس از پرداخت می‌توانید آن را بپذیرید.',
            'The fee for this application has not been paid yet; you can approve it once it is paid.',
          ),
        };
      throw e;
    }
    return null;
  });
  action('reject', async (lang, staff, a, body) => {
    const t = text(body);
    if (!t) return { field: 'reject', message: tr(lang, 'دلیل رد درخواست را بنویسید', 'Enter the reason for rejecting the application') };
    if (t.length > 2000) return { field: 'reject', message: tooLong(lang) };
    if (body.confirm !== 'yes') return closed(a) ?? 'confirm';
    await A().decide(staff, a.id, 'rejected', t);
    return null;
  });
  action('message', async (lang, staff, a, body) => {
    const t = text(body);
    if (!t) return { field: 'message', message: tr(lang, 'متن پیام را بنویسید', 'Enter your message') };
    if (t.length > 2000) return { field: 'message', message: tooLong(lang) };
    await A().message(staff, a.id, t);
    return null;
  });
}
