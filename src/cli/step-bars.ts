import type { EvaluationStep } from '../model/evaluation/run-evaluation.js';
import { type Progress, progress } from './progress.js';

const stepLabels: Record<EvaluationStep, string> = {
  prepare: 'Reading leads',
  train: 'Training trees',
  score: 'Scoring test leads',
  baseline: 'Baseline',
};

/** One stderr bar per step, opened on its first report and closed when it completes. */
export function stepBars(): (step: EvaluationStep, done: number, total: number) => void {
  const bars = new Map<EvaluationStep, Progress>();
  let last = new Map<EvaluationStep, number>();
  return (step, done, total) => {
    let bar = bars.get(step);
    if (!bar) {
      bar = progress(stepLabels[step], total);
      bars.set(step, bar);
    }
    bar.total(total);
    bar.tick(done - (last.get(step) ?? 0));
    last = last.set(step, done);
    if (done >= total) bar.done();
  };
}
