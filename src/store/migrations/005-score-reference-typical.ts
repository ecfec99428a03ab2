import type { Kysely, Migration } from 'kysely';

/**
 * The stored open-lead reference also keeps its typical lead (the middle fifth's mean contribution per feature, see
 * src/scoring/typical-lead.ts), so real-time rescores explain a lead against the same leads its
 * score was placed among. Null on references stored before: their reasons start from the bias.
 */
export const scoreReferenceTypical: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('score_references').addColumn('typical', 'text').execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('score_references').dropColumn('typical').execute();
  },
};
