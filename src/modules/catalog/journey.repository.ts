// SQL for life-event journeys (issue 17 s.2): a life event's ordered steps.
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, LifeEventStepTable } from '../../db/schema.ts';

export type LifeEventStepRow = Selectable<LifeEventStepTable>;
export interface StepInput {
  connector: 'then' | 'and' | 'or';
  title: { fa: string; en: string };
  note: { fa: string; en: string } | null;
  serviceSlugs: string[];
}

export class JourneyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  steps(lifeEvent: string): Promise<LifeEventStepRow[]> {
    return this.db.selectFrom('life_event_steps').selectAll().where('life_event', '=', lifeEvent).orderBy('position').execute();
  }

  /** Replaces a life event's steps in one transaction; returns the steps there were before. */
  replace(
    lifeEvent: string,
    steps: StepInput[],
    by: string,
    then?: (tx: Transaction<Database>, before: LifeEventStepRow[]) => Promise<unknown>,
  ) {
    return this.db.transaction().execute(async (tx) => {
      // one save of a life event at a time: with no rows yet, FOR UPDATE locks nothing and two saves would
      // both insert position 1 (unique violation); the second waits here until the first commits
      await sql`select pg_advisory_xact_lock(hashtext(${`life_event_steps:${lifeEvent}`}))`.execute(tx);
      const before = await tx
        .selectFrom('life_event_steps')
        .selectAll()
        .where('life_event', '=', lifeEvent)
        .orderBy('position')
        .forUpdate()
        .execute();
      await tx.deleteFrom('life_event_steps').where('life_event', '=', lifeEvent).execute();
      let position = 0;
      for (const s of steps) {
        position += 1;
        await tx
          .insertInto('life_event_steps')
          .values({
            life_event: lifeEvent,
            position,
            connector: position === 1 ? 'then' : s.connector,
            title: JSON.stringify(s.title),
            note: s.note ? JSON.stringify(s.note) : null,
            service_slugs: s.serviceSlugs,
            updated_by: by,
          })
          .execute();
      }
      if (then) await then(tx, before);
      return before;
    });
  }
}
