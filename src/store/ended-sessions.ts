import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * Ids of admin sessions that logged out. A signed cookie stays valid until it expires, so a copy
 * of it (a proxy log, a shared machine) would outlive the logout; this list is what refuses it.
 * Rows are only needed until the session would have expired, so each logout prunes the old ones
 * and the table stays as small as the number of logouts in one session lifetime.
 */
export function endedSessionsRepository(db: Kysely<Database>) {
  return {
    async end(id: string, expiresAt: Date, now = new Date()): Promise<void> {
      await db.deleteFrom('ended_sessions').where('expires_at', '<=', now.toISOString()).execute();
      await db
        .insertInto('ended_sessions')
        .values({ id, expires_at: expiresAt.toISOString() })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },

    async isEnded(id: string): Promise<boolean> {
      const row = await db.selectFrom('ended_sessions').select('id').where('id', '=', id).executeTakeFirst();
      return row !== undefined;
    },
  };
}

export type EndedSessionsRepository = ReturnType<typeof endedSessionsRepository>;
