import type { Kysely, Migration } from 'kysely';

/**
 * OAuth installs waiting for their callback (see src/store/oauth-states.ts). They lived in one
 * process's memory, so behind a load balancer a callback that reached another instance was
 * refused; in the store every instance sharing it can check and spend them.
 */
export const oauthStates: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('oauth_states')
      // A SHA-256 of the state, never the state: the row alone cannot answer a callback.
      .addColumn('state_hash', 'text', (c) => c.primaryKey())
      .addColumn('crm', 'text', (c) => c.notNull())
      .addColumn('user_name', 'text', (c) => c.notNull())
      .addColumn('redirect_uri', 'text', (c) => c.notNull())
      // The PKCE verifier and the like, encrypted with LEADLIFT_SECRET_KEY; null when there are none.
      .addColumn('secrets', 'text')
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('oauth_states_expires_at').on('oauth_states').column('expires_at').execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable('oauth_states').ifExists().execute();
  },
};
