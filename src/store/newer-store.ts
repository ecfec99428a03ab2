import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import { StoreConnectionError } from './errors.js';

/** Kysely's bookkeeping table (its DEFAULT_MIGRATION_TABLE): one row per migration applied. */
const MIGRATION_TABLE = 'kysely_migration';

/**
 * A store a newer leadlift has upgraded: its schema has migrations this version does not ship.
 * Running on would read tables it does not know the shape of, so nothing is opened.
 */
export class StoreNewerThanAppError extends StoreConnectionError {}

/**
 * Refuses a store upgraded by a newer leadlift, in plain words. Kysely alone reports it as
 * "corrupted migrations: previously executed migration … is missing", which reads like damaged
 * data when it is only a downgrade. `schema` is PostgreSQL's (the one search_path resolves to).
 */
export async function refuseNewerStore(db: Kysely<Database>, known: readonly string[], schema?: string): Promise<void> {
  const stored = await storedMigrations(db, schema);
  const unknown = stored.filter((name) => !known.includes(name)).sort();
  if (unknown.length === 0) return;
  throw new StoreNewerThanAppError(
    `This store was upgraded by a newer leadlift: it holds schema migration${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')}, which this version does not know. ` +
      'Run that newer leadlift again, or restore the backup taken before the upgrade (a copy of leadlift.db, or a pg_dump) to use this version; downgrading a store is not supported.',
  );
}

async function storedMigrations(db: Kysely<Database>, schema?: string): Promise<string[]> {
  const exists =
    schema === undefined
      ? await sql<{ n: number }>`select count(*) as n from sqlite_master where type = 'table' and name = ${MIGRATION_TABLE}`.execute(db)
      : await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_schema = ${schema} and table_name = ${MIGRATION_TABLE}`.execute(db);
  if (Number(exists.rows[0]?.n ?? 0) === 0) return [];
  const table = schema === undefined ? sql.id(MIGRATION_TABLE) : sql.id(schema, MIGRATION_TABLE);
  const { rows } = await sql<{ name: string }>`select name from ${table}`.execute(db);
  return rows.map((r) => r.name);
}
