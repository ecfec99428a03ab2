import type { BenchResult } from './bench-job.js';
import type { JobTarget } from './bench-plan.js';

/** Whether a result meets every bound its target gives; null when the row has no target. */
export function meetsTarget(target: JobTarget | null, result: BenchResult | null): boolean | null {
  if (!target) return null;
  if (!result) return false;
  const checks: boolean[] = [];
  const max = (value: number, bound: number | undefined) => bound === undefined || value <= bound;
  const min = (value: number, bound: number | undefined) => bound === undefined || value >= bound;
  switch (result.kind) {
    case 'forest':
      checks.push(
        max(result.trainSeconds, target.maxTrainSeconds),
        max(result.peakRssMb, target.maxPeakRssMb),
        // Scoring runs on one thread: rows per wall second is the rate per core.
        min(result.predictRowsPerSecond, target.minPredictPerSecond),
        min(result.contributionsRowsPerSecond, target.minContributionsPerSecond),
      );
      break;
    case 'evaluation':
      checks.push(meetsQuality(target, result.report.auc, result.report.liftTopDecile));
      break;
    case 'pipeline':
      checks.push(max(result.seconds, target.maxSeconds), max(result.peakRssMb, target.maxPeakRssMb));
      for (const [name, bound] of Object.entries(target.maxDetails ?? {})) {
        const value = result.details[name];
        checks.push(value !== undefined && value <= bound);
      }
      break;
  }
  return checks.every(Boolean);
}

/** AUC and lift above the target's bounds (strictly: the targets say "above"). */
export function meetsQuality(target: JobTarget, auc: number, lift: number): boolean {
  return (target.minAuc === undefined || auc > target.minAuc) && (target.minLift === undefined || lift > target.minLift);
}
