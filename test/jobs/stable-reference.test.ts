import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCycle, type CycleSummary } from '../../src/jobs/cycle.js';
import type { LoopDeps } from '../../src/jobs/deps.js';
import { startSalesforceFixture, type SalesforceFixture } from '../connectors/salesforce/fixture.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

/**
 * The rank reference stays put between scheduled cycles (scoring.referenceMaxAgeHours): a rep's
 * lead keeps its score while nothing happens to it, and only the lead that was edited is rewritten.
 */

const FIELDS = ['Lead_Score__c', 'Lead_Score_Tier__c', 'Lead_Score_Reasons__c', 'Lead_Score_Probability__c', 'Lead_Score_Trend__c', 'Lead_Score_Model__c'];
const HOUR = 3_600_000;

describe('the rank reference between cycles (sqlite store, Salesforce sandbox)', () => {
  const { store } = useStore(backends.find((b) => b.name === 'sqlite')!);
  let fixture: SalesforceFixture;
  beforeAll(async () => {
    fixture = await startSalesforceFixture({ leads: 400 });
  });
  afterAll(() => fixture?.close());
  // The shared helper empties the other tables between tests; these two hold the stored ranking.
  beforeEach(async () => {
    await store().db.deleteFrom('score_references').execute();
    await store().db.deleteFrom('tier_cutoffs').execute();
  });

  // Training is never due on its own here, so only the reference's age or the model changes it.
  function deps(offsetHours: () => number, scoring: Record<string, unknown> = {}): LoopDeps {
    return {
      ...loopDeps(store(), fixture.connector(), { loop: { minimumHistory: { closedLeads: 100, conversions: 20 }, retrainAfterHours: 10_000 }, scoring }),
      now: () => Date.now() + offsetHours() * HOUR,
    };
  }

  async function cycle(d: LoopDeps): Promise<CycleSummary> {
    const outcome = await runCycle(d);
    if (!outcome.ran) throw new Error(outcome.reason);
    return outcome.summary;
  }

  const openIds = () => [...fixture.sandbox.ctx.hidden.salesforce.keys()];

  async function shown(ids: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < ids.length; i += 200) {
      const res = await fixture.jsforce().query<Record<string, unknown>>(`SELECT Id, ${FIELDS.join(', ')} FROM Lead WHERE Id IN ('${ids.slice(i, i + 200).join("','")}')`);
      for (const r of res.records) out.set(r.Id as string, JSON.stringify(FIELDS.map((f) => r[f])));
    }
    return out;
  }

  async function stored(ids: string[]): Promise<Map<string, string>> {
    const latest = await store().scores.latest('salesforce', ids);
    return new Map(ids.map((id) => {
      const s = latest.get(id)!;
      return [id, JSON.stringify([s.score, s.tier, s.reasons, s.probability, s.trend, s.modelVersion, s.scoredAt])];
    }));
  }

  it('a cycle after one lead was edited rewrites that lead only; past referenceMaxAgeHours the reference is recomputed', async () => {
    let offset = 0;
    const d = deps(() => offset);
    const first = await cycle(d);
    expect(first.score.reference).toMatchObject({ refreshed: true });
    await cycle(d); // reads our own writes back
    const open = openIds();
    const inStoreBefore = await stored(open);
    const inCrmBefore = await shown(open);

    const [edited] = open;
    await fixture.jsforce().sobject('Lead').update({ Id: edited, age__c: 71, job__c: 'retired', balance__c: 4900 });
    offset = 1;
    const next = await cycle(d);
    expect(next.score.reference).toEqual({ leads: open.length, refreshed: false });
    expect(next.push.written).toBeLessThanOrEqual(1);

    const inStoreAfter = await stored(open);
    const inCrmAfter = await shown(open);
    for (const id of open) {
      if (id === edited) continue;
      expect(inStoreAfter.get(id), `lead ${id} in the store`).toBe(inStoreBefore.get(id));
      expect(inCrmAfter.get(id), `lead ${id} in Salesforce`).toBe(inCrmBefore.get(id));
    }
    expect(inStoreAfter.get(edited)).not.toBe(inStoreBefore.get(edited));

    offset = 25;
    const later = await cycle(d);
    expect(later.score.reference).toEqual({ leads: open.length, refreshed: true });
    const reference = await store().scoreReferences.get('salesforce', later.model!.version);
    expect(Date.parse(reference!.at)).toBeGreaterThan(Date.now() + 24 * HOUR);
  });

  it('a newly promoted model gets its own reference at once; with referenceMaxAgeHours null every cycle recomputes it', async () => {
    const d = deps(() => 0);
    const first = await cycle(d);
    const active = (await store().models.active('salesforce'))!;
    const { bundle, crm, engine, trainedFrom, trainedTo, metrics } = active;
    await store().models.save({ crm, version: `${active.version}-next`, engine, trainedFrom, trainedTo, metrics, bundle });
    await store().models.promote('salesforce', `${active.version}-next`);
    const promoted = await cycle(d);
    expect(first.score.reference).toMatchObject({ refreshed: true });
    expect(promoted.score.reference).toMatchObject({ refreshed: true });
    expect(await store().scoreReferences.get('salesforce', `${active.version}-next`)).not.toBeNull();
    expect((await cycle(d)).score.reference).toMatchObject({ refreshed: false });

    const everyCycle = deps(() => 0, { referenceMaxAgeHours: null });
    expect((await cycle(everyCycle)).score.reference).toMatchObject({ refreshed: true });
    expect((await cycle(everyCycle)).score.reference).toMatchObject({ refreshed: true });
  });
});
