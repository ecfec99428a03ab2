import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The first schema. Written only with Kysely's schema builder and portable column types so the
 * same migration creates identical tables on SQLite and PostgreSQL. No auto-increment columns:
 * they differ between the two, and every table has a natural key (or a UUID) instead.
 */
export const initial: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('records')
      .addColumn('crm', 'text', (c) => c.notNull())
      .addColumn('object_type', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('properties', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('modified_at', 'text', (c) => c.notNull())
      .addColumn('archived', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('synced_at', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('records_pk', ['crm', 'object_type', 'id'])
      .execute();
    await db.schema
      .createIndex('records_modified_idx')
      .on('records')
      .columns(['crm', 'object_type', 'modified_at'])
      .execute();

    await db.schema
      .createTable('checkpoints')
      .addColumn('crm', 'text', (c) => c.notNull())
      .addColumn('stream', 'text', (c) => c.notNull())
      .addColumn('cursor', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('checkpoints_pk', ['crm', 'stream'])
      .execute();

    await db.schema
      .createTable('outcomes')
      .addColumn('crm', 'text', (c) => c.notNull())
      .addColumn('lead_id', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('outcome_at', 'text', (c) => c.notNull())
      .addColumn('evidence', 'text', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('outcomes_pk', ['crm', 'lead_id'])
      .execute();

    await db.schema
      .createTable('snapshots')
      .addColumn('crm', 'text', (c) => c.notNull())
      .addColumn('lead_id', 'text', (c) => c.notNull())
      .addColumn('scored_at', 'text', (c) => c.notNull())
      .addColumn('model_version', 'text', (c) => c.notNull())
      .addColumn('properties', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('snapshots_pk', ['crm', 'lead_id', 'scored_at'])
      .execute();

    await db.schema
      .createTable('scores')
      .addColumn('crm', 'text', (c) => c.notNull())
      .addColumn('lead_id', 'text', (c) => c.notNull())
      .addColumn('scored_at', 'text', (c) => c.notNull())
      .addColumn('score', 'integer', (c) => c.notNull())
      .addColumn('tier', 'text', (c) => c.notNull())
      .addColumn('probability', 'double precision', (c) => c.notNull())
      .addColumn('reasons', 'text', (c) => c.notNull())
      .addColumn('trend', 'text', (c) => c.notNull())
      .addColumn('model_version', 'text', (c) => c.notNull())
      .addColumn('push_status', 'text', (c) => c.notNull().defaultTo('pending'))
      .addColumn('pushed_at', 'text')
      .addColumn('push_error', 'text')
      .addPrimaryKeyConstraint('scores_pk', ['crm', 'lead_id', 'scored_at'])
      .execute();
    await db.schema.createIndex('scores_push_status_idx').on('scores').columns(['crm', 'push_status']).execute();

    await db.schema
      .createTable('models')
      .addColumn('crm', 'text', (c) => c.notNull())
      .addColumn('version', 'text', (c) => c.notNull())
      .addColumn('engine', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('trained_from', 'text', (c) => c.notNull())
      .addColumn('trained_to', 'text', (c) => c.notNull())
      .addColumn('metrics', 'text', (c) => c.notNull())
      .addColumn('bundle', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('promoted_at', 'text')
      .addPrimaryKeyConstraint('models_pk', ['crm', 'version'])
      .execute();
    await db.schema.createIndex('models_status_idx').on('models').columns(['crm', 'status']).execute();
    // At most one active model per CRM, even if two promotions race.
    await db.schema
      .createIndex('models_one_active_idx')
      .on('models')
      .column('crm')
      .unique()
      .where(sql.ref('status'), '=', 'active')
      .execute();

    await db.schema
      .createTable('runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('crm', 'text')
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('summary', 'text')
      .addColumn('error', 'text')
      .execute();
    await db.schema.createIndex('runs_started_idx').on('runs').columns(['kind', 'started_at']).execute();

    await db.schema
      .createTable('run_locks')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('acquired_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('audit_log')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('before', 'text')
      .addColumn('after', 'text')
      .execute();
    await db.schema.createIndex('audit_log_at_idx').on('audit_log').column('at').execute();

    await db.schema
      .createTable('settings')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('oauth_tokens')
      .addColumn('crm', 'text', (c) => c.primaryKey())
      .addColumn('ciphertext', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    for (const table of [
      'oauth_tokens', 'settings', 'audit_log', 'run_locks', 'runs', 'models',
      'scores', 'snapshots', 'outcomes', 'checkpoints', 'records',
    ]) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
};
