import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/domain/errors.js';
import { defaultForestOptions, type ForestOptions } from '../../src/model/engine.js';
import { fastEngine } from '../../src/model/forest/fast-engine.js';
import { fitLogistic } from '../../src/model/linear/logistic.js';
import { recencyWeights } from '../../src/model/recency-weights.js';
import { referenceEngine } from '../../src/model/reference-engine.js';
import { matrix } from './forest/matrix.js';

/**
 * Leads in time order whose rule flips half-way: the older half converts when x > 0.5, the
 * newer half when x <= 0.5. Unweighted, both halves cancel out; weighted towards recent leads,
 * a model must follow the newer rule.
 */
function flippingLeads(n: number) {
  let s = 11;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const x: number[] = [];
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    x.push(rnd());
    const high = x[i] > 0.5;
    y[i] = (i < n / 2 ? high : !high) ? 1 : 0;
  }
  return { x: matrix([x]), y };
}

const options: ForestOptions = { ...defaultForestOptions, trees: 30, threads: 1 };
const probe = matrix([[0.1, 0.9]]);

describe('recency weights', () => {
  it('halve every half-life of the span, newest lead weighs most, mean 1', () => {
    const w = recencyWeights(101, 0.25);
    expect(w[100] / w[0]).toBeCloseTo(16, 9);
    expect(w[100] / w[75]).toBeCloseTo(2, 9);
    expect(w.reduce((a, b) => a + b, 0) / w.length).toBeCloseTo(1, 9);
  });

  it('make the forest follow the newer leads where old and new disagree', async () => {
    const { x, y } = flippingLeads(2000);
    const plain = await fastEngine.fit(x, y, options);
    const weighted = await fastEngine.fit(x, y, options, undefined, recencyWeights(x.rows, 0.1));
    const [pLow, pHigh] = plain.predict(probe);
    const [wLow, wHigh] = weighted.predict(probe);
    expect(Math.abs(pHigh - pLow)).toBeLessThan(0.3);
    expect(wLow).toBeGreaterThan(0.8);
    expect(wHigh).toBeLessThan(0.2);
  });

  it('make the logistic regression follow the newer leads where old and new disagree', () => {
    const { x, y } = flippingLeads(2000);
    const [pLow, pHigh] = fitLogistic(x, y).predict(probe);
    const [wLow, wHigh] = fitLogistic(x, y, 1, recencyWeights(x.rows, 0.1)).predict(probe);
    expect(Math.abs(pHigh - pLow)).toBeLessThan(0.15);
    expect(wLow - wHigh).toBeGreaterThan(0.4);
  });

  it('keep the weighted forest identical on 1 thread and on 2 worker threads', async () => {
    const { x, y } = flippingLeads(1500);
    const w = recencyWeights(x.rows, 0.25);
    const one = await fastEngine.fit(x, y, options, undefined, w);
    const two = await fastEngine.fit(x, y, { ...options, threads: 2 }, undefined, w);
    const grid = matrix([Array.from({ length: 50 }, (_, i) => i / 49)]);
    expect(Array.from(two.predict(grid))).toEqual(Array.from(one.predict(grid)));
  });

  it('are refused when they do not fit the rows, and by the engine that cannot use them', async () => {
    const { x, y } = flippingLeads(200);
    await expect(fastEngine.fit(x, y, options, undefined, new Float64Array(10))).rejects.toThrow(/10 sample weights for 200 rows/);
    expect(() => fitLogistic(x, y, 1, new Float64Array(200).fill(-1))).toThrow(InputError);
    await expect(referenceEngine.fit(x, y, options, undefined, recencyWeights(200, 0.5))).rejects.toThrow(/cannot weight rows/);
  });
});
