import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstCycles } from '../../src/cli/first-cycles.js';
import type { LoopConnections } from '../../src/jobs/connectors-from-env.js';
import { StopRequestedError } from '../../src/jobs/stop-request.js';
import { createLog } from '../../src/server/log.js';
import { startHubspotFixture, type HubspotFixture } from '../connectors/hubspot/sandbox-fixture.js';
import { startSalesforceFixture, type SalesforceFixture } from '../connectors/salesforce/fixture.js';
import { loopDeps } from '../jobs/loop-deps.js';
import { backends, useStore } from '../store/backends.js';
import { pipe } from './pipe-stream.js';

/**
 * serve's first cycles of two CRMs, stopped once HubSpot's has finished and before Salesforce's
 * starts: HubSpot's cycle wrote its scores, so the stop says so (not "nothing was changed") and
 * HubSpot's summary is still logged.
 */
describe.each(backends)('a stop between two CRMs\' first cycles ($name store)', (backend) => {
  const { store } = useStore(backend);
  let hubspot: HubspotFixture;
  let salesforce: SalesforceFixture;
  beforeAll(async () => {
    [hubspot, salesforce] = await Promise.all([startHubspotFixture({ leads: 150, hubspotRateLimit: 1000, hubspotSearchRateLimit: 50 }), startSalesforceFixture({ leads: 150 })]);
  });
  afterAll(async () => {
    await hubspot?.close();
    await salesforce?.close();
  });

  it('names the CRM done and the one not started, after the done one\'s summary', async () => {
    const first = hubspot.connector({ rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 } });
    const { config, manifest } = loopDeps(store(), first, { model: { trees: 10 }, loop: { minimumHistory: { closedLeads: 50, conversions: 10 } } });
    const connections = { store: store(), connectors: [first, salesforce.connector()], sandbox: null, close: async () => undefined } as LoopConnections;
    const stop = new AbortController();
    const out = pipe();
    const events: Array<Record<string, unknown>> = [];
    const stream = {
      write(chunk: string) {
        out.stream.write(chunk);
        for (const line of chunk.split('\n').filter(Boolean)) {
          const event = JSON.parse(line) as Record<string, unknown>;
          events.push(event);
          // HubSpot's last step has ended: its cycle is done, Salesforce's not begun.
          if (event.crm === 'hubspot' && /^Writing scores: finished/.test(String(event.msg))) stop.abort(new StopRequestedError('SIGTERM'));
        }
        return true;
      },
      isTTY: false,
    } as unknown as NodeJS.WritableStream;
    const log = createLog({ LOG_FORMAT: 'json', LOG_LEVEL: 'info' }, stream);

    const err = await firstCycles({ connections, config, manifest, stop: stop.signal, log }).then(() => null, (e: unknown) => e);
    expect(stop.signal.aborted, 'the stop was sent once HubSpot\'s cycle finished').toBe(true);
    expect(err).toBeInstanceOf(StopRequestedError);
    expect((err as Error).message).toBe("Stopped by SIGTERM before Salesforce's cycle started; HubSpot's cycle finished and its scores are written.");
    const summary = events.find((e) => e.msg === 'first cycle done');
    expect(summary, 'HubSpot\'s summary is logged before the stop is thrown').toMatchObject({ crm: 'hubspot' });
    expect(events.some((e) => e.crm === 'salesforce')).toBe(false);
  }, 120_000);
});
