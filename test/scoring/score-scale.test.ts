import { describe, expect, it } from 'vitest';
import { probabilityScale, rankScale, referenceQuantiles, scoreScaleFor } from '../../src/scoring/score-scale.js';

// Ten recent leads; 0.30 appears three times.
const reference = [0.02, 0.05, 0.08, 0.1, 0.15, 0.3, 0.3, 0.3, 0.45, 0.7];

describe('rank scale', () => {
  const scale = rankScale(reference);

  it('is the share of reference leads below, ties counted half (known answers)', () => {
    expect(scale.score(0.12)).toBe(40); // 4 below of 10
    expect(scale.score(0.1)).toBe(35); // 3 below + half of 1 tie = 3.5 / 10
    expect(scale.score(0.3)).toBe(65); // 5 below + half of 3 ties = 6.5 / 10
    expect(scale.score(0.31)).toBe(80); // 8 below
    expect(scale.exact(0.3)).toBeCloseTo(65, 12);
    expect(scale.exact(0.1)).toBeCloseTo(35, 12);
  });

  it('reaches 0 below the whole reference and 100 above it', () => {
    expect(scale.score(0)).toBe(0);
    expect(scale.score(0.01)).toBe(0);
    expect(scale.score(0.02)).toBe(5); // the lowest lead, tied with itself: half of 1/10
    expect(scale.score(0.7)).toBe(95);
    expect(scale.score(0.71)).toBe(100);
    expect(scale.score(1)).toBe(100);
    expect(scale.score(NaN)).toBe(0);
  });

  it('never gives a higher probability a lower score, and equal probabilities the same score', () => {
    let previous = -1;
    for (let k = 0; k <= 10_000; k++) {
      const p = k / 10_000;
      const s = scale.score(p);
      expect(s).toBeGreaterThanOrEqual(previous);
      expect(scale.score(p)).toBe(s);
      previous = s;
    }
  });

  it('rounds half points up as written (0.145 x 100 is 14.4999... in floating point)', () => {
    // 200 leads: a lead with 29 below scores 14.5 -> 15.
    const ref = Array.from({ length: 200 }, (_, i) => i / 200);
    expect(rankScale(ref).score(0.144)).toBe(15);
  });

  it('refuses an empty reference', () => {
    expect(() => rankScale([])).toThrow(/non-empty/);
  });
});

describe('reference quantiles', () => {
  it('keeps a small population whole, sorted, without non-finite values', () => {
    expect(referenceQuantiles([0.3, 0.1, NaN, 0.2])).toEqual([0.1, 0.2, 0.3]);
  });

  it('summarises a large population in evenly spaced quantiles, ends included', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => ((i * 7919) % 10_000) / 10_000);
    const q = referenceQuantiles(values, 101);
    expect(q).toHaveLength(101);
    expect(q[0]).toBe(0);
    expect(q[100]).toBe(0.9999);
    expect(q[50]).toBeCloseTo(0.5, 3);
    // A lead's standing against the summary is within a point of its standing against everyone.
    const full = rankScale([...values].sort((a, b) => a - b));
    const summary = rankScale(q);
    for (const p of [0.05, 0.33, 0.5, 0.81, 0.97]) expect(Math.abs(summary.exact(p) - full.exact(p))).toBeLessThan(1);
  });
});

describe('scale choice', () => {
  it('uses rank only when asked and the model has a reference population', () => {
    expect(scoreScaleFor('rank', reference).name).toBe('rank');
    expect(scoreScaleFor('rank', undefined)).toBe(probabilityScale);
    expect(scoreScaleFor('rank', [])).toBe(probabilityScale);
    expect(scoreScaleFor('probability', reference)).toBe(probabilityScale);
    expect(probabilityScale.score(0.29)).toBe(29);
    expect(probabilityScale.exact(0.295)).toBeCloseTo(29.5, 12);
  });
});
