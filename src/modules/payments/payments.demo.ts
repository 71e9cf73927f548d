// Demo data: a treasury account (at the central bank, bank code 010) for every agency of the demo
// catalogue, and a demo bank credential for the P2G API (its key, DEMO_BANK_KEY, is in the README; never
// seeded when NODE_ENV=production). Running it again changes nothing.
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { makeIban } from './bills.ts';
import { PaymentsRepository } from './payments.repository.ts';

/** The demo bank's P2G key: fixed, so the README can show a curl command; refused in production by not being seeded there. */
export const DEMO_BANK_KEY = 'p2g_demo-bank-key-for-development-only';

export async function seedPaymentsDemo(db: Kysely<Database>): Promise<void> {
  const repo = new PaymentsRepository(db);
  let i = 0;
  for (const a of await repo.demoAgencies()) {
    i++;
    const account = `${String(i).padStart(4, '0')}${crypto.createHash('sha256').update(a.id).digest('hex').replace(/\D/g, '').padEnd(15, '7').slice(0, 15)}`;
    await repo.seedTreasury({
      agency_id: a.id,
      iban: makeIban('010', account),
      holder: JSON.stringify({ fa: `خزانه‌داری کل کشور – ${a.name.fa ?? a.id}`, en: `Treasury – ${a.name.en ?? a.id}` }),
      bill_company_code: String(100 + (i % 900)).padStart(3, '0'),
    });
  }
  // a known key must never open a production bill API, even on a production server seeded with the demo
  if (process.env.NODE_ENV === 'production') return;
  await repo.seedBank({
    code: 'DEMO-BANK',
    name: JSON.stringify({ fa: 'بانک نمونه', en: 'Demo bank' }),
    key_hash: crypto.createHash('sha256').update(DEMO_BANK_KEY).digest('hex'),
    key_prefix: DEMO_BANK_KEY.slice(0, 8),
  });
}
