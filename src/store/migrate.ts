import { Migrator, type Kysely, type MigrationResult } from 'kysely';
import type { Database } from './schema.js';
import { migrationProvider } from './migrations/index.js';
import { StoreConnectionError } from './errors.js';

/**
 * Brings the schema up to date. Safe to call on every start and from two processes at once:
 * Kysely's migrator takes a lock and skips what has already run.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<MigrationResult[]> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    const why = error instanceof Error ? error.message : String(error);
    throw new StoreConnectionError(`Updating the store's schema failed at migration "${failed}": ${why}`, 1, { cause: error });
  }
  return results ?? [];
}
