import { isCapacityTier, type Tier } from '../config/tiers.js';

/**
 * Capacity tiers ("top N leads a day"). Semantics: at every scheduled scoring cycle, a capacity
 * tier holds the N open leads with the highest calibrated probability (so the highest score) that
 * no higher tier took; ties go to the lower lead id so the choice is repeatable. N is the reps'
 * daily callback capacity and the tier is today's call list: a manager can filter the CRM on it and
 * count N. We chose this over scaling N by the inflow of new leads (the page's earlier conversion):
 * "top 10 a day" then meant every lead above the score that 10-in-a-day-of-arrivals reaches, which
 * held 1,441 open leads, a list no rep can call, frozen at the score of the day it was saved.
 *
 * Scores are whole points and many leads share one, so the cut-off is the probability of the Nth
 * lead, not a score; `min` is the lowest score admitted, shown to the manager.
 */
export interface TierCutoff {
  name: string;
  /** Lowest score in the tier (minimum-score tiers: their minimum; null: the tier is empty). */
  min: number | null;
  /** Capacity tiers: the probability of the last lead admitted; null when the tier had room. */
  probability: number | null;
  /** Leads the tier held when resolved. */
  leads: number;
}

export interface RankedLead {
  id: string;
  probability: number;
  score: number;
}

export function hasCapacityTier(tiers: readonly Tier[]): boolean {
  return tiers.some(isCapacityTier);
}

/** Each lead's tier, and each tier's cut-off, for the given leads taken together. */
export function assignTiers(tiers: readonly Tier[], leads: readonly RankedLead[]): { tierOf: Map<string, string>; cutoffs: TierCutoff[] } {
  let remaining = [...leads].sort((a, b) => b.probability - a.probability || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const tierOf = new Map<string, string>();
  const last = tiers.length - 1;
  const cutoffs = tiers.map((tier, i): TierCutoff => {
    let taken: RankedLead[];
    if (i === last) taken = remaining;
    else if (isCapacityTier(tier)) taken = remaining.slice(0, tier.perDay);
    else taken = remaining.filter((l) => l.score >= tier.min);
    const ids = new Set(taken.map((l) => l.id));
    for (const l of taken) tierOf.set(l.id, tier.name);
    remaining = remaining.filter((l) => !ids.has(l.id));
    if (!isCapacityTier(tier)) return { name: tier.name, min: tier.min, probability: null, leads: taken.length };
    // Sorted best first, so the last lead taken has the tier's lowest score.
    const lowest = taken.length > 0 ? taken[taken.length - 1] : null;
    const full = taken.length === tier.perDay;
    return { name: tier.name, min: lowest?.score ?? null, probability: full ? lowest!.probability : null, leads: taken.length };
  });
  return { tierOf, cutoffs };
}

/**
 * A lead's tier against the cut-offs of the last cycle, for a real-time rescore. Re-ranking every
 * open lead whenever one changes would move other leads in and out of a capacity tier between
 * two calls of a rep; so a changed lead joins a capacity tier if it beats that tier's last lead
 * (the tier may run over N until the next cycle), and `kept` (the tier of a lead the model sees as
 * it was last scored) keeps its capacity-tier seat as it was, so probabilities that
 * drift with the lead's age do not push it across the cut-off either.
 */
export function tierByCutoffs(tiers: readonly Tier[], cutoffs: readonly TierCutoff[], lead: { probability: number; score: number }, kept?: string): string {
  for (let i = 0; i < tiers.length - 1; i++) {
    const tier = tiers[i];
    if (!isCapacityTier(tier)) {
      if (lead.score >= tier.min) return tier.name;
      continue;
    }
    const cut = cutoffs[i]?.probability ?? null;
    if (kept !== undefined ? kept === tier.name : cut === null || lead.probability >= cut) return tier.name;
  }
  return tiers[tiers.length - 1].name;
}
