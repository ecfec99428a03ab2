/**
 * Ranking and calibration metrics for binary outcomes (y = 1 converted, 0 not).
 * Written against scikit-learn's definitions so figures compare with SOURCE.md's table.
 */

function positivesOf(y: ArrayLike<number>): number {
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i] ? 1 : 0;
  return pos;
}

function indicesByScoreDesc(p: ArrayLike<number>): number[] {
  return Array.from({ length: p.length }, (_, i) => i).sort((a, b) => p[b] - p[a] || a - b);
}

/** Area under the ROC curve: the chance a random converter outranks a random non-converter (ties count half). */
export function auc(y: ArrayLike<number>, p: ArrayLike<number>): number {
  const n = y.length;
  const pos = positivesOf(y);
  const neg = n - pos;
  if (pos === 0 || neg === 0) return NaN;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => p[a] - p[b]);
  let rankSumPos = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && p[order[j + 1]] === p[order[i]]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (y[order[k]]) rankSumPos += avgRank;
    i = j + 1;
  }
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Average precision (PR-AUC as scikit-learn computes it): sum over thresholds of precision x recall gained. */
export function averagePrecision(y: ArrayLike<number>, p: ArrayLike<number>): number {
  const pos = positivesOf(y);
  if (pos === 0) return NaN;
  const order = indicesByScoreDesc(p);
  let tp = 0;
  let seen = 0;
  let prevRecall = 0;
  let ap = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && p[order[j]] === p[order[i]]) {
      tp += y[order[j]] ? 1 : 0;
      seen++;
      j++;
    }
    const recall = tp / pos;
    ap += (recall - prevRecall) * (tp / seen);
    prevRecall = recall;
    i = j;
  }
  return ap;
}

/** Mean negative log-likelihood; probabilities are clipped so one confident miss does not give Infinity. */
export function logLoss(y: ArrayLike<number>, p: ArrayLike<number>, eps = 1e-15): number {
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    const q = Math.min(1 - eps, Math.max(eps, p[i]));
    sum -= y[i] ? Math.log(q) : Math.log(1 - q);
  }
  return sum / y.length;
}

export function brier(y: ArrayLike<number>, p: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum += (p[i] - (y[i] ? 1 : 0)) ** 2;
  return sum / y.length;
}

/**
 * Expected calibration error over equal-width bins of predicted probability:
 * sum over bins of (share of leads in the bin) x |mean predicted - observed conversion rate|.
 */
export function expectedCalibrationError(y: ArrayLike<number>, p: ArrayLike<number>, bins = 10): number {
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  for (let i = 0; i < y.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(p[i] * bins)));
    count[b]++;
    sumP[b] += p[i];
    sumY[b] += y[i] ? 1 : 0;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    if (count[b] > 0) ece += (count[b] / y.length) * Math.abs(sumP[b] / count[b] - sumY[b] / count[b]);
  }
  return ece;
}

/**
 * Conversion rate among the top-scored 10% of leads divided by the overall rate: how many
 * times better than random a rep does by calling the top decile first.
 * Ties at the cut are broken by row order, which keeps the figure deterministic.
 */
export function liftTopDecile(y: ArrayLike<number>, p: ArrayLike<number>, fraction = 0.1): number {
  const n = y.length;
  const pos = positivesOf(y);
  if (n === 0 || pos === 0) return NaN;
  const k = Math.max(1, Math.round(n * fraction));
  const order = indicesByScoreDesc(p);
  let topPos = 0;
  for (let i = 0; i < k; i++) topPos += y[order[i]] ? 1 : 0;
  return topPos / k / (pos / n);
}

export function positiveRate(y: ArrayLike<number>): number {
  return y.length === 0 ? NaN : positivesOf(y) / y.length;
}
