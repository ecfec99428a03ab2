import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cycleTable } from '../../src/cli/cycle-table.js';
import { runCycle, type CycleSummary } from '../../src/jobs/cycle.js';
import { startSalesforceFixture, type SalesforceFixture } from '../connectors/salesforce/fixture.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

/** Fewer trees: these tests are about when training runs and what it compares, not the model. */
const QUICK = { model: { trees: 20 }, loop: { minimumHistory: { closedLeads: 50, conversions: 10 } } };
/** Converted leads are won whatever their opportunity: some lost leads flip to won, and both outcomes remain. */
const CONVERTED_WINS = { outcome: { wonWhen: 'converted' as const } };

const summaryOf = (outcome: Awaited<ReturnType<typeof runCycle>>): CycleSummary => {
  if (!outcome.ran) throw new Error(outcome.reason);
  return outcome.summary;
};

describe.each(backends)('after the outcome rule changes ($name store)', (backend) => {
  const { store } = useStore(backend);
  let fx: SalesforceFixture;
  beforeAll(async () => {
    fx = await startSalesforceFixture({ leads: 600, openFraction: 0.2 });
  });
  afterAll(async () => fx.close());

  it('the next cycle retrains at once and never compares the AUC the model in service had under the old rule; the summary says so', async () => {
    const first = summaryOf(await runCycle(loopDeps(store(), fx.connector(), QUICK)));
    expect(first.train).toMatchObject({ trained: true, promoted: true });
    const before = (await store().models.active('salesforce'))!;
    expect(before.metrics.outcomeRule).toMatchObject({ describe: expect.stringMatching(/SALESFORCE_WON_WHEN=opportunity-won/) });
    expect(summaryOf(await runCycle(loopDeps(store(), fx.connector(), QUICK))).train.trained).toBe(false);

    const changed = summaryOf(await runCycle(loopDeps(store(), fx.connector(CONVERTED_WINS), QUICK)));
    expect(changed.sync.outcomeRule?.now).toMatch(/SALESFORCE_WON_WHEN=converted/);
    expect(changed.train.trained).toBe(true);
    expect(changed.train.reason).toMatch(/^outcome rule changed; /);
    expect(changed.train.activeUnderEarlierRule).toBe(true);
    // No closed lead is newer than the first model: its stored AUC (old outcomes) used to be compared,
    // and scored on the leads it was refitted on it would look far better than it is.
    const comparison = changed.train.comparison!;
    expect(comparison.activeVersion).toBe(before.version);
    expect(comparison.activeAuc).toBeNull();
    expect(comparison.basis).toBe(`model ${before.version} was trained under an earlier outcome rule, so its own AUC does not compare, and it cannot be measured again under the rule now in force: no closed lead is newer than model ${before.version}`);
    expect(changed.train.promoted).toBe(true);
    expect((await store().models.active('salesforce'))!.metrics.outcomeRule).toMatchObject({ describe: expect.stringMatching(/SALESFORCE_WON_WHEN=converted/) });
    const table = cycleTable([changed]).replace(/[│┌┐└┘├┤┼─┬┴\s]+/g, ' ');
    expect(table).toMatch(/Outcome rule changed: every outcome derived again \([\d,]+ closed leads, [\d,]+ changed\); retrained; model \S+ cannot be measured again under the new rule/);
    expect(table).toMatch(/yes, promoted: model \S+ had no AUC to compare with \(model \S+ was trained under an earlier outcome rule/);

    // Once: the training since the change settles it, whether it promoted or not.
    const next = summaryOf(await runCycle(loopDeps(store(), fx.connector(CONVERTED_WINS), QUICK)));
    expect(next.train.trained).toBe(false);
    expect(cycleTable([next])).not.toMatch(/Outcome rule/);
  });
});
