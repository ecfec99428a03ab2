import { describe, expect, it } from 'vitest';
import { calibrationBins, rocPoints, topFactors } from '../../../src/model/evaluation/curves.js';
import { auc } from '../../../src/model/evaluation/metrics.js';
import type { FeatureDef } from '../../../src/features/types.js';

describe('evaluation curves', () => {
  it('ROC runs from (0,0) to (1,1), never falls, and its area matches the AUC', () => {
    const y = [1, 0, 1, 1, 0, 0, 1, 0, 0, 0];
    const p = [0.9, 0.8, 0.7, 0.6, 0.55, 0.5, 0.4, 0.3, 0.2, 0.1];
    const roc = rocPoints(y, p);
    expect(roc[0]).toEqual({ fpr: 0, tpr: 0 });
    expect(roc[roc.length - 1]).toEqual({ fpr: 1, tpr: 1 });
    for (let i = 1; i < roc.length; i++) {
      expect(roc[i].fpr).toBeGreaterThanOrEqual(roc[i - 1].fpr);
      expect(roc[i].tpr).toBeGreaterThanOrEqual(roc[i - 1].tpr);
    }
    let area = 0;
    for (let i = 1; i < roc.length; i++) area += (roc[i].fpr - roc[i - 1].fpr) * (roc[i].tpr + roc[i - 1].tpr) / 2;
    expect(area).toBeCloseTo(auc(y, p), 3);
  });

  it('ROC keeps tied scores together and thins long curves', () => {
    expect(rocPoints([1, 0], [0.5, 0.5])).toEqual([{ fpr: 0, tpr: 0 }, { fpr: 1, tpr: 1 }]);
    const n = 5000;
    const y = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const p = Array.from({ length: n }, (_, i) => (i * 7919) % n / n);
    const roc = rocPoints(y, p, 50);
    expect(roc.length).toBeLessThanOrEqual(51);
    expect(roc[roc.length - 1]).toEqual({ fpr: 1, tpr: 1 });
    expect(rocPoints([1, 1], [0.2, 0.3])).toEqual([]);
  });

  it('calibration bins hold equal numbers of leads, ordered by prediction, with mean prediction and observed rate', () => {
    const bins = calibrationBins([1, 0, 0, 1, 1, 0], [0.05, 0.08, 0.12, 0.91, 0.95, 0.5], 3);
    expect(bins).toEqual([
      { predicted: 0.065, observed: 0.5, leads: 2 },
      { predicted: 0.31, observed: 0, leads: 2 },
      { predicted: 0.93, observed: 1, leads: 2 },
    ]);
    expect(calibrationBins([1], [0.4], 10)).toEqual([{ predicted: 0.4, observed: 1, leads: 1 }]);
  });

  it('top factors group a column with its missing flag and rank by mean absolute contribution from the leads\' typical lead', () => {
    const defs = [
      { name: 'age', source: 'age', kind: 'numeric', label: 'Age' },
      { name: 'age__missing', source: 'age', kind: 'missing-indicator', label: 'Age is missing' },
      { name: 'job', source: 'job', kind: 'categorical', label: 'Job' },
    ] as FeatureDef[];
    // Two rows x three features. Age: 0.1 and -0.2 (0.15 either side of its mean), its flag -0.1
    // and 0 (0.05 either side); job +0.05 on both leads, so it sets neither apart.
    const values = Float64Array.from([0.1, -0.1, 0.05, -0.2, 0, 0.05]);
    const factors = topFactors({ bias: 0.1, values, features: 3 }, defs);
    expect(factors).toEqual([
      { column: 'age', label: 'Age', share: 1 },
      { column: 'job', label: 'Job', share: 0 },
    ]);
    // Job telling the leads apart now: +0.05 and -0.05 around its mean 0.
    const apart = topFactors({ bias: 0.1, values: Float64Array.from([0.1, -0.1, 0.05, -0.2, 0, -0.05]), features: 3 }, defs);
    expect(apart).toEqual([
      { column: 'age', label: 'Age', share: 0.8 },
      { column: 'job', label: 'Job', share: 0.2 },
    ]);
  });
});
