// SQL for the UN E-Government Survey tables (un_countries, un_egov_scores). Nothing else.
import type { Kysely, Selectable } from 'kysely';
import type { Database, UnCountryTable, UnEgovScoreTable } from '../../db/schema.ts';
import type { Country, Score } from './benchmark.loader.ts';

export type CountryRow = Selectable<UnCountryTable>;
export type ScoreRow = Selectable<UnEgovScoreTable>;

export class BenchmarkRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async replaceAll(countries: Country[], scores: Score[]): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('un_egov_scores').execute();
      await tx.deleteFrom('un_countries').execute();
      await tx
        .insertInto('un_countries')
        .values(countries.map((c) => ({ iso3: c.iso3, name_en: c.nameEn, name_fa: c.nameFa, region: c.region })))
        .execute();
      for (let i = 0; i < scores.length; i += 500)
        await tx
          .insertInto('un_egov_scores')
          .values(scores.slice(i, i + 500))
          .execute();
    });
  }

  countries(): Promise<CountryRow[]> {
    return this.db.selectFrom('un_countries').selectAll().orderBy('name_en').execute();
  }

  scores(): Promise<ScoreRow[]> {
    return this.db.selectFrom('un_egov_scores').selectAll().orderBy('iso3').orderBy('year').execute();
  }

  async count(): Promise<number> {
    const r = await this.db
      .selectFrom('un_egov_scores')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
