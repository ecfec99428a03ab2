import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cycleTable } from '../../src/cli/cycle-table.js';
import { trendOf } from '../../src/scoring/trend.js';
import { runCycle } from '../../src/jobs/cycle.js';
import type { LoopDeps } from '../../src/jobs/deps.js';
import { pushPendingScores } from '../../src/jobs/push.js';
import { scoreOpenLeads } from '../../src/jobs/score.js';
import { syncFromCrm } from '../../src/jobs/sync.js';
import { tiersInUse } from '../../src/jobs/tiers-in-use.js';
import { modelFromBundle, type ModelBundle } from '../../src/model/bundle.js';
import { rankScale } from '../../src/scoring/score-scale.js';
import { startHubspotFixture, type HubspotFixture } from '../connectors/hubspot/sandbox-fixture.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

/** What the server does on a webhook or a Salesforce poll (loop-runner's rescore): sync, score with the stored ranking, push. */
async function rescore(deps: LoopDeps) {
  await syncFromCrm(deps);
  const tiers = await tiersInUse(deps.store, deps.config);
  const score = await scoreOpenLeads(deps, tiers, { reference: 'stored' });
  await pushPendingScores(deps, tiers);
  return score;
}

describe.each(backends)('scoring open leads ($name store)', (backend) => {
  const { store } = useStore(backend);
  let fixture: HubspotFixture;
  beforeAll(async () => {
    fixture = await startHubspotFixture({ leads: 400, hubspotRateLimit: 1000, hubspotSearchRateLimit: 50 });
  });
  afterAll(() => fixture?.close());

  it('rescoring stores a new score and snapshot only for leads that changed, with the trend against the previous score', async () => {
    const deps = loopDeps(store(), fixture.connector({ rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 } }), { loop: { minimumHistory: { closedLeads: 100, conversions: 20 } } });
    const first = await runCycle(deps);
    if (!first.ran) throw new Error(first.reason);
    const open = [...fixture.sandbox.ctx.hidden.hubspot.keys()];
    expect(first.summary.score.scored).toBe(open.length);
    // Our own writes touched every open contact; the next cycle reads them back and, with the
    // same scores and the trends they were written with, writes nothing.
    const scoreRows = () => Promise.all(open.map(async (id) => (await store().scores.history('hubspot', id)).length));
    const rowsAfterFirst = await scoreRows();
    expect(first.summary.sync).toMatchObject({ leads: fixture.seed.length, leadsChanged: fixture.seed.length });
    const readBack = await runCycle(deps);
    if (!readBack.ran) throw new Error(readBack.reason);
    expect(readBack.summary.push.written).toBe(0);
    // Every lead written was read back, and none of them changed, so none was scored anew.
    expect(readBack.summary.sync).toMatchObject({ leads: first.summary.push.written, leadsChanged: 0 });
    expect(cycleTable([readBack.summary])).toMatch(new RegExp(`Leads synced +│ ${first.summary.push.written.toLocaleString('en-US')} read, 0 changed`));
    const rowsBefore = await scoreRows();
    expect(rowsBefore).toEqual(rowsAfterFirst);

    // A rep edits one lead.
    const [edited] = open;
    const res = await fetch(`${fixture.sandbox.url}/crm/v3/objects/contacts/${edited}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${fixture.sandbox.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { job: 'retired', age: '71', balance: '4900' } }),
    });
    expect(res.ok).toBe(true);
    // The real-time rescore ranks the edited lead among all open leads with the stored ranking, so
    // no other lead moves. (A scheduled cycle refreshes the ranking and may shift some by a point.)
    const again = await rescore(deps);
    expect(again.reference).toMatchObject({ leads: open.length, refreshed: false });

    const rowsAfter = await Promise.all(open.map(async (id) => (await store().scores.history('hubspot', id)).length));
    open.forEach((id, i) => expect(rowsAfter[i] - rowsBefore[i], `new score rows for lead ${id}`).toBe(id === edited ? 1 : 0));
    const [latest, previous] = await store().scores.history('hubspot', edited, 2);
    const expectedTrend = previous.score === latest.score ? previous.trend : (trendOf(previous.score, latest.score, deps.config.trend.threshold) ?? 'new');
    expect(latest.trend).toBe(expectedTrend);
    const snapshot = await store().snapshots.latestBefore('hubspot', edited, new Date(Date.parse(latest.scoredAt) + 1).toISOString());
    expect(snapshot?.properties).toMatchObject({ job: 'retired', age: '71', balance: '4900' });
    // The snapshot keeps what the model may read: no stage, status or own score fields.
    expect(Object.keys(snapshot!.properties).filter((k) => /^(lifecyclestage|hs_lead_status|leadlift_)/.test(k))).toEqual([]);
  });

  it('ranks open leads among themselves, stores that ranking for the active model, and a rescore reuses it', async () => {
    const deps = loopDeps(store(), fixture.connector({ rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 } }), { loop: { minimumHistory: { closedLeads: 100, conversions: 20 } } });
    const cycle = await runCycle(deps);
    if (!cycle.ran) throw new Error(cycle.reason);
    const active = await store().models.active('hubspot');
    const open = [...fixture.sandbox.ctx.hidden.hubspot.keys()];
    const stored = await store().scoreReferences.get('hubspot', active!.version);
    expect(stored).not.toBeNull();
    expect(stored!.leads).toBe(open.length);
    expect(stored!.quantiles).toHaveLength(Math.min(open.length, 1001));
    expect(stored!.quantiles).toEqual([...stored!.quantiles].sort((a, b) => a - b));
    expect(await store().scoreReferences.get('hubspot', 'some-other-version')).toBeNull();

    // Every open lead's score is its standing in that stored population, so the tiers split the pipeline.
    const scale = rankScale(stored!.quantiles);
    const latest = await store().scores.latest('hubspot', open);
    for (const id of open) expect(latest.get(id)!.score, `lead ${id}`).toBe(scale.score(latest.get(id)!.probability));
    const hot = open.filter((id) => latest.get(id)!.tier === 'Hot').length / open.length;
    const cold = open.filter((id) => latest.get(id)!.tier === 'Cold').length / open.length;
    expect(hot).toBeGreaterThan(0.1);
    expect(hot).toBeLessThan(0.3);
    expect(cold).toBeGreaterThan(0.1);
    expect(cold).toBeLessThan(0.3);
    // Not the calibration slice of the model: that population is a different one.
    expect(stored!.quantiles).not.toEqual(modelFromBundle(active!.bundle as ModelBundle).reference);

    // A rep touches one lead without changing what the model reads (no lead had a job title when it
    // trained): rescored on its own, it keeps exactly the score the batch gave it.
    const [touched] = open;
    const before = latest.get(touched)!;
    const res = await fetch(`${fixture.sandbox.url}/crm/v3/objects/contacts/${touched}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${fixture.sandbox.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { jobtitle: 'Buyer' } }),
    });
    expect(res.ok).toBe(true);
    const result = await rescore(deps);
    expect(result.reference).toEqual({ leads: open.length, refreshed: false });
    const after = (await store().scores.latest('hubspot', [touched])).get(touched)!;
    expect(after.scoredAt > before.scoredAt).toBe(true);
    expect(after.score).toBe(before.score);
    expect(after.probability).toBe(before.probability);
  });
});
