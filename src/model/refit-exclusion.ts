import type { Exclusion } from '../features/leakage.js';

/**
 * A column the refit on every lead left out though the measured model used it (the guard saw a
 * leak only once the newest leads were in): listed with the measurement, saying its figures
 * still include the column, so the report never claims more about the model than was measured.
 */
export function refitExclusion(e: Exclusion): Exclusion {
  return { column: e.column, reason: `${e.reason}; found when the model was refitted on every lead, so the figures above were measured with it` };
}
