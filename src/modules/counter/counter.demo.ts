// Demo counter offices (دفاتر پیشخوان دولت) for the demo seed; an operator is attached with
// `panjereh counter add-operator --email <e> --office <code>`.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { CounterRepository } from './counter.repository.ts';

export const DEMO_OFFICES = [
  {
    code: '11020304',
    name: { fa: 'دفتر پیشخوان دولت میدان ونک', en: 'Vanak Square government counter office' },
    province: 'تهران',
    city: 'تهران',
    address: 'تهران، میدان ونک، خیابان ملاصدرا، پلاک ۱۲',
    licence_number: 'PK-1402-0117',
    counter_fee_rials: 150_000,
  },
  {
    code: '31050607',
    name: { fa: 'دفتر پیشخوان دولت چهارباغ', en: 'Chaharbagh government counter office' },
    province: 'اصفهان',
    city: 'اصفهان',
    address: 'اصفهان، خیابان چهارباغ عباسی، پلاک ۴۰',
    licence_number: 'PK-1401-0932',
    counter_fee_rials: 120_000,
  },
  {
    code: '51080910',
    name: { fa: 'دفتر خدمات الکترونیک شهر مشهد', en: 'Mashhad e-services office' },
    province: 'خراسان رضوی',
    city: 'مشهد',
    address: 'مشهد، بلوار وکیل‌آباد، پلاک ۲۰۵',
    licence_number: 'PK-1403-0051',
    counter_fee_rials: 100_000,
  },
];

export async function seedCounterDemo(db: Kysely<Database>): Promise<void> {
  const repo = new CounterRepository(db);
  for (const o of DEMO_OFFICES) await repo.insertOffice(db, o);
}
