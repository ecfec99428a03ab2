import { InputError } from '../../domain/errors.js';
import { newerCount } from './split-sizes.js';

/**
 * Row order by time: by the values of an order column (dates or numbers, oldest first; equal
 * values keep file order) or, without one, file order. Models are judged on newer leads than
 * they learnt from, so every split below cuts this order, never shuffles it.
 */
export function timeOrder(rows: number, orderValues?: ArrayLike<number>, orderName = 'order'): number[] {
  const idx = Array.from({ length: rows }, (_, i) => i);
  if (!orderValues) return idx;
  let missing = 0;
  let first = -1;
  for (let i = 0; i < rows; i++) {
    if (Number.isNaN(orderValues[i])) {
      missing++;
      if (first < 0) first = i;
    }
  }
  if (missing > 0) {
    throw new InputError(
      `--order column "${orderName}" is empty or not a date/number on ${missing} row(s) (first: data row ${first + 1}); ` +
        'every row needs a value to be placed in time. Fill it or choose another column.',
    );
  }
  return idx.sort((a, b) => orderValues[a] - orderValues[b] || a - b);
}

export interface TimeSplit {
  /** Oldest rows, in time order. */
  older: number[];
  /** Newest rows, in time order. */
  newer: number[];
}

/** Cuts time-ordered row indices: the newest `fraction` (rounded, at least 1 row) goes to `newer`. */
export function splitByTime(ordered: number[], fraction: number, what = 'test'): TimeSplit {
  if (!(fraction > 0 && fraction < 1)) throw new InputError(`The ${what} fraction must be above 0 and below 1 (got ${fraction}).`);
  const newer = newerCount(ordered.length, fraction);
  if (newer >= ordered.length) {
    throw new InputError(`Only ${ordered.length} row(s): too few to set aside a ${what} part and still train on the rest.`);
  }
  const cut = ordered.length - newer;
  return { older: ordered.slice(0, cut), newer: ordered.slice(cut) };
}
