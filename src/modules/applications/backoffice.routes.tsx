// The agency back office: the queue (filters, sort, paging; overdue stands out), one application with
// its answers, files, timeline and messages (with read times), and the actions: claim or assign,
// request more information, message, approve or reject with a reason. Every action is policy-checked
// (scoped to the operator's agency) and recorded in the audit log by the service.
import { isAssignable } from './applications.service.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.ts';
import { formatDate, formatNumber, tr, type Lang, langOf } from '../../platform/i18n.ts';
import type { AppContext } from '../../context.ts';
import { ErrorSummary, SummaryList, type FieldError } from '../../web/components.tsx';
import { PaymentSummary } from '../payments/pages/pay.tsx';
import { ActingForPanel } from '../representation/pages/panel.tsx';
import { Layout } from '../../web/layout.tsx';
import { sendPage } from '../../web/render.ts';
import { can } from '../identity/identity.policy.ts';
import { principal, requireStaff } from '../identity/staff.guard.ts';
import type { StaffRow } from '../identity/staff.service.ts';
import { pick as pickText } from '../catalog/catalog.taxonomy.ts';
import type { ApplicationStatus } from '../../db/schema.ts';
import { pick, visiblePages } from './forms.ts';
import { showAnswer } from './pages/fields.tsx';
import { EVENT_NAME } from './applications.text.ts';
import { other } from './journey.routes.tsx';
import { sendFile, StatusTag } from './track.routes.tsx';
import { messageTime } from './ebox.routes.tsx';
import { cleanText } from './validate.ts';
import { QueuePage, STATUSES, overdue } from './pages/queue.tsx';
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
    const agencyId = staff.agency_id!;
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
    const n = (x: number) => formatNumber(lang, x);
    const hours = (h: number | null) =>
      h === null
        ? '–'
        : h < 48
          ? tr(lang, `${n(Math.round(h * 10) / 10)} ساعت`, `${n(Math.round(h * 10) / 10)} hours`)
          : tr(lang, `${n(Math.round((h / 24) * 10) / 10)} روز`, `${n(Math.round((h / 24) * 10) / 10)} days`);
    const table = (caption: string, first: string, rows: typeof byService, label: (k: string | null) => string) => (
      <div class="table-wrap">
        <table>
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{first}</th>
              <th scope="col">{tr(lang, 'دریافتی', 'Received')}</th>
              <th scope="col">{tr(lang, 'تصمیم‌گرفته', 'Decided')}</th>
              <th scope="col">{tr(lang, 'پذیرفته', 'Approved')}</th>
              <th scope="col">{tr(lang, 'ردشده', 'Rejected')}</th>
              <th scope="col">{tr(lang, 'برگشت برای اطلاعات', 'Sent back')}</th>
              <th scope="col">{tr(lang, 'میانه زمان تصمیم', 'Median time to decision')}</th>
              <th scope="col">{tr(lang, 'از موعد گذشته', 'Overdue')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <th scope="row">{label(r.key)}</th>
                <td>{n(r.received)}</td>
                <td>{n(r.decided)}</td>
                <td>{n(r.approved)}</td>
                <td>{n(r.rejected)}</td>
                <td>{n(r.sent_back)}</td>
                <td>{hours(r.median_hours)}</td>
                <td class={r.overdue ? 'overdue' : undefined}>{n(r.overdue)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
    const title = `${tr(lang, 'آمار درخواست‌ها', 'Application statistics')}: ${pickText(agency.name, lang).text}`;
    return sendPage(
      reply,
      <Layout lang={lang} title={title} altPath={other(lang, req.url)}>
        <p>
          <a href={`/${lang}/staff`}>{tr(lang, 'میز کار کارکنان', 'Staff home')}</a>
        </p>
        <h1>{title}</h1>
        <p>
          {rating.count
            ? tr(
                lang,
                `رضایت: میانگین ${n(Math.round(rating.average! * 10) / 10)} از ۵ در ${n(rating.count)} امتیاز؛ ${n(Math.round((rating.satisfied / rating.count) * 100))}٪ راضی (۴ یا ۵).`,
                `Satisfaction: average ${n(Math.round(rating.average! * 10) / 10)} out of 5 from ${n(rating.count)} ratings; ${n(Math.round((rating.satisfied / rating.count) * 100))}% satisfied (4 or 5).`,
              )
            : tr(lang, 'هنوز امتیازی داده نشده است.', 'No ratings yet.')}
        </p>
        {table(tr(lang, 'بر پایه خدمت', 'By service'), tr(lang, 'خدمت', 'Service'), byService, (k) => (k && services.get(k)) || k || '')}
        {table(tr(lang, 'بر پایه کارشناس', 'By officer'), tr(lang, 'کارشناس', 'Officer'), byOperator, (k) =>
          k ? (people.get(k) ?? k) : tr(lang, 'سپرده نشده', 'Not assigned'),
        )}
      </Layout>,
    );
  });

  const detailPage = async (
    reply: FastifyReply,
    lang: Lang,
    staff: StaffRow,
    a: ApplicationRow,
    errors: FieldError[] = [],
    status = 200,
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
    const path = `/${lang}/staff/applications/${a.id}`;
    const token = await reply.generateCsrf();
    const open = ['submitted', 'in-review', 'resubmitted'].includes(a.status);
    const names = new Map(people.map((p) => [p.id, p.name || p.email]));
    const fileHref = (id: string) => `${path}/files/${id}`;
    const err = (f: string) => errors.find((e) => e.field === f)?.message;
    const area = (id: string, label: string, hint?: string) => (
      <div class="field">
        <label class="label" for={id}>
          {label}
        </label>
        {hint ? (
          <p class="hint" id={`${id}-hint`}>
            {hint}
          </p>
        ) : null}
        {err(id) ? (
          <p class="error-message" id={`${id}-error`}>
            {err(id)}
          </p>
        ) : null}
        <textarea
          class="input textarea input-wide"
          id={id}
          name="text"
          rows={3}
          maxLength={2000}
          aria-describedby={[hint ? `${id}-hint` : '', err(id) ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined}
        ></textarea>
      </div>
    );
    const payment = await ctx.payments.payments.stateOf(a);
    const actingFor = await ctx.representation.service.recordOf(a.id);
    return sendPage(
      reply,
      <Layout
        lang={lang}
        title={`${tr(lang, 'درخواست', 'Application')} ${a.reference}`}
        altPath={other(lang, path)}
        hasError={errors.length > 0}
      >
        <p>
          <a class="back-link" href={`/${lang}/staff/applications`}>
            {tr(lang, 'صف درخواست‌ها', 'Applications queue')}
          </a>
        </p>
        <ErrorSummary lang={lang} errors={errors} />
        <h1>
          {tr(lang, 'درخواست', 'Application')} <bdi>{a.reference}</bdi>
        </h1>
        <SummaryList
          rows={[
            { key: tr(lang, 'خدمت', 'Service'), value: pickText(service.name, lang).text },
            { key: tr(lang, 'وضعیت', 'Status'), value: <StatusTag status={a.status} lang={lang} /> },
            { key: tr(lang, 'کد ملی متقاضی', "Applicant's national ID"), value: <bdi>{citizen?.national_id}</bdi> },
            { key: tr(lang, 'تاریخ ثبت', 'Submitted'), value: a.submitted_at ? formatDate(lang, a.submitted_at) : '' },
            {
              key: tr(lang, 'موعد تصمیم', 'Decision due'),
              value: (
                <span class={overdue(a) ? 'overdue' : undefined}>
                  {a.due_at ? formatDate(lang, a.due_at) : ''}
                  {overdue(a) ? tr(lang, ' (از موعد گذشته)', ' (overdue)') : ''}
                </span>
              ),
            },
            {
              key: tr(lang, 'کارشناس', 'Officer'),
              value: a.assigned_to ? (names.get(a.assigned_to) ?? '') : tr(lang, 'سپرده نشده', 'Not assigned'),
            },
            { key: tr(lang, 'نسخه فرم', 'Form version'), value: formatNumber(lang, a.form_version) },
            ...(payment ? [{ key: tr(lang, 'پرداخت', 'Payment'), value: <PaymentSummary lang={lang} state={payment} /> }] : []),
            ...(a.decision_reason
              ? [{ key: tr(lang, 'دلیل تصمیم', 'Reason'), value: <span class="pre-line">{a.decision_reason}</span> }]
              : []),
          ]}
        />
        {actingFor ? <ActingForPanel lang={lang} row={actingFor} audience="staff" /> : null}
        <h2>{tr(lang, 'پاسخ‌ها', 'Answers')}</h2>
        <SummaryList
          rows={visiblePages(def, a.answers).flatMap((p) =>
            p.fields.map((f) => ({ key: pick(f.label, lang), value: showAnswer(f, a.answers[f.name], lang, fileHref) })),
          )}
        />
        <h2>{tr(lang, 'پرونده‌ها', 'Files')}</h2>
        <ul>
          {files.map((f) => (
            <li>
              <a href={fileHref(f.id)}>
                <bdi>{f.original_name}</bdi>
              </a>{' '}
              ({f.content_type}, {formatNumber(lang, f.size_bytes)} {tr(lang, 'بایت', 'bytes')}, SHA-256{' '}
              <code>{f.sha256.slice(0, 16)}…</code>)
            </li>
          ))}
        </ul>
        <h2>{tr(lang, 'پیام‌ها', 'Messages')}</h2>
        <ul>
          {messages.map((m) => (
            <li>
              <strong>{m.subject[lang] ?? m.subject.fa}</strong> – {tr(lang, 'فرستاده', 'sent')} {messageTime(lang, m.sent_at)}
              {m.sender !== 'citizen' ? (
                <>
                  {' '}
                  –{' '}
                  {m.read_at ? (
                    <>
                      {tr(lang, 'خوانده شده', 'read')} {messageTime(lang, m.read_at)}
                    </>
                  ) : (
                    tr(lang, 'هنوز خوانده نشده', 'not read yet')
                  )}
                </>
              ) : null}
              {m.sender === 'citizen' || m.kind === 'info-request' || m.kind === 'message' ? (
                <p class="pre-line">{m.body[lang] ?? m.body.fa}</p>
              ) : null}
            </li>
          ))}
        </ul>
        <h2>{tr(lang, 'روند', 'Timeline')}</h2>
        <ol class="timeline">
          {events.map((e) => (
            <li>
              <strong>{EVENT_NAME[e.type]?.[lang] ?? e.type}</strong>
              {messageTime(lang, e.at)}
              {e.actor.startsWith('staff:') ? <span> – {names.get(e.actor.slice(6)) ?? ''}</span> : null}
            </li>
          ))}
        </ol>
        <div class="actions">
          <h2>{tr(lang, 'کارها', 'Actions')}</h2>
          {open || a.status === 'info-requested' ? (
            <>
              {a.assigned_to !== staff.id ? (
                <form method="post" action={`${path}/claim`}>
                  <input type="hidden" name="_csrf" value={token} />
                  <button class="button button-secondary" type="submit">
                    {tr(lang, 'برداشتن این درخواست برای خودم', 'Claim this application')}
                  </button>
                </form>
              ) : null}
              <form method="post" action={`${path}/assign`}>
                <input type="hidden" name="_csrf" value={token} />
                <label class="label" for="assignee">
                  {tr(lang, 'سپردن به کارشناس', 'Assign to an officer')}
                </label>
                <select class="input" id="assignee" name="assignee">
                  {people
                    .filter((p) => isAssignable(p, a.agency_id))
                    .map((p) => (
                      <option value={p.id} selected={p.id === a.assigned_to}>
                        {p.name || p.email}
                      </option>
                    ))}
                </select>
                <button class="button button-secondary" type="submit">
                  {tr(lang, 'سپردن', 'Assign')}
                </button>
              </form>
            </>
          ) : null}
          {open ? (
            <>
              <form method="post" action={`${path}/request-info`} novalidate>
                <input type="hidden" name="_csrf" value={token} />
                {area(
                  'request',
                  tr(lang, 'درخواست اطلاعات بیشتر از متقاضی', 'Ask the applicant for more information'),
                  tr(lang, 'بنویسید دقیقاً چه چیزی لازم است.', 'Say exactly what you need.'),
                )}
                <button class="button button-secondary" type="submit">
                  {tr(lang, 'فرستادن درخواست اطلاعات', 'Send request for information')}
                </button>
              </form>
              <form method="post" action={`${path}/approve`} novalidate>
                <input type="hidden" name="_csrf" value={token} />
                {area('approve', tr(lang, 'توضیح پذیرش (اختیاری)', 'Note with the approval (optional)'))}
                <button class="button" type="submit">
                  {tr(lang, 'پذیرفتن درخواست', 'Approve application')}
                </button>
              </form>
              <form method="post" action={`${path}/reject`} novalidate>
                <input type="hidden" name="_csrf" value={token} />
                {area(
                  'reject',
                  tr(lang, 'دلیل رد درخواست', 'Reason for rejecting'),
                  tr(lang, 'متقاضی این دلیل را می‌بیند.', 'The applicant will see this reason.'),
                )}
                <button class="button button-secondary" type="submit">
                  {tr(lang, 'رد درخواست', 'Reject application')}
                </button>
              </form>
            </>
          ) : null}
          <form method="post" action={`${path}/message`} novalidate>
            <input type="hidden" name="_csrf" value={token} />
            {area('message', tr(lang, 'پیام به متقاضی', 'Message to the applicant'))}
            <button class="button button-secondary" type="submit">
              {tr(lang, 'فرستادن پیام', 'Send message')}
            </button>
          </form>
        </div>
      </Layout>,
      status,
    );
  };

  app.get<P>('/:lang/staff/applications/:id', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const r = await staffFor(req, reply, lang);
    if (!r) return reply;
    return detailPage(reply, lang, r.staff, r.a);
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

  const action = (
    name: string,
    run: (lang: Lang, staff: StaffRow, a: ApplicationRow, body: Record<string, unknown>) => Promise<FieldError | null>,
  ) =>
    app.post<P & { Body: Record<string, unknown> }>(`/:lang/staff/applications/:id/${name}`, { ...hide, ...csrf }, async (req, reply) => {
      const lang = langOf(req.params);
      const r = await staffFor(req, reply, lang);
      if (!r) return reply;
      const problem = await run(lang, r.staff, r.a, req.body ?? {});
      if (problem) return detailPage(reply, lang, r.staff, r.a, [problem], 400);
      return reply.redirect(`/${lang}/staff/applications/${r.a.id}`, 303);
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
