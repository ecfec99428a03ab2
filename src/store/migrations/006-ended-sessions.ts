import type { Kysely, Migration } from 'kysely';

/**
 * Admin sessions ended by logging out (see src/store/ended-sessions.ts). A session lives in a
 * signed cookie, so the server cannot delete it: it remembers the session's id until the cookie
 * would have expired anyway, and refuses the id until then.
 */
export const endedSessions: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('ended_sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable('ended_sessions').ifExists().execute();
  },
};
