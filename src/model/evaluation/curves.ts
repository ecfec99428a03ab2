import type { Contributions } from '../engine.js';
import { typicalLeadOf } from '../../scoring/typical-lead.js';
import type { FeatureDef } from '../../features/types.js';

/**
 * The points behind the model page's charts, measured on the same unseen test leads as the
 * evaluation's figures and stored with them (EvaluationReport.curves), so a manager can see
 * the curve of any past model without rescoring anything.
 */
export interface EvaluationCurves {
  /** ROC curve from (0,0) to (1,1): false- and true-positive rate as the threshold falls. */
  roc: Array<{ fpr: number; tpr: number }>;
  /** Bins of equal lead counts by predicted probability: mean prediction vs observed conversion. */
  calibration: Array<{ predicted: number; observed: number; leads: number }>;
  /** Columns ranked by mean absolute contribution to the predicted probability, with their share. */
  topFactors: Array<{ column: string; label: string; share: number }>;
}

/** ROC points at every distinct score, thinned to about `maxPoints` (the ends always kept). */
export function rocPoints(y: ArrayLike<number>, p: ArrayLike<number>, maxPoints = 101): EvaluationCurves['roc'] {
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i] ? 1 : 0;
  const neg = y.length - pos;
  if (pos === 0 || neg === 0) return [];
  const order = Array.from({ length: p.length }, (_, i) => i).sort((a, b) => p[b] - p[a]);
  const all: EvaluationCurves['roc'] = [{ fpr: 0, tpr: 0 }];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    // Tied scores move together: a threshold cannot separate them.
    while (j < order.length && p[order[j]] === p[order[i]]) {
      if (y[order[j]]) tp++;
      else fp++;
      j++;
    }
    all.push({ fpr: fp / neg, tpr: tp / pos });
    i = j;
  }
  const step = Math.max(1, Math.ceil((all.length - 1) / (maxPoints - 1)));
  const thinned = all.filter((_, i) => i % step === 0 || i === all.length - 1);
  return thinned.map((pt) => ({ fpr: round(pt.fpr), tpr: round(pt.tpr) }));
}

/**
 * Reliability bins of equal lead counts, ordered by predicted probability: with conversion rates
 * around 10%, equal-width bins would put nearly every lead in the first bin and draw one point.
 */
export function calibrationBins(y: ArrayLike<number>, p: ArrayLike<number>, bins = 10): EvaluationCurves['calibration'] {
  const order = Array.from({ length: p.length }, (_, i) => i).sort((a, b) => p[a] - p[b]);
  const out: EvaluationCurves['calibration'] = [];
  const groups = Math.min(bins, order.length);
  for (let g = 0; g < groups; g++) {
    const from = Math.floor((g * order.length) / groups);
    const to = Math.floor(((g + 1) * order.length) / groups);
    let sumP = 0;
    let sumY = 0;
    for (let k = from; k < to; k++) {
      sumP += p[order[k]];
      sumY += y[order[k]] ? 1 : 0;
    }
    const n = to - from;
    if (n > 0) out.push({ predicted: round(sumP / n), observed: round(sumY / n), leads: n });
  }
  return out;
}

/**
 * Which columns set the test leads' scores apart most: mean |contribution - the typical lead's
 * contribution| per column (typicalLeadOf: the middle fifth of these leads) (a number and its "is missing" flag count as one
 * column), as a share of the total. Measured from the leads' typical lead, as reasons are (see
 * scoring/reasons.ts): a value every test lead shares (the economy of the newest months) moves
 * them all alike and tells no lead from another, so it counts for nothing here either.
 */
export function topFactors(contributions: Contributions, defs: readonly FeatureDef[], limit = 10): EvaluationCurves['topFactors'] {
  const rows = contributions.features === 0 ? 0 : contributions.values.length / contributions.features;
  const typical = typicalLeadOf(contributions);
  const byColumn = new Map<string, { label: string; sum: number }>();
  for (let f = 0; f < defs.length; f++) {
    const def = defs[f];
    const m = typical?.[f] ?? 0;
    let sum = 0;
    for (let r = 0; r < rows; r++) sum += Math.abs(contributions.values[r * contributions.features + f] - m);
    const entry = byColumn.get(def.source) ?? { label: def.kind === 'missing-indicator' ? def.source : def.label, sum: 0 };
    if (def.kind !== 'missing-indicator') entry.label = def.label;
    entry.sum += sum;
    byColumn.set(def.source, entry);
  }
  const total = [...byColumn.values()].reduce((s, e) => s + e.sum, 0);
  if (total === 0) return [];
  return [...byColumn]
    .map(([column, e]) => ({ column, label: e.label, share: round(e.sum / total) }))
    .sort((a, b) => b.share - a.share || a.column.localeCompare(b.column))
    .slice(0, limit);
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
