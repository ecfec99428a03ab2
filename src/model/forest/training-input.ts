import { InputError } from '../../domain/errors.js';
import type { FeatureMatrix } from '../../features/types.js';
import { NoFeaturesError, SameOutcomeError } from '../training-errors.js';

/** Checks the matrix and labels agree and both outcomes occur; returns the positive count. */
export function checkTrainingInput(x: FeatureMatrix, y: Uint8Array): { positives: number } {
  if (x.rows === 0) throw new InputError('No rows to train on: the training data is empty.');
  // prepareTraining says which columns went and why; a matrix built elsewhere cannot.
  if (x.columns.length === 0) throw new NoFeaturesError([]);
  if (y.length !== x.rows) throw new InputError(`There are ${y.length} labels for ${x.rows} rows; every row needs exactly one outcome.`);
  x.columns.forEach((column, f) => {
    if (column.length !== x.rows) {
      throw new InputError(`Feature "${x.defs[f]?.name ?? f}" has ${column.length} values for ${x.rows} rows.`);
    }
  });
  let positives = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] > 1) throw new InputError(`Label of row ${i + 1} is ${y[i]}; labels must be 0 (did not convert) or 1 (converted).`);
    positives += y[i];
  }
  if (positives === 0 || positives === x.rows) {
    throw new SameOutcomeError(positives > 0);
  }
  return { positives };
}

/** Checks optional per-row weights: one per row, finite and not negative, some positive. */
export function checkSampleWeights(weights: Float64Array | undefined, rows: number): void {
  if (weights === undefined) return;
  if (weights.length !== rows) throw new InputError(`There are ${weights.length} sample weights for ${rows} rows; every row needs exactly one weight.`);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const w = weights[i];
    if (!Number.isFinite(w) || w < 0) throw new InputError(`Sample weight of row ${i + 1} is ${w}; weights must be finite and not negative.`);
    total += w;
  }
  if (total <= 0) throw new InputError('Every sample weight is 0; at least one row must count.');
}
