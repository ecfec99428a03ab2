import type { EngineName } from '../model/engine.js';
import type { BenchJob } from './bench-job.js';

export interface BenchPlanOptions {
  bankInput: string | null;
  threads: number;
  quick: boolean;
  reference: boolean;
}

/** A row of the bench and the target it is judged against (null: no target, shown for comparison). */
export interface PlannedJob {
  label: string;
  job: BenchJob;
  target: JobTarget | null;
}

export interface JobTarget {
  text: string;
  maxTrainSeconds?: number;
  maxPeakRssMb?: number;
}

const TREES = 100;
/** scikit-learn's forest on the bank file, 100 trees, one core (its SOURCE.md). */
export const SKLEARN_BANK_SECONDS = 2.2;
export const PREDICT_TARGET = 100_000;
export const CONTRIBUTIONS_TARGET = 20_000;

export function fastJobs(o: BenchPlanOptions): PlannedJob[] {
  const jobs: PlannedJob[] = [];
  const target = { text: `train <= ${SKLEARN_BANK_SECONDS} s (scikit-learn, 1 core)`, maxTrainSeconds: SKLEARN_BANK_SECONDS };
  if (o.bankInput) {
    jobs.push({ label: 'bank marketing (oldest 80%)', job: { kind: 'bank', engine: 'fast', input: o.bankInput, threads: o.threads, trees: TREES }, target });
    if (o.threads > 1) {
      jobs.push({ label: 'bank marketing (oldest 80%)', job: { kind: 'bank', engine: 'fast', input: o.bankInput, threads: 1, trees: TREES }, target });
    }
  }
  const rows = o.quick ? 20_000 : 200_000;
  jobs.push({
    label: 'synthetic scale run',
    job: { kind: 'synthetic', engine: 'fast', rows, features: 40, threads: o.threads, trees: TREES },
    target: { text: 'train < 30 s, peak < 2048 MB', maxTrainSeconds: 30, maxPeakRssMb: 2048 },
  });
  for (const size of referenceSizes(o)) jobs.push(syntheticSmall('fast', size, o.threads));
  return jobs;
}

/** ml-random-forest sizes, tried in order until one is stopped or takes over a minute. */
export function referenceSizes(o: BenchPlanOptions): number[] {
  if (!o.reference) return [];
  return o.quick ? [500, 1000] : [1000, 2000, 5000];
}

export function syntheticSmall(engine: EngineName, rows: number, threads: number): PlannedJob {
  return { label: 'synthetic, 30 features', job: { kind: 'synthetic', engine, rows, features: 30, threads, trees: TREES }, target: null };
}
