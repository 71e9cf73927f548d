// The message thread of one application, as the citizen sees it: who wrote, when it was sent and read,
// the text and its attachments. One component for the application page and the e-box message page.
import { formatDate, tr, type Lang } from '../../../platform/i18n.ts';
import type { ApplicationFileRow } from '../applications.repository.ts';
import type { EboxMessageRow } from '../ebox.repository.ts';

export const messageTime = (lang: Lang, d: Date | string) => {
  const date = new Date(d);
  const clock = new Intl.DateTimeFormat(lang === 'fa' ? 'fa-IR' : 'en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Asia/Tehran',
  }).format(date);
  return (
    <time dateTime={date.toISOString()}>
      {formatDate(lang, date)}
      {lang === 'fa' ? '، ' : ', '}
      {clock}
    </time>
  );
};

export interface MessageThreadProps {
  lang: Lang;
  messages: EboxMessageRow[];
  /** The application's files; a message shows the ones it lists. */
  files: Pick<ApplicationFileRow, 'id' | 'original_name'>[];
  /** The agency's name in this language (shown as the sender of agency messages). */
  agency: string;
  fileHref: (fileId: string) => string;
  /** The message open on the e-box page: marked as the current one. */
  current?: string;
  /** Link each message's subject to its e-box page (not on the e-box page itself). */
  link?: boolean;
}

export function MessageThread({ lang, messages, files, agency, fileHref, current, link = false }: MessageThreadProps) {
  if (!messages.length) return <p>{tr(lang, 'هنوز پیامی نیست.', 'No messages yet.')}</p>;
  const from = (m: EboxMessageRow) =>
    m.sender === 'citizen' ? tr(lang, 'شما', 'You') : m.sender === 'agency' ? agency : tr(lang, 'پنجره', 'Panjereh');
  return (
    <ol class="timeline thread">
      {messages.map((m) => {
        const attached = files.filter((f) => m.file_ids.includes(f.id));
        const subject = m.subject[lang] ?? m.subject.fa ?? '';
        return (
          <li id={`message-${m.id}`} aria-current={m.id === current ? 'true' : undefined}>
            <strong>{link && m.sender !== 'citizen' ? <a href={`/${lang}/ebox/${m.id}`}>{subject}</a> : subject}</strong>
            <p class="hint">
              {from(m)} – {tr(lang, 'فرستاده', 'sent')} {messageTime(lang, m.sent_at)}
              {m.sender !== 'citizen' ? (
                <>
                  {' '}
                  –{' '}
                  {m.read_at ? (
                    <>
                      {tr(lang, 'خوانده شده', 'read')} {messageTime(lang, m.read_at)}
                    </>
                  ) : (
                    tr(lang, 'خوانده نشده', 'not read yet')
                  )}
                </>
              ) : null}
            </p>
            <p class="pre-line">{m.body[lang] ?? m.body.fa}</p>
            {attached.length ? (
              <ul aria-label={tr(lang, 'پیوست‌ها', 'Attachments')}>
                {attached.map((f) => (
                  <li>
                    <a href={fileHref(f.id)}>
                      <bdi>{f.original_name}</bdi>
                    </a>
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
