import type { EngineName } from '../model/engine.js';

/** One measured workload; each runs in its own child process so time caps and peak memory are its own. */
export type BenchJob =
  | { kind: 'bank'; engine: EngineName; input: string; threads: number; trees: number }
  | { kind: 'synthetic'; engine: EngineName; rows: number; features: number; threads: number; trees: number };

export interface BenchResult {
  job: BenchJob;
  trainRows: number;
  features: number;
  trainSeconds: number;
  /** CPU seconds over all threads while training. */
  trainCpuSeconds: number;
  predictRowsPerSecond: number;
  predictRowsPerCpuSecond: number;
  contributionsRowsPerSecond: number;
  contributionsRowsPerCpuSecond: number;
  /** Peak resident memory of the whole child process (data, binning, trees, scoring). */
  peakRssMb: number;
  /** Uncalibrated forest AUC on held-out rows (the bank: the newest 20%). */
  testAuc: number;
}
