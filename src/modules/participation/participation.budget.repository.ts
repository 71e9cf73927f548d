// SQL of participatory budgeting (migration 0027): a process's budget, its projects and who voted. A vote
// is the voter row and one more on each chosen project's counter; there is no per-ballot row, and the
// counter statement rewrites every listed project's row of the budget, so none stands out as chosen.
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { Database, ParticipationBudgetProjectTable, ParticipationBudgetTable } from '../../db/schema.ts';

export type BudgetRow = Selectable<ParticipationBudgetTable>;
export type BudgetProjectRow = Selectable<ParticipationBudgetProjectTable>;
type Db = Kysely<Database>;

export class BudgetRepository {
  constructor(readonly db: Db) {}

  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  /** undefined when the process has a budget already (also when two creates race). */
  insertBudget(tx: Db, row: Insertable<ParticipationBudgetTable>): Promise<BudgetRow | undefined> {
    return tx
      .insertInto('participation_budgets')
      .values(row)
      .onConflict((oc) => oc.column('process_id').doNothing())
      .returningAll()
      .executeTakeFirst();
  }
  budgetOf(processId: string): Promise<BudgetRow | undefined> {
    return this.db.selectFrom('participation_budgets').selectAll().where('process_id', '=', processId).executeTakeFirst();
  }
  allBudgets(): Promise<BudgetRow[]> {
    return this.db.selectFrom('participation_budgets').selectAll().orderBy('created_at').execute();
  }
  /** The budget row, locked FOR SHARE until the ballot's transaction ends: closing (an update) waits for it. */
  lockBudget(tx: Db, id: string): Promise<BudgetRow | undefined> {
    return tx.selectFrom('participation_budgets').selectAll().where('id', '=', id).forShare().executeTakeFirst();
  }
  closeBudget(tx: Db, id: string, at: Date) {
    return tx.updateTable('participation_budgets').set({ closes_at: at }).where('id', '=', id).execute();
  }

  insertProject(tx: Db, row: Insertable<ParticipationBudgetProjectTable>): Promise<BudgetProjectRow> {
    return tx.insertInto('participation_budget_projects').values(row).returningAll().executeTakeFirstOrThrow();
  }
  project(id: string): Promise<BudgetProjectRow | undefined> {
    return this.db.selectFrom('participation_budget_projects').selectAll().where('id', '=', id).executeTakeFirst();
  }
  /** The listed projects (the agency decides what is listed, so no citizen can crowd them out). */
  listed(budgetId: string): Promise<BudgetProjectRow[]> {
    return this.db
      .selectFrom('participation_budget_projects')
      .selectAll()
      .where('budget_id', '=', budgetId)
      .where('status', '=', 'listed')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }
  /** For staff: a page of the pending or rejected projects, oldest first. */
  unlisted(budgetId: string, status: 'pending' | 'rejected', limit: number, offset = 0): Promise<BudgetProjectRow[]> {
    return this.db
      .selectFrom('participation_budget_projects')
      .selectAll()
      .where('budget_id', '=', budgetId)
      .where('status', '=', status)
      .orderBy('created_at')
      .orderBy('id')
      .limit(limit)
      .offset(offset)
      .execute();
  }
  /** A citizen's projects still pending in this budget, and those proposed (any budget) since a time. */
  async proposedBy(budgetId: string, citizenId: string, since: Date): Promise<{ pending: number; recent: number }> {
    const r = await this.db
      .selectFrom('participation_budget_projects')
      .select((eb) => [
        eb.fn
          .countAll<string>()
          .filterWhere(eb.and([eb('budget_id', '=', budgetId), eb('status', '=', 'pending')]))
          .as('pending'),
        eb.fn.countAll<string>().filterWhere('created_at', '>', since).as('recent'),
      ])
      .where('citizen_id', '=', citizenId)
      .executeTakeFirstOrThrow();
    return { pending: Number(r.pending), recent: Number(r.recent) };
  }
  /** Moderates a pending project; false when it is no longer pending. */
  async moderate(tx: Db, id: string, status: 'listed' | 'rejected', reason: string | null): Promise<boolean> {
    const r = await tx
      .updateTable('participation_budget_projects')
      .set({ status, status_reason: reason })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
  async hasProject(budgetId: string, citizenId: string, hash: string): Promise<boolean> {
    const r = await this.db
      .selectFrom('participation_budget_projects')
      .select('id')
      .where('budget_id', '=', budgetId)
      .where('citizen_id', '=', citizenId)
      .where('body_hash', '=', hash)
      .executeTakeFirst();
    return !!r;
  }

  /**
   * The ballot, in the caller's transaction: the voter row (its primary key refuses a second ballot, also
   * when two race), then one more on each chosen project. Returns null when the person has voted already,
   * else how many chosen projects were counted (the caller rolls back unless that is all of them).
   */
  async castBallot(tx: Db, budgetId: string, citizenId: string, chosen: string[]): Promise<number | null> {
    const voter = await tx
      .insertInto('participation_budget_voters')
      .values({ budget_id: budgetId, citizen_id: citizenId })
      .onConflict((oc) => oc.doNothing())
      .returning('budget_id')
      .executeTakeFirst();
    if (!voter) return null;
    const r = await sql<{ chosen: boolean }>`update participation_budget_projects
        set votes = votes + (id = any(${chosen}::uuid[]))::int
        where budget_id = ${budgetId} and status = 'listed'
        returning (id = any(${chosen}::uuid[])) as chosen`.execute(tx);
    return r.rows.filter((x) => x.chosen).length;
  }
  async hasVoted(budgetId: string, citizenId: string): Promise<boolean> {
    const r = await this.db
      .selectFrom('participation_budget_voters')
      .select('budget_id')
      .where('budget_id', '=', budgetId)
      .where('citizen_id', '=', citizenId)
      .executeTakeFirst();
    return !!r;
  }
  async voters(budgetId: string): Promise<number> {
    const r = await this.db
      .selectFrom('participation_budget_voters')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('budget_id', '=', budgetId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
