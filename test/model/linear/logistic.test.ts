import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/domain/errors.js';
import type { FeatureMatrix } from '../../../src/features/types.js';
import { fitLogistic, LogisticModel } from '../../../src/model/linear/logistic.js';

/**
 * Leads whose conversion rises with visits, is higher from the "reference" source (code 1)
 * than from "web" (code 0) and unknown source (NaN), and does not depend on noise.
 */
function leads(n: number, seed = 7): { x: FeatureMatrix; y: Uint8Array } {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const visits = new Float64Array(n);
  const source = new Float64Array(n);
  const noise = new Float64Array(n);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    visits[i] = rnd() < 0.1 ? NaN : Math.floor(rnd() * 20);
    const u = rnd();
    source[i] = u < 0.1 ? NaN : u < 0.6 ? 0 : 1;
    noise[i] = rnd();
    const z = -2 + 0.15 * (Number.isNaN(visits[i]) ? 10 : visits[i]) + (source[i] === 1 ? 1.2 : 0);
    y[i] = rnd() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return {
    x: {
      rows: n,
      defs: [
        { name: 'visits', source: 'visits', kind: 'numeric', label: 'Website visits' },
        { name: 'source', source: 'source', kind: 'categorical', label: 'Lead source', categories: ['web', 'reference'] },
        { name: 'noise', source: 'noise', kind: 'numeric', label: 'Noise' },
      ],
      columns: [visits, source, noise],
    },
    y,
  };
}

describe('logistic regression (the blend\'s linear part and the baseline)', () => {
  const train = leads(3000);
  const model = fitLogistic(train.x, train.y);
  const test = leads(500, 99);

  it('learns the signs of a known signal and ranks new leads by it', () => {
    const { weights, encoders } = model.toJSON();
    expect(encoders.map((e) => e.kind)).toEqual(['numeric', 'onehot', 'numeric']);
    expect(weights[0]).toBeGreaterThan(0.5); // visits, standardised
    // One-hot columns in code order -1 (missing), 0 (web), 1 (reference): reference is highest.
    const [missing, web, reference] = weights.slice(1, 4);
    expect(reference).toBeGreaterThan(web + 0.8);
    expect(reference).toBeGreaterThan(missing + 0.8);
    expect(Math.abs(weights[4])).toBeLessThan(0.15); // noise
    const p = model.predict(test.x);
    let hi = 0, lo = 0;
    for (let i = 0; i < test.x.rows; i++) {
      if (test.x.columns[0][i] >= 15 && test.x.columns[1][i] === 1) hi = Math.max(hi, p[i]);
      if (test.x.columns[0][i] <= 2 && test.x.columns[1][i] === 0) lo = Math.max(lo, p[i]);
    }
    expect(hi).toBeGreaterThan(0.6);
    expect(lo).toBeLessThan(0.25);
  });

  it('contributions add up exactly to the log-odds, one-hot terms on their categorical feature', () => {
    const z = model.logOdds(test.x);
    const c = model.contributions(test.x);
    expect(c.features).toBe(3);
    for (let i = 0; i < test.x.rows; i++) {
      let sum = c.bias;
      for (let f = 0; f < 3; f++) sum += c.values[i * 3 + f];
      expect(sum).toBeCloseTo(z[i], 12);
    }
    // Measured from the average training lead: contributions average out to about 0 on training rows.
    const onTrain = model.contributions(train.x);
    for (let f = 0; f < 3; f++) {
      let mean = 0;
      for (let i = 0; i < train.x.rows; i++) mean += onTrain.values[i * 3 + f];
      expect(Math.abs(mean / train.x.rows)).toBeLessThan(1e-9);
    }
    // A reference lead gains from its source, a web lead loses.
    const row = test.x.columns[1].findIndex((v) => v === 1);
    const webRow = test.x.columns[1].findIndex((v) => v === 0);
    expect(c.values[row * 3 + 1]).toBeGreaterThan(0);
    expect(c.values[webRow * 3 + 1]).toBeLessThan(0);
  });

  it('round-trips through JSON with identical predictions', () => {
    const again = LogisticModel.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    expect(again.predict(test.x)).toEqual(model.predict(test.x));
  });

  it('refuses a damaged save or a matrix of other features, saying to retrain', () => {
    const saved = model.toJSON();
    expect(() => LogisticModel.fromJSON({ ...saved, weights: saved.weights.slice(1) })).toThrow(/weights for .* design columns; retrain/);
    expect(() => LogisticModel.fromJSON({ ...saved, intercept: 'x' })).toThrow(InputError);
    const other = { ...test.x, defs: test.x.defs.map((d, f) => (f === 2 ? { ...d, name: 'age' } : d)) };
    expect(() => model.predict(other)).toThrow(/trained on 3 features .* retrain/);
  });
});
