// The message thread of one application, as the citizen sees it: who wrote, when it was sent and read,
// the text and its attachments. One component for the application page and the e-box message page.
import { catalogue, formatDate, type Lang } from '../../../platform/i18n.ts';
import type { ApplicationFileRow } from '../applications.repository.ts';
import type { EboxMessageRow } from '../ebox.repository.ts';

const words = catalogue({
  noMessages: { fa: 'هنوز پیامی نیست.', en: 'No messages yet.' },
  you: { fa: 'شما', en: 'You' },
  panjereh: { fa: 'پنجره', en: 'Panjereh' },
  sent: { fa: 'فرستاده', en: 'sent' },
  read: { fa: 'خوانده شده', en: 'read' },
  notRead: { fa: 'خوانده نشده', en: 'not read yet' },
  attachments: { fa: 'پیوست‌ها', en: 'Attachments' },
  listComma: { fa: '، ', en: ', ' },
});

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
      {words(lang)('listComma')}
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
  const w = words(lang);
  if (!messages.length) return <p>{w('noMessages')}</p>;
  const from = (m: EboxMessageRow) => (m.sender === 'citizen' ? w('you') : m.sender === 'agency' ? agency : w('panjereh'));
  return (
    <ol class="timeline thread">
      {messages.map((m) => {
        const attached = files.filter((f) => m.file_ids.includes(f.id));
        const subject = m.subject[lang] ?? m.subject.fa ?? '';
        return (
          <li id={`message-${m.id}`} aria-current={m.id === current ? 'true' : undefined}>
            <strong>{link && m.sender !== 'citizen' ? <a href={`/${lang}/ebox/${m.id}`}>{subject}</a> : subject}</strong>
            <p class="hint">
              {from(m)} – {w('sent')} {messageTime(lang, m.sent_at)}
              {m.sender !== 'citizen' ? (
                <>
                  {' '}
                  –{' '}
                  {m.read_at ? (
                    <>
                      {w('read')} {messageTime(lang, m.read_at)}
                    </>
                  ) : (
                    w('notRead')
                  )}
                </>
              ) : null}
            </p>
            <p class="pre-line">{m.body[lang] ?? m.body.fa}</p>
            {attached.length ? (
              <ul aria-label={w('attachments')}>
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
