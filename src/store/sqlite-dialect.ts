import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig, type TransactionSettings } from 'kysely';

/**
 * Kysely's SQLite dialect, except that a transaction begins IMMEDIATE: it takes the file's write
 * lock at BEGIN, waiting for another process's writer under busy_timeout. A deferred transaction
 * that reads first (commitPage compares a page with the stored rows) holds only a snapshot, and
 * once another process commits after it, its first write fails with SQLITE_BUSY_SNAPSHOT, which
 * no timeout cures. A transaction declared read only stays deferred: it needs no write lock.
 */
export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection, settings?: TransactionSettings): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(settings?.accessMode === 'read only' ? 'begin deferred' : 'begin immediate'));
  }
}
