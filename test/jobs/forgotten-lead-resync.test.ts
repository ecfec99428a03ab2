import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEAD_OBJECT, LEADS_STREAM, OUTCOMES_STREAM } from '../../src/jobs/deps.js';
import { syncFromCrm } from '../../src/jobs/sync.js';
import { startHubspotFixture, type HubspotFixture } from '../connectors/hubspot/sandbox-fixture.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

describe.each(backends)('a forgotten lead still in the CRM ($name store)', (backend) => {
  const { store } = useStore(backend);
  let fixture: HubspotFixture;
  beforeAll(async () => {
    fixture = await startHubspotFixture({ leads: 60, hubspotRateLimit: 1000, hubspotSearchRateLimit: 50 });
  });
  afterAll(() => fixture?.close());

  it('stays out of the store on the next full sync, which stores every other lead again', async () => {
    const deps = loopDeps(store(), fixture.connector({ rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 } }));
    await syncFromCrm(deps);
    const closed = (await store().outcomes.list('hubspot'))[0];
    expect(closed).toBeDefined();
    const id = closed.leadId;

    const forgotten = await store().forget('hubspot', [id], { actor: 'cli' });
    expect(forgotten.removed).toMatchObject({ records: 1, outcomes: 1 });
    expect(await store().records.get('hubspot', LEAD_OBJECT, id)).toBeNull();

    // A full sync: both streams start over from the beginning.
    await store().checkpoints.clear('hubspot', LEADS_STREAM);
    await store().checkpoints.clear('hubspot', OUTCOMES_STREAM);
    const resync = await syncFromCrm(deps);
    // The CRM still holds it and sent it again; the store left it out, and the count of leads
    // stored with it. Nothing else changed.
    expect(resync.received.leads).toBe(60);
    expect(resync).toMatchObject({ leads: 59, leadsChanged: 0 });
    expect(await store().records.get('hubspot', LEAD_OBJECT, id)).toBeNull();
    expect(await store().outcomes.get('hubspot', id)).toBeNull();
    expect(await store().records.count('hubspot', LEAD_OBJECT)).toBe(59);
    expect((await store().outcomes.list('hubspot')).length).toBeGreaterThan(0);
  });
});
