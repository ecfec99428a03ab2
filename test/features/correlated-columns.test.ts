import { describe, expect, it } from 'vitest';
import { correlatedColumnGroups, pearson } from '../../src/features/correlated-columns.js';
import type { TypedColumn } from '../../src/features/types.js';

const numeric = (name: string, values: number[]): TypedColumn => ({ name, type: 'numeric', values: Float64Array.from(values) });
const n = 200;
const t = Array.from({ length: n }, (_, i) => i);
const noise = (i: number) => (((i * 7919) % 101) - 50) / 50; // deterministic, in [-1, 1]
const rows = t;

describe('correlated columns', () => {
  it('computes Pearson r over the rows where both values are present', () => {
    expect(pearson(Float64Array.from(t), Float64Array.from(t.map((v) => 3 * v + 1)), rows)).toBeCloseTo(1, 12);
    expect(pearson(Float64Array.from(t), Float64Array.from(t.map((v) => -v)), rows)).toBeCloseTo(-1, 12);
    const withGaps = Float64Array.from(t.map((v) => (v % 2 ? NaN : v)));
    expect(pearson(withGaps, Float64Array.from(t), rows)).toBeCloseTo(1, 12);
    expect(pearson(Float64Array.from(t.map(() => 5)), Float64Array.from(t), rows)).toBeNaN();
    expect(pearson(Float64Array.from(t), Float64Array.from(t), rows.slice(0, 10))).toBeNaN();
  });

  it('groups columns linked by |r| >= the threshold, transitively and whatever the sign, on the training rows only', () => {
    const columns: TypedColumn[] = [
      numeric('rate', t.map((i) => i + 5 * noise(i))),
      numeric('employed', t.map((i) => -2 * i + 10 * noise(i + 3))),
      numeric('index', t.map((i) => 0.5 * i + 30 * noise(i + 7))),
      numeric('age', t.map((i) => 40 + 20 * noise(i * 3 + 1))),
      { name: 'job', type: 'categorical', values: t.map((i) => (i % 2 ? 'a' : 'b')) },
    ];
    const r = (a: number, b: number) => Math.abs(pearson((columns[a] as { values: Float64Array }).values, (columns[b] as { values: Float64Array }).values, rows));
    expect(r(0, 1)).toBeGreaterThan(0.95);
    expect(r(1, 2)).toBeGreaterThan(0.8);
    expect(r(1, 2)).toBeLessThan(0.95);
    expect(correlatedColumnGroups(columns, rows, 0.95)).toEqual([['rate', 'employed']]);
    expect(correlatedColumnGroups(columns, rows, 0.8)).toEqual([['rate', 'employed', 'index']]);
    expect(correlatedColumnGroups(columns, rows, 0.999)).toEqual([]);
  });

  it('looks at the given rows only', () => {
    // Tied to "rate" on the older half, unrelated on the newer one.
    const columns = [numeric('rate', t), numeric('drifted', t.map((i) => (i < 100 ? 2 * i : 500 * noise(i))))];
    expect(correlatedColumnGroups(columns, rows.slice(0, 100), 0.95)).toEqual([['rate', 'drifted']]);
    expect(correlatedColumnGroups(columns, rows, 0.95)).toEqual([]);
  });

  it('links a number to a categorical column when its being filled in matches one category (phi >= the threshold)', () => {
    // Days since the previous call is known exactly for leads whose previous outcome is success
    // (one lead off), unrelated to the job column.
    const success = (i: number) => i % 5 === 0;
    const columns: TypedColumn[] = [
      numeric('pdays', t.map((i) => (success(i) || i === 1 ? i % 7 : NaN))),
      { name: 'job', type: 'categorical', values: t.map((i) => (i % 3 ? 'admin' : 'retired')) },
      { name: 'poutcome', type: 'categorical', values: t.map((i) => (success(i) ? 'success' : i % 2 ? 'failure' : null)) },
    ];
    expect(correlatedColumnGroups(columns, rows, 0.9)).toEqual([['pdays', 'poutcome']]);
    // One known lead without success puts phi at 0.985: under a stricter bound, no link.
    expect(correlatedColumnGroups(columns, rows, 0.99)).toEqual([]);
    // A number that is always filled in says nothing by being there.
    const always = [numeric('age', t.map((i) => 30 + (i % 9))), columns[2]];
    expect(correlatedColumnGroups(always, rows, 0.5)).toEqual([]);
  });
});
