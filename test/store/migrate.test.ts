import { Migrator, sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/schema.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { migrationProvider } from '../../src/store/migrations/index.js';
import { StoreNewerThanAppError } from '../../src/store/newer-store.js';
import { connectPostgres } from '../../src/store/postgres-connection.js';
import { connectSqlite } from '../../src/store/sqlite-connection.js';
import { backends, type TestDatabase } from './backends.js';

/**
 * Upgrades and downgrades of a store: an upgrade says which migrations it applied; a store a
 * newer leadlift upgraded is refused in plain words, not as "corrupted migrations".
 */
describe.each(backends)('store schema upgrades on $name', (backend) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.cleanup();
    database = undefined;
  });

  /** The database with the real migrations up to `last` only, as an older leadlift left it. */
  async function olderStore(last: string): Promise<{ db: Kysely<Database>; kind: 'sqlite' | 'postgres' }> {
    database = await backend.fresh();
    const { options } = database;
    if (backend.name === 'sqlite') {
      const { db } = connectSqlite(options.home!);
      const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo(last);
      if (error) throw error;
      return { db, kind: 'sqlite' };
    }
    const { db } = await connectPostgres(options.databaseUrl!, options.pgSchema);
    const { error } = await database.exclusive(() => new Migrator({ db, provider: migrationProvider, migrationTableSchema: options.pgSchema }).migrateTo(last));
    if (error) throw error;
    return { db, kind: 'postgres' };
  }

  it('an upgrade says which migrations it applied; the next start says nothing', async () => {
    const { db, kind } = await olderStore('004-tier-cutoffs');
    const lines: string[] = [];
    try {
      const results = await database!.exclusive(() => migrateToLatest(db, kind, (line) => lines.push(line)));
      const newer = Object.keys(await migrationProvider.getMigrations()).filter((name) => name > '004-tier-cutoffs');
      expect(results.map((r) => r.migrationName)).toEqual(newer);
      expect(lines).toEqual([`store schema updated: ${newer.map((name) => name.slice(0, 3)).join(', ')}`]);
      expect(lines[0]).toMatch(/^store schema updated: 005, 006, 007/);
      await database!.exclusive(() => migrateToLatest(db, kind, (line) => lines.push(line)));
      expect(lines).toHaveLength(1);
    } finally {
      await db.destroy();
    }
  });

  it('010 marks the Salesforce leads already stored as converted from the IsConverted they were synced with', async () => {
    const { db, kind } = await olderStore('009-history-age-indexes');
    try {
      const row = (crm: string, id: string, properties: Record<string, string | null>) => ({
        crm, object_type: 'leads', id, properties: JSON.stringify(properties), created_at: '2026-01-01T00:00:00.000Z',
        modified_at: '2026-01-02T00:00:00.000Z', archived: 0, synced_at: '2026-01-02T00:00:00.000Z', source: 'sync',
      });
      await (db as Kysely<any>).insertInto('records').values([
        row('salesforce', '00Q1', { IsConverted: 'true', Status: 'Closed - Converted' }),
        row('salesforce', '00Q2', { IsConverted: 'false', Status: 'Open - Not Contacted' }),
        row('salesforce', '00Q3', { Status: 'Working' }),
        row('hubspot', '101', { IsConverted: 'true' }),
      ]).execute();
      await database!.exclusive(() => migrateToLatest(db, kind));
      const marked = await db.selectFrom('records').select(['crm', 'id', 'converted']).orderBy('crm').orderBy('id').execute();
      expect(marked.map((r) => [r.crm, r.id, Number(r.converted)])).toEqual([
        ['hubspot', '101', 0],
        ['salesforce', '00Q1', 1],
        ['salesforce', '00Q2', 0],
        ['salesforce', '00Q3', 0],
      ]);
    } finally {
      await db.destroy();
    }
  });

  it('creating a fresh store is not announced as an update', async () => {
    // An empty database: every migration is applied here, and none of them is an upgrade.
    database = await backend.fresh();
    const { options } = database;
    const { db, kind } =
      backend.name === 'sqlite'
        ? { db: connectSqlite(options.home!).db, kind: 'sqlite' as const }
        : { db: (await connectPostgres(options.databaseUrl!, options.pgSchema)).db, kind: 'postgres' as const };
    const lines: string[] = [];
    try {
      const results = await database.exclusive(() => migrateToLatest(db, kind, (line) => lines.push(line)));
      expect(results.map((r) => r.migrationName)).toEqual(Object.keys(await migrationProvider.getMigrations()));
      expect(lines).toEqual([]);
    } finally {
      await db.destroy();
    }
  });

  it('a store upgraded by a newer leadlift is refused in plain words before anything runs', async () => {
    database = await backend.fresh();
    const store = await database.open();
    await sql`insert into kysely_migration (name, timestamp) values ('999-from-a-newer-leadlift', '2030-01-01T00:00:00.000Z')`.execute(store.db);
    await store.close();
    const err = await database.open().then(
      async (s) => {
        await s.close();
        return null;
      },
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StoreNewerThanAppError);
    expect((err as Error).message).toBe(
      'This store was upgraded by a newer leadlift: it holds schema migration 999-from-a-newer-leadlift, which this version does not know. ' +
        'Run that newer leadlift again, or restore the backup taken before the upgrade (a copy of leadlift.db, or a pg_dump) to use this version; downgrading a store is not supported.',
    );
    expect((err as Error).message).not.toMatch(/corrupted|unknown"/);
  });
});
