import type { ScoreReference } from '../store/score-references.js';

/**
 * How far the open-lead count may drift from the count a stored reference was ranked over before
 * a cycle recomputes it early. Hourly churn (a few leads created, a few closed) stays well under
 * it, so standings stay put; a bulk import or a mass close-out goes over it, and then "top fifth
 * of the pipeline" against the old population would no longer describe today's pipeline.
 */
export const REFERENCE_LEADS_SHIFT = 0.1;

/**
 * Whether a scheduled cycle keeps ranking against `reference` (already known to be the active
 * model's: a promotion or a rollback finds none and recomputes). Recomputing re-ranks every open
 * lead, which moves the scores of leads nothing happened to, so it waits until the reference is
 * `maxAgeHours` old (null: never keep it) or the pipeline's size moved by REFERENCE_LEADS_SHIFT.
 */
export function referenceIsFresh(reference: ScoreReference, openLeads: number, now: number, maxAgeHours: number | null): boolean {
  if (maxAgeHours === null) return false;
  const ageHours = (now - Date.parse(reference.at)) / 3_600_000;
  // A reference dated ahead of the clock (a clock moved back) is not trusted either.
  if (!(ageHours >= 0 && ageHours < maxAgeHours)) return false;
  return reference.leads > 0 && Math.abs(openLeads - reference.leads) <= REFERENCE_LEADS_SHIFT * reference.leads;
}
