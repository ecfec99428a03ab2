import { Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSalesforceConnector } from '../../connectors/salesforce/index.js';
import type { SeedLead } from '../../connectors/sandbox/context.js';
import { startSandbox, type RunningSandbox } from '../../connectors/sandbox/server.js';
import { loadConfig } from '../../src/config/load.js';
import { loadManifest } from '../../src/domain/manifest.js';
import { prepareTraining } from '../../src/features/prepare-training.js';
import { tableFromRecords } from '../../src/features/raw-table.js';
import { fitLogistic } from '../../src/model/linear/logistic.js';
import { auc } from '../../src/model/evaluation/metrics.js';
import { runCycle, type CycleSummary } from '../../src/jobs/cycle.js';
import type { LoopDeps } from '../../src/jobs/deps.js';
import { demoSeedFile, loadDemoSeed } from '../../src/jobs/local-sandbox.js';
import { TIERS_SETTING } from '../../src/jobs/tiers-in-use.js';
import type { Store } from '../../src/store/store.js';
import { backends, type TestDatabase } from '../store/backends.js';

/**
 * The whole loop against the sandbox's Salesforce half through real jsforce and a real store:
 * a few thousand bank-marketing leads (every 10th row), the newest fifth open with their outcomes
 * hidden from the API. The connector's Bulk API threshold is lowered below the open leads, so the
 * first write of all of them goes through one Bulk API 2.0 job with the default push settings.
 */

const COLLECTIONS = '/composite/sobjects';
const SCORE_FIELDS = ['Lead_Score__c', 'Lead_Score_Tier__c', 'Lead_Score_Reasons__c', 'Lead_Score_Model__c', 'Lead_Score_Probability__c', 'Lead_Score_Trend__c'];

describe('Salesforce closed loop against the sandbox (sqlite store)', () => {
  const backend = backends.find((b) => b.name === 'sqlite')!;
  let sandbox: RunningSandbox;
  let seed: SeedLead[];
  let database: TestDatabase;
  let store: Store;
  let deps: LoopDeps;
  let first: CycleSummary;

  beforeAll(async () => {
    const source = demoSeedFile();
    seed = await loadDemoSeed({ file: source.file, every: source.sample ? 1 : 10 });
    sandbox = await startSandbox({ port: 0, crm: 'salesforce', seed });
    database = await backend.fresh();
    store = await database.open();
    // Below the open leads (about 820 of the full data's every 10th row, 412 of the shipped sample),
    // so the first write of them all is one Bulk API job whichever seed this clone has.
    const open = seed.filter((s) => s.open).length;
    deps = { store, config: loadConfig({ env: {} }), manifest: loadManifest(), connector: connectorWith(Math.min(500, open - 1)) };
  });

  afterAll(async () => {
    await store?.close();
    await database?.cleanup();
    await sandbox?.close();
  });

  function connectorWith(bulkThreshold: number) {
    return createSalesforceConnector({
      instanceUrl: sandbox.url,
      accessToken: sandbox.token,
      bulkThreshold,
      bulkPollIntervalMs: 20,
      retry: { retries: 1, minDelayMs: 20, maxDelayMs: 100 },
    });
  }

  const openIds = () => [...sandbox.ctx.hidden.salesforce.keys()];
  const conn = () => new Connection({ instanceUrl: sandbox.url, accessToken: sandbox.token, version: '60.0' });
  const collectionWrites = () => sandbox.ctx.log.filter((r) => r.method === 'PATCH' && r.path.endsWith(COLLECTIONS) && r.status === 200);
  const bulkJobs = () => sandbox.ctx.log.filter((r) => r.method === 'POST' && /\/jobs\/ingest\/?$/.test(r.path));

  async function leads(ids: string[]): Promise<Map<string, Record<string, unknown>>> {
    const out = new Map<string, Record<string, unknown>>();
    for (let i = 0; i < ids.length; i += 300) {
      const res = await conn().query<Record<string, unknown>>(`SELECT Id, ${SCORE_FIELDS.join(', ')} FROM Lead WHERE Id IN ('${ids.slice(i, i + 300).join("','")}')`);
      for (const r of res.records) out.set(r.Id as string, r);
    }
    return out;
  }

  async function expectLeadsMatchStore(): Promise<void> {
    const ids = openIds();
    const shown = await leads(ids);
    const latest = await store.scores.latest('salesforce', ids);
    for (const id of ids) {
      const score = latest.get(id);
      expect(score?.pushStatus, `lead ${id}'s latest score reached Salesforce`).toMatch(/^(pushed|unchanged)$/);
      const r = shown.get(id)!;
      expect({ id, score: r.Lead_Score__c, tier: r.Lead_Score_Tier__c, reasons: r.Lead_Score_Reasons__c, model: r.Lead_Score_Model__c }).toEqual({
        id,
        score: score!.score,
        tier: score!.tier,
        reasons: score!.reasons,
        model: score!.modelVersion,
      });
    }
  }

  it('one run creates the fields, syncs, trains, and writes score, tier and reasons on every open lead (one Bulk API 2.0 job)', async () => {
    const outcome = await runCycle(deps);
    expect(outcome.ran).toBe(true);
    first = (outcome as { summary: CycleSummary }).summary;
    expect(first.push.schemaChanges).toHaveLength(7);
    expect(first.push.adminActions.join(' ')).toMatch(/field-level security/i);
    expect(first.sync.leads).toBe(seed.length);
    expect(first.sync.outcomes).toBe(seed.filter((s) => !s.open).length);
    expect(first.train).toMatchObject({ trained: true, promoted: true });
    expect(first.score.scored).toBe(openIds().length);
    expect(first.push).toMatchObject({ written: openIds().length, failed: 0, retryLater: 0 });
    expect(bulkJobs()).toHaveLength(1);

    const shown = await leads(openIds());
    for (const [id, r] of shown) {
      expect(Number(r.Lead_Score__c), `score of ${id}`).toBeGreaterThanOrEqual(0);
      expect(['Hot', 'Warm', 'Cool', 'Cold']).toContain(r.Lead_Score_Tier__c);
      expect(r.Lead_Score_Reasons__c, `reasons of ${id}`).toMatch(/^[+-]\d+ \S/m);
      expect(r.Lead_Score_Model__c).toBe(first.train.version);
    }
    console.log(`salesforce cycle ${first.seconds.toFixed(1)} s: ${first.sync.leads} leads synced, ${first.push.written} written in ${first.push.seconds.toFixed(2)} s = ${(first.push.written / first.push.seconds).toFixed(0)} leads/s; ${first.apiCalls} API requests (push ${first.push.apiCalls})`);
  });

  it('ranks the hidden outcomes of open leads better than logistic regression on the same leads', async () => {
    const ids = openIds();
    const shown = await leads(ids);
    const hidden = ids.map((id) => (sandbox.ctx.hidden.salesforce.get(id) === 'won' ? 1 : 0));
    const writtenAuc = auc(hidden, ids.map((id) => Number(shown.get(id)!.Lead_Score_Probability__c)));
    const closed = seed.filter((s) => !s.open);
    const open = seed.filter((s) => s.open);
    const train = tableFromRecords(closed.map((s) => ({ ...s.values, y: s.outcome })));
    const prepared = prepareTraining({ input: train, label: 'y', positive: 'won', split: { train: closed.map((_, i) => i), test: [] }, options: loadConfig({ env: {} }).features });
    const baseline = fitLogistic(prepared.train, prepared.yTrain);
    const openX = prepared.pipeline.transform(prepared.pipeline.datasetFrom(tableFromRecords(open.map((s) => s.values))));
    const baselineAuc = auc(open.map((s) => (s.outcome === 'won' ? 1 : 0)), baseline.predict(openX));
    console.log(`salesforce AUC on ${ids.length} open leads: written scores ${writtenAuc.toFixed(4)}, logistic regression ${baselineAuc.toFixed(4)}`);
    expect(writtenAuc).toBeGreaterThan(baselineAuc);
  });

  it('a second run writes nothing for unchanged leads', async () => {
    const before = collectionWrites().length + bulkJobs().length;
    const summary = ((await runCycle(deps)) as { summary: CycleSummary }).summary;
    expect(summary.train.trained).toBe(false);
    expect(summary.push.written).toBe(0);
    expect(collectionWrites().length + bulkJobs().length).toBe(before);
  });

  it('a push broken off mid-way (503 from the 3rd collection on) then a rerun: every lead correct, none written twice', async () => {
    await store.settings.set(TIERS_SETTING, [{ name: 'A', min: 30 }, { name: 'B', min: 15 }, { name: 'C', min: 5 }, { name: 'D', min: 0 }], 'manager@example.com');
    // Small pushes through collections this time (the run is below this connector's Bulk API threshold).
    const small = { ...deps, connector: connectorWith(10_000), config: loadConfig({ env: {}, overrides: { loop: { push: { chunkSize: 200, concurrency: 1 } } } }) };
    const before = collectionWrites().length;
    sandbox.ctx.faults.push(
      { id: 'pass-two', method: 'PATCH', pathPattern: `${COLLECTIONS}$`, kind: 'latency', ms: 0, count: 2 },
      { id: 'then-fail', method: 'PATCH', pathPattern: `${COLLECTIONS}$`, kind: 'server-error', status: 503, count: 10_000 },
    );
    const broken = ((await runCycle(small)) as { summary: CycleSummary }).summary;
    sandbox.ctx.faults.length = 0;
    expect(broken.push.written).toBe(400);
    expect(broken.push.retryLater).toBe(openIds().length - 400);

    const rerun = ((await runCycle(small)) as { summary: CycleSummary }).summary;
    expect(rerun.push.written).toBe(openIds().length - 400);
    await expectLeadsMatchStore();
    const shown = await leads(openIds());
    for (const r of shown.values()) expect(['A', 'B', 'C', 'D']).toContain(r.Lead_Score_Tier__c);
    const writes = collectionWrites().slice(before);
    expect(writes.length).toBe(2 + Math.ceil((openIds().length - 400) / 200));
    const after = ((await runCycle(small)) as { summary: CycleSummary }).summary;
    expect(after.push.written).toBe(0);
  });
});
