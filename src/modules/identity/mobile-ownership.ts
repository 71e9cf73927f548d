// Does this mobile number belong to this national ID? In Iran this is the "Shahkar" inquiry, to be
// served over the exchange (issue 5). The development implementation answers from a rule so that
// both outcomes can be tried: numbers ending in 9999 are "not registered to this national ID".
export type Ownership = 'match' | 'mismatch' | 'unavailable';

export interface MobileOwnershipChecker {
  check(nationalId: string, mobile: string): Promise<Ownership>;
}

export class DevelopmentOwnershipChecker implements MobileOwnershipChecker {
  async check(_nationalId: string, mobile: string): Promise<Ownership> {
    return mobile.endsWith('9999') ? 'mismatch' : 'match';
  }
}
