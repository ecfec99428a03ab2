import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScoreWrite } from '../../connectors/types.js';
import type { ModelPageData } from '../../src/server/model-page-data.js';
import { modelJudgement, modelWarnings } from '../../src/server/model-warnings.js';
import { recentConversionByTier } from '../../src/server/recent-conversion.js';
import { openStore, type Store } from '../../src/store/store.js';

const NOW = Date.parse('2025-03-01T00:00:00.000Z');
const day = (d: number) => new Date(NOW - d * 86_400_000).toISOString();

/** `leads` leads scored in `tier` at `score` and probability `p`, `won` of them converted ten days later. */
function closedTier(from: number, tier: string, score: number, p: number, leads: number, won: number) {
  const scores: ScoreWrite[] = [];
  const outcomes = [];
  for (let i = 0; i < leads; i++) {
    const leadId = String(from + i);
    scores.push({ leadId, score, tier, probability: p, reasons: '', trend: 'steady', modelVersion: 'v1', scoredAt: day(20) });
    outcomes.push({ crm: 'hubspot' as const, leadId, outcome: i < won ? ('won' as const) : ('lost' as const), outcomeAt: day(10), evidence: 'test' });
  }
  return { scores, outcomes };
}

describe('the recent leads table', () => {
  let store: Store;
  let home: string;
  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'leadlift-recent-'));
    store = await openStore({ home, databaseUrl: '' });
    // Hot converts less than Warm: by conversion rate Warm would come first and hide it.
    const parts = [closedTier(1, 'Hot', 90, 0.3, 40, 8), closedTier(100, 'Warm', 60, 0.2, 50, 15), closedTier(200, 'Cold', 10, 0.05, 60, 3), closedTier(300, 'Lukewarm', 40, 0.1, 10, 1), closedTier(400, 'Scorching', 95, 0.4, 5, 1)];
    await store.scores.insert('hubspot', parts.flatMap((p) => p.scores));
    await store.outcomes.upsert('hubspot', parts.flatMap((p) => p.outcomes));
  });
  afterAll(async () => {
    await store?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it("lists today's tiers in the managers' order, then tier names no longer in use, highest score first", async () => {
    const recent = await recentConversionByTier(store, 'hubspot', ['Hot', 'Warm', 'Cool', 'Cold'], NOW);
    expect(recent.tiers.map((t) => [t.tier, t.current])).toEqual([['Hot', true], ['Warm', true], ['Cold', true], ['Scorching', false], ['Lukewarm', false]]);
    expect(recent.tiers[0]).toMatchObject({ leads: 40, won: 8, conversionRate: 0.2 });
    expect(recent.tiers[0].meanProbability).toBeCloseTo(0.3, 6);
    // Every closed lead, with the probability it was written with, as training measures its leads.
    expect(recent.overall).toMatchObject({ leads: 165, won: 28 });
    expect(recent.overall!.meanProbability).toBeCloseTo((40 * 0.3 + 50 * 0.2 + 60 * 0.05 + 10 * 0.1 + 5 * 0.4) / 165, 6);
    expect(recent.overall!.auc).toBeGreaterThan(0.5);
    expect(recent.overall!.ece).toBeGreaterThan(0);
  });

  it('lets the tier-order warning point at an inversion among the served scores', async () => {
    const recent = await recentConversionByTier(store, 'hubspot', ['Hot', 'Warm', 'Cool', 'Cold'], NOW);
    const order = modelWarnings(page({ recent }), null).find((w) => w.id === 'tiers-out-of-order');
    expect(order?.title).toBe('Tiers out of order on the scores reps saw: Hot converted 20.0% of 40 leads, Warm 30.0% of 50 leads, among 165 leads the model in service scored before they closed (last 90 days).');
  });
});

/** The model page's data with a measuring fit that ranks weakly, inverts Hot and Warm and is miscalibrated. */
function page(changes: Partial<ModelPageData> = {}): ModelPageData {
  return {
    crm: 'hubspot',
    active: { crm: 'hubspot', version: 'v1', engine: 'forest', trainedFrom: '2024-01-01', trainedTo: '2024-06-30', metrics: {}, createdAt: '2024-07-01', status: 'active', promotedAt: '2024-07-01' },
    evaluation: {
      auc: 0.569,
      ece: 0.079,
      tiers: [
        { tier: 'Hot', leads: 1351, conversionRate: 0.144 },
        { tier: 'Warm', leads: 1977, conversionRate: 0.155 },
      ],
    },
    curves: null,
    topFactors: [],
    models: [],
    measured: { leads: 3000, closedLeads: 9000, trainLeads: 6000, createdFrom: null, createdTo: null, positiveRate: 0.127, meanPredicted: 0.048 },
    inService: { version: 'v1', openLeads: 8000, mean: 0.11, min: 0.01, max: 0.6 },
    recent: { days: 90, tiers: [] },
    ...changes,
  } as ModelPageData;
}
const tier = (name: string, leads: number, conversionRate: number, meanProbability: number, current = true) => ({ tier: name, leads, won: Math.round(leads * conversionRate), conversionRate, meanProbability, current });

describe('closed-loop evidence against the figures at training', () => {
  it('words the measuring fit’s findings as at training while too few served scores have closed', () => {
    const { warnings, notes } = modelJudgement(page({ recent: { days: 90, tiers: [tier('Hot', 50, 0.3, 0.3), tier('Warm', 10, 0.1, 0.1)] } }), null);
    expect(warnings.map((w) => w.id)).toEqual(['weak-ranking', 'tiers-out-of-order', 'miscalibrated']);
    for (const w of warnings) expect(w.title).toMatch(/^At training, .* on the newest 3,000 closed leads.*, by the measuring fit, which learnt from older leads only; the model in service was refitted on all of them\.$/);
    expect(warnings[2].meaning).not.toContain('not a reliable chance');
    expect(warnings[2].meaning).toContain('These are not the probabilities in the CRM');
    expect(notes).toEqual([]);
  });

  it('drops the tier-order and calibration warnings when the served scores converted in order and as written, and says so in notes', () => {
    const recent = { days: 90, tiers: [tier('Hot', 400, 0.3, 0.29), tier('Warm', 900, 0.15, 0.16), tier('Cold', 2000, 0.04, 0.045), tier('Old name', 12, 0.9, 0.1, false)] };
    const { warnings, notes } = modelJudgement(page({ recent }), null);
    expect(warnings.map((w) => w.id)).toEqual(['weak-ranking']);
    expect(warnings[0].meaning).toContain('converted in tier order');
    expect(notes.map((n) => n.id)).toEqual(['tiers-in-order-since', 'calibrated-since']);
    expect(notes[0].text).toContain("At training the measuring fit's tiers were out of order on the newest 3,000 closed leads (Hot converted 14.4% of 1,351 leads, Warm 15.5% of 1,977 leads); the 3,300 leads the model in service scored before they closed (last 90 days) converted in tier order");
    expect(notes[1].text).toContain('predicted 4.8% on average, 12.7% converted');
  });

  it('warns on the served scores when their own outcomes show the problem, whatever training measured', () => {
    const good = { auc: 0.8, ece: 0.01, tiers: [] };
    const recent = { days: 90, tiers: [tier('Hot', 100, 0.1, 0.5), tier('Warm', 100, 0.2, 0.3), tier('Cold', 100, 0.05, 0.2)] };
    const { warnings, notes } = modelJudgement(page({ evaluation: good, measured: null, recent }), null);
    expect(warnings.map((w) => w.id)).toEqual(['tiers-out-of-order', 'miscalibrated']);
    expect(warnings[1].title).toBe('Calibration off on the probabilities reps saw: the model in service wrote 33.3% on average, 11.7% converted (calibration error 0.217), among 300 leads the model in service scored before they closed (last 90 days).');
    expect(notes).toEqual([]);
  });

  it('judges the ranking on the served scores once enough have closed: a weak AUC at training becomes a note when they ranked well, and a weak served AUC is warned of', () => {
    const tiers = [tier('Hot', 400, 0.3, 0.29), tier('Warm', 900, 0.15, 0.16), tier('Cold', 2000, 0.04, 0.045)];
    const overall = (auc: number) => ({ leads: 3300, won: 335, meanProbability: 0.1, auc, ece: 0.01 });
    const good = modelJudgement(page({ recent: { days: 90, tiers, overall: overall(0.752) } }), null);
    expect(good.warnings).toEqual([]);
    expect(good.notes.map((n) => n.id)).toEqual(['ranked-well-since', 'tiers-in-order-since', 'calibrated-since']);
    expect(good.notes[0].text).toBe('At training the measuring fit ranked the newest 3,000 closed leads weakly (AUC 0.569); the model in service ranked the 3,300 leads it scored before they closed (last 90 days) at AUC 0.752.');
    const weak = modelJudgement(page({ evaluation: { auc: 0.8, ece: 0.01 }, measured: null, recent: { days: 90, tiers, overall: overall(0.55) } }), null);
    expect(weak.warnings.map((w) => w.id)).toEqual(['weak-ranking']);
    expect(weak.warnings[0].title).toBe('Weak ranking on the scores reps saw: AUC 0.550 among 3,300 leads the model in service scored before they closed (last 90 days) (0.5 is random order, below 0.6 is weak).');
  });

  it('names only actions the page offers: no rollback advice when no earlier model can be rolled back to', () => {
    const [weak] = modelWarnings(page(), null);
    expect(weak.action).not.toMatch(/roll back/i);
    const withEarlier = page({ models: [{ canRollBack: true }] as ModelPageData['models'] });
    expect(modelWarnings(withEarlier, null)[0].action).toMatch(/roll back/);
  });
});
