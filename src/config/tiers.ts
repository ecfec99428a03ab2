import { z } from 'zod';
import { closestKey } from './known-keys.js';

/**
 * Priority tiers a manager sets, listed from the highest tier down. A tier is either
 * - a minimum score: `{ name, min }`, the leads whose score is at least `min`; or
 * - a capacity: `{ name, perDay }`, the `perDay` best-scored open leads (of each CRM) not already
 *   in a higher tier, chosen afresh at every scheduled scoring cycle: the day's call list for reps
 *   who can call back `perDay` leads a day (src/scoring/capacity-tiers.ts says why and how).
 * The last tier must be a minimum score of 0 so every lead gets a tier.
 */
const tierName = z.string().trim().min(1, 'must be a non-empty name').max(40, 'must be at most 40 characters');
const minScore = z.number().int('must be a whole number of score points').min(0, 'must be 0 or more').max(100, 'must be 100 or less');
const leadsPerDay = z
  .number({ invalid_type_error: 'must be a whole number of leads a day' })
  .int('must be a whole number of leads a day')
  .min(1, 'must be at least 1 lead a day')
  .max(100_000, 'must be at most 100000 leads a day');

export const scoreTierSchema = z.object({ name: tierName, min: minScore }).strict();
export const capacityTierSchema = z.object({ name: tierName, perDay: leadsPerDay }).strict();

export type ScoreTier = z.infer<typeof scoreTierSchema>;
export type CapacityTier = z.infer<typeof capacityTierSchema>;
/** One tier rule as configured or saved from the admin page. */
export type Tier = ScoreTier | CapacityTier;

/**
 * A rule is told apart by its threshold key, so a `{name, min}` file from before capacity tiers
 * loads unchanged, and a problem is reported on the key the admin wrote (`tiers[0].perDay`).
 */
export const tierSchema: z.ZodType<Tier, z.ZodTypeDef, unknown> = z.unknown().superRefine((value, ctx) => {
  const has = (key: string) => typeof value === 'object' && value !== null && key in value;
  if (has('min') && has('perDay')) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['perDay'], message: 'cannot be set together with min: a tier is set by a minimum score or by leads a day, not both' });
    return;
  }
  // A tier with neither threshold key but a misspelt "perDay" ("perday", "per_day") is judged as the
  // capacity tier it was meant to be, so the error suggests perDay rather than calling min required.
  const meantPerDay = !has('min') && typeof value === 'object' && value !== null && Object.keys(value).some((k) => closestKey(['min', 'perDay'], k) === 'perDay');
  const parsed = (has('perDay') || meantPerDay ? capacityTierSchema : scoreTierSchema).safeParse(value);
  if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue(issue);
}).transform((value) => (isCapacityTier(value as Tier) ? capacityTierSchema.parse(value) : scoreTierSchema.parse(value)));

export function isCapacityTier(tier: Tier): tier is CapacityTier {
  return 'perDay' in tier;
}

/**
 * The list rules (unique names, falling minimums, lowest at 0) are checked even when some tiers
 * are themselves invalid, on whatever fields of theirs are valid, so a form hears of every fault
 * in one go. Each tier's own problems come first: a config file still fails on the key it
 * always named first (parseConfigValue reports the first issue).
 */
export const tiersSchema = z
  .array(z.unknown())
  .min(1, 'must list at least one tier')
  .superRefine((values, ctx) => {
    const parts = values.map((value, i) => {
      const parsed = tierSchema.safeParse(value);
      if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: [i, ...issue.path] });
      return validParts(value);
    });
    const seen = new Map<string, number>();
    // Minimum scores fall from tier to tier; a capacity tier sits between them wherever it is listed.
    let above: { index: number; min: number } | null = null;
    parts.forEach((tier, i) => {
      if (tier.name !== undefined) {
        const folded = tier.name.toLowerCase();
        const first = seen.get(folded);
        if (first !== undefined) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i, 'name'], message: `"${tier.name}" is already used by tiers[${first}]; tier names must be unique` });
        } else seen.set(folded, i);
      }
      if (tier.capacity || tier.min === undefined) return;
      if (above && tier.min >= above.min) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i, 'min'], message: `must be below tiers[${above.index}].min (${above.min}); list tiers from highest to lowest` });
      }
      above = { index: i, min: tier.min };
    });
    const last = parts.length - 1;
    // An empty list has its own message (min(1)); zod runs this refinement regardless.
    if (last < 0) return;
    const lowest = parts[last];
    if (lowest.capacity) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [last, 'perDay'], message: 'the lowest tier must be a minimum score of 0 so every lead gets a tier, not a number of leads a day' });
    } else if (lowest.min !== undefined && lowest.min !== 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [last, 'min'], message: 'the lowest tier must start at 0 so every lead gets a tier' });
    }
  })
  .transform((values) => values.map((value) => tierSchema.parse(value)));

/** A tier's fields that pass on their own, for the list rules: a bad minimum is not compared, a bad name not matched. */
function validParts(value: unknown): { name?: string; min?: number; capacity: boolean } {
  const has = (key: string) => typeof value === 'object' && value !== null && key in value;
  const field = (key: string) => (has(key) ? (value as Record<string, unknown>)[key] : undefined);
  const name = tierName.safeParse(field('name'));
  const min = minScore.safeParse(field('min'));
  // Told apart as tierSchema does: by the threshold key being there.
  return { name: name.success ? name.data : undefined, min: min.success ? min.data : undefined, capacity: has('perDay') };
}

/** "Hot >= 80, Call today: top 10 a day, Cold >= 0": a tier list in one line, for notes. */
export function describeTiers(tiers: readonly Tier[]): string {
  return tiers.map((t) => (isCapacityTier(t) ? `${t.name}: top ${t.perDay.toLocaleString('en-US')} a day` : `${t.name} >= ${t.min}`)).join(', ');
}
