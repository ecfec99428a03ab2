import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCycle } from '../../src/jobs/cycle.js';
import type { LoopDeps } from '../../src/jobs/deps.js';
import { pushPendingScores } from '../../src/jobs/push.js';
import { scoreOpenLeads } from '../../src/jobs/score.js';
import { syncFromCrm } from '../../src/jobs/sync.js';
import { TIERS_SETTING, tiersInUse } from '../../src/jobs/tiers-in-use.js';
import { startHubspotFixture, type HubspotFixture } from '../connectors/hubspot/sandbox-fixture.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

const RULES = [
  { name: 'Call today', perDay: 5 },
  { name: 'Warm', min: 50 },
  { name: 'Cold', min: 0 },
];

/** loop-runner's real-time rescore: sync, score against the stored ranking and cut-offs, push. */
async function rescore(deps: LoopDeps) {
  await syncFromCrm(deps);
  const tiers = await tiersInUse(deps.store, deps.config);
  await scoreOpenLeads(deps, tiers, { reference: 'stored' });
  await pushPendingScores(deps, tiers);
}

describe.each(backends)('a "top N leads a day" tier ($name store)', (backend) => {
  const { store } = useStore(backend);
  let fixture: HubspotFixture;
  let hubspot: Client;
  beforeAll(async () => {
    fixture = await startHubspotFixture({ leads: 400, hubspotRateLimit: 1000, hubspotSearchRateLimit: 50 });
    hubspot = new Client({ accessToken: fixture.sandbox.token, basePath: fixture.sandbox.url, numberOfApiCallRetries: 0 });
  });
  afterAll(() => fixture?.close());

  // Leads the first test closes stay in the sandbox's hidden outcomes; they are not open any more.
  const closed = new Set<string>();
  const open = () => [...fixture.sandbox.ctx.hidden.hubspot.keys()].filter((id) => !closed.has(id));
  const crmTiers = async (ids: string[]) => {
    const read = await hubspot.crm.contacts.batchApi.read({ inputs: ids.map((id) => ({ id })), properties: ['leadlift_tier'], propertiesWithHistory: [] });
    return new Map(read.results.map((r) => [r.id, r.properties.leadlift_tier]));
  };
  const bestFirst = async (ids: string[]) => {
    const latest = await store().scores.latest('hubspot', ids);
    return [...latest.values()].sort((a, b) => b.probability - a.probability || (a.leadId < b.leadId ? -1 : 1));
  };

  it('holds exactly the N best open leads at each cycle, in the store and the CRM, and the cut-off follows the open leads', async () => {
    await store().settings.set(TIERS_SETTING, RULES, 'manager@example.com');
    expect(await tiersInUse(store(), loopDeps(store(), fixture.connector()).config)).toEqual(RULES);
    const deps = loopDeps(store(), fixture.connector({ rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 } }), { loop: { minimumHistory: { closedLeads: 100, conversions: 20 } } });
    const first = await runCycle(deps);
    if (!first.ran) throw new Error(first.reason);

    const ranked = await bestFirst(open());
    expect(ranked).toHaveLength(open().length);
    const top = ranked.slice(0, 5).map((s) => s.leadId);
    expect(ranked.filter((s) => s.tier === 'Call today').map((s) => s.leadId)).toEqual(top);
    const shown = await crmTiers(open());
    expect(open().filter((id) => shown.get(id) === 'Call today').sort()).toEqual([...top].sort());
    const cut = (await store().tierCutoffs.get('hubspot', first.summary.model!.version, RULES))!;
    expect(cut.cutoffs[0]).toEqual({ name: 'Call today', min: ranked[4].score, probability: ranked[4].probability, leads: 5 });

    // Reps close today's five and half the rest: fewer open leads, so the next five rank lower.
    const closing = [...top, ...ranked.slice(-Math.floor(ranked.length / 2)).map((s) => s.leadId)];
    for (const id of closing) {
      await hubspot.crm.contacts.basicApi.update(id, { properties: { lifecyclestage: 'customer' } });
      closed.add(id);
    }
    const second = await runCycle(deps);
    if (!second.ran) throw new Error(second.reason);
    const stillOpen = open();
    expect(second.summary.score.scored).toBe(stillOpen.length);
    const after = await bestFirst(stillOpen);
    expect(after.filter((s) => s.tier === 'Call today').map((s) => s.leadId)).toEqual(after.slice(0, 5).map((s) => s.leadId));
    const shownAfter = await crmTiers(stillOpen);
    expect(stillOpen.filter((id) => shownAfter.get(id) === 'Call today')).toHaveLength(5);
    const cutAfter = (await store().tierCutoffs.get('hubspot', second.summary.model!.version, RULES))!;
    expect(cutAfter.cutoffs[0]).toMatchObject({ leads: 5, min: after[4].score });
    expect(cutAfter.cutoffs[0].min!).toBeLessThan(cut.cutoffs[0].min!);
  });

  it('a real-time rescore lifts a changed lead into the tier by the last cycle cut-off and moves no other lead', async () => {
    await store().settings.set(TIERS_SETTING, RULES, 'manager@example.com');
    const deps = loopDeps(store(), fixture.connector({ rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 } }), { loop: { minimumHistory: { closedLeads: 100, conversions: 20 } } });
    const cycle = await runCycle(deps);
    if (!cycle.ran) throw new Error(cycle.reason);
    const ids = open();
    const before = await store().scores.latest('hubspot', ids);
    const cutBefore = (await store().tierCutoffs.get('hubspot', cycle.summary.model!.version, RULES))!;
    const cut = cutBefore.cutoffs[0].probability!;

    // The lead just below the cut-off takes on every input of the best open lead: it now scores as
    // that lead does, above the cut-off.
    const ranked = await bestFirst(ids);
    const [best, edited] = [ranked[0].leadId, ranked[5].leadId];
    expect(before.get(edited)!.tier).not.toBe('Call today');
    expect(before.get(edited)!.probability).toBeLessThan(cut);
    const INPUTS = ['age', 'job', 'balance'];
    const bestInputs = (await hubspot.crm.contacts.basicApi.getById(best, INPUTS)).properties;
    await hubspot.crm.contacts.basicApi.update(edited, { properties: Object.fromEntries(INPUTS.map((p) => [p, bestInputs[p]!])) });
    const rowsBefore = (await store().scores.history('hubspot', edited)).length;
    await rescore(deps);

    const after = await store().scores.latest('hubspot', ids);
    const mine = after.get(edited)!;
    expect((await store().scores.history('hubspot', edited)).length, 'a new score row for the edited lead').toBe(rowsBefore + 1);
    expect(mine.scoredAt > before.get(edited)!.scoredAt).toBe(true);
    expect(mine.probability).toBeGreaterThanOrEqual(cut);
    expect(mine.tier).toBe('Call today');
    // The old five keep their tier: six in it until the next cycle re-ranks.
    for (const { leadId } of ranked.slice(0, 5)) expect(after.get(leadId)!.tier, `lead ${leadId}`).toBe('Call today');
    for (const id of ids.filter((i) => i !== edited)) expect(after.get(id)!.tier, `lead ${id}`).toBe(before.get(id)!.tier);
    expect([...after.values()].filter((x) => x.tier === 'Call today')).toHaveLength(6);
    expect((await crmTiers([edited])).get(edited)).toBe('Call today');
    // Not re-ranked: the cut-off is still the cycle's.
    expect(await store().tierCutoffs.get('hubspot', cycle.summary.model!.version, RULES)).toEqual(cutBefore);
  });
});
