import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCycle } from '../../src/jobs/cycle.js';
import { LEAD_OBJECT, type LoopDeps } from '../../src/jobs/deps.js';
import { inputProperties, neverInputMatcher } from '../../src/jobs/never-inputs.js';
import { pushPendingScores } from '../../src/jobs/push.js';
import { reasonsText } from '../../src/jobs/reasons-text.js';
import { scoreOpenLeads } from '../../src/jobs/score.js';
import { syncFromCrm } from '../../src/jobs/sync.js';
import { tiersInUse } from '../../src/jobs/tiers-in-use.js';
import { tableFromRecords } from '../../src/features/raw-table.js';
import { blendedContributions } from '../../src/model/blend.js';
import { modelFromBundle, type ModelBundle } from '../../src/model/bundle.js';
import { scoreMatrix, type ScoringModel } from '../../src/scoring/score-leads.js';
import { typicalLeadOf } from '../../src/scoring/typical-lead.js';
import { startHubspotFixture, type HubspotFixture } from '../connectors/hubspot/sandbox-fixture.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

/**
 * The loop explains a lead against its open leads' typical lead, stored beside their ranking, so
 * a real-time rescore explains an edited lead against the same leads it is ranked among.
 */

const NOW = Date.parse('2025-03-01T12:00:00Z');

describe.each(backends)('the open leads\' typical lead ($name store)', (backend) => {
  const { store } = useStore(backend);
  let fixture: HubspotFixture;
  beforeAll(async () => {
    fixture = await startHubspotFixture({ leads: 400, hubspotRateLimit: 1000, hubspotSearchRateLimit: 50 });
  });
  afterAll(() => fixture?.close());

  const deps = (scale: 'rank' | 'probability' = 'rank'): LoopDeps => ({
    ...loopDeps(store(), fixture.connector({ rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 } }), {
      loop: { minimumHistory: { closedLeads: 100, conversions: 20 }, retrainAfterHours: 10_000 },
      scoring: { scale },
    }),
    now: () => NOW,
  });

  /** Every open lead's feature matrix, as the scoring pass builds it. */
  async function openMatrix(d: LoopDeps, model: ScoringModel, ids?: string[]) {
    const leads = (await store().records.listOpen('hubspot', LEAD_OBJECT, { limit: 100_000 })).filter((l) => !ids || ids.includes(l.id));
    const isNever = neverInputMatcher(d.config, 'hubspot', d.manifest);
    const inputs = leads.map((l) => inputProperties(l.properties, isNever));
    return { leads, x: model.pipeline.transform(model.pipeline.datasetFrom(tableFromRecords(inputs, 'open leads')), { referenceTime: NOW }) };
  }

  async function rescore(d: LoopDeps) {
    await syncFromCrm(d);
    const tiers = await tiersInUse(d.store, d.config);
    const score = await scoreOpenLeads(d, tiers, { reference: 'stored' });
    await pushPendingScores(d, tiers);
    return score;
  }

  it('a cycle stores the open leads\' mean contributions with their ranking; a real-time rescore reuses them', async () => {
    const d = deps();
    const cycle = await runCycle(d, { forceTrain: true });
    if (!cycle.ran) throw new Error(cycle.reason);
    const active = (await store().models.active('hubspot'))!;
    const model = modelFromBundle(active.bundle as ModelBundle);
    const stored = (await store().scoreReferences.get('hubspot', active.version))!;
    const { x } = await openMatrix(d, model);
    const expected = typicalLeadOf(blendedContributions(model.forest, model.blend, x))!;
    expect(stored.typical).toHaveLength(model.pipeline.defs.length);
    stored.typical!.forEach((m, f) => expect(m).toBeCloseTo(expected[f], 9));

    // Replace the stored typical lead: a rescore must explain against what is stored, not recompute it.
    const planted = stored.typical!.map((m, f) => (f === 0 ? m + 0.05 : m));
    await store().scoreReferences.set('hubspot', { ...stored, typical: planted });
    const [edited] = [...fixture.sandbox.ctx.hidden.hubspot.keys()];
    const res = await fetch(`${fixture.sandbox.url}/crm/v3/objects/contacts/${edited}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${fixture.sandbox.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { job: 'retired', age: '71', balance: '4900' } }),
    });
    expect(res.ok).toBe(true);
    const again = await rescore(d);
    expect(again.reference).toMatchObject({ refreshed: false });
    const one = await openMatrix(d, model, [edited]);
    const [want] = scoreMatrix(model, one.x, { tiers: d.config.tiers, reasons: d.config.reasons, scale: 'rank', reference: stored.quantiles, typical: planted });
    const [unplanted] = scoreMatrix(model, one.x, { tiers: d.config.tiers, reasons: d.config.reasons, scale: 'rank', reference: stored.quantiles, typical: stored.typical! });
    expect(want.reasons!.base).not.toBe(unplanted.reasons!.base);
    const written = (await store().scores.latest('hubspot', [edited])).get(edited)!;
    expect(written.reasons).toBe(reasonsText(want.reasons));
    expect(written.score).toBe(want.score);
  });

  it('a reference stored before its typical lead was kept is recomputed by the next scheduled cycle; the probability scale keeps one too', async () => {
    const d = deps();
    const first = await runCycle(d, { forceTrain: true });
    if (!first.ran) throw new Error(first.reason);
    const active = (await store().models.active('hubspot'))!;
    const stored = (await store().scoreReferences.get('hubspot', active.version))!;
    await store().scoreReferences.set('hubspot', { ...stored, typical: null });
    expect((await store().scoreReferences.get('hubspot', active.version))!.typical).toBeNull();
    const next = await runCycle(d);
    if (!next.ran) throw new Error(next.reason);
    expect(next.summary.score.reference).toMatchObject({ refreshed: true });
    expect((await store().scoreReferences.get('hubspot', active.version))!.typical).toHaveLength(stored.typical!.length);

    await store().db.deleteFrom('score_references').execute();
    const probability = await runCycle(deps('probability'));
    if (!probability.ran) throw new Error(probability.reason);
    expect((await store().scoreReferences.get('hubspot', active.version))!.typical).toHaveLength(stored.typical!.length);
  });
});
