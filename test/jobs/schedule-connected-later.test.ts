import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector } from '../../connectors/types.js';
import { startScheduler } from '../../src/jobs/schedule.js';
import { startHubspotFixture, type HubspotFixture } from '../connectors/hubspot/sandbox-fixture.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

describe.each(backends)('a CRM connected while the schedule runs ($name store)', (backend) => {
  const { store } = useStore(backend);
  let fixture: HubspotFixture;
  beforeAll(async () => {
    fixture = await startHubspotFixture({ leads: 150, hubspotRateLimit: 1000, hubspotSearchRateLimit: 50 });
  });
  afterAll(() => fixture?.close());

  it('gets its cycles from the next one on, without a restart (serve\'s install page adds it)', async () => {
    const deps = loopDeps(store(), fixture.connector({ rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 } }), { loop: { minimumHistory: { closedLeads: 50, conversions: 10 } } });
    const connected: Connector[] = [];
    const scheduler = startScheduler({ ...deps, connectors: () => connected });
    try {
      expect(await scheduler.runNow('sync')).toEqual([]);
      connected.push(deps.connector);
      const [outcome] = await scheduler.runNow('sync');
      expect(outcome.ran).toBe(true);
      expect(await store().runs.list({ kind: 'cycle', crm: 'hubspot' })).toHaveLength(1);
    } finally {
      await scheduler.stop();
    }
  });
});
