// GovStack applicants: an applicantId is a citizen id, a citizen's national ID, or an id Panjereh does
// not know, for which a person record is made once (linked in govstack_applicants). No HTTP, no SQL.
import crypto from 'node:crypto';
import { checkNationalId } from '../../platform/persian.ts';
import { IdentityRepository } from '../identity/identity.repository.ts';
import type { GovstackRepository } from './govstack.repository.ts';
import { UUID } from './govstack.model.ts';

/** Mobile number on person records made for GovStack applicants who are not Panjereh citizens (the 0900 range is not allocated; such records are not contactable, so nothing is sent). */
export const EXTERNAL_APPLICANT_MOBILE = '09000000000';

class Retry extends Error {}

export class GovstackApplicants {
  constructor(
    private readonly repo: GovstackRepository,
    private readonly identity: IdentityRepository,
  ) {}

  /** The citizen a GovStack applicantId stands for: a citizen id, a citizen's national ID, or a person record made for it. */
  async citizens(applicantId: string): Promise<string[]> {
    const ids = new Set<string>();
    if (UUID.test(applicantId)) {
      const c = await this.identity.findCitizen(applicantId);
      if (c) ids.add(c.id);
    }
    if (/^[0-9]{10}$/.test(applicantId)) for (const id of await this.identity.citizenIdsByNationalId(applicantId)) ids.add(id);
    for (const id of await this.repo.citizensOfApplicant(applicantId)) ids.add(id);
    return [...ids];
  }

  async applicant(applicantId: string): Promise<{ id: string; national_id: string; mobile: string; contactable: boolean }> {
    const found = await this.citizens(applicantId);
    if (found.length) return this.identity.citizenContact(found[0]);
    // A person record for an applicant Panjereh does not know ("created internally if necessary"): its
    // national ID fails the check digit on purpose, so it can never be a real person's nor be signed in with.
    for (let salt = 0; ; salt++) {
      const digits =
        BigInt('0x' + crypto.createHash('sha256').update(`${applicantId}:${salt}`).digest('hex').slice(0, 15)) % 1_000_000_000n;
      let nid = digits.toString().padStart(9, '0') + '0';
      for (let d = 0; d < 10 && checkNationalId(nid).ok; d++) nid = nid.slice(0, 9) + String(d);
      if (checkNationalId(nid).ok) continue;
      const made = await this.repo
        .transaction(async (tx) => {
          const c = await new IdentityRepository(tx).createUncontactableCitizen(nid, EXTERNAL_APPLICANT_MOBILE);
          if (!c) return null;
          if (!(await this.repo.linkApplicant(tx, applicantId, c.id))) throw new Retry();
          return c;
        })
        .catch((e) => {
          if (e instanceof Retry) return 'raced' as const;
          throw e;
        });
      if (made === 'raced') return this.applicant(applicantId); // someone made it at the same moment
      if (made) return made;
    }
  }
}
