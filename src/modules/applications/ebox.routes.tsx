// The citizen's e-box (/fa/ebox): every status change and agency message with sent and read times,
// attachments and replies. Opening a message records when it was first read; the agency sees it.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { tr, type Lang, langOf } from '../../platform/i18n.ts';
import { MessageThread, messageTime } from './pages/thread.tsx';
import type { AppContext } from '../../context.ts';
import { BackLink, Button, CsrfField, ErrorSummary, SummaryList, Textarea, type FieldError } from '../../web/components.tsx';
import { Layout } from '../../web/layout.tsx';
import { sendPage } from '../../web/render.ts';
import { pick as pickText } from '../catalog/catalog.taxonomy.ts';
import { other } from './pages/common.tsx';
import { cleanText } from './validate.ts';
import type { EboxMessageRow } from './ebox.repository.ts';
import { citizenOf, makeGuards } from '../identity/guards.ts';

type P = { Params: { lang: string; id: string } };

const time = messageTime;

/** The reply form of an e-box message. */
const ReplyBody = Type.Object({ reply: Type.Optional(Type.String()), _csrf: Type.Optional(Type.String()) });

export function registerEbox(app: FastifyInstance, ctx: AppContext): void {
  const guards = makeGuards(ctx);
  const hide = { schema: { hide: true } };
  const A = () => ctx.applications;
  const agencyName = async (lang: Lang, id: string | null) =>
    id ? pickText((await ctx.catalog.getAgency(id)).name, lang).text : tr(lang, 'پنجره', 'Panjereh');

  app.get<P>('/:lang/ebox', { ...hide, preHandler: guards.citizen }, async (req, reply) => {
    const lang = langOf(req.params);
    const who = citizenOf(req);
    const messages = await A().inbox(who.citizen.id);
    const names = new Map(
      await Promise.all([...new Set(messages.map((m) => m.agency_id))].map(async (id) => [id, await agencyName(lang, id)] as const)),
    );
    const title = tr(lang, 'صندوق پیام', 'Your e-box');
    return sendPage(
      reply,
      <Layout lang={lang} title={title} altPath={other(lang, `/${lang}/ebox`)}>
        <h1>{title}</h1>
        <p>
          {tr(
            lang,
            'پیام‌های رسمی دستگاه‌ها درباره درخواست‌های شما. پیام‌های خوانده‌نشده پررنگ‌اند.',
            'Official messages from agencies about your applications. Unread messages are in bold.',
          )}
        </p>
        {messages.length ? (
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">{title}</caption>
              <thead>
                <tr>
                  <th scope="col">{tr(lang, 'موضوع', 'Subject')}</th>
                  <th scope="col">{tr(lang, 'فرستنده', 'From')}</th>
                  <th scope="col">{tr(lang, 'زمان فرستادن', 'Sent')}</th>
                  <th scope="col">{tr(lang, 'وضعیت', 'Status')}</th>
                </tr>
              </thead>
              <tbody>
                {messages.map((m) => (
                  <tr class={m.read_at ? undefined : 'unread'}>
                    <td>
                      <a href={`/${lang}/ebox/${m.id}`}>{m.subject[lang] ?? m.subject.fa}</a>
                    </td>
                    <td>{names.get(m.agency_id)}</td>
                    <td>{time(lang, m.sent_at)}</td>
                    <td>{m.read_at ? tr(lang, 'خوانده شده', 'Read') : tr(lang, 'خوانده نشده', 'Unread')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>{tr(lang, 'هنوز پیامی ندارید.', 'You have no messages yet.')}</p>
        )}
        <p>
          <a href={`/${lang}/applications`}>{tr(lang, 'درخواست‌های من', 'Your applications')}</a>
        </p>
      </Layout>,
    );
  });

  const messagePage = async (reply: FastifyReply, lang: Lang, m: EboxMessageRow, errors: FieldError[] = [], status = 200) => {
    const path = `/${lang}/ebox/${m.id}`;
    const subject = m.subject[lang] ?? m.subject.fa ?? '';
    const canReply = !!m.application_id && m.kind !== 'info-request';
    const [files, thread] = m.application_id
      ? await Promise.all([A().files({ id: m.application_id } as never), A().messagesOf({ id: m.application_id } as never)])
      : [[], [m]];
    const sender = await agencyName(lang, m.agency_id);
    return sendPage(
      reply,
      <Layout lang={lang} title={subject} altPath={other(lang, path)} hasError={errors.length > 0}>
        <p>
          <BackLink lang={lang} href={`/${lang}/ebox`}>
            {tr(lang, 'صندوق پیام', 'Your e-box')}
          </BackLink>
        </p>
        <ErrorSummary lang={lang} errors={errors} />
        <h1>{subject}</h1>
        <SummaryList
          rows={[
            { key: tr(lang, 'فرستنده', 'From'), value: sender },
            { key: tr(lang, 'زمان فرستادن', 'Sent'), value: time(lang, m.sent_at) },
            { key: tr(lang, 'زمان خواندن', 'Read'), value: m.read_at ? time(lang, m.read_at) : '–' },
          ]}
        />
        <h2>{tr(lang, 'پیام‌های این درخواست', 'Messages about this application')}</h2>
        <MessageThread
          lang={lang}
          messages={thread.map((x) => (x.id === m.id ? m : x))}
          files={files}
          agency={sender}
          current={m.id}
          fileHref={(id) => `/${lang}/applications/${m.application_id}/files/${id}`}
        />
        {m.application_id ? (
          <p>
            <a href={`/${lang}/applications/${m.application_id}`}>
              {m.kind === 'info-request'
                ? tr(lang, 'پاسخ دادن از صفحه درخواست', 'Answer on the application page')
                : tr(lang, 'دیدن درخواست', 'See the application')}
            </a>
          </p>
        ) : null}
        {canReply ? (
          <form method="post" action={`${path}/reply`} novalidate>
            <CsrfField token={reply.generateCsrf()} />
            <Textarea
              lang={lang}
              id="reply"
              label={tr(lang, 'پاسخ به این پیام', 'Reply to this message')}
              error={errors[0]?.message}
              rows={4}
              maxLength={2000}
            />
            <Button>{tr(lang, 'فرستادن پاسخ', 'Send reply')}</Button>
          </form>
        ) : null}
      </Layout>,
      status,
    );
  };

  app.get<P>('/:lang/ebox/:id', { ...hide, preHandler: guards.citizen }, async (req, reply) => {
    const lang = langOf(req.params);
    const who = citizenOf(req);
    return messagePage(reply, lang, await A().readMessage(who.citizen.id, req.params.id));
  });

  app.post<P & { Body: Static<typeof ReplyBody> }>(
    '/:lang/ebox/:id/reply',
    { schema: { hide: true, body: ReplyBody }, preHandler: [app.csrfProtection, guards.citizen] },
    async (req, reply) => {
      const lang = langOf(req.params);
      const who = citizenOf(req);
      const m = await A().readMessage(who.citizen.id, req.params.id);
      const text = cleanText(typeof req.body?.reply === 'string' ? req.body.reply : '', true);
      if (!text || text.length > 2000)
        return messagePage(
          reply,
          lang,
          m,
          [
            {
              field: 'reply',
              message: text
                ? tr(lang, 'پاسخ باید حداکثر ۲۰۰۰ نویسه باشد', 'Your reply must be 2000 characters or fewer')
                : tr(lang, 'پاسخ خود را بنویسید', 'Enter your reply'),
            },
          ],
          400,
        );
      await A().reply(who.citizen, m.id, text);
      return reply.redirect(`/${lang}/ebox/${m.id}?sent=1`, 303);
    },
  );
}
