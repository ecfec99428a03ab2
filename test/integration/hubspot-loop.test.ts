import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubspotConnector } from '../../connectors/hubspot/index.js';
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
 * The whole loop against the sandbox through the real HubSpot SDK and a real store: a few
 * thousand bank-marketing leads (every 10th row, so the 2008-2010 drift is all there), the
 * newest fifth open with their outcomes hidden from the API.
 */

const BATCH_UPDATE = '/crm/v3/objects/contacts/batch/update';
const SANDBOX_LIMIT = 1000; // requests per rolling 10 s; the connector keeps to half
const READ_PROPERTIES = ['leadlift_score', 'leadlift_tier', 'leadlift_reasons', 'leadlift_model_version', 'leadlift_probability', 'leadlift_trend'];

describe.each(backends)('HubSpot closed loop against the sandbox ($name store)', (backend) => {
  let sandbox: RunningSandbox;
  let seed: SeedLead[];
  let database: TestDatabase;
  let store: Store;
  let deps: LoopDeps;
  let first: CycleSummary;

  beforeAll(async () => {
    const source = demoSeedFile();
    seed = await loadDemoSeed({ file: source.file, every: source.sample ? 1 : 10 });
    sandbox = await startSandbox({ port: 0, crm: 'hubspot', seed, hubspotRateLimit: SANDBOX_LIMIT, hubspotSearchRateLimit: 50 });
    database = await backend.fresh();
    store = await database.open();
    deps = {
      store,
      config: loadConfig({ env: {} }),
      manifest: loadManifest(),
      connector: createHubspotConnector({
        accessToken: sandbox.token,
        basePath: sandbox.url,
        rateLimit: { requestsPerWindow: SANDBOX_LIMIT, share: 0.5, searchPerSecond: 50 },
        search: { indexLagMs: 0 },
        retry: { retries: 1, minDelayMs: 20, maxDelayMs: 100 },
      }),
    };
  });

  afterAll(async () => {
    await store?.close();
    await database?.cleanup();
    await sandbox?.close();
  });

  const openIds = () => [...sandbox.ctx.hidden.hubspot.keys()];
  const writeRequests = () => sandbox.ctx.log.filter((r) => r.method === 'POST' && r.path.startsWith(BATCH_UPDATE));
  const succeeded = (r: { status: number }) => r.status === 200 || r.status === 207;

  async function contacts(ids: string[]): Promise<Map<string, Record<string, string | null>>> {
    const client = new Client({ accessToken: sandbox.token, basePath: sandbox.url, numberOfApiCallRetries: 0 });
    const out = new Map<string, Record<string, string | null>>();
    for (let i = 0; i < ids.length; i += 100) {
      const page = await client.crm.contacts.batchApi.read({ inputs: ids.slice(i, i + 100).map((id) => ({ id })), properties: READ_PROPERTIES, propertiesWithHistory: [] });
      for (const c of page.results) out.set(c.id, c.properties);
    }
    return out;
  }

  /** Every open contact shows exactly the latest score the store holds for it as pushed. */
  async function expectContactsMatchStore(): Promise<void> {
    const ids = openIds();
    const shown = await contacts(ids);
    const latest = await store.scores.latest('hubspot', ids);
    for (const id of ids) {
      const score = latest.get(id);
      expect(score, `lead ${id} has a stored score`).toBeDefined();
      expect(score!.pushStatus, `lead ${id}'s latest score reached HubSpot`).toMatch(/^(pushed|unchanged)$/);
      const props = shown.get(id)!;
      expect({ id, score: props.leadlift_score, tier: props.leadlift_tier, reasons: props.leadlift_reasons, model: props.leadlift_model_version }).toEqual({
        id,
        score: String(score!.score),
        tier: score!.tier,
        reasons: score!.reasons,
        model: score!.modelVersion,
      });
    }
  }

  it('one run syncs, trains, and writes score, tier, reasons and model version on every open contact', async () => {
    const startedAt = sandbox.ctx.clock.now();
    const outcome = await runCycle(deps);
    expect(outcome.ran).toBe(true);
    first = (outcome as { summary: CycleSummary }).summary;
    expect(first.sync.leads).toBe(seed.length);
    expect(first.sync.outcomes).toBe(seed.filter((s) => !s.open).length);
    expect(first.train).toMatchObject({ trained: true, promoted: true });
    expect(first.score.scored).toBe(openIds().length);
    expect(first.push).toMatchObject({ written: openIds().length, failed: 0, retryLater: 0 });

    const shown = await contacts(openIds());
    for (const [id, props] of shown) {
      expect(Number(props.leadlift_score), `score of ${id}`).toBeGreaterThanOrEqual(0);
      expect(['Hot', 'Warm', 'Cool', 'Cold']).toContain(props.leadlift_tier);
      expect(props.leadlift_reasons, `reasons of ${id}`).toMatch(/^[+-]\d+ \S/m);
      expect(props.leadlift_model_version).toBe(first.train.version);
      // A first score has no direction yet.
      expect(props.leadlift_trend).toBe('new');
    }

    // Figures for the note (not asserted): write rate and the peak share of the allowance used.
    const requests = sandbox.ctx.log.filter((r) => r.crm === 'hubspot' && r.at >= startedAt);
    console.log(
      `[${backend.name}] cycle ${first.seconds.toFixed(1)} s: ${first.sync.leads} leads synced, ${first.push.written} written in ` +
        `${first.push.seconds.toFixed(2)} s = ${(first.push.written / first.push.seconds).toFixed(0)} leads/s; ` +
        `${requests.length} requests, peak ${peakWindow(requests.map((r) => r.at), 10_000)} in 10 s = ` +
        `${((100 * peakWindow(requests.map((r) => r.at), 10_000)) / SANDBOX_LIMIT).toFixed(0)}% of the ${SANDBOX_LIMIT}/10 s limit (app share 50%); ` +
        `push alone ${first.push.apiCalls} calls, 429s ${first.rateLimited}`,
    );
  });

  /** AUC of the written probabilities against the hidden outcomes, and of logistic regression fitted on the same closed leads. */
  async function aucs(): Promise<{ written: number; baseline: number }> {
    const ids = openIds();
    const shown = await contacts(ids);
    const hidden = ids.map((id) => (sandbox.ctx.hidden.hubspot.get(id) === 'won' ? 1 : 0));
    const written = auc(hidden, ids.map((id) => Number(shown.get(id)!.leadlift_probability)));
    const closed = seed.filter((s) => !s.open);
    const open = seed.filter((s) => s.open);
    const train = tableFromRecords(closed.map((s) => ({ ...s.values, y: s.outcome })));
    const prepared = prepareTraining({ input: train, label: 'y', positive: 'won', split: { train: closed.map((_, i) => i), test: [] }, options: loadConfig({ env: {} }).features });
    const model = fitLogistic(prepared.train, prepared.yTrain);
    const openX = prepared.pipeline.transform(prepared.pipeline.datasetFrom(tableFromRecords(open.map((s) => s.values))));
    const baseline = auc(open.map((s) => (s.outcome === 'won' ? 1 : 0)), model.predict(openX));
    console.log(`[${backend.name}] AUC on ${ids.length} open leads (hidden outcomes): written scores ${written.toFixed(4)}, logistic regression ${baseline.toFixed(4)}`);
    return { written, baseline };
  }

  // Both AUC checks read the same first cycle's scores: measured once (a read of every open contact
  // and a logistic fit) for the two.
  let measured: Promise<{ written: number; baseline: number }> | null = null;
  const firstCycleAucs = () => (measured ??= aucs());

  it('written scores rank the hidden outcomes of open leads well above chance', async () => {
    expect((await firstCycleAucs()).written).toBeGreaterThan(0.6);
  });

  // On this data the forest alone ranked below logistic regression under the 2010 drift
  // (leadlift evaluate on the full file: 0.695 vs 0.744); the engine's forest + logistic blend is
  // what the loop trains, and its written scores are held to beating the baseline here.
  it('written scores beat logistic regression on the same open leads', async () => {
    const { written, baseline } = await firstCycleAucs();
    expect(written).toBeGreaterThan(baseline);
  });

  it('a second run writes nothing for unchanged leads', async () => {
    const before = writeRequests().length;
    const outcome = await runCycle(deps);
    const summary = (outcome as { summary: CycleSummary }).summary;
    expect(summary.train.trained).toBe(false);
    expect(summary.score.scored).toBe(openIds().length);
    expect(summary.push.written).toBe(0);
    expect(writeRequests().length).toBe(before);
  });

  it('after a push that breaks off mid-way (HTTP 503 from the 3rd batch on), a rerun leaves every contact correct with no duplicate writes', async () => {
    // The managers rename the tiers: every open lead's written tier changes, so every one is rewritten.
    await store.settings.set(TIERS_SETTING, [{ name: 'A', min: 30 }, { name: 'B', min: 15 }, { name: 'C', min: 5 }, { name: 'D', min: 0 }], 'manager@example.com');
    const before = writeRequests().length;
    sandbox.ctx.faults.push(
      { id: 'pass-two', method: 'POST', pathPattern: `^${BATCH_UPDATE}$`, kind: 'latency', ms: 0, count: 2 },
      { id: 'then-fail', method: 'POST', pathPattern: `^${BATCH_UPDATE}$`, kind: 'server-error', status: 503, count: 10_000 },
    );
    const broken = (await runCycle(deps)) as { summary: CycleSummary };
    sandbox.ctx.faults.length = 0;
    expect(broken.summary.push.written).toBe(200);
    expect(broken.summary.push.retryLater).toBe(openIds().length - 200);
    expect(await store.scores.pending('hubspot')).toHaveLength(openIds().length - 200);

    const rerun = (await runCycle(deps)) as { summary: CycleSummary };
    expect(rerun.summary.push.written).toBe(openIds().length - 200);
    await expectContactsMatchStore();
    const shown = await contacts(openIds());
    for (const props of shown.values()) expect(['A', 'B', 'C', 'D']).toContain(props.leadlift_tier);

    // No lead was written twice: the successful batch writes hold exactly one write per open lead.
    const writes = writeRequests().slice(before).filter(succeeded);
    expect(writes.length).toBe(2 + Math.ceil((openIds().length - 200) / 100));
    const after = (await runCycle(deps)) as { summary: CycleSummary };
    expect(after.summary.push.written).toBe(0);
  });

  it.runIf(backend.name === 'sqlite')('after the process is killed mid-push, a rerun leaves every contact correct, rewriting at most the batches in flight', async () => {
    await store.settings.set(TIERS_SETTING, [{ name: 'P1', min: 30 }, { name: 'P2', min: 15 }, { name: 'P3', min: 5 }, { name: 'P4', min: 0 }], 'manager@example.com');
    const before = writeRequests().length;
    const child = spawn(process.execPath, [fileURLToPath(new URL('../../src/cli/leadlift.mjs', import.meta.url)), 'run', '--crm', 'hubspot'], {
      env: { PATH: process.env.PATH, HUBSPOT_BASE_URL: sandbox.url, HUBSPOT_ACCESS_TOKEN: sandbox.token, LEADLIFT_HOME: database.options.home, DATABASE_URL: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // Kill it (SIGKILL: no clean-up of any kind) once HubSpot has confirmed three batches.
    const killedAfter = await new Promise<number>((resolve, reject) => {
      const timer = setInterval(() => {
        const confirmed = writeRequests().slice(before).filter(succeeded).length;
        if (confirmed >= 3) {
          clearInterval(timer);
          child.kill('SIGKILL');
          resolve(confirmed);
        }
      }, 5);
      void exited.then((code) => {
        clearInterval(timer);
        reject(new Error(`leadlift run finished (exit ${code}) before it could be killed mid-push: ${stderr}`));
      });
    });
    await exited;
    const open = openIds().length;
    const pendingAfterKill = (await store.scores.pending('hubspot')).length;
    expect(pendingAfterKill).toBeGreaterThan(0);
    expect(pendingAfterKill).toBeLessThanOrEqual(open - 100 * (killedAfter - deps.config.loop.push.concurrency));

    const rerun = (await runCycle(deps)) as { summary: CycleSummary };
    expect(rerun.summary.push.written).toBe(pendingAfterKill);
    await expectContactsMatchStore();
    const writes = writeRequests().slice(before).filter(succeeded).length;
    const inFlightRewrites = writes - Math.ceil(open / 100);
    console.log(`[${backend.name}] killed after ${killedAfter} confirmed batches; ${pendingAfterKill} leads left pending; batches rewritten after the kill: ${Math.max(0, inFlightRewrites)}`);
    expect(inFlightRewrites).toBeLessThanOrEqual(deps.config.loop.push.concurrency + 1);
  });
});

/** Most timestamps inside any window of `ms`. */
function peakWindow(times: number[], ms: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= ms) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}
