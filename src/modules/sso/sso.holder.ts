// The OpenID Connect provider of the moment, rebuilt when signing keys change (see createProvider).
import type { FastifyBaseLogger } from 'fastify';
import type Provider from 'oidc-provider';
import type { SsoRepository } from './sso.repository.ts';

/**
 * The provider of the moment. Signing keys live in the database; every node checks them every
 * SSO_KEYS_REFRESH_MS and, when a key was added or retired, builds a new provider with the new set
 * (sessions, grants and codes are in the database, so nothing in flight is lost). A rotated key thus
 * signs on every node without a restart.
 */
export class ProviderHolder {
  #provider!: Provider;
  #handler!: ReturnType<Provider['callback']>;
  #kids = '';
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly build: (keys: Record<string, unknown>[]) => Provider,
    readonly repo: SsoRepository,
  ) {}

  get provider(): Provider {
    return this.#provider;
  }

  /** The provider's request handler (node http), built once per provider. */
  get handler(): ReturnType<Provider['callback']> {
    return this.#handler;
  }

  /** Loads the keys (making the first one if there is none); true when the provider was rebuilt. */
  async refresh(): Promise<boolean> {
    let keys = await this.repo.keys();
    if (!keys.length) {
      await this.repo.rotateKey();
      keys = await this.repo.keys();
    }
    const kids = keys.map((k) => String(k.kid)).join(',');
    if (kids === this.#kids) return false;
    this.#provider = this.build(keys);
    this.#handler = this.#provider.callback();
    this.#kids = kids;
    return true;
  }

  start(everyMs: number, log: Pick<FastifyBaseLogger, 'error'>): void {
    this.#timer = setInterval(() => void this.refresh().catch((err: unknown) => log.error({ err }, 'oidc keys refresh failed')), everyMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
  }
}
