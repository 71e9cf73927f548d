// Text in the page's language or marked as another; left-to-right runs isolated inside any sentence.
import type { ComponentChildren } from 'preact';
import type { Lang } from '../../platform/i18n.ts';

/** Text that may be in another language than the page: marked with its own lang for screen readers. */
export function Text({ value, pageLang }: { value: { text: string; lang: string }; pageLang: Lang }) {
  if (value.lang === pageLang) return <>{value.text}</>;
  return (
    <span lang={value.lang} dir={value.lang === 'fa' ? 'rtl' : 'ltr'}>
      {value.text}
    </span>
  );
}

/**
 * Left-to-right text isolated inside a sentence of either direction: numbers, codes, masked mobiles
 * ("۰۹۱۲***۴۵۶۷" keeps its first four digits first in a Persian sentence), paths and addresses.
 */
export function Ltr({ children }: { children: ComponentChildren }) {
  return <bdi dir="ltr">{children}</bdi>;
}

/** A reference number (application, payment, request): left-to-right, isolated, never broken across lines. */
export function Reference({ children }: { children: ComponentChildren }) {
  return (
    <bdi dir="ltr" class="reference-number">
      {children}
    </bdi>
  );
}
