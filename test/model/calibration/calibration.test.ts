import { describe, expect, it } from 'vitest';
import { calibrate, fitCalibrator, fitIsotonic, fitPlatt, poolAdjacentViolators } from '../../../src/model/calibration/index.js';
import { MIN_SLOPE } from '../../../src/model/calibration/platt.js';
import { logLoss } from '../../../src/model/evaluation/metrics.js';

describe('isotonic calibration', () => {
  it('PAV pools adjacent violators into their mean', () => {
    // 1, 3, 2, 2, 5 -> (3,2,2) pool to 7/3.
    expect(poolAdjacentViolators([1, 3, 2, 2, 5])).toEqual([1, 7 / 3, 7 / 3, 7 / 3, 5]);
    // Fully decreasing -> one block, the overall mean.
    expect(poolAdjacentViolators([4, 3, 2, 1])).toEqual([2.5, 2.5, 2.5, 2.5]);
  });

  it('fits a non-decreasing map and interpolates between blocks', () => {
    const raw = [0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9];
    const y = [0, 0, 1, 0, 1, 0, 1, 1];
    const cal = fitIsotonic(raw, y);
    // Blocks: {0.1,0.2}->0, {0.3..0.7}->0.5 (1,0,1,0 pooled), {0.8,0.9}->1.
    expect(cal.value).toEqual([0, 0.5, 1]);
    const out = calibrate(cal, [0.05, 0.25, 0.5, 0.75, 0.95]);
    expect(Array.from(out)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it('pools equal raw probabilities before fitting', () => {
    const cal = fitIsotonic([0.5, 0.5, 0.5, 0.5], [1, 0, 0, 0]);
    expect(Array.from(calibrate(cal, [0.5]))).toEqual([0.25]);
  });
});

describe('Platt calibration', () => {
  it('learns a monotone map that improves log loss on overconfident scores', () => {
    // Raw scores overconfident: raw 0.9 converts 60%, raw 0.1 converts 40%.
    const raw: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 100; i++) {
      raw.push(0.9, 0.1);
      y.push(i < 60 ? 1 : 0, i < 40 ? 1 : 0);
    }
    const cal = fitPlatt(raw, y);
    expect(cal.a).toBeGreaterThan(0);
    const p = calibrate(cal, raw);
    expect(p[0]).toBeCloseTo(0.6, 2);
    expect(p[1]).toBeCloseTo(0.4, 2);
    expect(logLoss(y, p)).toBeLessThan(logLoss(y, raw));
  });

  it('stays finite on perfectly separated data (Platt targets)', () => {
    const raw = [0.1, 0.2, 0.3, 0.7, 0.8, 0.9];
    const y = [0, 0, 0, 1, 1, 1];
    const cal = fitCalibrator('platt', raw, y);
    expect(cal.method).toBe('platt');
    if (cal.method !== 'platt') return;
    expect(Number.isFinite(cal.a) && Number.isFinite(cal.b)).toBe(true);
    const p = calibrate(cal, raw);
    for (let i = 1; i < p.length; i++) expect(p[i]).toBeGreaterThan(p[i - 1]);
    // Smoothed targets (1/5 and 4/5) keep the extremes away from 0 and 1.
    expect(p[0]).toBeGreaterThan(0.01);
    expect(p[5]).toBeLessThan(0.99);
  });

  it('never reverses the order when the slice is anti-correlated: holds the slope at its floor', () => {
    // Raw scores that rank this slice backwards (e.g. a drifting recent period).
    const raw = [0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9];
    const y = [1, 1, 1, 0, 1, 0, 0, 0];
    const cal = fitPlatt(raw, y);
    expect(cal.slopeHeld).toBe(true);
    expect(cal.a).toBe(MIN_SLOPE);
    const p = calibrate(cal, raw);
    for (let i = 1; i < p.length; i++) expect(p[i]).toBeGreaterThan(p[i - 1]);
    // With the slope held, the intercept still matches the slice's base rate on average.
    const mean = p.reduce((s, v) => s + v, 0) / p.length;
    expect(mean).toBeGreaterThan(0.35);
    expect(mean).toBeLessThan(0.65);
  });

  it('leaves a well-ordered slice unconstrained', () => {
    const raw = [0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9];
    const y = [0, 0, 1, 0, 1, 0, 1, 1];
    const cal = fitPlatt(raw, y);
    expect(cal.slopeHeld).toBeUndefined();
    expect(cal.a).toBeGreaterThan(MIN_SLOPE);
  });

  it('does not run away when many raw values sit at the same clamp value', () => {
    // A forest gives many leads exactly 0; undamped Newton steps sent the slope to ~1e10 here.
    const raw = [0.16, 0.2, 0.24, 0, 0, 0.41, 0, 0.3];
    const y = [1, 0, 0, 0, 0, 0, 0, 0];
    const cal = fitPlatt(raw, y);
    expect(Number.isFinite(cal.a) && Number.isFinite(cal.b)).toBe(true);
    expect(Math.abs(cal.a)).toBeLessThan(100);
    const p = calibrate(cal, [0, 0.05, 0.2, 0.5]);
    for (const v of p) {
      expect(v).toBeGreaterThan(0.01);
      expect(v).toBeLessThan(0.99);
    }
  });
});
