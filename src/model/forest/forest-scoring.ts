import type { FeatureMatrix } from '../../features/types.js';
import type { Contributions } from '../engine.js';
import type { ForestArrays } from './forest-arrays.js';

/**
 * Rows are copied a block at a time into a row-major buffer, then every tree walks the whole
 * block: a row's features sit together and a tree's upper nodes stay in cache.
 */
const BLOCK = 256;
// Trees are stored in pre-order, so a node's left child is the next node (saves a load per step).

interface Walker {
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly right: Int32Array;
  /** Child a missing value goes to. */
  readonly missing: Int32Array;
  readonly value: Float64Array;
  readonly roots: Int32Array;
}

export function walkerFor(arrays: ForestArrays): Walker {
  const missing = new Int32Array(arrays.feature.length);
  for (let i = 0; i < missing.length; i++) missing[i] = arrays.missingLeft[i] ? arrays.left[i] : arrays.right[i];
  return { ...arrays, missing };
}

function fillBlock(x: FeatureMatrix, from: number, count: number, buffer: Float64Array): void {
  const F = x.columns.length;
  for (let f = 0; f < F; f++) {
    const col = x.columns[f];
    for (let r = 0; r < count; r++) buffer[r * F + f] = col[from + r];
  }
}

export function predictRows(walker: Walker, x: FeatureMatrix): Float64Array {
  const { feature, threshold, right, missing, value, roots } = walker;
  const F = x.columns.length;
  const out = new Float64Array(x.rows);
  const buffer = new Float64Array(BLOCK * F);
  const trees = roots.length;
  for (let from = 0; from < x.rows; from += BLOCK) {
    const count = Math.min(BLOCK, x.rows - from);
    fillBlock(x, from, count, buffer);
    for (let t = 0; t < trees; t++) {
      const root = roots[t];
      for (let r = 0; r < count; r++) {
        const o = r * F;
        let node = root;
        let f = feature[node];
        while (f >= 0) {
          const v = buffer[o + f];
          const thr = threshold[node];
          node = v <= thr ? node + 1 : v > thr ? right[node] : missing[node];
          f = feature[node];
        }
        out[from + r] += value[node];
      }
    }
    for (let r = 0; r < count; r++) out[from + r] /= trees;
  }
  return out;
}

/**
 * Tree-path (Saabas) attribution: each step down a tree moves the node value, and the move is
 * credited to the feature that was split on. Summed over the path it telescopes to
 * leaf - root, so bias (mean root value) + the row's contributions equals its prediction.
 */
export function contributeRows(walker: Walker, x: FeatureMatrix): Contributions {
  const { feature, threshold, right, missing, value, roots } = walker;
  const F = x.columns.length;
  const values = new Float64Array(x.rows * F);
  const buffer = new Float64Array(BLOCK * F);
  const trees = roots.length;
  let bias = 0;
  for (let t = 0; t < trees; t++) bias += value[roots[t]];
  bias /= trees;
  for (let from = 0; from < x.rows; from += BLOCK) {
    const count = Math.min(BLOCK, x.rows - from);
    fillBlock(x, from, count, buffer);
    for (let t = 0; t < trees; t++) {
      const root = roots[t];
      for (let r = 0; r < count; r++) {
        const o = r * F;
        const out = (from + r) * F;
        let node = root;
        let f = feature[node];
        while (f >= 0) {
          const v = buffer[o + f];
          const thr = threshold[node];
          const child = v <= thr ? node + 1 : v > thr ? right[node] : missing[node];
          values[out + f] += value[child] - value[node];
          node = child;
          f = feature[node];
        }
      }
    }
  }
  for (let i = 0; i < values.length; i++) values[i] /= trees;
  return { bias, values, features: F };
}
