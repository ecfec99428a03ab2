import { describe, expect, it } from 'vitest';
import { defaultForestOptions, type ForestOptions } from '../../../src/model/engine.js';
import { fastEngine } from '../../../src/model/forest/fast-engine.js';
import type { FlatForest } from '../../../src/model/forest/flat-forest.js';
import { syntheticLeads } from '../../../src/bench/synthetic-leads.js';
import { binMatrix } from '../../../src/model/forest/binning.js';
import { TreeBuilder, type TreeSettings } from '../../../src/model/forest/tree-builder.js';
import { matrix, repeat } from './matrix.js';

const oneTree: ForestOptions = { ...defaultForestOptions, trees: 1, maxFeatures: 1, minLeaf: 1, classWeight: 'none', threads: 1 };

describe('fast engine splits (known answers)', () => {
  it('splits on the separating feature, with the threshold between the classes', async () => {
    const separating = repeat([1, 2, 3, 4, 10, 11, 12, 13], 20);
    const noise = repeat([5, 1, 4, 2, 3, 5, 1, 4], 20);
    const y = Uint8Array.from(repeat([0, 0, 0, 0, 1, 1, 1, 1], 20));
    const forest = (await fastEngine.fit(matrix([noise, separating]), y, oneTree)) as FlatForest;
    const { feature, threshold, value, left, right } = forest.arrays;
    expect(feature[0]).toBe(1);
    expect(threshold[0]).toBe(7); // halfway between 4 and 10
    expect(value[left[0]]).toBe(0);
    expect(value[right[0]]).toBe(1);
    expect(feature[left[0]]).toBe(-1);
    expect(Array.from(forest.predict(matrix([[0, 0], [6.9, 7.1]])))).toEqual([0, 1]);
  });

  it('stops at maxDepth 0 with the positive share at the root', async () => {
    const y = Uint8Array.from(repeat([0, 0, 0, 1], 50));
    const x = matrix([repeat([1, 2, 3, 4], 50)]);
    const forest = (await fastEngine.fit(x, y, { ...oneTree, maxDepth: 0, trees: 50 })) as FlatForest;
    expect(forest.arrays.feature.every((f) => f === -1)).toBe(true);
    const mean = forest.predict(matrix([[1]]))[0];
    expect(mean).toBeGreaterThan(0.2);
    expect(mean).toBeLessThan(0.3);
  });

  it('respects minLeaf: no leaf holds fewer rows than asked', async () => {
    const x = matrix([repeat([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3)]);
    const y = Uint8Array.from(repeat([0, 1, 0, 1, 0, 1, 0, 1, 0, 1], 3));
    const forest = (await fastEngine.fit(x, y, { ...oneTree, minLeaf: 12, sampleFraction: 1 })) as FlatForest;
    // 30 rows and leaves of at least 12: one split at most.
    expect(forest.arrays.feature.length).toBeLessThanOrEqual(3);
  });

  it('learns which way missing values go from where they fall in training', async () => {
    // Small values and missing values are negatives, large values positives.
    const present = [1, 2, 3, 4, 5, 20, 21, 22, 23, 24];
    const withMissingNegative = repeat([...present, NaN, NaN, NaN, NaN, NaN], 10);
    const yNegative = Uint8Array.from(repeat([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0], 10));
    const a = await fastEngine.fit(matrix([withMissingNegative]), yNegative, oneTree);
    // The same values, but now the missing rows converted.
    const yPositive = Uint8Array.from(repeat([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 10));
    const b = await fastEngine.fit(matrix([withMissingNegative]), yPositive, oneTree);
    const probe = matrix([[NaN, 3, 22]]);
    expect(Array.from(a.predict(probe))).toEqual([0, 0, 1]);
    expect(Array.from(b.predict(probe))).toEqual([1, 0, 1]);
  });

  it('separates missing from present values when only missingness carries the signal', async () => {
    const x = repeat([1, 2, 3, 4, NaN, NaN], 20);
    const y = Uint8Array.from(repeat([0, 0, 0, 0, 1, 1], 20));
    const forest = await fastEngine.fit(matrix([x]), y, oneTree);
    // 100 was never seen: a present value, so it goes with the present rows.
    expect(Array.from(forest.predict(matrix([[NaN, 2, 100]])))).toEqual([1, 0, 0]);
  });

  it('splits the same way with entropy on a clean signal', async () => {
    const separating = repeat([1, 2, 3, 4, 10, 11, 12, 13], 20);
    const y = Uint8Array.from(repeat([0, 0, 0, 0, 1, 1, 1, 1], 20));
    const forest = (await fastEngine.fit(matrix([separating]), y, { ...oneTree, criterion: 'entropy' })) as FlatForest;
    expect(forest.arrays.threshold[0]).toBe(7);
  });
});

describe('histogram subtraction', () => {
  // Whole-number weights keep every sum exact; with fractional weights, subtraction's rounding
  // can tip a near-tie between two splits the other way, as in any histogram forest.
  it('grows the same trees as counting every node directly', () => {
    const s = syntheticLeads(4000, 10, 3);
    const data = { binned: binMatrix(s.x), y: s.y };
    const settings: TreeSettings = { maxDepth: 10, minLeaf: 3, featuresPerSplit: 10, sampleFraction: 1, criterion: 'gini', classWeights: [1, 3], seed: 1 };
    const subtracting = new TreeBuilder(data, { ...settings, histogramSubtraction: true });
    const direct = new TreeBuilder(data, { ...settings, histogramSubtraction: false });
    for (let t = 0; t < 3; t++) {
      const a = subtracting.build(t);
      const b = direct.build(t);
      expect(a.feature.length).toBeGreaterThan(50);
      expect(a.feature).toEqual(b.feature);
      expect(a.threshold).toEqual(b.threshold);
      a.value.forEach((v, i) => expect(v).toBeCloseTo(b.value[i], 9));
    }
  });
});
