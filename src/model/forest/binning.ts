import type { FeatureMatrix } from '../../features/types.js';

/** Codes 0..254 are value bins; 255 marks a missing value. */
export const MISSING_BIN = 255;
export const MAX_VALUE_BINS = 255;

/**
 * The training matrix reduced once to one byte per cell, so split search only counts into
 * 256-slot histograms. `codes` is column-major and lives in a SharedArrayBuffer so every
 * worker thread reads the same copy.
 */
export interface BinnedMatrix {
  rows: number;
  features: number;
  codes: Uint8Array;
  /** Per feature: raw-value upper edges; code(v) <= b exactly when v <= edges[b]. */
  edges: Float64Array[];
}

/** Quantile edges: each distinct value gets its own bin while there are at most 255 of them. */
export function binEdges(column: Float64Array): Float64Array {
  let present = 0;
  for (let i = 0; i < column.length; i++) if (column[i] === column[i]) present++;
  const sorted = new Float64Array(present);
  let k = 0;
  for (let i = 0; i < column.length; i++) if (column[i] === column[i]) sorted[k++] = column[i];
  sorted.sort();

  let distinct = present > 0 ? 1 : 0;
  for (let d = 1; d < present; d++) if (sorted[d] !== sorted[d - 1]) distinct++;

  const edges: number[] = [];
  const perBin = present / MAX_VALUE_BINS;
  let i = 0;
  while (i < present && edges.length < MAX_VALUE_BINS - 1) {
    let j = i;
    while (j + 1 < present && sorted[j + 1] === sorted[i]) j++;
    const next = j + 1;
    if (next >= present) break;
    const nextRunIsHeavy = runLength(sorted, next) >= perBin;
    // Close the bin after this value when it holds its share of rows, when every distinct
    // value fits in its own bin, or so that a heavily repeated next value gets a bin of its own.
    if (distinct <= MAX_VALUE_BINS || next >= (edges.length + 1) * perBin || nextRunIsHeavy) {
      edges.push(midpoint(sorted[j], sorted[next]));
    }
    i = next;
  }
  return Float64Array.from(edges);
}

function runLength(sorted: Float64Array, from: number): number {
  let to = from;
  while (to + 1 < sorted.length && sorted[to + 1] === sorted[from]) to++;
  return to - from + 1;
}

/** Halfway between two adjacent values, never rounding onto the upper one. */
function midpoint(low: number, high: number): number {
  const mid = low + (high - low) / 2;
  return mid < high ? mid : low;
}

/** Smallest b with value <= edges[b]; edges.length when above all edges. */
export function binOf(edges: Float64Array, value: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (value <= edges[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function binMatrix(x: FeatureMatrix): BinnedMatrix {
  const { rows } = x;
  const features = x.columns.length;
  const codes = new Uint8Array(new SharedArrayBuffer(rows * features));
  const edges: Float64Array[] = [];
  for (let f = 0; f < features; f++) {
    const column = x.columns[f];
    const e = binEdges(column);
    edges.push(e);
    const base = f * rows;
    for (let r = 0; r < rows; r++) {
      const v = column[r];
      codes[base + r] = v === v ? binOf(e, v) : MISSING_BIN;
    }
  }
  return { rows, features, codes, edges };
}
