// Attachments on the requests pages: the list of a request's files (each a download link, named by who
// attached it) and the file input of a form (PDF, PNG or JPEG, at most 5 MB each, up to three).
import { formatNumber, tr, type Lang } from '../../../platform/i18n.ts';
import type { RequestFileRow } from '../requests.files.repository.ts';

export function FileList({ lang, files, href }: { lang: Lang; files: RequestFileRow[]; href: (f: RequestFileRow) => string }) {
  if (!files.length) return null;
  return (
    <>
      <h2>{tr(lang, 'پیوست‌ها', 'Attachments')}</h2>
      <ul class="file-list">
        {files.map((f) => (
          <li>
            <a href={href(f)} dir="auto">
              {f.original_name}
            </a>{' '}
            <span class="hint">
              ({f.side === 'citizen' ? tr(lang, 'از شهروند', 'from the citizen') : tr(lang, 'از دستگاه', 'from the agency')}،{' '}
              {tr(
                lang,
                `${formatNumber(lang, Math.ceil(f.size_bytes / 1024))} کیلوبایت`,
                `${formatNumber(lang, Math.ceil(f.size_bytes / 1024))} KB`,
              )}
              {f.published ? tr(lang, '، منتشرشده', ', published') : ''})
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}

export function FileField({ lang, id, error }: { lang: Lang; id: string; error?: string }) {
  const hint = `${id}-hint`;
  return (
    <div class={`field${error ? ' field-error' : ''}`}>
      <label class="label" for={id}>
        {tr(lang, 'پیوست (اختیاری)', 'Attachments (optional)')}
      </label>
      <p class="hint" id={hint}>
        {tr(lang, 'PDF، PNG یا JPEG؛ هر کدام حداکثر ۵ مگابایت، تا سه پرونده', 'PDF, PNG or JPEG; up to 5 MB each, at most three files')}
      </p>
      {error ? (
        <p class="error-message" id={`${id}-error`}>
          <span class="visually-hidden">{tr(lang, 'خطا: ', 'Error: ')}</span>
          {error}
        </p>
      ) : null}
      <input
        class={`input-file${error ? ' input-error' : ''}`}
        type="file"
        id={id}
        name="attachment"
        multiple
        accept=".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"
        aria-describedby={error ? `${hint} ${id}-error` : hint}
      />
    </div>
  );
}
