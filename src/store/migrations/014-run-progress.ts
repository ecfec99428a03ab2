import type { Kysely, Migration } from 'kysely';

/**
 * runs.progress: where an install's or retrain's cycle stands (its task, step, counts and the
 * words the page shows), then its outcome, as JSON text (src/store/run-progress.ts). It lived in
 * the memory of the instance that started it, so behind a load balancer without sticky sessions
 * the install card flickered between real progress and "a cycle is running" as the polls reached
 * the other instances. Null for every other run and for runs recorded before this column.
 */
export const runProgress: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('runs').addColumn('progress', 'text').execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('runs').dropColumn('progress').execute();
  },
};
