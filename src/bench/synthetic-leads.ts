import type { FeatureMatrix } from '../features/types.js';
import { createRandom } from '../model/forest/prng.js';

export interface SyntheticLeads {
  x: FeatureMatrix;
  y: Uint8Array;
  /** The true conversion probability of each row, for checking a model against the truth. */
  truth: Float64Array;
}

/**
 * Leads with a known signal: 8 of the features drive conversion (linear, a threshold, an
 * interaction and a categorical effect), the rest are noise; 1 feature in 5 has 10% missing
 * values. About 10% of rows convert, like a CRM's lead history.
 */
export function syntheticLeads(rows: number, features: number, seed = 7): SyntheticLeads {
  const random = createRandom(seed);
  const gauss = () => {
    const u = 1 - random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const columns: Float64Array[] = [];
  for (let f = 0; f < features; f++) {
    const col = new Float64Array(rows);
    const categorical = f % 7 === 3;
    for (let r = 0; r < rows; r++) col[r] = categorical ? Math.floor(random() * 6) : gauss();
    columns.push(col);
  }
  const y = new Uint8Array(rows);
  const truth = new Float64Array(rows);
  const at = (f: number, r: number) => (f < features ? columns[f][r] : 0);
  for (let r = 0; r < rows; r++) {
    const logit =
      -4 +
      1.2 * at(0, r) -
      0.8 * at(1, r) +
      (at(2, r) > 0.5 ? 1.0 : 0) +
      (at(3, r) === 2 ? 0.9 : 0) +
      0.7 * at(4, r) * at(5, r) +
      0.5 * Math.abs(at(6, r)) -
      0.4 * at(8, r);
    truth[r] = 1 / (1 + Math.exp(-logit));
    y[r] = random() < truth[r] ? 1 : 0;
  }
  // Missing values go in after the outcome is drawn, so missingness carries no signal of its own.
  for (let f = 0; f < features; f += 5) {
    const col = columns[f];
    for (let r = 0; r < rows; r++) if (random() < 0.1) col[r] = NaN;
  }
  const defs = columns.map((_, f) => ({ name: `f${f}`, source: `f${f}`, kind: f % 7 === 3 ? ('categorical' as const) : ('numeric' as const), label: `Feature ${f}` }));
  return { x: { rows, defs, columns }, y, truth };
}
