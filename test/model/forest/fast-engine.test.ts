import { describe, expect, it } from 'vitest';
import { auc } from '../../../src/model/evaluation/metrics.js';
import { syntheticLeads } from '../../../src/bench/synthetic-leads.js';
import { InputError } from '../../../src/domain/errors.js';
import { defaultForestOptions, type ForestOptions } from '../../../src/model/engine.js';
import { getEngine, loadForest } from '../../../src/model/engines.js';
import { binMatrix } from '../../../src/model/forest/binning.js';
import { fastEngine } from '../../../src/model/forest/fast-engine.js';
import { trainTrees } from '../../../src/model/forest/train-trees.js';
import type { TreeSettings } from '../../../src/model/forest/tree-builder.js';
import { matrix } from './matrix.js';

const small: ForestOptions = { ...defaultForestOptions, trees: 20, threads: 1 };
const train = syntheticLeads(3000, 12, 1);
const test = syntheticLeads(2000, 12, 2);

describe('fast engine', () => {
  it('ranks leads on a known synthetic signal far better than chance', async () => {
    const forest = await fastEngine.fit(train.x, train.y, { ...small, trees: 50 });
    const forestAuc = auc(test.y, forest.predict(test.x));
    const truthAuc = auc(test.y, test.truth);
    expect(forestAuc).toBeGreaterThan(0.72);
    expect(forestAuc).toBeLessThanOrEqual(truthAuc + 0.02);
  });

  it('gives identical predictions for the same seed, on 1 thread and on 2 worker threads', async () => {
    const one = await fastEngine.fit(train.x, train.y, { ...small, threads: 1 });
    const two = await fastEngine.fit(train.x, train.y, { ...small, threads: 2 });
    const other = await fastEngine.fit(train.x, train.y, { ...small, threads: 1, seed: 7 });
    const p1 = one.predict(test.x);
    expect(two.predict(test.x)).toEqual(p1);
    expect(other.predict(test.x)).not.toEqual(p1);
  });

  it('reports progress once per finished tree', async () => {
    const seen: Array<[number, number]> = [];
    await fastEngine.fit(train.x, train.y, { ...small, trees: 6, threads: 2 }, (done, total) => seen.push([done, total]));
    expect(seen).toEqual([1, 2, 3, 4, 5, 6].map((d) => [d, 6]));
  });

  it('raises scores of rare positives with balanced class weights', async () => {
    const none = await fastEngine.fit(train.x, train.y, { ...small, classWeight: 'none' });
    const balanced = await fastEngine.fit(train.x, train.y, { ...small, classWeight: 'balanced' });
    const meanOnPositives = (p: Float64Array) => {
      let sum = 0;
      let n = 0;
      test.y.forEach((y, i) => {
        if (y) {
          sum += p[i];
          n++;
        }
      });
      return sum / n;
    };
    const rate = train.y.reduce((a, b) => a + b, 0) / train.y.length;
    expect(rate).toBeLessThan(0.2);
    // Balanced weights make both classes weigh the same at the root; unweighted roots hold the base rate.
    expect(balanced.contributions(test.x).bias).toBeCloseTo(0.5, 1);
    expect(none.contributions(test.x).bias).toBeCloseTo(rate, 1);
    expect(meanOnPositives(balanced.predict(test.x))).toBeGreaterThan(meanOnPositives(none.predict(test.x)) + 0.1);
  });

  it('explains each prediction exactly: bias + contributions = prediction, led by the real signal', async () => {
    const forest = await fastEngine.fit(train.x, train.y, small);
    const p = forest.predict(test.x);
    const c = forest.contributions(test.x);
    const F = c.features;
    expect(F).toBe(12);
    let worst = 0;
    const meanAbs = new Float64Array(F);
    for (let r = 0; r < test.x.rows; r++) {
      let sum = c.bias;
      for (let f = 0; f < F; f++) {
        sum += c.values[r * F + f];
        meanAbs[f] += Math.abs(c.values[r * F + f]);
      }
      worst = Math.max(worst, Math.abs(sum - p[r]));
    }
    expect(worst).toBeLessThan(1e-9);
    // Feature 0 carries the strongest signal; features 9-11 are pure noise.
    expect(meanAbs[0]).toBeGreaterThan(2 * Math.max(meanAbs[9], meanAbs[10], meanAbs[11]));
  });

  it('round-trips through JSON with identical predictions and contributions', async () => {
    const forest = await fastEngine.fit(train.x, train.y, small);
    const saved = JSON.parse(JSON.stringify(forest.toJSON()));
    expect(saved).toMatchObject({ engine: 'fast', formatVersion: 1, features: 12 });
    const loaded = loadForest(saved);
    expect(loaded.engine).toBe('fast');
    expect(loaded.predict(test.x)).toEqual(forest.predict(test.x));
    expect(loaded.contributions(test.x).values).toEqual(forest.contributions(test.x).values);
  });

  it('refuses saved models it cannot read, saying why', async () => {
    const forest = await fastEngine.fit(train.x, train.y, { ...small, trees: 2 });
    const saved = forest.toJSON();
    expect(() => loadForest({ ...saved, formatVersion: 2 })).toThrow(/format version 2.*upgrade leadlift/);
    expect(() => loadForest({ ...saved, formatVersion: 0 })).toThrow(/format version 0.*retrain/);
    expect(() => loadForest({ ...saved, engine: 'xgboost' as never })).toThrow(InputError);
    const arrays = saved.arrays as Record<string, string>;
    expect(() => loadForest({ ...saved, arrays: { ...arrays, left: Buffer.from(new Int32Array([5, 9, 9])).toString('base64') } })).toThrow(/damaged/);
    expect(() => loadForest({ ...saved, arrays: { ...arrays, value: undefined } })).toThrow(/damaged/);
  });

  it('refuses to score data with a different number of features', async () => {
    const forest = await fastEngine.fit(train.x, train.y, { ...small, trees: 2 });
    expect(() => forest.predict(matrix([[1, 2]]))).toThrow(/trained on 12 features but the data has 1/);
  });

  it.each<[string, Partial<ForestOptions>, RegExp]>([
    ['no trees', { trees: 0 }, /"trees"/],
    ['fractional tree count', { trees: 2.5 }, /"trees"/],
    ['negative depth', { maxDepth: -1 }, /"maxDepth"/],
    ['empty leaves', { minLeaf: 0 }, /"minLeaf"/],
    ['fraction above 1 that is not a count', { maxFeatures: 1.5 }, /"maxFeatures"/],
    ['more features than there are', { maxFeatures: 40 }, /"maxFeatures".*40.*12 features/],
    ['no rows sampled', { sampleFraction: 0 }, /"sampleFraction"/],
    ['unknown class weighting', { classWeight: 'heavy' as never }, /"classWeight"/],
    ['unknown criterion', { criterion: 'mse' as never }, /"criterion"/],
    ['zero threads', { threads: 0 }, /"threads"/],
  ])('rejects bad options: %s', async (_name, bad, message) => {
    await expect(fastEngine.fit(train.x, train.y, { ...small, ...bad })).rejects.toThrow(message);
    await expect(fastEngine.fit(train.x, train.y, { ...small, ...bad })).rejects.toBeInstanceOf(InputError);
  });

  it('rejects training data it cannot learn from', async () => {
    const x = matrix([[1, 2, 3]]);
    await expect(fastEngine.fit(x, Uint8Array.from([0, 0, 0]), small)).rejects.toThrow(/same outcome/);
    await expect(fastEngine.fit(x, Uint8Array.from([0, 1]), small)).rejects.toThrow(/2 labels for 3 rows/);
    await expect(fastEngine.fit(x, Uint8Array.from([0, 1, 2]), small)).rejects.toThrow(/row 3 is 2/);
  });

  it('looks engines up by name and rejects unknown names', () => {
    expect(getEngine('fast')).toBe(fastEngine);
    expect(getEngine('ml-random-forest').name).toBe('ml-random-forest');
    expect(() => getEngine('xgboost')).toThrow(/Unknown engine "xgboost".*fast, ml-random-forest/);
  });
});

describe('tree training on worker threads', () => {
  it('builds the same trees on workers alone as on the calling thread', async () => {
    const binned = binMatrix(train.x);
    const y = new Uint8Array(new SharedArrayBuffer(train.y.length));
    y.set(train.y);
    const settings: TreeSettings = { maxDepth: 8, minLeaf: 5, featuresPerSplit: 3, sampleFraction: 1, criterion: 'gini', classWeights: [1, 1], seed: 5 };
    const done: number[] = [];
    const onWorkers = await trainTrees({ binned, y }, settings, 8, 2, (d) => done.push(d), false);
    const inProcess = await trainTrees({ binned, y }, settings, 8, 1);
    expect(done).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(onWorkers).toEqual(inProcess);
    expect(onWorkers[0].feature.length).toBeGreaterThan(10);
    expect(onWorkers[1]).not.toEqual(onWorkers[0]);
  });
});
