/**
 * Isotonic calibration by pool-adjacent-violators (PAV): the non-decreasing step function
 * closest (least squares) to the observed outcomes, ordered by the forest's raw probability.
 */
export interface IsotonicCalibrator {
  method: 'isotonic';
  /** Blocks in increasing order of raw probability: [xMin, xMax] share one calibrated value. */
  xMin: number[];
  xMax: number[];
  value: number[];
}

/** PAV on already-ordered targets with weights; returns one fitted value per input. */
export function poolAdjacentViolators(y: ArrayLike<number>, weights?: ArrayLike<number>): number[] {
  const n = y.length;
  const mean: number[] = [];
  const weight: number[] = [];
  const size: number[] = [];
  for (let i = 0; i < n; i++) {
    mean.push(y[i]);
    weight.push(weights ? weights[i] : 1);
    size.push(1);
    // Merge backwards while the newest block is below the one before it.
    while (mean.length > 1 && mean[mean.length - 2] > mean[mean.length - 1]) {
      const w = weight[weight.length - 2] + weight[weight.length - 1];
      const m = (mean[mean.length - 2] * weight[weight.length - 2] + mean[mean.length - 1] * weight[weight.length - 1]) / w;
      const s = size[size.length - 2] + size[size.length - 1];
      mean.length -= 1;
      weight.length -= 1;
      size.length -= 1;
      mean[mean.length - 1] = m;
      weight[weight.length - 1] = w;
      size[size.length - 1] = s;
    }
  }
  const out: number[] = [];
  mean.forEach((m, b) => {
    for (let k = 0; k < size[b]; k++) out.push(m);
  });
  return out;
}

export function fitIsotonic(raw: ArrayLike<number>, y: ArrayLike<number>): IsotonicCalibrator {
  const order = Array.from({ length: raw.length }, (_, i) => i).sort((a, b) => raw[a] - raw[b]);
  // Equal raw probabilities must get one calibrated value, so ties are pooled before PAV.
  const xs: number[] = [];
  const ys: number[] = [];
  const ws: number[] = [];
  for (const i of order) {
    const last = xs.length - 1;
    if (last >= 0 && xs[last] === raw[i]) {
      ys[last] = (ys[last] * ws[last] + y[i]) / (ws[last] + 1);
      ws[last] += 1;
    } else {
      xs.push(raw[i]);
      ys.push(y[i]);
      ws.push(1);
    }
  }
  const fitted = poolAdjacentViolators(ys, ws);
  const cal: IsotonicCalibrator = { method: 'isotonic', xMin: [], xMax: [], value: [] };
  for (let i = 0; i < xs.length; i++) {
    const b = cal.value.length - 1;
    if (b >= 0 && cal.value[b] === fitted[i]) cal.xMax[b] = xs[i];
    else {
      cal.xMin.push(xs[i]);
      cal.xMax.push(xs[i]);
      cal.value.push(fitted[i]);
    }
  }
  return cal;
}

/**
 * Flat inside a block, linear between neighbouring blocks (so two leads with nearby raw
 * probabilities do not jump a whole step apart), clamped beyond the ends.
 */
export function applyIsotonic(cal: IsotonicCalibrator, p: number): number {
  const { xMin, xMax, value } = cal;
  const n = value.length;
  if (n === 0) return p;
  if (p <= xMax[0]) return value[0];
  if (p >= xMin[n - 1]) return value[n - 1];
  let lo = 0;
  let hi = n - 1;
  // Find the last block starting at or before p.
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (xMin[mid] <= p) lo = mid;
    else hi = mid - 1;
  }
  if (p <= xMax[lo]) return value[lo];
  const t = (p - xMax[lo]) / (xMin[lo + 1] - xMax[lo]);
  return value[lo] + t * (value[lo + 1] - value[lo]);
}
