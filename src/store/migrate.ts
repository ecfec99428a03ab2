import { Migrator, sql, type Kysely, type MigrationResult } from 'kysely';
import type { Database } from './schema.js';
import { migrationProvider } from './migrations/index.js';
import { StoreConnectionError } from './errors.js';

/**
 * Brings the schema up to date. Safe to call on every start and from two processes at once:
 * Kysely's migrator takes a lock and skips what has already run.
 */
export async function migrateToLatest(db: Kysely<Database>, kind: 'sqlite' | 'postgres'): Promise<MigrationResult[]> {
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    // Kysely looks for its bookkeeping tables in every schema unless told which: name the one
    // search_path resolves to, or another schema's tables in the same database would count.
    ...(kind === 'postgres' ? { migrationTableSchema: await currentSchema(db) } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    const why = error instanceof Error ? error.message : String(error);
    throw new StoreConnectionError(`Updating the store's schema failed at migration "${failed}": ${why}`, 1, { cause: error });
  }
  return results ?? [];
}

async function currentSchema(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? 'public';
}
