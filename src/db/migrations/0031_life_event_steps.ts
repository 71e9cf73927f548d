import { sql, type Kysely } from 'kysely';

// Life events as journeys (issue 17 section 2, GOV.UK "step by step"): each life event's ordered steps.
// A step follows the one before it ('then', numbered), is done alongside it ('and') or instead of it
// ('or'); it names the catalogue services (by slug: the card, agency, cost and time are read from the
// catalogue when the page is drawn, so a step never repeats them). Editors change the steps in the back
// office; the demo life events get a starter set here.
type Step = [connector: 'then' | 'and' | 'or', faTitle: string, enTitle: string, slugs: string[], faNote?: string, enNote?: string];

const STARTER: Record<string, Step[]> = {
  'having-a-baby': [
    [
      'then',
      'ثبت ولادت و گرفتن شناسنامه',
      'Register the birth and get a birth certificate',
      ['birth-certificate-first-issue'],
      'تا ۱۵ روز پس از تولد.',
      'Within 15 days of the birth.',
    ],
    ['or', 'اگر فرزندتان خارج از ایران به دنیا آمده', 'If your child was born outside Iran', ['register-a-child-born-abroad']],
    ['then', 'بیمه درمان نوزاد', 'Health insurance for your baby', ['health-insurance-for-your-newborn']],
    ['and', 'کمک‌هزینه بارداری و زایمان', 'Claim maternity pay', ['claim-maternity-pay']],
  ],
  'buying-a-car': [
    [
      'then',
      'پیش از خرید: برگه معاینه فنی خودرو را بررسی کنید',
      'Before you buy: check the inspection certificate',
      ['check-a-vehicles-inspection-certificate'],
    ],
    ['then', 'انتقال سند خودرو', 'Transfer the ownership', ['transfer-vehicle-ownership']],
    [
      'or',
      'اگر خودرو نو است: شماره‌گذاری',
      'If the car is new: register it and get number plates',
      ['register-a-new-car-and-get-number-plates'],
    ],
    ['then', 'عوارض سالانه خودرو', 'Pay the annual car duty', ['pay-the-annual-municipal-car-duty']],
    ['and', 'نوبت معاینه فنی', 'Book a technical inspection', ['book-a-vehicle-technical-inspection']],
  ],
  'losing-a-loved-one': [
    ['then', 'ثبت فوت', 'Register the death', ['register-a-death'], 'ظرف ۱۰ روز.', 'Within 10 days.'],
    ['and', 'خاکسپاری', 'Arrange the burial', ['arrange-a-burial-at-behesht-e-zahra']],
    ['then', 'گواهی انحصار وراثت', 'Get a certificate of inheritance', ['apply-for-a-certificate-of-inheritance']],
    [
      'then',
      'مستمری بازماندگان',
      "Claim a survivors' pension",
      ['claim-a-social-security-survivors-pension', 'claim-a-civil-service-survivors-pension'],
    ],
    [
      'and',
      'اظهارنامه مالیات بر ارث',
      'File the inheritance tax return',
      ['file-an-inheritance-tax-return'],
      'ظرف یک سال از تاریخ فوت.',
      'Within a year of the death.',
    ],
  ],
  'travelling-abroad': [
    [
      'then',
      'ممنوع‌الخروج نبودن خود را بررسی کنید',
      'Check you are not banned from leaving',
      ['check-if-you-are-banned-from-leaving-the-country'],
    ],
    ['then', 'گذرنامه بگیرید', 'Get a passport', ['apply-for-an-ordinary-passport', 'renew-an-expired-passport']],
    [
      'or',
      'مشمولان خدمت: مجوز خروج',
      'Men of military service age: get permission to travel',
      ['get-permission-to-travel-abroad-before-military-service'],
    ],
    ['then', 'عوارض خروج از کشور', 'Pay the exit tax', ['pay-the-exit-tax-before-travelling-abroad']],
    ['and', 'ارز مسافرتی', 'Buy foreign currency for travel', ['buy-foreign-currency-for-travel']],
  ],
};

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table life_event_steps (
    id uuid primary key default gen_random_uuid(),
    life_event text not null,
    position integer not null check (position between 1 and 50),
    connector text not null default 'then' check (connector in ('then', 'and', 'or')),
    title jsonb not null,
    note jsonb,
    service_slugs text[] not null default '{}',
    updated_at timestamptz not null default now(),
    updated_by text,
    unique (life_event, position)
  )`.execute(db);
  for (const [event, steps] of Object.entries(STARTER)) {
    let position = 0;
    for (const [connector, fa, en, slugs, faNote, enNote] of steps) {
      position += 1;
      await db
        .insertInto('life_event_steps')
        .values({
          life_event: event,
          position,
          // the first step cannot be done "and"/"or" another
          connector: position === 1 ? 'then' : connector,
          title: JSON.stringify({ fa, en }),
          note: faNote && enNote ? JSON.stringify({ fa: faNote, en: enNote }) : null,
          service_slugs: slugs,
          updated_by: 'seed:0031',
        })
        .execute();
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table life_event_steps`.execute(db);
}
