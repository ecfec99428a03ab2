/**
 * A small seeded PRNG (splitmix32 mixing + mulberry32 stream). Each tree gets its own stream
 * derived from (forest seed, tree index), so a forest is identical however trees are spread
 * over threads.
 */
export type Random = () => number;

function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

export function treeSeed(seed: number, treeIndex: number): number {
  return mix32(mix32(seed >>> 0) ^ Math.imul(treeIndex + 1, 0x9e3779b9));
}

/** mulberry32: uniform floats in [0, 1). */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
