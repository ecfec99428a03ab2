import { wholeNumber } from '../domain/counted.js';

/**
 * Training rows whose values were read after the lead's outcome was known (in the loop: closed
 * leads never scored while open, described by their record as synced, not by a snapshot).
 *
 * Why they are checked alone: a field a CRM fills in only once a lead is won (a contract date, a
 * property a workflow sets on conversion) is empty on every snapshot row, so on a table of mostly
 * snapshots it measures far under the leakage bound (three rows in four from snapshots:
 * single-feature AUC 0.62 on every row) while the post-close rows still teach "filled => won"
 * (1.00 on them alone; test/jobs/filled-on-conversion.test.ts).
 */
export interface PostCloseRows {
  /** The training rows read after their outcome, in the training rows' (time) order. */
  rows: number[];
  /** Outcome per entry of `rows` (1 converted). */
  y: Uint8Array;
  /** How many training rows the check is one part of. */
  ofTraining: number;
}

/**
 * Fewer converters or non-converters than this among the post-close rows and their own AUC is
 * noise. Measured on the bank data (honest columns only, 100 random subsets each): with 10 of
 * each outcome some column passed 0.90 in 12 subsets of 100; with 15, in none (highest 0.89);
 * with 20 the highest was 0.88, and 0.84 with four non-converters to each converter.
 */
export const MIN_POST_CLOSE_EACH_OUTCOME = 20;

/**
 * The training rows to check on their own, or null when there is nothing to add to the check on
 * every training row: none are post-close, or all are (the first cycle, before leadlift scored
 * any lead: the check on them alone is the check already made), or too few of either outcome.
 */
export function postCloseTrainingRows(
  rows: ArrayLike<number>,
  y: ArrayLike<number>,
  postClose: ReadonlySet<number> | undefined,
): PostCloseRows | null {
  if (!postClose || postClose.size === 0) return null;
  const picked = Array.from(rows).filter((r) => postClose.has(r));
  if (picked.length === 0 || picked.length === rows.length) return null;
  const yPicked = Uint8Array.from(picked, (r) => (y[r] ? 1 : 0));
  const converted = yPicked.reduce((n, v) => n + v, 0);
  if (converted < MIN_POST_CLOSE_EACH_OUTCOME || picked.length - converted < MIN_POST_CLOSE_EACH_OUTCOME) return null;
  return { rows: picked, y: yPicked, ofTraining: rows.length };
}

/** The exclusion's words: both figures, which rows, and why those rows tell. */
export function postCloseLeakReason(postCloseAuc: string, allRowsAuc: string, bound: string, part: PostCloseRows): string {
  return (
    `single-feature AUC ${postCloseAuc} > ${bound} on the ${wholeNumber(part.rows.length)} training leads that closed before leadlift scored them ` +
    `(${allRowsAuc} on all ${wholeNumber(part.ofTraining)}): those leads' values were synced after the outcome, and among them it ` +
    'separates the outcome almost perfectly, likely filled in once it was known'
  );
}

