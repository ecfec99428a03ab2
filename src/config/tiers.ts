import { z } from 'zod';

/**
 * Priority tiers a manager sets: each tier holds the leads whose score is at least its `min`.
 * Listed from the highest tier down; the last one must start at 0 so every lead gets a tier.
 */
export const tierSchema = z
  .object({
    name: z.string().trim().min(1, 'must be a non-empty name').max(40, 'must be at most 40 characters'),
    min: z.number().int('must be a whole number of score points').min(0, 'must be 0 or more').max(100, 'must be 100 or less'),
  })
  .strict();

export type Tier = z.infer<typeof tierSchema>;

export const tiersSchema = z
  .array(tierSchema)
  .min(1, 'must list at least one tier')
  .superRefine((tiers, ctx) => {
    const seen = new Map<string, number>();
    tiers.forEach((tier, i) => {
      const folded = tier.name.toLowerCase();
      const first = seen.get(folded);
      if (first !== undefined) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i, 'name'], message: `"${tier.name}" is already used by tiers[${first}]; tier names must be unique` });
      } else seen.set(folded, i);
      if (i > 0 && tier.min >= tiers[i - 1].min) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i, 'min'], message: `must be below tiers[${i - 1}].min (${tiers[i - 1].min}); list tiers from highest to lowest` });
      }
    });
    const last = tiers.length - 1;
    if (tiers[last].min !== 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [last, 'min'], message: 'the lowest tier must start at 0 so every lead gets a tier' });
    }
  });
