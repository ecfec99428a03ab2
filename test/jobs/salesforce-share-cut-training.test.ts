import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCycle } from '../../src/jobs/cycle.js';
import { trainIfDue } from '../../src/jobs/train.js';
import { tiersInUse } from '../../src/jobs/tiers-in-use.js';
import { startSalesforceFixture, type SalesforceFixture } from '../connectors/salesforce/fixture.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

/** Outcome pages of 200, so the share below stops the outcome pull a few pages in. */
const PAGES = { queryBatchSize: 200 };

/**
 * A first cycle on an org whose SALESFORCE_API_SHARE stops the outcome pull part-way trained on
 * the outcomes read so far (the first ones in SystemModstamp order, not a sample) and promoted
 * that model as the first one. Training now waits for a sync that reads to the end.
 */
describe.each(backends.filter((b) => b.name === 'sqlite'))('A Salesforce cycle whose sync the API share cut short ($name store)', (backend) => {
  const { store } = useStore(backend);
  let fx: SalesforceFixture;
  let normalLimit: number;
  beforeAll(async () => {
    fx = await startSalesforceFixture({ leads: 1500, openFraction: 0.2 });
    ({ salesforceDailyLimit: normalLimit } = await fx.control<{ salesforceDailyLimit: number }>('GET', '/options'));
  });
  afterAll(async () => fx.close());

  it('does not train on the part read; the next cycle, read to the end, trains the first model', async () => {
    const limits = await fx.jsforce().limits();
    const used = limits.DailyApiRequests.Max - limits.DailyApiRequests.Remaining;
    // Room for the lead pull and a few outcome pages after the checks and the /limits read (share 0.5).
    await fx.control('PATCH', '/options', { salesforceDailyLimit: (used + 3 + 16) * 2 });
    const cut = await runCycle(loopDeps(store(), fx.connector({ ...PAGES, apiShare: 0.5 }))).finally(() =>
      fx.control('PATCH', '/options', { salesforceDailyLimit: normalLimit }),
    );
    if (!cut.ran) throw new Error(cut.reason);
    const first = cut.summary;
    expect(first.sync.cutShort).toContain('outcomes');
    // Enough was read to train on: what stopped the training was the cut, not too short a history.
    expect(first.sync.outcomes).toBeGreaterThanOrEqual(200);
    expect(first.train.trained).toBe(false);
    expect(first.train.reason).toMatch(/^training is due \(no active model\) but waits: this sync stopped at the API share before reading every .*outcomes record/);
    expect(await store().models.active('salesforce')).toBeNull();

    const whole = await runCycle(loopDeps(store(), fx.connector(PAGES)));
    if (!whole.ran) throw new Error(whole.reason);
    expect(whole.summary.sync.cutShort).toBeUndefined();
    expect(whole.summary.train.trained).toBe(true);
    expect(await store().models.active('salesforce')).not.toBeNull();

    // With a model in service, a sync cut at the share leaves only the newest changes unread and a
    // candidate must beat that model: the retrain is not put off (a busy org's nightly one would never run).
    const deps = loopDeps(store(), fx.connector(PAGES));
    const retrain = await trainIfDue(deps, { force: true, tiers: await tiersInUse(store(), deps.config), syncCutShort: ['outcomes'] });
    expect(retrain.trained).toBe(true);
  });
});
