import { loadConfig } from '../config/index.js';
import { prepareTraining } from '../features/prepare-training.js';
import type { FeatureMatrix } from '../features/types.js';
import type { ForestOptions } from '../model/engine.js';
import { getEngine } from '../model/engines.js';
import { auc } from '../model/evaluation/metrics.js';
import type { BenchJob, BenchResult } from './bench-job.js';
import { measureScoring } from './scoring-rate.js';
import { syntheticLeads } from './synthetic-leads.js';

/** Runs the job given as JSON in argv[2] and prints one JSON BenchResult line on stdout. */
async function run(job: BenchJob): Promise<BenchResult> {
  const config = loadConfig();
  const { engine: _engine, ...modelOptions } = config.model;
  const options: ForestOptions = { ...modelOptions, trees: job.trees, threads: job.threads };
  let train: FeatureMatrix;
  let yTrain: Uint8Array;
  let test: FeatureMatrix;
  let yTest: Uint8Array;
  if (job.kind === 'bank') {
    const prepared = prepareTraining({ input: job.input, label: 'y', exclude: ['duration'], testFraction: 0.2, options: config.features });
    ({ train, yTrain, test, yTest } = prepared);
  } else {
    const a = syntheticLeads(job.rows, job.features, 1);
    const b = syntheticLeads(Math.min(50_000, Math.max(job.rows, 5_000)), job.features, 2);
    ({ x: train, y: yTrain } = a);
    ({ x: test, y: yTest } = b);
  }
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const forest = await getEngine(job.engine).fit(train, yTrain, options);
  const trainSeconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const testAuc = auc(yTest, forest.predict(test));
  const rate = measureScoring(forest, test);
  return {
    job,
    trainRows: train.rows,
    features: train.columns.length,
    trainSeconds,
    trainCpuSeconds: (cpu.user + cpu.system) / 1e6,
    ...rate,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    testAuc,
  };
}

const job = JSON.parse(process.argv[2] ?? '{}') as BenchJob;
try {
  const result = await run(job);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
