import type { DatasetOptions } from './options.js';

/** Category names that stand for groups rather than values. */
export const OTHER = 'other';
export const MISSING = '(missing)';

/**
 * Pseudo-count pulling a category's conversion rate toward the overall rate, so a category
 * seen on 3 leads with 2 conversions does not sort above one seen on 3,000.
 */
export const SMOOTHING = 20;

/** How one categorical column is encoded: learnt on training rows, applied to any rows. */
export interface CategoricalEncoding {
  /** Category per integer code, ordered by smoothed training conversion rate (lowest first). */
  categories: string[];
  /** Codes of the groups; missingCode is null when training had no missing value. */
  otherCode: number;
  missingCode: number | null;
  /** Categories pooled into "other" for being rare on the training rows. */
  pooled: string[];
}

/**
 * Orders categories by smoothed training conversion rate so that a tree's threshold split on
 * the code separates low-converting from high-converting categories. Missing is kept as its
 * own group (its rate decides where it sorts) instead of NaN, since "no job given" is itself
 * a signal; "other" always exists so a category never seen in training has a code.
 */
export function fitCategorical(
  values: readonly (string | null)[],
  rows: ArrayLike<number>,
  y: ArrayLike<number>,
  pooling: DatasetOptions['rarePooling'],
): CategoricalEncoding {
  const counts = new Map<string, { n: number; pos: number }>();
  let positives = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const key = values[r] ?? MISSING;
    let c = counts.get(key);
    if (!c) counts.set(key, (c = { n: 0, pos: 0 }));
    c.n++;
    c.pos += y[r];
    positives += y[r];
  }
  const prior = rows.length === 0 ? 0 : positives / rows.length;
  const minCount = Math.max(pooling.minCount, pooling.minShare * rows.length);

  const groups = new Map<string, { n: number; pos: number }>([[OTHER, { n: 0, pos: 0 }]]);
  const pooled: string[] = [];
  for (const [key, c] of counts) {
    const rare = key !== MISSING && key !== OTHER && c.n < minCount;
    if (rare) pooled.push(key);
    const target = rare ? OTHER : key;
    const g = groups.get(target) ?? { n: 0, pos: 0 };
    g.n += c.n;
    g.pos += c.pos;
    groups.set(target, g);
  }
  const rate = (g: { n: number; pos: number }) => (g.pos + SMOOTHING * prior) / (g.n + SMOOTHING);
  const categories = [...groups.entries()]
    .sort(([ka, a], [kb, b]) => rate(a) - rate(b) || (ka < kb ? -1 : ka > kb ? 1 : 0))
    .map(([key]) => key);
  const missingCode = categories.indexOf(MISSING);
  return {
    categories,
    otherCode: categories.indexOf(OTHER),
    missingCode: missingCode === -1 ? null : missingCode,
    pooled: pooled.sort(),
  };
}

/** Integer codes for any rows; unseen categories become "other", never an error. */
export function encodeCategorical(encoding: CategoricalEncoding, values: readonly (string | null)[]): Float64Array {
  const codes = new Map(encoding.categories.map((c, i) => [c, i]));
  for (const p of encoding.pooled) codes.set(p, encoding.otherCode);
  codes.delete(MISSING); // a real value spelled "(missing)" is just another unseen category
  const out = new Float64Array(values.length);
  for (let r = 0; r < values.length; r++) {
    const v = values[r];
    out[r] = v === null ? (encoding.missingCode ?? encoding.otherCode) : (codes.get(v) ?? encoding.otherCode);
  }
  return out;
}
