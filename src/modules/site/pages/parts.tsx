// The frame of the site module's pages: layout with a meta description, breadcrumbs and the heading.
import type { ComponentChildren } from 'preact';
import type { Lang } from '../../../platform/i18n.ts';
import { Breadcrumbs } from '../../../web/components.tsx';
import { Layout } from '../../../web/layout.tsx';

export const other = (lang: Lang): Lang => (lang === 'fa' ? 'en' : 'fa');

export function SitePage(props: {
  lang: Lang;
  /** The path after /{lang}, e.g. "/privacy". */
  path: string;
  title: string;
  description: string;
  parent?: { href: string; label: string };
  children: ComponentChildren;
}) {
  const { lang, path, title, description, parent, children } = props;
  return (
    <Layout lang={lang} title={title} altPath={`/${other(lang)}${path}`} description={description}>
      <Breadcrumbs lang={lang} items={[...(parent ? [parent] : []), { label: title }]} />
      <h1>{title}</h1>
      {children}
    </Layout>
  );
}
