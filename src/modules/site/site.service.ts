// The rules of the site module: robots.txt and the sitemap (every absolute URL from PUBLIC_URL, never
// from a request), the agencies' contact details for the help page, and "what the platform holds about
// you" for one signed-in citizen: their own rows only, gathered through the owning modules' services.
import type { Config } from '../../config.ts';
import type { Lang } from '../../platform/i18n.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import { CATEGORIES, LIFE_EVENTS } from '../catalog/catalog.taxonomy.ts';
import type { ApplicationsService } from '../applications/applications.service.ts';
import type { ExchangeService } from '../exchange/exchange.service.ts';
import type { ExchangeStats } from '../exchange/exchange.stats.ts';
import type { CitizenRow } from '../identity/identity.repository.ts';
import type { IdentityService } from '../identity/identity.service.ts';

/** The pages every government service has, served by this module (path after /{lang}). */
export const SITE_PAGES = ['/help', '/privacy', '/accessibility', '/terms', '/cookies'] as const;

/** Paths robots are asked to keep out of: signed-in, staff, protocol and API areas. */
const PRIVATE_PREFIXES = ['staff', 'account', 'applications', 'ebox', 'sign-in', 'sign-out', 'session', 'verify/'];
const PRIVATE_ROOTS = ['/api/agency/', '/api/p2g/', '/govstack/', '/oidc/', '/payments/', '/verify/'];

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

export class SiteService {
  constructor(
    private readonly config: Config,
    private readonly catalog: CatalogService,
    private readonly applications: ApplicationsService,
    private readonly exchange: ExchangeService,
    private readonly stats: ExchangeStats,
    private readonly identity: IdentityService,
  ) {}

  get origin(): string {
    return this.config.PUBLIC_URL;
  }

  robots(): string {
    const lines = ['User-agent: *', 'Allow: /'];
    for (const lang of ['fa', 'en']) for (const p of PRIVATE_PREFIXES) lines.push(`Disallow: /${lang}/${p}`);
    for (const p of PRIVATE_ROOTS) lines.push(`Disallow: ${p}`);
    lines.push('', `Sitemap: ${this.origin}/sitemap.xml`, '');
    return lines.join('\n');
  }

  /** Every public page in both languages, each with its fa, en and x-default alternates. */
  async sitemap(): Promise<string> {
    const { agencies, services } = await this.catalog.openData();
    const pages: { path: string; lastmod?: string | null }[] = [
      { path: '' },
      { path: '/search' },
      { path: '/agencies' },
      ...agencies.map((a) => ({ path: `/agencies/${a.id}`, lastmod: iso(a.updated_at) })),
      ...CATEGORIES.map((c) => ({ path: `/categories/${c.code}` })),
      ...LIFE_EVENTS.map((e) => ({ path: `/life-events/${e.code}` })),
      ...services.map((s) => ({ path: `/services/${s.slug}`, lastmod: iso(s.updated_at) })),
      { path: '/monitoring' },
      { path: '/un-egov' },
      ...SITE_PAGES.map((p) => ({ path: p })),
    ];
    const url = (lang: Lang, path: string) => xml(`${this.origin}/${lang}${path}`);
    const out = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ];
    for (const p of pages)
      for (const lang of ['fa', 'en'] as const)
        out.push(
          `<url><loc>${url(lang, p.path)}</loc>${p.lastmod ? `<lastmod>${p.lastmod}</lastmod>` : ''}` +
            `<xhtml:link rel="alternate" hreflang="fa" href="${url('fa', p.path)}"/>` +
            `<xhtml:link rel="alternate" hreflang="en" href="${url('en', p.path)}"/>` +
            `<xhtml:link rel="alternate" hreflang="x-default" href="${url(this.config.DEFAULT_LANG, p.path)}"/></url>`,
        );
    out.push('</urlset>', '');
    return out.join('\n');
  }

  /** Agencies with the contact details the catalogue holds, for the help page. */
  agencies() {
    return this.catalog.agencies();
  }

  /** What the platform holds about one citizen: their own rows only, never another person's. */
  async myData(citizen: CitizenRow) {
    const [apps, inbox, sessions, mobileChanges, dataUse] = await Promise.all([
      this.applications.mine(citizen.id),
      this.applications.inbox(citizen.id),
      this.identity.sessionHistory(citizen.id),
      this.identity.mobileChanges(citizen.id),
      this.stats.dataUse(this.exchange.subjectHash(citizen.national_id), 100_000),
    ]);
    const messages = new Map(inbox.map((m) => [m.id, m]));
    const applications = [];
    for (const a of apps) {
      const [files, events, thread, service] = await Promise.all([
        this.applications.files(a),
        this.applications.timeline(a),
        this.applications.messagesOf(a),
        this.catalog.getService(a.service_id).catch(() => null),
      ]);
      for (const m of thread) if (m.citizen_id === citizen.id) messages.set(m.id, m);
      applications.push({
        id: a.id,
        reference: a.reference,
        service: service ? { id: service.id, slug: service.slug, name: service.name } : { id: a.service_id },
        agencyId: a.agency_id,
        status: a.status,
        language: a.lang,
        createdAt: iso(a.created_at),
        updatedAt: iso(a.updated_at),
        submittedAt: iso(a.submitted_at),
        dueAt: iso(a.due_at),
        decidedAt: iso(a.decided_at),
        decisionReason: a.decision_reason,
        answers: a.answers,
        files: files.map((f) => ({
          id: f.id,
          question: f.field,
          name: f.original_name,
          contentType: f.content_type,
          sizeBytes: f.size_bytes,
          sha256: f.sha256,
          uploadedAt: iso(f.created_at),
        })),
        history: events.map((e) => ({ event: e.type, fromStatus: e.from_status, toStatus: e.to_status, at: iso(e.at) })),
      });
    }
    return {
      format: 'panjereh-my-data/1',
      generatedAt: new Date().toISOString(),
      source: this.origin,
      profile: {
        nationalId: citizen.national_id,
        mobile: citizen.mobile,
        contactable: citizen.contactable,
        createdAt: iso(citizen.created_at),
        lastSignInAt: iso(citizen.last_sign_in_at),
      },
      mobileChanges: mobileChanges.map((c) => ({ oldMobile: c.old_mobile, newMobile: c.new_mobile, changedAt: iso(c.changed_at) })),
      sessions: sessions.map((s) => ({
        startedAt: iso(s.created_at),
        lastSeenAt: iso(s.last_seen_at),
        expiresAt: iso(s.expires_at),
        endedAt: iso(s.revoked_at),
        device: s.user_agent,
        networkAddressHash: s.ip_hash,
      })),
      applications,
      applicationsTruncated: apps.length >= 200,
      eboxMessages: [...messages.values()]
        .sort((x, y) => new Date(y.sent_at).getTime() - new Date(x.sent_at).getTime())
        .map((m) => ({
          id: m.id,
          applicationId: m.application_id,
          agencyId: m.agency_id,
          sender: m.sender,
          kind: m.kind,
          subject: m.subject,
          body: m.body,
          fileIds: m.file_ids,
          inReplyTo: m.in_reply_to,
          sentAt: iso(m.sent_at),
          readAt: iso(m.read_at),
        })),
      dataUse: dataUse.map((r) => ({
        at: iso(r.at),
        requestedBy: r.client_id,
        service: r.service_id,
        method: r.method,
        status: r.status,
        error: r.error_type,
        statedPurpose: r.issue,
      })),
    };
  }
}

export type MyData = Awaited<ReturnType<SiteService['myData']>>;
