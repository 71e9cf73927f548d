// Single sign-on for agencies' own portals: an OpenID Connect provider (the certified oidc-provider
// library) backed by Panjereh's database. Authorization code flow with PKCE required, pairwise
// subjects by default, national ID and mobile released only to clients allowed those scopes and after
// the citizen's consent, signing keys stored (sealed) in the database and rotatable.
import type { FastifyBaseLogger } from 'fastify';
import crypto from 'node:crypto';
import Provider, { type Adapter, type AdapterPayload, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { citizenCookie } from '../identity/citizen.guard.ts';
import { errorPage, langOfKoa, logoutPage, signedOutPage } from './sso.pages.tsx';
import type { AppContext } from '../../context.ts';
import { SsoRepository } from './sso.repository.ts';
import { ProviderHolder } from './sso.holder.ts';

export { ProviderHolder };

export const SSO_SCOPES = ['openid', 'national_id', 'phone'];

export async function createProvider(ctx: AppContext, issuer: string, log: Pick<FastifyBaseLogger, 'error'>): Promise<ProviderHolder> {
  const repo = new SsoRepository(ctx.database.db, ctx.config.SESSION_SECRET);

  class DbAdapter implements Adapter {
    constructor(private readonly model: string) {}
    async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
      await repo.upsert(this.model, id, payload as Record<string, unknown>, expiresIn);
    }
    async find(id: string) {
      if (this.model === 'Client') return (await repo.client(id)) as AdapterPayload | undefined;
      return (await repo.find(this.model, { id })) as AdapterPayload | undefined;
    }
    async findByUid(uid: string) {
      return (await repo.find(this.model, { uid })) as AdapterPayload | undefined;
    }
    async findByUserCode(userCode: string) {
      return (await repo.find(this.model, { userCode })) as AdapterPayload | undefined;
    }
    async consume(id: string) {
      await repo.consume(this.model, id);
    }
    async destroy(id: string) {
      await repo.destroy(this.model, id);
    }
    async revokeByGrantId(grantId: string) {
      await repo.revokeByGrantId(grantId);
    }
  }

  const configuration = (keys: Record<string, unknown>[]): Configuration => ({
    adapter: DbAdapter,
    clients: [],
    scopes: SSO_SCOPES,
    responseTypes: ['code'],
    claims: { openid: ['sub'], national_id: ['national_id'], phone: ['phone_number', 'phone_number_verified'] },
    conformIdTokenClaims: false,
    async findAccount(_ctx, sub) {
      const citizen = await ctx.identity.repo.findCitizen(sub);
      if (!citizen) return undefined;
      return {
        accountId: sub,
        async claims(_use, scope) {
          const granted = new Set((scope ?? '').split(' '));
          return {
            sub,
            ...(granted.has('national_id') ? { national_id: citizen.national_id } : {}),
            ...(granted.has('phone') ? { phone_number: `+98${citizen.mobile.slice(1)}`, phone_number_verified: true } : {}),
          };
        },
      };
    },
    subjectTypes: ['public', 'pairwise'],
    // One subject per client (not per redirect host, as the spec's sectors would give): two portals on
    // the same host still cannot join their records about a citizen.
    async pairwiseIdentifier(_ctx, accountId, client) {
      return crypto.createHmac('sha256', ctx.config.SESSION_SECRET).update(`pairwise:${client.clientId}:${accountId}`).digest('base64url');
    },
    pkce: { required: () => true },
    jwks: { keys: keys as never },
    // Secure in production (PUBLIC_URL is https there, and the connection is judged by it, above).
    cookies: {
      keys: [ctx.config.SESSION_SECRET],
      long: { httpOnly: true, sameSite: 'lax', secure: ctx.config.NODE_ENV === 'production' },
      short: { httpOnly: true, sameSite: 'lax', secure: ctx.config.NODE_ENV === 'production' },
    },
    interactions: { url: (_c, interaction) => `/oidc/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (k, form) => logoutPage(k, form, langOfKoa(k, ctx.config.DEFAULT_LANG)),
        postLogoutSuccessSource: async (k) => signedOutPage(k, langOfKoa(k, ctx.config.DEFAULT_LANG)),
      },
    },
    renderError: async (k, out) =>
      errorPage(k, { error: out.error, error_description: out.error_description }, langOfKoa(k, ctx.config.DEFAULT_LANG)),
    routes: {
      authorization: '/oidc/auth',
      token: '/oidc/token',
      jwks: '/oidc/jwks',
      userinfo: '/oidc/me',
      end_session: '/oidc/session/end',
      revocation: '/oidc/token/revocation',
      introspection: '/oidc/token/introspection',
      pushed_authorization_request: '/oidc/request',
      code_verification: '/oidc/device',
      device_authorization: '/oidc/device/auth',
      backchannel_authentication: '/oidc/backchannel',
      challenge: '/oidc/challenge',
      registration: '/oidc/reg',
    },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      IdToken: 600,
      Interaction: 900,
      Session: ctx.config.SESSION_ABSOLUTE_HOURS * 3600,
      Grant: 30 * 24 * 3600,
    },
  });
  const holder = new ProviderHolder((keys) => {
    const provider = new Provider(issuer, configuration(keys));
    provider.proxy = ctx.config.TRUST_PROXY;
    // Every URL the provider builds (discovery, redirects to its own endpoints) and whether the
    // connection counts as https come from the issuer (PUBLIC_URL), never from Host or X-Forwarded-*.
    const origin = new URL(issuer);
    for (const [key, value] of Object.entries({
      origin: origin.origin,
      protocol: origin.protocol.slice(0, -1),
      host: origin.host,
      hostname: origin.hostname,
    }))
      Object.defineProperty(provider.request, key, { get: () => value, configurable: true });
    // Signing out at the provider (RP-initiated logout, confirmed by the citizen) also ends their
    // Panjereh session; otherwise the next portal would sign them straight back in.
    // The event marks the request; the middleware ends the session before the response goes out.
    const ended = new WeakSet<object>();
    provider.on('end_session.success', (k: KoaContextWithOIDC) => ended.add(k));
    provider.use(async (k, next) => {
      await next();
      if (!ended.has(k)) return;
      const found = await ctx.identity.sessionFor(k.cookies.get(citizenCookie(ctx)));
      if (found && 'session' in found) await ctx.identity.signOut(found.session);
    });
    provider.on('server_error', (_c: unknown, err: Error) => log.error({ err }, 'oidc-provider server_error'));
    return provider;
  }, repo);
  await holder.refresh();
  return holder;
}
