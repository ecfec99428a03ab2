import type { Exclusion } from '../features/leakage.js';

/**
 * A column the refit on every lead left out though the measured model used it (the guard saw a
 * leak only once the newest leads were in): listed with the measurement, saying its figures
 * still include the column, so the report never claims more about the model than was measured.
 */
export function refitExclusion(e: Exclusion): Exclusion {
  return { column: e.column, reason: `${e.reason}; found when the model was refitted on every lead, so the figures above were measured with it` };
}

/**
 * The measured fit's list once the refit on every lead is known. A field left out only because it
 * was empty or the same on every row the measured fit trained on is checked again on every lead
 * (see carriedForward), and the model in service may use it; listing it bare under "fields left
 * out" would tell a manager the scores ignore a field they do read. Such entries stay (the figures
 * were measured without the field) and say the model in service uses it.
 */
export function servedAfterRefit<E extends { column: string; reason: string }>(listed: readonly E[], servedColumns: readonly string[]): E[] {
  const served = new Set(servedColumns);
  return listed.map((e) =>
    served.has(e.column)
      ? { ...e, reason: `left out of the fit measured above only (${e.reason}); newer leads have it, so the model in service, refitted on every closed lead, uses it` }
      : e,
  );
}
