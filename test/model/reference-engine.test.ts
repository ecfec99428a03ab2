import { RandomForestClassifier } from 'ml-random-forest';
import { beforeAll, describe, expect, it } from 'vitest';
import { auc } from '../../src/model/evaluation/metrics.js';
import { syntheticLeads } from '../../src/bench/synthetic-leads.js';
import { defaultForestOptions, type ForestOptions, type TrainedForest } from '../../src/model/engine.js';
import { loadForest } from '../../src/model/engines.js';
import { flattenCartTree, type CartNode } from '../../src/model/forest/from-ml-cart.js';
import { referenceEngine } from '../../src/model/reference-engine.js';

// ml-random-forest's cost grows with the square of the rows: keep the data small.
const options: ForestOptions = { ...defaultForestOptions, trees: 20, maxFeatures: 0.5 };
const train = syntheticLeads(700, 8, 1);
const test = syntheticLeads(500, 8, 2);

describe('ml-random-forest reference engine', () => {
  let forest: TrainedForest;
  beforeAll(async () => {
    forest = await referenceEngine.fit(train.x, train.y, options);
  });

  it('trains on data with missing values and ranks leads better than chance', () => {
    expect(train.x.columns[0].some(Number.isNaN)).toBe(true);
    expect(forest.engine).toBe('ml-random-forest');
    expect(auc(test.y, forest.predict(test.x))).toBeGreaterThan(0.65);
  });

  it('scores a missing value as it scores the training median it was imputed with', () => {
    const present = train.x.columns[0].filter((v) => !Number.isNaN(v)).sort();
    const n = present.length;
    const median = n % 2 ? present[n >> 1] : (present[(n >> 1) - 1] + present[n >> 1]) / 2;
    const row = (v: number) => ({ ...test.x, rows: 1, columns: test.x.columns.map((c, f) => Float64Array.of(f === 0 ? v : c[0])) });
    expect(forest.predict(row(NaN))[0]).toBe(forest.predict(row(median))[0]);
  });

  it('explains each prediction exactly: bias + contributions = prediction', () => {
    const p = forest.predict(test.x);
    const c = forest.contributions(test.x);
    let worst = 0;
    let spread = 0;
    for (let r = 0; r < test.x.rows; r++) {
      let sum = c.bias;
      for (let f = 0; f < c.features; f++) sum += c.values[r * c.features + f];
      worst = Math.max(worst, Math.abs(sum - p[r]));
      spread = Math.max(spread, Math.abs(p[r] - c.bias));
    }
    expect(worst).toBeLessThan(1e-9);
    expect(spread).toBeGreaterThan(0.1);
  });

  it('is deterministic for a seed and round-trips through JSON', async () => {
    const a = await referenceEngine.fit(train.x, train.y, { ...options, trees: 3 });
    const b = await referenceEngine.fit(train.x, train.y, { ...options, trees: 3 });
    const c = await referenceEngine.fit(train.x, train.y, { ...options, trees: 3, seed: 9 });
    expect(b.predict(test.x)).toEqual(a.predict(test.x));
    expect(c.predict(test.x)).not.toEqual(a.predict(test.x));
    const loaded = loadForest(JSON.parse(JSON.stringify(a.toJSON())));
    expect(loaded.engine).toBe('ml-random-forest');
    expect(loaded.predict(test.x)).toEqual(a.predict(test.x));
  });

  it('walks converted trees exactly as ml-cart routes rows', () => {
    // Complete rows only: the library itself cannot take missing values.
    const rows = Array.from({ length: 300 }, (_, r) => train.x.columns.map((c) => (Number.isNaN(c[r]) ? 0 : c[r])));
    const labels = Array.from(train.y.subarray(0, 300));
    const library = new RandomForestClassifier({ nEstimators: 1, maxFeatures: 1.0, seed: 3, noOOB: true, treeOptions: { maxDepth: 6 } });
    library.train(rows, labels);
    const features = rows[0].length;
    const tree = flattenCartTree((library.estimators![0] as unknown as { root: CartNode }).root, {
      columns: library.indexes![0],
      medians: new Float64Array(features),
      classWeights: [1, 1],
      training: Float64Array.from(rows.flat()),
      features,
    });
    const probe = Array.from({ length: 500 }, (_, r) => test.x.columns.map((c) => (Number.isNaN(c[r]) ? 0 : c[r])));
    const votes = library.predict(probe);
    let disagreements = 0;
    let ties = 0;
    probe.forEach((row, r) => {
      let node = 0;
      while (tree.feature[node] >= 0) node = row[tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
      const share = tree.value[node];
      if (share === 0.5) ties++;
      else if ((share > 0.5 ? 1 : 0) !== votes[r]) disagreements++;
    });
    expect(disagreements).toBe(0);
    expect(ties).toBeLessThan(50);
  });
});
