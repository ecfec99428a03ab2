import { exactScore, scoreFromProbability } from './score.js';

/**
 * How a calibrated probability becomes the 0-100 score a rep reads (config `scoring.scale`).
 *
 * - 'rank' (default): the lead's standing among the current open leads, i.e. the share of a
 *   reference population whose calibrated probability is below this lead's (ties counted half),
 *   in percent. The population is the batch being scored where the batch is the pipeline (the
 *   loop's open leads, evaluate's test leads: see pipelineReference in score-leads.ts), because
 *   under drift the newest leads all outrank the model's own calibration slice. `leadlift score`
 *   ranks against that slice instead (unless --rank-within-file): a file is whatever a rep
 *   exported, and a lead's score must not change with the other rows in it. Conversion rates
 *   in CRM data are low (the bank data: 11-31%), so a probability score puts nearly every lead
 *   under the managers' "Warm >= 50" and the tiers say nothing;
 *   the standing spreads leads over 0-100 the way Einstein's and HubSpot's relative scores do.
 *   The probability itself is still written to its own field (leadlift_probability /
 *   Lead_Score_Probability__c), so nothing is lost.
 * - 'probability': floor(100 x calibrated probability), see score.ts. Models saved before
 *   bundle format 3 carry no reference population and always score this way.
 *
 * The full 0..100 range is kept (not 1..99): a lead above every recent lead is at the top of
 * the scale, and the CRM fields are declared 0-100.
 */
export type ScoreScaleName = 'rank' | 'probability';

/** A monotone map probability -> score: `score` is what is written, `exact` its unrounded value. */
export interface ScoreMap {
  name: ScoreScaleName;
  /** Whole score 0..100; a higher probability never gets a lower score. */
  score(p: number): number;
  /** Continuous score before rounding, used to share a score out among its reasons; score(p) rounds it. */
  exact(p: number): number;
}

export const probabilityScale: ScoreMap = {
  name: 'probability',
  score: scoreFromProbability,
  exact: (p) => (Number.isFinite(p) ? exactScore(p) : 0),
};

/** Most quantiles a bundle stores: a 0.1-point resolution, whatever the size of the slice. */
export const MAX_REFERENCE_QUANTILES = 1001;

/**
 * The stored reference: all the values sorted when there are at most `max` of them, otherwise
 * `max` evenly spaced quantiles (smallest and largest included). Non-finite values are dropped.
 */
export function referenceQuantiles(values: ArrayLike<number>, max = MAX_REFERENCE_QUANTILES): number[] {
  const sorted = Array.from(values).filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length <= max) return sorted;
  const out: number[] = new Array(max);
  for (let k = 0; k < max; k++) out[k] = sorted[Math.round((k * (sorted.length - 1)) / (max - 1))];
  return out;
}

/** First index whose value is >= p (or > p with `strict`), in a sorted array. */
function firstIndex(sorted: readonly number[], p: number, strict: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (strict ? sorted[mid] <= p : sorted[mid] < p) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Percentile standing against `reference` (sorted ascending, non-empty). */
export function rankScale(reference: readonly number[]): ScoreMap {
  if (reference.length === 0) throw new Error('rankScale needs a non-empty reference population');
  const n = reference.length;
  const exact = (p: number): number => {
    if (Number.isNaN(p)) return 0;
    const below = firstIndex(reference, p, false);
    const tied = firstIndex(reference, p, true) - below;
    return Math.min(100, Math.max(0, (100 * (below + tied / 2)) / n));
  };
  // The epsilon keeps a share like 0.145 * 100 = 14.499999999999998 rounding to 15 as written.
  return { name: 'rank', exact, score: (p) => Math.min(100, Math.max(0, Math.round(exact(p) + 1e-9))) };
}

/** The map a model scores with: its reference population when asked for 'rank' and it has one. */
export function scoreScaleFor(setting: ScoreScaleName, reference: readonly number[] | undefined): ScoreMap {
  return setting === 'rank' && reference && reference.length > 0 ? rankScale(reference) : probabilityScale;
}
