import type { AppConfig } from '../../config/schema.js';
import { prepareTraining } from '../../features/prepare-training.js';
import type { FeatureMatrix } from '../../features/types.js';
import { getEngine } from '../../model/engines.js';
import { auc } from '../../model/evaluation/metrics.js';
import type { ForestJob, ForestResult } from '../bench-job.js';
import { forestOptionsFrom } from '../forest-options.js';
import { peakRssMb } from '../peak-rss.js';
import { measureScoring } from '../scoring-rate.js';
import { syntheticLeads } from '../synthetic-leads.js';

/** The forest alone: training time and CPU, scoring rates, raw held-out AUC. */
export async function runForestJob(job: ForestJob, config: AppConfig): Promise<ForestResult> {
  const options = forestOptionsFrom(config.model, job.trees, job.threads);
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
    kind: 'forest',
    trainRows: train.rows,
    features: train.columns.length,
    trainSeconds,
    trainCpuSeconds: (cpu.user + cpu.system) / 1e6,
    ...rate,
    peakRssMb: peakRssMb(),
    testAuc,
  };
}
