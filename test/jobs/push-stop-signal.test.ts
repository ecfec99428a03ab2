import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCycle } from '../../src/jobs/cycle.js';
import { StopRequestedError } from '../../src/jobs/stop-request.js';
import { startSalesforceFixture, type SalesforceFixture } from '../connectors/salesforce/fixture.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

// Chunks of 20, one at a time, so a stop after the first chunk leaves most of the push to do.
const QUICK = { model: { trees: 20 }, loop: { minimumHistory: { closedLeads: 50, conversions: 10 }, push: { chunkSize: 20, concurrency: 1 } } };

describe.each(backends)('a stop while writing scores back ($name store)', (backend) => {
  const { store } = useStore(backend);
  let fx: SalesforceFixture;
  beforeAll(async () => {
    fx = await startSalesforceFixture({ leads: 400, openFraction: 0.2 });
  });
  afterAll(async () => fx.close());

  it('says how many scores were sent and how many wait, and the next run writes just those', async () => {
    const stop = new AbortController();
    let total = 0;
    const deps = {
      ...loopDeps(store(), fx.connector(), QUICK),
      onProgress: (step: string, done: number, of: number | null) => {
        if (step === 'push' && done >= 20 && !stop.signal.aborted) {
          total = of ?? 0;
          stop.abort(new StopRequestedError('SIGINT'));
        }
      },
    };
    const err = await runCycle(deps, { stop: stop.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StopRequestedError);
    expect(total).toBeGreaterThan(20);
    expect((err as Error).message).toMatch(
      new RegExp(`^Stopped by SIGINT while writing scores back \\(20 of ${total} scores sent; the other ${total - 20} wait for the next run\\), after syncing [\\d,]+ leads and [\\d,]+ outcomes; what was synced and scored is kept and the next run resumes from there\\.$`),
    );
    const again = await runCycle(loopDeps(store(), fx.connector(), QUICK));
    if (!again.ran) throw new Error(again.reason);
    expect(again.summary.push.written).toBe(total - 20);
  });
});
