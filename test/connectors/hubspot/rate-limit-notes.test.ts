import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCycle } from '../../../src/jobs/cycle.js';
import { backends, type TestDatabase } from '../../store/backends.js';
import type { Store } from '../../../src/store/store.js';
import { loopDeps } from '../../jobs/loop-deps.js';
import { allPages, startHubspotFixture, type HubspotFixture } from './sandbox-fixture.js';

/**
 * A portal answering 429 with Retry-After 20 held a run silent for minutes (only "Syncing
 * records: started"): a wait of ANNOUNCED_WAIT_MS or more is now said as it starts.
 */
const SEARCH = '/crm/v3/objects/contacts/search';

describe('HubSpot rate-limit waits', () => {
  let fx: HubspotFixture;
  let database: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    fx = await startHubspotFixture({ leads: 60, hubspotRateLimit: 100_000, hubspotSearchRateLimit: 10_000 });
    database = await backends.find((b) => b.name === 'sqlite')!.fresh();
    store = await database.open();
  });
  afterAll(async () => {
    await store?.close();
    await database?.cleanup();
    await fx?.close();
  });

  it('are said on the cycle\'s log as they start when they last 5 s or more, with the policy, the call kind and the count', async () => {
    const notes: string[] = [];
    const deps = { ...loopDeps(store, fx.connector()), log: (m: string) => notes.push(m) };
    // The backfill's first search (the newest contact) meets one 429 with Retry-After 5.
    await fx.control('POST', '/faults', { id: 'p429', pathPattern: SEARCH, kind: 'rate-limit', ms: 5, count: 1 });
    const started = Date.now();
    const outcome = await runCycle(deps);
    expect(outcome.ran).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(5_000);
    const waits = notes.filter((n) => n.startsWith('HubSpot rate limit'));
    expect(waits).toEqual([expect.stringMatching(/^HubSpot rate limit \(TEN_SECONDLY_ROLLING \/ search\): waiting 5 s \(1 of 30\) while finding the newest contacts change$/)]);
  }, 30_000);

  it('are not said when shorter; a connector nobody listens to still waits them out and reads every page', async () => {
    const heard: string[] = [];
    const connector = fx.connector();
    connector.setNoteListener!((n) => heard.push(n));
    await fx.control('POST', '/faults', { id: 'short', pathPattern: SEARCH, kind: 'rate-limit', ms: 1, count: 1 });
    await allPages(connector.pullLeads({ mode: 'incremental', since: new Date(0).toISOString(), lastId: null }));
    expect(heard).toEqual([]);

    connector.setNoteListener!(null);
    await fx.control('POST', '/faults', { id: 'long', pathPattern: SEARCH, kind: 'rate-limit', ms: 5, count: 1 });
    const pages = await allPages(connector.pullLeads({ mode: 'incremental', since: new Date(0).toISOString(), lastId: null }));
    expect(pages.flatMap((p) => p.records)).toHaveLength(60);
    expect(heard).toEqual([]);
  }, 30_000);
});
