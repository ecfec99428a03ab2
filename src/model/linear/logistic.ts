import type { FeatureMatrix } from '../../features/types.js';
import { sigmoid } from '../calibration/platt.js';

/**
 * The yardstick the forest has to beat: L2-regularised logistic regression on standardised
 * numerics (median-imputed) and one-hot categoricals, fitted by Newton's method. Same
 * features as the forest, so the comparison measures the model and not the inputs.
 */
export interface LogisticBaseline {
  name: string;
  predict(x: FeatureMatrix): Float64Array;
}

interface ColumnEncoder {
  feature: number;
  kind: 'numeric' | 'onehot';
  /** numeric: median, mean, sd after imputation */
  median?: number;
  mean?: number;
  sd?: number;
  /** onehot: the codes that get their own column (NaN code = missing gets one too) */
  codes?: number[];
}

export const baselineName = 'logistic regression (L2, one-hot)';

export function fitLogisticBaseline(x: FeatureMatrix, y: Uint8Array, lambda = 1): LogisticBaseline {
  const encoders = buildEncoders(x);
  const design = encode(x, encoders);
  const d = design.width;
  const w = new Float64Array(d + 1); // last = intercept
  const n = x.rows;
  for (let iter = 0; iter < 25; iter++) {
    const grad = new Float64Array(d + 1);
    const hess = new Float64Array((d + 1) * (d + 1));
    const row = new Float64Array(d + 1);
    for (let i = 0; i < n; i++) {
      design.row(i, row);
      row[d] = 1;
      let z = 0;
      for (let j = 0; j <= d; j++) z += w[j] * row[j];
      const p = sigmoid(z);
      const r = p - y[i];
      const s = p * (1 - p);
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
  return {
    name: baselineName,
    predict(m: FeatureMatrix): Float64Array {
      const enc = encode(m, encoders);
      const out = new Float64Array(m.rows);
      const row = new Float64Array(d + 1);
      for (let i = 0; i < m.rows; i++) {
        enc.row(i, row);
        let z = w[d];
        for (let j = 0; j < d; j++) z += w[j] * row[j];
        out[i] = sigmoid(z);
      }
      return out;
    },
  };
}

function buildEncoders(x: FeatureMatrix): ColumnEncoder[] {
  return x.defs.map((def, f) => {
    const col = x.columns[f];
    if (def.kind === 'categorical') {
      const codes = new Set<number>();
      for (let i = 0; i < x.rows; i++) codes.add(Number.isNaN(col[i]) ? -1 : col[i]);
      return { feature: f, kind: 'onehot', codes: [...codes].sort((a, b) => a - b) };
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

function encode(x: FeatureMatrix, encoders: ColumnEncoder[]) {
  const offsets: number[] = [];
  let width = 0;
  for (const e of encoders) {
    offsets.push(width);
    width += e.kind === 'onehot' ? e.codes!.length : 1;
  }
  const codeIndex = encoders.map((e) => (e.kind === 'onehot' ? new Map(e.codes!.map((c, k) => [c, k])) : null));
  return {
    width,
    row(i: number, out: Float64Array): void {
      out.fill(0, 0, width);
      encoders.forEach((e, k) => {
        const v = x.columns[e.feature][i];
        if (e.kind === 'numeric') {
          out[offsets[k]] = ((Number.isNaN(v) ? e.median! : v) - e.mean!) / e.sd!;
        } else {
          // A category never seen in training gets all zeros: the intercept speaks for it.
          const slot = codeIndex[k]!.get(Number.isNaN(v) ? -1 : v);
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
