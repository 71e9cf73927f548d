// Demo data: the tax administration (ir-tax) opens a consultation on a draft rule (electronic invoices for
// small shops) with three sections, an adults-only poll and a participatory budget with three projects, open from a week ago for a month. Running it
// again changes nothing (the process's slug is fixed).
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { ParticipationRepository } from './participation.repository.ts';
import { BudgetRepository } from './participation.budget.repository.ts';
import { phasesFor } from './participation.rules.ts';

export const DEMO_PROCESS = 'tax-e-invoice-draft-rule';
const DAY = 86_400_000;

const DEMO_PROJECTS: [string, string, number][] = [
  ['کارگاه آموزش صورت‌حساب در ده شهر کوچک', 'کارگاه‌های رایگان حضوری برای فروشندگان شهرهای کوچک.', 20_000_000_000],
  ['پایانه فروشگاهی رایگان برای ۵۰۰ فروشگاه', 'پایانه فروشگاهی برای فروشگاه‌هایی که ندارند.', 30_000_000_000],
  ['خط تلفنی راهنما به زبان‌های محلی', 'راهنمای تلفنی به ترکی، کردی، لری و بلوچی.', 15_000_000_000],
];

const SECTIONS = [
  {
    title: { fa: 'ماده ۱ – دامنه', en: 'Article 1 – Scope' },
    body: {
      fa: 'فروشگاه‌های کوچک با فروش سالانه کمتر از حد معاف، صورت‌حساب الکترونیکی را از راه سامانه مؤدیان یا پایانه فروشگاهی صادر می‌کنند.',
      en: 'Small shops with annual sales under the exempt threshold issue electronic invoices through the taxpayer system or their card terminal.',
    },
  },
  {
    title: { fa: 'ماده ۲ – زمان‌بندی', en: 'Article 2 – Timetable' },
    body: {
      fa: 'این قاعده شش ماه پس از تصویب اجرا می‌شود و در سه ماه نخست جریمه‌ای ندارد.',
      en: 'The rule applies six months after adoption, with no penalties in the first three months.',
    },
  },
  {
    title: { fa: 'ماده ۳ – پشتیبانی', en: 'Article 3 – Support' },
    body: {
      fa: 'سازمان امور مالیاتی آموزش رایگان و راهنمای تلفنی برای فروشگاه‌ها فراهم می‌کند.',
      en: 'The tax administration provides free training and a telephone helpline for shops.',
    },
  },
];

export async function seedParticipationDemo(db: Kysely<Database>, now = new Date()): Promise<void> {
  const repo = new ParticipationRepository(db);
  if (await repo.processBySlug(DEMO_PROCESS)) return;
  const opens = new Date(now.getTime() - 7 * DAY);
  const closes = new Date(now.getTime() + 30 * DAY);
  await repo.transaction(async (tx) => {
    const p = await repo.insertProcess(tx, {
      slug: DEMO_PROCESS,
      agency_id: 'ir-tax',
      title: JSON.stringify({
        fa: 'پیش‌نویس قاعده صورت‌حساب الکترونیکی فروشگاه‌های کوچک',
        en: 'Draft rule: electronic invoices for small shops',
      }),
      summary: JSON.stringify({
        fa: 'سازمان امور مالیاتی پیش از تصویب این قاعده نظر شما را می‌خواهد. درباره هر ماده نظر بدهید و در نظرسنجی رأی دهید.',
        en: 'The tax administration wants your views before it adopts this rule. Comment on each article and vote in the poll.',
      }),
      phase: 'consultation',
      phases: JSON.stringify(phasesFor(new Date(now.getTime() - 14 * DAY), opens, closes)),
      opens_at: opens,
      closes_at: closes,
    });
    if (!p) return; // seeded already (the slug is taken)
    for (const s of SECTIONS) await repo.insertSection(tx, p.id, JSON.stringify(s.title), JSON.stringify(s.body));
    await repo.insertPoll(
      tx,
      {
        process_id: p.id,
        question: JSON.stringify({ fa: 'شش ماه برای آماده شدن فروشگاه‌ها بس است؟', en: 'Are six months enough for shops to get ready?' }),
        options: JSON.stringify([
          { key: 'o1', label: { fa: 'بله', en: 'Yes' } },
          { key: 'o2', label: { fa: 'نه، یک سال لازم است', en: 'No, a year is needed' } },
          { key: 'o3', label: { fa: 'نظری ندارم', en: 'No opinion' } },
        ]),
        opens_at: opens,
        closes_at: new Date(now.getTime() + 14 * DAY),
        adults_only: true,
      },
      ['o1', 'o2', 'o3'],
    );
    // a participatory budget: 50 billion rials for three projects the agency lists (citizens may add more)
    const budgets = new BudgetRepository(tx);
    const b = await budgets.insertBudget(tx, { process_id: p.id, amount_rials: 50_000_000_000, opens_at: opens, closes_at: closes });
    for (const [title, body, cost] of DEMO_PROJECTS)
      if (b)
        await budgets.insertProject(tx, {
          budget_id: b.id,
          title,
          body,
          cost_rials: cost,
          citizen_id: null,
          body_hash: title,
          status: 'listed',
        });
  });
}
