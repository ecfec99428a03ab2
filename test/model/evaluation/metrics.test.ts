import { describe, expect, it } from 'vitest';
import { auc, averagePrecision, brier, expectedCalibrationError, liftTopDecile, logLoss } from '../../../src/model/evaluation/metrics.js';

describe('metrics (known answers)', () => {
  it('AUC counts correctly ordered pairs, ties as half', () => {
    // Positives scored 0.8, 0.4; negatives 0.6, 0.4, 0.2. Pairs (pos > neg): 0.8 beats all 3;
    // 0.4 beats 0.2, ties 0.4 (half), loses to 0.6 -> (3 + 1.5) / 6.
    expect(auc([1, 0, 1, 0, 0], [0.8, 0.6, 0.4, 0.4, 0.2])).toBeCloseTo(4.5 / 6, 12);
    expect(auc([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4])).toBe(1);
    expect(auc([1, 1, 0, 0], [0.1, 0.2, 0.3, 0.4])).toBe(0);
  });

  it('average precision matches the precision-at-each-recall-step sum', () => {
    // Ranked: 1 (P=1), 0, 1 (P=2/3), 0 -> AP = 0.5*1 + 0.5*(2/3).
    expect(averagePrecision([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1])).toBeCloseTo(0.5 + 1 / 3, 12);
  });

  it('log loss and Brier on a hand-worked pair', () => {
    expect(logLoss([1, 0], [0.8, 0.4])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 12);
    expect(brier([1, 0], [0.8, 0.4])).toBeCloseTo((0.04 + 0.16) / 2, 12);
  });

  it('ECE weights each bin\'s gap by its share of leads', () => {
    // Bin 0.1-0.2: p=0.15 x2, outcomes 0,1 -> gap |0.15-0.5| = 0.35, weight 2/4.
    // Bin 0.9-1.0: p=0.95 x2, outcomes 1,1 -> gap 0.05, weight 2/4.
    expect(expectedCalibrationError([0, 1, 1, 1], [0.15, 0.15, 0.95, 0.95])).toBeCloseTo(0.5 * 0.35 + 0.5 * 0.05, 12);
    // Perfectly calibrated bins give 0.
    expect(expectedCalibrationError([0, 1], [0.5, 0.5])).toBeCloseTo(0, 12);
  });

  it('lift in the top decile is the top tenth\'s rate over the overall rate', () => {
    const y = new Array(20).fill(0);
    const p = Array.from({ length: 20 }, (_, i) => 1 - i / 20);
    y[0] = 1; // top 2 rows: 1 converter of 2 -> 0.5; overall 4 of 20 -> 0.2
    y[1] = 0;
    y[10] = 1;
    y[11] = 1;
    y[12] = 1;
    expect(liftTopDecile(y, p)).toBeCloseTo(0.5 / 0.2, 12);
  });
});
