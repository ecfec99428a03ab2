/**
 * Recency weights for `rows` training leads in time order (oldest first): the newest weighs 1
 * and a lead's weight halves every `halfLife` of the training span, age counted in rows
 * (age = (rows - 1 - i) / (rows - 1)). Rows, not timestamps, because every source orders its
 * history but not every source has a usable date; on a steady lead flow they agree.
 *
 * Scaled to mean 1, so the logistic regression's L2 penalty keeps the strength it has unweighted.
 */
export function recencyWeights(rows: number, halfLife: number): Float64Array {
  const out = new Float64Array(rows);
  if (rows === 0) return out;
  const span = Math.max(1, rows - 1);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    out[i] = Math.pow(0.5, (rows - 1 - i) / span / halfLife);
    total += out[i];
  }
  const scale = rows / total;
  for (let i = 0; i < rows; i++) out[i] *= scale;
  return out;
}
