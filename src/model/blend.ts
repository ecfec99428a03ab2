import type { FeatureMatrix } from '../features/types.js';
import { sigmoid } from './calibration/platt.js';
import type { Contributions, TrainedForest } from './engine.js';
import type { LogisticModel } from './linear/logistic.js';

/**
 * The shipped model's raw output: the forest's probability and the logistic regression's,
 * averaged with weights (1 - linearWeight) and linearWeight; one calibrator then maps the
 * average. linearWeight 0 (or no linear part) is the forest alone.
 *
 * Why a blend: the newest leads drift (on the bank data the conversion rate triples and the
 * macro-economic columns move past anything in training). Trees cannot extrapolate along such a
 * trend, a linear model can; the forest in turn catches interactions the linear model misses.
 *
 * Why averaging probabilities (soft voting, as scikit-learn's VotingClassifier does) and equal
 * weights by default: both are fixed a priori, not tuned on any test part. Probabilities, not
 * log-odds, because the forest's raw output is a probability that is often near 0 and whose
 * log-odds would let a few empty leaves dominate, and because it keeps the raw output in
 * [0, 1], which the calibrator and the reasons expect.
 */
export interface ModelBlend {
  /** Share of the logistic regression in the raw output, in [0, 1]. */
  linearWeight: number;
  /** null when linearWeight is 0 (forest only) and in models saved before blending existed. */
  linear: LogisticModel | null;
}

export const forestOnly: ModelBlend = { linearWeight: 0, linear: null };

function active(blend: ModelBlend): blend is { linearWeight: number; linear: LogisticModel } {
  return blend.linear !== null && blend.linearWeight > 0;
}

/** Uncalibrated blended probability, one per row. */
export function blendedPredict(forest: TrainedForest, blend: ModelBlend, x: FeatureMatrix): Float64Array {
  const raw = forest.predict(x);
  if (!active(blend)) return raw;
  const w = blend.linearWeight;
  const linear = blend.linear.predict(x);
  for (let i = 0; i < raw.length; i++) raw[i] = (1 - w) * raw[i] + w * linear[i];
  return raw;
}

/**
 * Additive attributions of blendedPredict(): bias + sum over features = the blended raw
 * probability of each row, so the reasons code can share out the score.
 *
 * The forest's contributions are already in probability space. The logistic model's exact
 * ones are in log-odds (z = b + sum c_j); they are carried into probability space by the
 * secant slope of the sigmoid between the average lead (b) and this lead (z):
 *   sigmoid(z) - sigmoid(b) = sum c_j * s,  s = (sigmoid(z) - sigmoid(b)) / (z - b) > 0,
 * which keeps every term's sign and proportions and sums exactly. Both sides are then weighted
 * as in blendedPredict().
 */
export function blendedContributions(forest: TrainedForest, blend: ModelBlend, x: FeatureMatrix): Contributions {
  const tree = forest.contributions(x);
  if (!active(blend)) return tree;
  const w = blend.linearWeight;
  const lin = blend.linear.contributions(x);
  const nf = tree.features;
  const pBias = sigmoid(lin.bias);
  const values = new Float64Array(tree.values.length);
  for (let i = 0; i < x.rows; i++) {
    const o = i * nf;
    let z = lin.bias;
    for (let f = 0; f < nf; f++) z += lin.values[o + f];
    const dz = z - lin.bias;
    // At the average lead itself the secant becomes the tangent, sigmoid'(b).
    const slope = Math.abs(dz) < 1e-9 ? pBias * (1 - pBias) : (sigmoid(z) - pBias) / dz;
    for (let f = 0; f < nf; f++) values[o + f] = (1 - w) * tree.values[o + f] + w * slope * lin.values[o + f];
  }
  return { bias: (1 - w) * tree.bias + w * pBias, values, features: nf };
}
