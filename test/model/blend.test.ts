import { describe, expect, it } from 'vitest';
import type { FeatureMatrix } from '../../src/features/types.js';
import { blendedContributions, blendedPredict, forestOnly } from '../../src/model/blend.js';
import { defaultForestOptions } from '../../src/model/engine.js';
import { fastEngine } from '../../src/model/forest/fast-engine.js';
import { fitLogistic } from '../../src/model/linear/logistic.js';

/** Conversion rises with x0, falls with x1; x2 is a categorical with one strong category. */
function data(n: number, seed: number): { x: FeatureMatrix; y: Uint8Array } {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const cols = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    cols[0][i] = rnd() * 10;
    cols[1][i] = rnd() < 0.1 ? NaN : rnd() * 5;
    cols[2][i] = Math.floor(rnd() * 3);
    const z = -1.5 + 0.3 * cols[0][i] - 0.4 * (Number.isNaN(cols[1][i]) ? 2 : cols[1][i]) + (cols[2][i] === 2 ? 1 : 0);
    y[i] = rnd() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return {
    x: {
      rows: n,
      defs: [
        { name: 'x0', source: 'x0', kind: 'numeric', label: 'X0' },
        { name: 'x1', source: 'x1', kind: 'numeric', label: 'X1' },
        { name: 'x2', source: 'x2', kind: 'categorical', label: 'X2', categories: ['a', 'b', 'c'] },
      ],
      columns: cols,
    },
    y,
  };
}

describe('forest + logistic regression blend', async () => {
  const train = data(1500, 3);
  const test = data(300, 11);
  const forest = await fastEngine.fit(train.x, train.y, { ...defaultForestOptions, trees: 20, threads: 1, seed: 1 });
  const linear = fitLogistic(train.x, train.y);

  it('averages the two probabilities with the configured weight; weight 0 is the forest alone', () => {
    const f = forest.predict(test.x);
    const l = linear.predict(test.x);
    const half = blendedPredict(forest, { linearWeight: 0.5, linear }, test.x);
    const quarter = blendedPredict(forest, { linearWeight: 0.25, linear }, test.x);
    for (let i = 0; i < test.x.rows; i++) {
      expect(half[i]).toBeCloseTo((f[i] + l[i]) / 2, 14);
      expect(quarter[i]).toBeCloseTo(0.75 * f[i] + 0.25 * l[i], 14);
    }
    expect(blendedPredict(forest, forestOnly, test.x)).toEqual(f);
    expect(blendedPredict(forest, { linearWeight: 0, linear }, test.x)).toEqual(f);
  });

  it('contributions: bias + sum = blended raw probability for every lead, linear signs kept', () => {
    for (const linearWeight of [0.5, 0.8, 1]) {
      const blend = { linearWeight, linear };
      const raw = blendedPredict(forest, blend, test.x);
      const c = blendedContributions(forest, blend, test.x);
      expect(c.features).toBe(3);
      for (let i = 0; i < test.x.rows; i++) {
        let sum = c.bias;
        for (let f = 0; f < 3; f++) sum += c.values[i * 3 + f];
        expect(sum).toBeCloseTo(raw[i], 12);
      }
    }
    // Linear alone: each feature's share has the sign of its log-odds contribution.
    const onlyLinear = blendedContributions(forest, { linearWeight: 1, linear }, test.x);
    const logOdds = linear.contributions(test.x);
    for (let k = 0; k < onlyLinear.values.length; k++) {
      expect(Math.sign(onlyLinear.values[k])).toBe(Math.sign(logOdds.values[k]));
    }
    // The average training lead's probability is the linear part's base.
    expect(onlyLinear.bias).toBeCloseTo(1 / (1 + Math.exp(-logOdds.bias)), 14);
  });

  it('weight 0 gives the forest\'s own contributions', () => {
    const own = forest.contributions(test.x);
    const c = blendedContributions(forest, forestOnly, test.x);
    expect(c.bias).toBe(own.bias);
    expect(c.values).toEqual(own.values);
  });
});
