import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { forestOptionsFrom } from '../../src/bench/forest-options.js';
import { runJob } from '../../src/bench/run-job.js';
import { meetsTarget } from '../../src/bench/target-check.js';
import type { EvaluationResult, ForestResult, PipelineResult } from '../../src/bench/bench-job.js';
import { loadConfig } from '../../src/config/index.js';

const dir = mkdtempSync(join(tmpdir(), 'leadlift-bench-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bench jobs', () => {
  it('gives the engine only forest settings: no engine, no blend', () => {
    const model = loadConfig().model;
    const options = forestOptionsFrom(model, 7, 1);
    expect(Object.keys(options)).not.toContain('blend');
    expect(Object.keys(options)).not.toContain('engine');
    expect(options).toMatchObject({ trees: 7, threads: 1, maxDepth: model.maxDepth, seed: model.seed });
  });

  it('runs an ingest job in a child process and reports its figures', async () => {
    const file = join(dir, 'leads.csv');
    writeFileSync(file, `age;job;y\n${Array.from({ length: 300 }, (_, i) => `${20 + (i % 40)};${i % 2 ? 'admin.' : 'services'};${i % 7 ? 'no' : 'yes'}`).join('\n')}\n`);
    const outcome = await runJob({ kind: 'ingest', input: file }, 60);
    expect(outcome.ok).toBe(true);
    const r = (outcome as { result: PipelineResult }).result;
    expect(r).toMatchObject({ kind: 'pipeline', items: 300, unit: 'rows' });
    expect(r.details.columns).toBe(3);
    for (const v of [r.seconds, r.itemsPerSecond, r.peakRssMb]) expect(v).toBeGreaterThan(0);
  });

  it('turns a failing job into a row with the reason, and stops a job at its cap', async () => {
    const missing = await runJob({ kind: 'ingest', input: join(dir, 'absent.csv') }, 60);
    expect(missing).toMatchObject({ ok: false, reason: expect.stringContaining('file not found') });
    const capped = await runJob({ kind: 'hubspot-push', leads: 5_100, share: 0.5 }, 0.5);
    expect(capped).toMatchObject({ ok: false, reason: 'stopped after 0.5 s' });
  });

  it('judges targets: AUC and lift strictly above, pipeline bounds on time and details', () => {
    const target = { text: '', minAuc: 0.745, minLift: 2 };
    const evaluation = (auc: number, liftTopDecile: number) => ({ kind: 'evaluation', report: { auc, liftTopDecile } }) as unknown as EvaluationResult;
    expect(meetsTarget(target, evaluation(0.75, 2.01))).toBe(true);
    expect(meetsTarget(target, evaluation(0.745, 2.5))).toBe(false);
    expect(meetsTarget(target, evaluation(0.8, 1.95))).toBe(false);
    expect(meetsTarget(target, null)).toBe(false);
    expect(meetsTarget(null, evaluation(0.8, 3))).toBeNull();
    const push = (peakShareOfLimit: number): PipelineResult => ({ kind: 'pipeline', items: 1, unit: 'leads', seconds: 1, cpuSeconds: 1, itemsPerSecond: 1, peakRssMb: 1, details: { peakShareOfLimit } });
    const pushTarget = { text: '', maxSeconds: 10, maxDetails: { peakShareOfLimit: 0.5 } };
    expect(meetsTarget(pushTarget, push(0.5))).toBe(true);
    expect(meetsTarget(pushTarget, push(0.51))).toBe(false);
    expect(meetsTarget({ text: '', maxDetails: { rateLimited: 0 } }, push(0.1))).toBe(false);
    const forest = (trainSeconds: number, contributionsRowsPerSecond: number) =>
      ({ kind: 'forest', trainSeconds, peakRssMb: 1, predictRowsPerSecond: 250_000, contributionsRowsPerSecond }) as ForestResult;
    const forestTarget = { text: '', maxTrainSeconds: 2.2, minPredictPerSecond: 100_000, minContributionsPerSecond: 20_000 };
    expect(meetsTarget(forestTarget, forest(2.2, 20_000))).toBe(true);
    expect(meetsTarget(forestTarget, forest(2.3, 50_000))).toBe(false);
    expect(meetsTarget(forestTarget, forest(1, 19_999))).toBe(false);
  });
});
