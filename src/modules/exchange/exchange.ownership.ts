// Sign-in's mobile ownership check answered by Shahkar through the exchange (MOBILE_OWNERSHIP_CHECK=exchange).
import type { MobileOwnershipChecker, Ownership } from '../identity/mobile-ownership.ts';
import type { ExchangeService } from './exchange.service.ts';

export class ExchangeMobileOwnershipChecker implements MobileOwnershipChecker {
  constructor(
    private readonly exchange: Pick<ExchangeService, 'call'>,
    private readonly service: string,
  ) {}

  async check(nationalId: string, mobile: string): Promise<Ownership> {
    try {
      const r = await this.exchange.call({
        service: this.service,
        path: '/ownership',
        query: { nationalId, mobile },
        issue: 'citizen-sign-in',
      });
      if (r.status !== 200 || !r.body || typeof r.body !== 'object') return 'unavailable';
      const match = (r.body as { match?: unknown }).match;
      return match === true ? 'match' : match === false ? 'mismatch' : 'unavailable';
    } catch {
      return 'unavailable';
    }
  }
}
