import type { TypedColumn } from './types.js';

/** Fewer rows with both values than this say nothing reliable about a correlation. */
const MIN_PAIRED_ROWS = 30;

/**
 * Numeric columns that move together on the training rows (|Pearson r| >= `threshold`, linked
 * transitively), each group listed in column order; columns in no group are left out.
 *
 * Why: a model shares the credit of near-duplicate columns between them, often with opposite
 * signs (on the bank data the Euribor rate, the employment variation rate and the number
 * employed correlate above 0.9, and the linear half weighs them +14 and -16 points on one lead).
 * A rep reading "+14 employment variation rate is low" and "-16 Euribor rate is low" side by
 * side learns nothing and stops trusting the reasons; one reason with their net effect is what
 * the model actually says.
 */
export function correlatedColumnGroups(columns: readonly TypedColumn[], rows: ArrayLike<number>, threshold: number): string[][] {
  const numeric = columns.filter((c): c is Extract<TypedColumn, { type: 'numeric' }> => c.type === 'numeric');
  const parent = numeric.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i])));
  for (let a = 0; a < numeric.length; a++) {
    for (let b = a + 1; b < numeric.length; b++) {
      const r = pearson(numeric[a].values, numeric[b].values, rows);
      if (Math.abs(r) >= threshold) parent[root(b)] = root(a);
    }
  }
  const groups = new Map<number, string[]>();
  numeric.forEach((c, i) => groups.set(root(i), [...(groups.get(root(i)) ?? []), c.name]));
  return [...groups.values()].filter((g) => g.length > 1);
}

/** Pearson correlation over the rows where both values are present; NaN when undefined. */
export function pearson(x: Float64Array, y: Float64Array, rows: ArrayLike<number>): number {
  let n = 0, sx = 0, sy = 0;
  for (let i = 0; i < rows.length; i++) {
    const a = x[rows[i]], b = y[rows[i]];
    if (Number.isNaN(a) || Number.isNaN(b)) continue;
    n++;
    sx += a;
    sy += b;
  }
  if (n < MIN_PAIRED_ROWS) return NaN;
  const mx = sx / n, my = sy / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < rows.length; i++) {
    const a = x[rows[i]], b = y[rows[i]];
    if (Number.isNaN(a) || Number.isNaN(b)) continue;
    sxy += (a - mx) * (b - my);
    sxx += (a - mx) ** 2;
    syy += (b - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? NaN : sxy / Math.sqrt(sxx * syy);
}
