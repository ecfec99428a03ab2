import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCycle } from '../../src/jobs/cycle.js';
import { LEAD_OBJECT, type LoopDeps } from '../../src/jobs/deps.js';
import { inputProperties, neverInputMatcher } from '../../src/jobs/never-inputs.js';
import { pushPendingScores } from '../../src/jobs/push.js';
import { scoreOpenLeads } from '../../src/jobs/score.js';
import { syncFromCrm } from '../../src/jobs/sync.js';
import { tiersInUse } from '../../src/jobs/tiers-in-use.js';
import { tableFromRecords } from '../../src/features/raw-table.js';
import { modelFromBundle, type ModelBundle } from '../../src/model/bundle.js';
import type { ScoringModel } from '../../src/scoring/score-leads.js';
import { populationQuantilesOf } from '../../src/scoring/population-quantiles.js';
import { startHubspotFixture, type HubspotFixture } from '../connectors/hubspot/sandbox-fixture.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

/**
 * The loop judges "low"/"high" against its open leads' quantiles, stored beside their typical
 * lead, so a real-time rescore reads the same words as the cycle did for the same value.
 */

const NOW = Date.parse('2025-03-01T12:00:00Z');

/**
 * 400 closed leads aged 20 to 69, the young converting more; the 100 open ones drifted to ages
 * 25 to 35. 30, their middle age, is below the training lower quartile; 35, their highest, is
 * in the training middle.
 */
function driftedCsv(): string {
  const jobs = ['admin', 'technician', 'services', 'management', 'retired'];
  const lines = ['order,age,job,balance,y'];
  for (let i = 0; i < 500; i++) {
    const age = i < 400 ? 20 + ((i * 7) % 50) : 25 + (i % 11);
    const draw = ((i * 2654435761) >>> 0) % 10;
    const yes = draw < (age < 30 ? 7 : age < 40 ? 3 : 1);
    lines.push(`${i},${age},${jobs[i % jobs.length]},${(i * 379) % 5000},${yes ? 'yes' : 'no'}`);
  }
  return lines.join('\n');
}

describe.each(backends)('the open leads\' quantiles in reasons ($name store)', (backend) => {
  const { store } = useStore(backend);
  let fixture: HubspotFixture;
  beforeAll(async () => {
    fixture = await startHubspotFixture({ csv: { text: driftedCsv(), label: 'y', positive: 'yes', order: 'order' }, hubspotRateLimit: 1000, hubspotSearchRateLimit: 50 });
  });
  afterAll(() => fixture?.close());

  // Every factor listed, so each lead's age reason can be read.
  const deps = (): LoopDeps => ({
    ...loopDeps(store(), fixture.connector({ rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 } }), {
      loop: { minimumHistory: { closedLeads: 100, conversions: 20 }, retrainAfterHours: 10_000 },
      reasons: { for: 10, against: 10 },
    }),
    now: () => NOW,
  });

  async function openLeads() {
    return store().records.listOpen('hubspot', LEAD_OBJECT, { limit: 100_000 });
  }

  async function openMatrix(d: LoopDeps, model: ScoringModel) {
    const isNever = neverInputMatcher(d.config, 'hubspot', d.manifest);
    const inputs = (await openLeads()).map((l) => inputProperties(l.properties, isNever));
    return model.pipeline.transform(model.pipeline.datasetFrom(tableFromRecords(inputs, 'open leads')), { referenceTime: NOW });
  }

  /** The written age reason of each lead, without its points ("Age is 30"). */
  async function ageWords(ids: string[], ageLabel: string): Promise<Map<string, string>> {
    const latest = await store().scores.latest('hubspot', ids);
    const out = new Map<string, string>();
    for (const id of ids) {
      const line = latest.get(id)?.reasons.split('\n').find((l) => l.replace(/^[+-]?\d+ /, '').startsWith(`${ageLabel} is `));
      if (line) out.set(id, line.replace(/^[+-]?\d+ /, ''));
    }
    return out;
  }

  async function edit(id: string, properties: Record<string, string>) {
    const res = await fetch(`${fixture.sandbox.url}/crm/v3/objects/contacts/${id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${fixture.sandbox.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ properties }),
    });
    expect(res.ok).toBe(true);
  }

  async function rescore(d: LoopDeps) {
    await syncFromCrm(d);
    const tiers = await tiersInUse(d.store, d.config);
    const score = await scoreOpenLeads(d, tiers, { reference: 'stored' });
    await pushPendingScores(d, tiers);
    return score;
  }

  async function activeModel() {
    const active = (await store().models.active('hubspot'))!;
    const model = modelFromBundle(active.bundle as ModelBundle);
    const age = model.pipeline.defs.findIndex((f) => f.source === 'age');
    return { active, model, age, label: model.pipeline.stats(age).sourceLabel };
  }

  it('a cycle stores the open leads\' quantiles and words by them; a real-time rescore reads the same words for the same value', async () => {
    const d = deps();
    const cycle = await runCycle(d, { forceTrain: true });
    if (!cycle.ran) throw new Error(cycle.reason);
    const { active, model, age, label } = await activeModel();
    const stored = (await store().scoreReferences.get('hubspot', active.version))!;
    expect(stored.populationQuantiles).toEqual(populationQuantilesOf(await openMatrix(d, model)));

    // The known answer, from the cycle: 30 (the open leads' middle age) reads no word, where the
    // training leads call it low; 35 reads high, where the training leads say nothing.
    expect(model.pipeline.describe(age, 30)).toBe(`${label} is low (30)`);
    expect(model.pipeline.describe(age, 35)).toBe(`${label} is 35`);
    const leads = await openLeads();
    const ageOf = new Map(leads.map((l) => [l.id, l.properties.age]));
    const cycleWords = await ageWords(leads.map((l) => l.id), label);
    const wordsAt = (value: string) => new Set([...cycleWords].filter(([id]) => ageOf.get(id) === value).map(([, w]) => w));
    expect(wordsAt('30')).toEqual(new Set([`${label} is 30`]));
    expect(wordsAt('35')).toEqual(new Set([`${label} is high (35)`]));

    // Two leads edited to those ages and rescored on their own read as the cycle's leads did.
    const [a, b] = leads.filter((l) => l.properties.age !== '30' && l.properties.age !== '35').map((l) => l.id);
    await edit(a, { age: '30' });
    await edit(b, { age: '35' });
    const again = await rescore(d);
    expect(again.reference).toMatchObject({ refreshed: false });
    const rescored = await ageWords([a, b], label);
    expect(rescored.get(a)).toBe(`${label} is 30`);
    expect(rescored.get(b)).toBe(`${label} is high (35)`);

    // What it reads is the stored population's, not one recomputed from the leads that changed.
    const planted = stored.populationQuantiles!.map((q, f) => (f === age ? q.map(() => 30) : q));
    await store().scoreReferences.set('hubspot', { ...stored, populationQuantiles: planted });
    await edit(a, { age: '35' });
    await rescore(d);
    expect((await ageWords([a], label)).get(a)).toBe(`${label} is high (35)`);
    await edit(b, { age: '29' });
    await rescore(d);
    expect((await ageWords([b], label)).get(b)).toBe(`${label} is low (29)`);
    const plantedAgain = planted.map((q, f) => (f === age ? q.map(() => 20) : q));
    await store().scoreReferences.set('hubspot', { ...stored, populationQuantiles: plantedAgain });
    await edit(b, { age: '30' });
    await rescore(d);
    // Every stored quantile at 20 puts 30 above them all: high, where the open leads' own say nothing.
    expect((await ageWords([b], label)).get(b)).toBe(`${label} is high (30)`);
  });

  it('a reference stored before its quantiles were kept still loads: rescores word by the training quantiles until the next scheduled cycle stores them', async () => {
    const d = deps();
    const first = await runCycle(d, { forceTrain: true });
    if (!first.ran) throw new Error(first.reason);
    const { active, label } = await activeModel();
    const stored = (await store().scoreReferences.get('hubspot', active.version))!;
    await store().scoreReferences.set('hubspot', { ...stored, populationQuantiles: null });
    expect((await store().scoreReferences.get('hubspot', active.version))!.populationQuantiles).toBeNull();

    const [lead] = (await openLeads()).filter((l) => l.properties.age !== '30').map((l) => l.id);
    await edit(lead, { age: '30' });
    const rescored = await rescore(d);
    expect(rescored.reference).toMatchObject({ refreshed: false });
    expect((await ageWords([lead], label)).get(lead)).toBe(`${label} is low (30)`);

    const next = await runCycle(d);
    if (!next.ran) throw new Error(next.reason);
    expect(next.summary.score.reference).toMatchObject({ refreshed: true });
    expect((await store().scoreReferences.get('hubspot', active.version))!.populationQuantiles).toHaveLength(stored.populationQuantiles!.length);
    expect((await ageWords([lead], label)).get(lead)).toBe(`${label} is 30`);
  });
});
