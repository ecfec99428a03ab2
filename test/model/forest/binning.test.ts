import { describe, expect, it } from 'vitest';
import { binEdges, binMatrix, binOf, MISSING_BIN } from '../../../src/model/forest/binning.js';
import { matrix } from './matrix.js';

describe('binning', () => {
  it('gives each distinct value its own bin with edges halfway between neighbours', () => {
    const edges = binEdges(Float64Array.from([3, 1, 2, 2, 10, NaN]));
    expect(Array.from(edges)).toEqual([1.5, 2.5, 6.5]);
    expect(binOf(edges, 1)).toBe(0);
    expect(binOf(edges, 2)).toBe(1);
    expect(binOf(edges, 6.5)).toBe(2);
    expect(binOf(edges, 6.6)).toBe(3);
  });

  it('caps many distinct values at 255 value bins of similar size', () => {
    const column = Float64Array.from({ length: 10_000 }, (_, i) => i);
    const edges = binEdges(column);
    expect(edges.length).toBe(254);
    const sizes = new Array(255).fill(0);
    for (const v of column) sizes[binOf(edges, v)]++;
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(30);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(50);
  });

  it('keeps a heavily repeated value in one bin', () => {
    const column = Float64Array.from([...new Array(5000).fill(999), ...Array.from({ length: 5000 }, (_, i) => i)]);
    const edges = binEdges(column);
    const bin999 = binOf(edges, 999);
    expect(binOf(edges, 998)).toBeLessThan(bin999);
    expect(binOf(edges, 1000)).toBeGreaterThan(bin999);
  });

  it('codes missing values apart and shares codes through a SharedArrayBuffer', () => {
    const binned = binMatrix(matrix([[1, NaN, 3], [5, 5, 5]]));
    expect(Array.from(binned.codes)).toEqual([0, MISSING_BIN, 1, 0, 0, 0]);
    expect(binned.codes.buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});
