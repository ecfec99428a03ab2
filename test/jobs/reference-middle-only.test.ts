import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCycle } from '../../src/jobs/cycle.js';
import { LEAD_OBJECT } from '../../src/jobs/deps.js';
import { inputProperties, neverInputMatcher } from '../../src/jobs/never-inputs.js';
import { everyOpenLeadTypical } from '../../src/jobs/open-leads-typical.js';
import { tableFromRecords } from '../../src/features/raw-table.js';
import { blendedContributions } from '../../src/model/blend.js';
import { modelFromBundle, type ModelBundle } from '../../src/model/bundle.js';
import { typicalLeadOf } from '../../src/scoring/typical-lead.js';
import type { Store } from '../../src/store/store.js';
import { startHubspotFixture, type HubspotFixture } from '../connectors/hubspot/sandbox-fixture.js';
import { backends, type TestDatabase } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

/**
 * The reference pass explains only the open leads of the middle fifth (and a margin) for their
 * typical lead, once every open lead's probability is known; the numbers stored are exactly those
 * of every open lead's contributions.
 */

const NOW = Date.parse('2025-03-01T12:00:00Z');
const OVERRIDES = { model: { trees: 15 }, loop: { minimumHistory: { closedLeads: 100, conversions: 20 } } };

let database: TestDatabase;
let store: Store;
let fx: HubspotFixture;
beforeAll(async () => {
  database = await backends.find((b) => b.name === 'sqlite')!.fresh();
  store = await database.open();
  fx = await startHubspotFixture({ leads: 1500, openFraction: 0.4, hubspotRateLimit: 100_000, hubspotSearchRateLimit: 10_000 });
});
afterAll(async () => {
  await store?.close();
  await database?.cleanup();
  await fx?.close();
});

describe('the open leads\' typical lead from their middle fifth', () => {
  it('is stored with exactly the numbers of every open lead\'s contributions, reading about a fifth of them again', async () => {
    const deps = { ...loopDeps(store, fx.connector({ rateLimit: { requestsPerWindow: 100_000, searchPerSecond: 10_000 } }), OVERRIDES), now: () => NOW };
    let readAgain = 0;
    let listedOpen = 0;
    const records = store.records;
    const getMany = records.getMany.bind(records);
    const listOpen = records.listOpen.bind(records);
    records.getMany = async (...args) => {
      const rows = await getMany(...args);
      readAgain += rows.length;
      return rows;
    };
    // The fallback (every open lead explained) reads them all once more through listOpen.
    records.listOpen = async (...args) => {
      const rows = await listOpen(...args);
      listedOpen += rows.length;
      return rows;
    };
    try {
      const outcome = await runCycle(deps, { forceTrain: true });
      if (!outcome.ran) throw new Error(outcome.reason);
      expect(outcome.summary.score.reference).toMatchObject({ refreshed: true });
    } finally {
      records.getMany = getMany;
      records.listOpen = listOpen;
    }
    const active = (await store.models.active('hubspot'))!;
    const model = modelFromBundle(active.bundle as ModelBundle);
    const stored = (await store.scoreReferences.get('hubspot', active.version))!;

    // The straightforward computation: every open lead in one batch, every one explained.
    const open = await store.records.listOpen('hubspot', LEAD_OBJECT, { limit: 100_000 });
    const isNever = neverInputMatcher(deps.config, 'hubspot', deps.manifest);
    const x = model.pipeline.transform(model.pipeline.datasetFrom(tableFromRecords(open.map((l) => inputProperties(l.properties, isNever)), 'open leads')), { referenceTime: NOW });
    const expected = typicalLeadOf(blendedContributions(model.forest, model.blend, x))!;
    expect(stored.typical).toEqual(expected);
    expect(await everyOpenLeadTypical(deps, model, NOW)).toEqual(expected);

    expect(open.length).toBeGreaterThan(200);
    expect(readAgain).toBeGreaterThanOrEqual(0.2 * open.length);
    expect(readAgain).toBeLessThan(0.35 * open.length);
    // The first pass and the scoring pass, each once: no fallback pass over every open lead.
    expect(listedOpen).toBe(2 * open.length);
  });
});
