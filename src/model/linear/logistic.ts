import { z } from 'zod';
import { issueAtKey } from '../../config/issue-words.js';
import { InputError } from '../../domain/errors.js';
import type { FeatureMatrix } from '../../features/types.js';
import { sigmoid } from '../calibration/platt.js';
import type { Contributions } from '../engine.js';
import { checkSampleWeights } from '../forest/training-input.js';

/**
 * L2-regularised logistic regression on standardised numerics (median-imputed) and one-hot
 * categoricals, fitted by Newton's method, on the same features as the forest.
 *
 * It has two jobs: the evaluation's baseline (alone, so the gain over it stays visible), and
 * the linear half of the shipped blend (see ../blend.ts). Trees cannot extrapolate along a
 * trend (the bank data's newest fifth moves its macro-economic columns past anything seen in
 * training); a linear model can, which is why the blend carries it to production. Hence it
 * saves to JSON and explains itself with exact additive contributions.
 */
export const baselineName = 'logistic regression (L2, one-hot)';

export const LOGISTIC_FORMAT_VERSION = 1;

type ColumnEncoder =
  | { feature: number; kind: 'numeric'; median: number; mean: number; sd: number }
  /**
   * `codes`: the codes seen in training, each with its own column (-1 = missing);
   * `share`: each code's share of training rows, the column's mean (the base the contribution is measured from).
   */
  | { feature: number; kind: 'onehot'; codes: number[]; share: number[] };

export interface SavedLogistic {
  kind: 'logistic';
  formatVersion: number;
  /** Feature names in matrix order: scoring a matrix of other features is refused. */
  features: string[];
  encoders: ColumnEncoder[];
  /** One weight per design column, in encoder order. */
  weights: number[];
  intercept: number;
  lambda: number;
}

const savedLogisticSchema = z.object({
  kind: z.literal('logistic'),
  formatVersion: z.literal(LOGISTIC_FORMAT_VERSION),
  features: z.array(z.string()),
  encoders: z.array(
    z.discriminatedUnion('kind', [
      z.object({ feature: z.number().int().min(0), kind: z.literal('numeric'), median: z.number(), mean: z.number(), sd: z.number().positive() }),
      z.object({ feature: z.number().int().min(0), kind: z.literal('onehot'), codes: z.array(z.number()), share: z.array(z.number()) }),
    ]),
  ),
  weights: z.array(z.number()),
  intercept: z.number(),
  lambda: z.number(),
});

export class LogisticModel {
  readonly name = baselineName;
  private readonly design: Design;

  constructor(private readonly saved: SavedLogistic) {
    this.design = designOf(saved.encoders);
    if (saved.weights.length !== this.design.width) {
      throw new InputError(`The saved logistic model has ${saved.weights.length} weights for ${this.design.width} design columns; retrain the model.`);
    }
  }

  static fromJSON(value: unknown): LogisticModel {
    const parsed = savedLogisticSchema.safeParse(value);
    // It is saved as the bundle's blend.linear.
    if (!parsed.success) throw new InputError(`The saved logistic model is damaged (${issueAtKey(parsed.error, 'blend.linear')}); retrain the model.`);
    return new LogisticModel(parsed.data);
  }

  toJSON(): SavedLogistic {
    return this.saved;
  }

  /** Log-odds of conversion, one per row. */
  logOdds(x: FeatureMatrix): Float64Array {
    this.check(x);
    const { weights, intercept } = this.saved;
    const { width } = this.design;
    const row = new Float64Array(width);
    const out = new Float64Array(x.rows);
    for (let i = 0; i < x.rows; i++) {
      this.design.encodeRow(x, i, row);
      let z = intercept;
      for (let j = 0; j < width; j++) z += weights[j] * row[j];
      out[i] = z;
    }
    return out;
  }

  /** Probability of conversion, one per row. */
  predict(x: FeatureMatrix): Float64Array {
    return this.logOdds(x).map(sigmoid);
  }

  /**
   * Exact additive attribution of logOdds(): each design column adds weight * (value - its
   * training mean), so bias = intercept + sum(weight * mean) is the log-odds of the average
   * training lead. One-hot columns of a categorical add up into that categorical's feature.
   */
  contributions(x: FeatureMatrix): Contributions {
    this.check(x);
    const { weights, encoders } = this.saved;
    const { offsets } = this.design;
    const nf = x.defs.length;
    let bias = this.saved.intercept;
    encoders.forEach((e, k) => {
      if (e.kind === 'onehot') e.share.forEach((s, c) => (bias += weights[offsets[k] + c] * s));
    });
    const values = new Float64Array(x.rows * nf);
    const row = new Float64Array(this.design.width);
    for (let i = 0; i < x.rows; i++) {
      this.design.encodeRow(x, i, row);
      encoders.forEach((e, k) => {
        const o = offsets[k];
        let c = 0;
        if (e.kind === 'numeric') c = weights[o] * row[o];
        else for (let s = 0; s < e.codes.length; s++) c += weights[o + s] * (row[o + s] - e.share[s]);
        values[i * nf + e.feature] += c;
      });
    }
    return { bias, values, features: nf };
  }

  private check(x: FeatureMatrix): void {
    const names = this.saved.features;
    if (x.defs.length !== names.length || x.defs.some((d, f) => d.name !== names[f])) {
      throw new InputError(
        `The logistic model was trained on ${names.length} features (${names.slice(0, 3).join(', ')}, …) and cannot score a matrix of ${x.defs.length} other ones; retrain the model.`,
      );
    }
  }
}

/**
 * `sampleWeights` (optional, one per row, e.g. recency) weight each row's term of the
 * log-likelihood, hence its gradient and Hessian; the encoders' medians and means stay unweighted.
 */
export function fitLogistic(x: FeatureMatrix, y: Uint8Array, lambda = 1, sampleWeights?: Float64Array): LogisticModel {
  checkSampleWeights(sampleWeights, x.rows);
  const encoders = buildEncoders(x);
  const features = x.defs.map((d) => d.name);
  const design = designOf(encoders);
  const d = design.width;
  const w = new Float64Array(d + 1); // last = intercept
  const n = x.rows;
  const row = new Float64Array(d + 1);
  for (let iter = 0; iter < 25; iter++) {
    const grad = new Float64Array(d + 1);
    const hess = new Float64Array((d + 1) * (d + 1));
    for (let i = 0; i < n; i++) {
      design.encodeRow(x, i, row);
      row[d] = 1;
      let z = 0;
      for (let j = 0; j <= d; j++) z += w[j] * row[j];
      const p = sigmoid(z);
      const sw = sampleWeights ? sampleWeights[i] : 1;
      if (sw === 0) continue;
      const r = (p - y[i]) * sw;
      const s = p * (1 - p) * sw;
      for (let j = 0; j <= d; j++) {
        if (row[j] === 0) continue;
        grad[j] += r * row[j];
        const sj = s * row[j];
        for (let k = j; k <= d; k++) if (row[k] !== 0) hess[j * (d + 1) + k] += sj * row[k];
      }
    }
    for (let j = 0; j < d; j++) {
      grad[j] += lambda * w[j];
      hess[j * (d + 1) + j] += lambda;
    }
    hess[d * (d + 1) + d] += 1e-9;
    for (let j = 0; j <= d; j++) for (let k = 0; k < j; k++) hess[j * (d + 1) + k] = hess[k * (d + 1) + j];
    const step = solveSymmetric(hess, grad, d + 1);
    let maxStep = 0;
    for (let j = 0; j <= d; j++) {
      w[j] -= step[j];
      maxStep = Math.max(maxStep, Math.abs(step[j]));
    }
    if (maxStep < 1e-8) break;
  }
  return new LogisticModel({ kind: 'logistic', formatVersion: LOGISTIC_FORMAT_VERSION, features, encoders, weights: Array.from(w.subarray(0, d)), intercept: w[d], lambda });
}

function buildEncoders(x: FeatureMatrix): ColumnEncoder[] {
  return x.defs.map((def, f): ColumnEncoder => {
    const col = x.columns[f];
    if (def.kind === 'categorical') {
      const counts = new Map<number, number>();
      for (let i = 0; i < x.rows; i++) {
        const code = Number.isNaN(col[i]) ? -1 : col[i];
        counts.set(code, (counts.get(code) ?? 0) + 1);
      }
      const codes = [...counts.keys()].sort((a, b) => a - b);
      return { feature: f, kind: 'onehot', codes, share: codes.map((c) => counts.get(c)! / (x.rows || 1)) };
    }
    const present: number[] = [];
    for (let i = 0; i < x.rows; i++) if (!Number.isNaN(col[i])) present.push(col[i]);
    present.sort((a, b) => a - b);
    const median = present.length ? present[present.length >> 1] : 0;
    let mean = 0;
    for (let i = 0; i < x.rows; i++) mean += Number.isNaN(col[i]) ? median : col[i];
    mean /= x.rows || 1;
    let varSum = 0;
    for (let i = 0; i < x.rows; i++) varSum += ((Number.isNaN(col[i]) ? median : col[i]) - mean) ** 2;
    const sd = Math.sqrt(varSum / (x.rows || 1)) || 1;
    return { feature: f, kind: 'numeric', median, mean, sd };
  });
}

interface Design {
  width: number;
  /** First design column of each encoder. */
  offsets: number[];
  /** Writes row i's design values into out[0, width). */
  encodeRow(x: FeatureMatrix, i: number, out: Float64Array): void;
}

function designOf(encoders: ColumnEncoder[]): Design {
  const offsets: number[] = [];
  let width = 0;
  for (const e of encoders) {
    offsets.push(width);
    width += e.kind === 'onehot' ? e.codes.length : 1;
  }
  const slots = encoders.map((e) => (e.kind === 'onehot' ? new Map(e.codes.map((c, k) => [c, k])) : null));
  return {
    width,
    offsets,
    encodeRow(x, i, out) {
      out.fill(0, 0, width);
      encoders.forEach((e, k) => {
        const v = x.columns[e.feature][i];
        if (e.kind === 'numeric') {
          out[offsets[k]] = ((Number.isNaN(v) ? e.median : v) - e.mean) / e.sd;
        } else {
          // A category never seen in training gets all zeros: the intercept speaks for it.
          const slot = slots[k]!.get(Number.isNaN(v) ? -1 : v);
          if (slot !== undefined) out[offsets[k] + slot] = 1;
        }
      });
    },
  };
}

/** Cholesky solve of a symmetric positive-definite system (the ridge guarantees it). */
function solveSymmetric(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * n + j];
      for (let k = 0; k < j; k++) sum -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = i === j ? Math.sqrt(Math.max(sum, 1e-12)) : sum / l[j * n + j];
    }
  }
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = b[i];
    for (let k = 0; k < i; k++) sum -= l[i * n + k] * z[k];
    z[i] = sum / l[i * n + i];
  }
  const out = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = z[i];
    for (let k = i + 1; k < n; k++) sum -= l[k * n + i] * out[k];
    out[i] = sum / l[i * n + i];
  }
  return out;
}
