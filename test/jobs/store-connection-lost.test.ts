import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cycleLockName, runCycle } from '../../src/jobs/cycle.js';
import { StoreConnectionError } from '../../src/store/errors.js';
import type { Store } from '../../src/store/store.js';
import { startHubspotFixture, type HubspotFixture } from '../connectors/hubspot/sandbox-fixture.js';
import { backends, type TestDatabase } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

const postgres = backends.find((b) => b.name === 'postgres');
const APP = `leadlift_lost_${process.pid}`;

/**
 * A PostgreSQL restart or failover ends every connection, including the one a sync holds in the
 * middle of a page's transaction. That must fail the cycle, not the process: the server keeps
 * serving and the schedule's next cycle goes on from what was stored.
 */
describe.skipIf(!postgres)('PostgreSQL connections terminated during a sync', () => {
  let fixture: HubspotFixture;
  let database: TestDatabase;
  let store: Store;
  let admin: Kysely<unknown>;
  let schema: string;

  beforeAll(async () => {
    fixture = await startHubspotFixture({ leads: 300, hubspotRateLimit: 1000, hubspotSearchRateLimit: 50 });
    database = await postgres!.fresh();
    const url = new URL(database.options.databaseUrl!);
    url.searchParams.set('application_name', APP);
    store = await database.open({ databaseUrl: url.toString() });
    schema = database.options.pgSchema!;
    admin = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.options.databaseUrl, max: 1 }) }) });
    // Page commits take a second while this trigger exists, so a statement is surely under way
    // (its connection checked out of the pool) when the test ends the store's connections.
    await sql.raw(`create function ${schema}.slow_page() returns trigger language plpgsql as $$ begin perform pg_sleep(1); return new; end $$`).execute(admin);
    await sql.raw(`create trigger slow_page before insert or update on ${schema}.checkpoints for each row execute function ${schema}.slow_page()`).execute(admin);
  });

  afterAll(async () => {
    await store?.close();
    await admin?.destroy();
    await database?.cleanup();
    await fixture?.close();
  });

  /** Waits for a store statement blocked in the trigger, then ends every connection of the store's pool. */
  async function terminateMidStatement(): Promise<number> {
    for (let i = 0; i < 400; i++) {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where application_name = ${APP} and state = 'active' and query ilike '%checkpoints%'`.execute(admin);
      if (rows[0].n > 0) {
        // Listed first, then ended one by one: in one statement the planner may call
        // pg_terminate_backend on other sessions' rows before filtering them out.
        const mine = await sql<{ pid: number }>`select pid from pg_stat_activity where application_name = ${APP}`.execute(admin);
        for (const { pid } of mine.rows) await sql`select pg_terminate_backend(${pid})`.execute(admin);
        return mine.rows.length;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('no page commit reached the database');
  }

  it('fails the cycle with a message naming the database, records the run failed, frees the lock, and the next cycle completes', async () => {
    const deps = loopDeps(store, fixture.connector({ rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 } }));
    const cycle = runCycle(deps).then(() => null, (e: unknown) => e);
    expect(await terminateMidStatement()).toBeGreaterThan(0);
    await sql.raw(`drop trigger slow_page on ${schema}.checkpoints`).execute(admin);
    const err = await cycle;
    expect(err).toBeInstanceOf(StoreConnectionError);
    const message = (err as Error).message;
    expect(message).toMatch(/^Lost the connection to PostgreSQL database "\w+" on 127\.0\.0\.1:5432 as user "leadlift" \(DATABASE_URL=postgres:\/\/leadlift:\*\*\*\*@127\.0\.0\.1:5432\/\w+\?application_name=\w+\) during the sync:/);
    expect(message).toContain('what was synced is kept; the next cycle resumes from it');
    expect(message).not.toContain(':leadlift@');

    const [run] = await store.runs.list({ kind: 'cycle', crm: 'hubspot' });
    expect(run).toMatchObject({ status: 'failed', error: message });
    expect(await store.runLock.holder(cycleLockName('hubspot'))).toBeNull();

    const next = await runCycle(deps);
    if (!next.ran) throw new Error(next.reason);
    expect(next.summary.sync.leads).toBeGreaterThan(0);
    expect((await store.runs.list({ kind: 'cycle', crm: 'hubspot' }))[0].status).toBe('ok');
  });
});
