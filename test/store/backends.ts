import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { openStore, type Store, type StoreOptions } from '../../src/store/store.js';
import { stopAllInjectedFailures } from './inject-failure.js';

/** A place for one test's database: a temp folder (SQLite) or a fresh schema (PostgreSQL). */
export interface TestDatabase {
  options: StoreOptions;
  /** Opens (and migrates) a store on this database; tests may open several. */
  open(extra?: StoreOptions): Promise<Store>;
  /** Runs schema work (migrations) so that it never overlaps another file's schema drop. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  cleanup(): Promise<void>;
}

export interface TestBackend {
  name: 'sqlite' | 'postgres';
  fresh(): Promise<TestDatabase>;
}

const sqlite: TestBackend = {
  name: 'sqlite',
  async fresh() {
    const home = mkdtempSync(join(tmpdir(), 'leadlift-store-'));
    return {
      options: { home },
      open: (extra = {}) => openStore({ secretKey: TEST_SECRET_KEY, home, ...extra }),
      exclusive: (fn) => fn(),
      cleanup: async () => rmSync(home, { recursive: true, force: true }),
    };
  },
};

/**
 * Each test gets its own schema, so test files running at once never see each other's rows.
 * Kysely's migrator inspects the tables of every schema in the database; a schema dropped by
 * another test file in the middle of that inspection makes it fail. So creating (migrating) and
 * dropping test schemas take turns through an advisory lock; the tests themselves run freely.
 */
function postgres(databaseUrl: string): TestBackend {
  const SCHEMA_LOCK = 7_411_203;
  const admin = () =>
    new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: databaseUrl, max: 1 }) }) });
  async function locked<T>(fn: () => Promise<T>): Promise<T> {
    const db = admin();
    try {
      return await db.connection().execute(async (conn) => {
        await sql`select pg_advisory_lock(${SCHEMA_LOCK})`.execute(conn);
        try {
          return await fn();
        } finally {
          await sql`select pg_advisory_unlock(${SCHEMA_LOCK})`.execute(conn);
        }
      });
    } finally {
      await db.destroy();
    }
  }
  return {
    name: 'postgres',
    async fresh() {
      const schema = `t_${process.pid}_${randomBytes(6).toString('hex')}`;
      const options: StoreOptions = { databaseUrl, pgSchema: schema };
      return {
        options,
        open: (extra = {}) => locked(() => openStore({ secretKey: TEST_SECRET_KEY, ...options, ...extra })),
        exclusive: locked,
        cleanup: () =>
          locked(async () => {
            const db = admin();
            await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
            await db.destroy();
          }),
      };
    },
  };
}

const pgUrl = process.env.LEADLIFT_TEST_DATABASE_URL;
export const backends: TestBackend[] = pgUrl ? [sqlite, postgres(pgUrl)] : [sqlite];

/** A 32-byte key for token tests, as LEADLIFT_SECRET_KEY would hold it. */
export const TEST_SECRET_KEY = Buffer.alloc(32, 7).toString('base64');

const TABLES = [
  'records', 'checkpoints', 'outcomes', 'snapshots', 'scores', 'models',
  'runs', 'run_locks', 'audit_log', 'settings', 'oauth_tokens', 'forgotten_leads', 'forgotten_leads_set_aside', 'score_references', 'tier_cutoffs', 'ended_sessions', 'staged_outcomes', 'oauth_states', 'rate_limit_hits', 'webhook_events',
] as const;

/**
 * One database per test file, opened once and emptied after each test (creating and migrating
 * a database per test is what made these files slow). Call inside describe.each; use the
 * returned getters in tests.
 */
export function useStore(backend: TestBackend, extra: StoreOptions = {}): { store: () => Store; database: () => TestDatabase } {
  let current: Store | undefined;
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await backend.fresh();
    current = await database.open(extra);
  });
  afterEach(async () => {
    if (!current) return;
    await stopAllInjectedFailures(current);
    for (const table of TABLES) await current.db.deleteFrom(table).execute();
  });
  afterAll(async () => {
    await current?.close();
    await database?.cleanup();
    current = undefined;
    database = undefined;
  });
  return {
    store: () => {
      if (!current) throw new Error('store used outside a test');
      return current;
    },
    database: () => {
      if (!database) throw new Error('database used outside a test');
      return database;
    },
  };
}
