import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector } from '../../connectors/types.js';
import { crmConnections } from '../../src/server/crm-connections.js';
import { createLoopRunner } from '../../src/server/loop-runner.js';
import { startHubspotFixture, type HubspotFixture } from '../connectors/hubspot/sandbox-fixture.js';
import { loopDeps } from '../jobs/loop-deps.js';
import { backends, useStore } from '../store/backends.js';

const CONFIG = { model: { trees: 25 }, loop: { minimumHistory: { closedLeads: 50, conversions: 10 }, minAuc: 0 } };
const BECAUSE = 'HubSpot was reconnected through another instance sharing the store (portal 9000002, was portal 9000001)';

/**
 * A cycle holds the connector it started with; when the server replaces it meanwhile (another
 * instance reconnected the CRM), the cycle must not go on writing to the portal left behind. The
 * swap happens after the cycle's first page of leads, at a known point, no timer involved.
 */
describe.each(backends)('a cycle whose connector is replaced while it runs ($name store)', (backend) => {
  const { store } = useStore(backend);
  let fixture: HubspotFixture;
  beforeAll(async () => {
    fixture = await startHubspotFixture({ leads: 250, hubspotRateLimit: 1000, hubspotSearchRateLimit: 50 });
  });
  afterAll(() => fixture?.close());

  const connector = () => fixture.connector({ rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 } });
  const scoreWrites = () => fixture.sandbox.ctx.log.filter((r) => r.method !== 'GET' && r.path.startsWith('/crm/v3/objects/contacts/batch/update')).length;

  it('stops at its next page, writes no score, records why; the next cycle runs on the new connector', async () => {
    const base = loopDeps(store(), connector(), CONFIG);
    const connections = crmConnections();
    let pages = 0;
    const swappedAfterFirstPage: Connector = {
      ...base.connector,
      pullLeads: (cursor) =>
        (async function* () {
          for await (const page of base.connector.pullLeads(cursor)) {
            yield page;
            if (++pages === 1) connections.set(connector(), BECAUSE);
          }
        })(),
    };
    connections.set(swappedAfterFirstPage);
    const runner = createLoopRunner({ ...base, connections, log: () => undefined });
    const writesBefore = scoreWrites();

    expect(runner.startRetrain('hubspot').started).toBe(true);
    await runner.idle();
    const stopped = runner.activity('hubspot');
    expect(stopped.state).toBe('failed');
    expect(stopped.message).toContain(`was replaced while it ran (${BECAUSE})`);
    expect(pages).toBe(1);
    expect(scoreWrites()).toBe(writesBefore);
    const [run] = await store().runs.list({ crm: 'hubspot', limit: 1 });
    expect(run.status).toBe('failed');
    expect(run.error).toContain('was replaced while it ran');

    expect(runner.startRetrain('hubspot').started).toBe(true);
    await runner.idle();
    expect(runner.activity('hubspot').state).toBe('done');
    expect(scoreWrites()).toBeGreaterThan(writesBefore);
  });
});
