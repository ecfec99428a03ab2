import type { Dataset } from './types.js';

/** Fewest steps between dated rows before a column's direction is trusted. */
const MIN_STEPS = 10;
/** Share of the steps that must go back in time for a column to "run newest first". */
const MOSTLY = 0.9;

/**
 * A date column that runs (mostly) newest first down the given rows, in file order: without
 * --order the file order is taken as time order, oldest first, so such a file is split backwards
 * (its oldest leads become the "newest" test part). Undefined when no date column does.
 * Equal neighbours and missing dates do not count either way.
 */
export function newestFirstDateColumn(dataset: Dataset, rows: readonly number[]): string | undefined {
  for (const column of dataset.columns) {
    if (column.type !== 'date') continue;
    let back = 0;
    let forward = 0;
    let previous = Number.NaN;
    for (const r of rows) {
      const v = column.values[r];
      if (Number.isNaN(v)) continue;
      if (v < previous) back++;
      else if (v > previous) forward++;
      previous = v;
    }
    const steps = back + forward;
    if (steps >= MIN_STEPS && back >= MOSTLY * steps) return column.name;
  }
  return undefined;
}
