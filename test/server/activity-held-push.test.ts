import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector } from '../../connectors/types.js';
import { crmConnections } from '../../src/server/crm-connections.js';
import { createLoopRunner } from '../../src/server/loop-runner.js';
import { activityText } from '../../src/server/views/model-page.js';
import { startSalesforceFixture, type SalesforceFixture } from '../connectors/salesforce/fixture.js';
import { loopDeps } from '../jobs/loop-deps.js';
import { backends, useStore } from '../store/backends.js';

const CONFIG = { model: { trees: 10 }, loop: { minimumHistory: { closedLeads: 50, conversions: 10 }, minAuc: 0, push: { chunkSize: 40, concurrency: 1 } } };

/**
 * "Retrain now" on Salesforce whose API share runs out during the push: the admin page's
 * activity line says how many scores wait for the next run, counted in the store, instead of
 * ending "N written" as if the push had finished.
 */
describe('the activity line after a push the Salesforce API share held back (sqlite store)', () => {
  const { store } = useStore(backends.find((b) => b.name === 'sqlite')!);
  let fx: SalesforceFixture;
  let normalLimit: number;
  beforeAll(async () => {
    fx = await startSalesforceFixture({ leads: 300, openFraction: 0.5 });
    ({ salesforceDailyLimit: normalLimit } = await fx.control<{ salesforceDailyLimit: number }>('GET', '/options'));
  });
  afterAll(async () => fx?.close());

  /** The org's daily limit set so that leadlift's half of it leaves `requests` after the /limits read. */
  const leaveRoomFor = async (requests: number) => {
    const limits = await fx.jsforce().limits();
    const used = limits.DailyApiRequests.Max - limits.DailyApiRequests.Remaining;
    await fx.control('PATCH', '/options', { salesforceDailyLimit: (used + 1 + requests) * 2 });
  };

  it('"… written, N scores held back for the API budget (waiting in the store …)", N the scores pending in the store', async () => {
    const real = fx.connector({ apiShare: 0.5 });
    // The share runs out once the push begins: sync, training and scoring ran in full, and the
    // push's budget (read from /limits when it starts) has room for one collections call.
    let lowered = false;
    const connector: Connector = {
      ...real,
      pushScores: async (scores) => {
        if (!lowered) {
          lowered = true;
          await leaveRoomFor(1);
        }
        return real.pushScores(scores);
      },
    };
    const base = loopDeps(store(), connector, CONFIG);
    const runner = createLoopRunner({ ...base, connections: crmConnections([connector]), log: () => undefined, busyRetryMs: 50 });
    try {
      expect(runner.startRetrain('salesforce').started).toBe(true);
      await runner.idle();
    } finally {
      await fx.control('PATCH', '/options', { salesforceDailyLimit: normalLimit });
    }
    const a = runner.activity('salesforce');
    expect(a.state, a.message).toBe('done');
    expect(lowered).toBe(true);

    const waiting = (await store().scores.pending('salesforce')).length;
    expect(waiting).toBeGreaterThan(0);
    // The line's number comes from the store's count query (scores.countPending), which must agree with the rows.
    expect(await store().scores.countPending('salesforce')).toBe(waiting);
    const written = Number(/ scored, ([\d,]+) written/.exec(a.message)?.[1].replace(/,/g, ''));
    expect(written).toBeGreaterThan(0);
    expect(a.message).toContain(
      ` written, ${waiting.toLocaleString('en-US')} scores held back for the API budget (waiting in the store; the next run writes them); scored with model `,
    );
    expect(activityText(a)).toMatch(/^Finished .*: .* held back for the API budget \(waiting in the store; the next run writes them\)/);
  });
});
