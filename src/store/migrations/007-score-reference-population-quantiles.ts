import type { Kysely, Migration } from 'kysely';

/**
 * The stored open-lead reference also keeps the open leads' quantiles per feature (see
 * src/scoring/population-quantiles.ts), so "low"/"high" in a real-time rescore's reasons are
 * judged against the same leads its points are measured from, as in the cycle. Null on
 * references stored before: their reasons judge by the training quantiles.
 */
export const scoreReferencePopulationQuantiles: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('score_references').addColumn('population_quantiles', 'text').execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('score_references').dropColumn('population_quantiles').execute();
  },
};
