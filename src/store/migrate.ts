import { Migrator, sql, type Kysely, type MigrationResult } from 'kysely';
import type { Database } from './schema.js';
import { migrationProvider } from './migrations/index.js';
import { StoreConnectionError } from './errors.js';
import { refuseNewerStore } from './newer-store.js';

/**
 * Brings the schema up to date. Safe to call on every start and from two processes at once:
 * Kysely's migrator takes a lock and skips what has already run. An upgrade of an existing store
 * is said through `log` ("store schema updated: 005, 006"), since it changes what an older
 * leadlift can open; creating a fresh store is not. A store a newer leadlift upgraded is refused
 * before anything runs (newer-store.ts).
 */
export async function migrateToLatest(
  db: Kysely<Database>,
  kind: 'sqlite' | 'postgres',
  // The CLI's other diagnostics start so; `serve` passes its log, whose events name leadlift already.
  log: (line: string) => void = (line) => process.stderr.write(`leadlift: ${line}\n`),
): Promise<MigrationResult[]> {
  // Kysely looks for its bookkeeping tables in every schema unless told which: name the one
  // search_path resolves to, or another schema's tables in the same database would count.
  const schema = kind === 'postgres' ? await currentSchema(db) : undefined;
  const migrator = new Migrator({ db, provider: migrationProvider, ...(schema !== undefined ? { migrationTableSchema: schema } : {}) });
  await refuseNewerStore(db, Object.keys(await migrationProvider.getMigrations()), schema);
  const before = (await migrator.getMigrations()).filter((m) => m.executedAt !== undefined).length;
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    const why = error instanceof Error ? error.message : String(error);
    throw new StoreConnectionError(`Updating the store's schema failed${failed ? ` at migration "${failed}"` : ''}: ${why}`, 1, { cause: error });
  }
  const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName.split('-')[0]);
  if (before > 0 && applied.length > 0) log(`store schema updated: ${applied.join(', ')}`);
  return results ?? [];
}

async function currentSchema(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? 'public';
}
