import type { FeatureMatrix } from '../features/types.js';
import type { TrainedForest } from '../model/engine.js';

/**
 * Scoring runs on one thread, so rows per wall second is the rate per core on a quiet machine;
 * rows per CPU second is the same figure with time lost to other processes taken out.
 */
export interface ScoringRate {
  predictRowsPerSecond: number;
  predictRowsPerCpuSecond: number;
  contributionsRowsPerSecond: number;
  contributionsRowsPerCpuSecond: number;
}

/** Scores the matrix repeatedly for at least `minSeconds` per mode, after one warm-up pass. */
export function measureScoring(forest: TrainedForest, x: FeatureMatrix, minSeconds = 1): ScoringRate {
  const predict = rowsPerSecond(() => forest.predict(x), x.rows, minSeconds);
  const contributions = rowsPerSecond(() => forest.contributions(x), x.rows, minSeconds);
  return {
    predictRowsPerSecond: predict.wall,
    predictRowsPerCpuSecond: predict.cpu,
    contributionsRowsPerSecond: contributions.wall,
    contributionsRowsPerCpuSecond: contributions.cpu,
  };
}

function rowsPerSecond(run: () => unknown, rows: number, minSeconds: number): { wall: number; cpu: number } {
  run();
  let passes = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let elapsed = 0;
  do {
    run();
    passes++;
    elapsed = (performance.now() - start) / 1000;
  } while (elapsed < minSeconds);
  const cpu = process.cpuUsage(cpuStart);
  return { wall: (passes * rows) / elapsed, cpu: (passes * rows) / ((cpu.user + cpu.system) / 1e6) };
}
