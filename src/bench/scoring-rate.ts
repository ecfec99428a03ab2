import type { FeatureMatrix } from '../features/types.js';
import type { TrainedForest } from '../model/engine.js';

export interface ScoringRate {
  /** Rows per second on one thread (wall clock), so also per core. */
  predictRowsPerSecond: number;
  contributionsRowsPerSecond: number;
}

/** Scores the matrix repeatedly for at least `minSeconds` per mode, after one warm-up pass. */
export function measureScoring(forest: TrainedForest, x: FeatureMatrix, minSeconds = 1): ScoringRate {
  return {
    predictRowsPerSecond: rowsPerSecond(() => forest.predict(x), x.rows, minSeconds),
    contributionsRowsPerSecond: rowsPerSecond(() => forest.contributions(x), x.rows, minSeconds),
  };
}

function rowsPerSecond(run: () => unknown, rows: number, minSeconds: number): number {
  run();
  let passes = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    run();
    passes++;
    elapsed = (performance.now() - start) / 1000;
  } while (elapsed < minSeconds);
  return (passes * rows) / elapsed;
}
