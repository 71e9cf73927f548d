// SQL for the working calendar (Kysely only): the announced holidays in public_holidays. Every function
// takes the executor, so the service can run it inside its own transaction.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

type Db = Kysely<Database>;

export interface HolidayRow {
  day: string;
  name_fa: string;
  name_en: string;
}

export const calendarRepo = {
  /** Every announced holiday. */
  all(db: Db): Promise<HolidayRow[]> {
    return db.selectFrom('public_holidays').select(['day', 'name_fa', 'name_en']).execute();
  },

  /** The announced holidays from `first` (inclusive) to `next` (exclusive), both YYYY-MM-DD. */
  between(db: Db, first: string, next: string): Promise<HolidayRow[]> {
    return db
      .selectFrom('public_holidays')
      .select(['day', 'name_fa', 'name_en'])
      .where('day', '>=', first)
      .where('day', '<', next)
      .execute();
  },

  /** Adds an announced holiday; false when the day is already announced. */
  async insert(db: Db, row: HolidayRow & { added_by: string }): Promise<boolean> {
    const inserted = await db
      .insertInto('public_holidays')
      .values(row)
      .onConflict((oc) => oc.column('day').doNothing())
      .returning('day')
      .executeTakeFirst();
    return !!inserted;
  },

  /** Removes an announced holiday; false when there was none. */
  async delete(db: Db, day: string): Promise<boolean> {
    const r = await db.deleteFrom('public_holidays').where('day', '=', day).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  },
};
