import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubspotUnavailableError } from '../../connectors/hubspot/index.js';
import { LEAD_OBJECT, LEADS_STREAM } from '../../src/jobs/deps.js';
import { syncFromCrm } from '../../src/jobs/sync.js';
import { startHubspotFixture, type HubspotFixture } from '../connectors/hubspot/sandbox-fixture.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

const LIST = '^/crm/v3/objects/contacts$';

describe.each(backends)('sync ($name store)', (backend) => {
  const { store } = useStore(backend);
  let fixture: HubspotFixture;
  beforeAll(async () => {
    fixture = await startHubspotFixture({ leads: 1000, hubspotRateLimit: 1000, hubspotSearchRateLimit: 50 });
  });
  afterAll(() => fixture?.close());

  it('a sync that dies part-way resumes from its last stored page: nothing lost, nothing twice', async () => {
    const connector = fixture.connector({ retry: { retries: 0, minDelayMs: 10 }, rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 } });
    const deps = loopDeps(store(), connector);
    // The contact list answers three pages, then HubSpot goes down.
    fixture.sandbox.ctx.faults.push(
      { id: 'three-pages', method: 'GET', pathPattern: LIST, kind: 'latency', ms: 0, count: 3 },
      { id: 'down', method: 'GET', pathPattern: LIST, kind: 'server-error', status: 503, count: 1000 },
    );
    await expect(syncFromCrm(deps)).rejects.toBeInstanceOf(HubspotUnavailableError);
    fixture.sandbox.ctx.faults.length = 0;
    // Leads and outcomes are read side by side, so the three pages went to one stream or both.
    const stored = await store().records.count('hubspot', LEAD_OBJECT);
    expect(stored % 100).toBe(0);
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThanOrEqual(300);
    if (stored > 0) expect(await store().checkpoints.get('hubspot', LEADS_STREAM)).toMatchObject({ mode: 'backfill', phase: 'active' });

    const reports: Array<[string, number, number | null]> = [];
    const result = await syncFromCrm({ ...deps, onProgress: (step, done, total) => reports.push([step, done, total]) });
    // Progress is a running count with no total: the CRM does not say how much is coming.
    expect(reports[0]).toEqual(['sync', 0, null]);
    expect(reports.every(([step, , total]) => step === 'sync' && total === null)).toBe(true);
    expect(reports.at(-1)![1]).toBe(result.received.leads + result.received.outcomes);
    // Resumed right after the last stored page: every lead read exactly once over the two syncs.
    expect(result.leads).toBe(1000 - stored);
    expect(await store().records.count('hubspot', LEAD_OBJECT)).toBe(1000);
    const closed = fixture.seed.filter((s) => !s.open);
    const counts = await store().outcomes.counts('hubspot');
    expect(counts.won + counts.lost).toBe(closed.length);
    expect(counts.won).toBe(closed.filter((s) => s.outcome === 'won').length);

    // Caught up: the next sync reads only what changed (nothing).
    const again = await syncFromCrm(deps);
    expect(again).toMatchObject({ leads: 0, outcomes: 0 });
  });
});
