import { isCapacityTier, tiersSchema, type Tier } from '../config/tiers.js';
import { parseConfigValue } from '../config/validate.js';

export type { Tier };

/** Validates a tier list from any source (config file, admin page); errors name the key. */
export function parseTiers(value: unknown, key = 'tiers'): Tier[] {
  return parseConfigValue(tiersSchema, value, key);
}

/**
 * The first (highest) minimum-score tier the score reaches. Capacity tiers are skipped: they
 * depend on the other leads, see capacity-tiers.ts. Tiers are validated highest first, lowest = 0.
 */
export function tierFor(score: number, tiers: readonly Tier[]): string {
  for (const tier of tiers) if (!isCapacityTier(tier) && score >= tier.min) return tier.name;
  return tiers[tiers.length - 1].name;
}
