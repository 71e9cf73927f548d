// Small pieces many applications pages share: the other language's address, the status tag.
import type { Lang } from '../../../platform/i18n.ts';
import { Tag } from '../../../web/components.tsx';
import { STATUS_NAME, STATUS_TONE } from '../applications.text.ts';
import type { ApplicationRow } from '../applications.repository.ts';

/** The same page in the other language. */
export const other = (lang: Lang, path: string) => path.replace(/^\/(fa|en)/, `/${lang === 'fa' ? 'en' : 'fa'}`);

export function StatusTag({ status, lang }: { status: ApplicationRow['status']; lang: Lang }) {
  return <Tag tone={STATUS_TONE[status]}>{STATUS_NAME[status][lang]}</Tag>;
}
