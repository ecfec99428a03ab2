import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import pino, { type Logger } from 'pino';
import type { Options } from 'express-rate-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { loadManifest } from '../../src/domain/manifest.js';
import { SharedRateLimitStore, STORE_BACK_OFF_MS, STORE_DEADLINE_MS, type RateLimitHitsSource } from '../../src/server/security/shared-rate-limit-store.js';
import { buildServerDeps } from '../../src/server/server-deps.js';
import { serverSettingsFromEnv } from '../../src/server/settings.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { rateLimitHitsRepository } from '../../src/store/rate-limit-hits.js';
import type { Database } from '../../src/store/schema.js';
import type { Store } from '../../src/store/store.js';
import { backends, type TestDatabase } from '../store/backends.js';
import { capturedLog, INFO, WARN, type LogLine } from './captured-log.js';
import { ADMIN, Session } from './server-fixture.js';

/**
 * A PostgreSQL that hangs rather than fails: the login and metrics-token limits must give up on it
 * after about a second (not the pool's 10 s), count in memory, stop asking it for a while, and use
 * it again once it answers. The hang is real: rate_limit_hits locked by a second session
 * (ACCESS EXCLUSIVE, as a long migration or a stuck admin transaction would hold it), or a TCP
 * server that takes the connection and never says a word.
 */
const postgres = backends.find((b) => b.name === 'postgres');
const env = { LEADLIFT_ADMIN_USER: ADMIN.user, LEADLIFT_ADMIN_PASSWORD: ADMIN.password, LEADLIFT_SESSION_SECRET: 'a-test-session-secret-that-is-long-enough-0123456789' };
const WINDOW = { windowMs: 15 * 60_000 } as Options;
const didNotAnswer = (lines: LogLine[], limiter = 'login') =>
  lines.filter((l) => l.level === WARN && l.msg.startsWith(`${limiter} limit: the store did not answer`));

/** Holds ACCESS EXCLUSIVE on the test schema's rate_limit_hits from its own session until released. */
async function lockRateLimitHits(database: TestDatabase): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: database.options.databaseUrl, options: `-c search_path=${database.options.pgSchema}` });
  await client.connect();
  await client.query('begin');
  await client.query('lock table rate_limit_hits in access exclusive mode');
  return async () => {
    await client.query('rollback');
    await client.end();
  };
}

/** This database's statements on rate_limit_hits that wait for a lock. */
async function waitingOnLock(store: Store): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from pg_stat_activity
    where datname = current_database() and wait_event_type = 'Lock' and query ilike '%"rate_limit_hits"%'`.execute(store.db);
  return rows[0].n;
}

async function serve(store: Store, logger: Logger): Promise<RunningServer> {
  const deps = buildServerDeps({ store, config: loadConfig({ env: {} }), manifest: loadManifest(), settings: serverSettingsFromEnv(env, 0), logger });
  return startServer(deps, { port: 0, host: '127.0.0.1', publicUrlFromAddress: true });
}

const wrongLogin = async (url: string) => {
  const s = new Session(url);
  return (await s.request('/login', { form: { _csrf: await s.csrf('/login'), user: ADMIN.user, password: 'a wrong guess', next: '/admin' } })).status;
};

describe.skipIf(!postgres)('the login limit on a PostgreSQL that hangs', () => {
  let database: TestDatabase;
  let store: Store;
  let server: RunningServer;
  const log = capturedLog();

  beforeAll(async () => {
    database = await postgres!.fresh();
    store = await database.open();
    server = await serve(store, log.logger);
  });
  afterAll(async () => {
    await server?.close();
    await store?.close();
    await database?.cleanup();
  });

  it('answers a login after about the deadline, not the pool timeout, and the next ones without asking the store again', async () => {
    const release = await lockRateLimitHits(database);
    try {
      const started = performance.now();
      const first = await wrongLogin(server.url);
      const firstTook = performance.now() - started;
      const seen = [first];
      for (let i = 0; i < 7; i++) seen.push(await wrongLogin(server.url));
      const allTook = performance.now() - started;
      expect(seen).toEqual(Array(8).fill(401));
      // One deadline (1.25 s) at most, well under the pool's 10 s; asking each time would cost 8 of them.
      expect(firstTook).toBeLessThan(5_000);
      expect(firstTook).toBeGreaterThanOrEqual(STORE_DEADLINE_MS - 300);
      expect(allTook).toBeLessThan(6_000);
      // Counted in memory meanwhile: two more guesses and the limit holds.
      expect(await wrongLogin(server.url)).toBe(401);
      expect(await wrongLogin(server.url)).toBe(401);
      expect(await wrongLogin(server.url)).toBe(429);
      expect(didNotAnswer(log.lines)).toHaveLength(1);
      // Nothing is left queued behind the lock holding a pool connection: PostgreSQL cancelled the statement.
      expect(await waitingOnLock(store)).toBe(0);
    } finally {
      await release();
    }
    expect(await store.db.selectFrom('rate_limit_hits').selectAll().execute()).toEqual([]);
  });
});

describe.skipIf(!postgres)('a shared limit store backing off a hung PostgreSQL', () => {
  let database: TestDatabase;
  let store: Store;

  beforeAll(async () => {
    database = await postgres!.fresh();
    store = await database.open();
  });
  afterAll(async () => {
    await store?.close();
    await database?.cleanup();
  });

  it('asks once per back-off while hung, says so once, and counts in the store again once it answers', async () => {
    const log = capturedLog();
    let asked = 0;
    // The real repository; only counted on the way through, to see when the store was asked.
    const counted: RateLimitHitsSource = {
      secrets: () => store.secrets(),
      rateLimitHits: { ...store.rateLimitHits, hit: (...args) => (asked++, store.rateLimitHits.hit(...args)) },
    };
    let clock = 1_000_000;
    const limit = new SharedRateLimitStore(counted, 'login', log.logger, { deadlineMs: STORE_DEADLINE_MS, backOffMs: STORE_BACK_OFF_MS, now: () => clock });
    limit.init(WINDOW);

    const release = await lockRateLimitHits(database);
    try {
      expect((await limit.increment('203.0.113.7')).totalHits).toBe(1);
      expect(asked).toBe(1);
      expect((await limit.increment('203.0.113.7')).totalHits).toBe(2);
      clock += STORE_BACK_OFF_MS - 1;
      expect((await limit.increment('203.0.113.7')).totalHits).toBe(3);
      expect(asked).toBe(1);
      // The back-off is over: asked again, still hung, still counted in memory, not said again.
      clock += 1;
      expect((await limit.increment('203.0.113.7')).totalHits).toBe(4);
      expect(asked).toBe(2);
      expect(didNotAnswer(log.lines)).toHaveLength(1);
      expect(log.raw.join('')).not.toContain('leadlift:leadlift');
    } finally {
      await release();
    }
    // Answers again, but the back-off started at the last try: memory until it ends.
    expect((await limit.increment('203.0.113.7')).totalHits).toBe(5);
    expect(asked).toBe(2);
    clock += STORE_BACK_OFF_MS;
    expect((await limit.increment('203.0.113.7')).totalHits).toBe(1);
    expect(asked).toBe(3);
    expect((await store.rateLimitHits.get('login', '203.0.113.7'))?.hits).toBe(1);
    expect(log.lines.filter((l) => l.level === INFO).map((l) => l.msg)).toEqual(['login limit: the store answers again; attempts are counted across instances again']);
  });
});

describe('a shared limit store on a server that takes the connection and never answers', () => {
  let silent: Server;
  const sockets: Socket[] = [];
  let db: Kysely<Database>;

  beforeAll(async () => {
    silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    // The pool as the store opens it (postgres-connection.ts): 10 s to get a connection.
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: `postgres://leadlift:secret-pw@127.0.0.1:${port}/leadlift`, connectionTimeoutMillis: 10_000 }) }) });
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await db?.destroy();
    await new Promise((resolve) => silent?.close(resolve));
  });

  it('gives up after the deadline and counts in memory, the password never in the log', async () => {
    const log = capturedLog();
    const limit = new SharedRateLimitStore({ rateLimitHits: rateLimitHitsRepository(db), secrets: () => ['secret-pw'] }, 'metrics-token', log.logger);
    limit.init(WINDOW);
    const started = performance.now();
    expect((await limit.increment('198.51.100.20')).totalHits).toBe(1);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(sockets.length).toBeGreaterThan(0);
    // Within the back-off: memory at once, the store not asked again (no second connection).
    expect((await limit.increment('198.51.100.20')).totalHits).toBe(2);
    expect(sockets).toHaveLength(1);
    const said = didNotAnswer(log.lines, 'metrics-token');
    expect(said).toHaveLength(1);
    expect(said[0].err).toBe(`no answer within ${STORE_DEADLINE_MS} ms`);
    expect(log.raw.join('')).not.toContain('secret-pw');
  });
});
