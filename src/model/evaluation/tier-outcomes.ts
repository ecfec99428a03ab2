import type { Tier } from '../../config/tiers.js';
import type { TierOutcome } from './report.js';

/** Lead count and observed conversion per tier, in the configured tier order (every tier listed). */
export function tierOutcomes(tierOfLead: readonly string[], y: ArrayLike<number>, tiers: readonly Tier[]): TierOutcome[] {
  const leads = new Map<string, number>(tiers.map((t) => [t.name, 0]));
  const wins = new Map<string, number>(tiers.map((t) => [t.name, 0]));
  tierOfLead.forEach((tier, i) => {
    leads.set(tier, (leads.get(tier) ?? 0) + 1);
    wins.set(tier, (wins.get(tier) ?? 0) + (y[i] ? 1 : 0));
  });
  return tiers.map((t) => {
    const n = leads.get(t.name)!;
    return { tier: t.name, leads: n, conversionRate: n === 0 ? null : wins.get(t.name)! / n };
  });
}
