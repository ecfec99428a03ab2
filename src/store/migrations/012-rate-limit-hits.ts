import type { Kysely, Migration } from 'kysely';

/**
 * Hits per client address in the current window of a rate limit (see src/store/rate-limit-hits.ts).
 * The login and metrics-token limits counted in each process's memory, so N instances behind one
 * load balancer allowed N times the guesses; counted here, every instance sharing the store sees one count.
 */
export const rateLimitHits: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('rate_limit_hits')
      // Which limit ("login", "metrics-token"): one address has a count per limit.
      .addColumn('limiter', 'text', (c) => c.notNull())
      // The address as express-rate-limit keys it (an IPv4 address, an IPv6 /56); never a secret.
      .addColumn('client_key', 'text', (c) => c.notNull())
      .addColumn('hits', 'integer', (c) => c.notNull())
      .addColumn('reset_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('rate_limit_hits_pkey', ['limiter', 'client_key'])
      .execute();
    // The prune deletes by reset_at alone.
    await db.schema.createIndex('rate_limit_hits_reset_at').on('rate_limit_hits').column('reset_at').execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable('rate_limit_hits').ifExists().execute();
  },
};
