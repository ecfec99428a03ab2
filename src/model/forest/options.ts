import { z } from 'zod';
import { issueAtKey, shownValue } from '../../config/issue-words.js';
import { InputError } from '../../domain/errors.js';
import type { ForestOptions } from '../engine.js';

const forestOptionsSchema = z.object({
  trees: z.number().int().min(1).max(10_000),
  maxDepth: z.number().int().min(0).max(64),
  minLeaf: z.number().int().min(1),
  maxFeatures: z.union([
    z.literal('sqrt'),
    z.number().positive().refine((v) => v <= 1 || Number.isInteger(v), 'must be a fraction in (0, 1] or a whole count'),
  ]),
  sampleFraction: z.number().positive().max(1),
  classWeight: z.enum(['balanced', 'none']),
  seed: z.number().int(),
  threads: z.number().int().min(1).max(256).optional(),
  criterion: z.enum(['gini', 'entropy']).optional(),
});

/**
 * Rejects options no forest can use, naming the option, before any work starts: `Forest option
 * "trees" must be 1 or more (got 0)`, in the settings' words rather than zod's.
 */
export function validateForestOptions(options: ForestOptions): ForestOptions {
  const parsed = forestOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const key = parsed.error.issues[0].path[0];
    const value = typeof key === 'string' ? (options as unknown as Record<string, unknown>)[key] : undefined;
    throw new InputError(`Forest option ${issueAtKey(parsed.error)}${value === undefined ? '' : ` (got ${shownValue(value)})`}`);
  }
  return parsed.data as ForestOptions;
}

/** Features tried per split for a matrix with `features` columns. */
export function featuresPerSplit(maxFeatures: ForestOptions['maxFeatures'], features: number): number {
  if (maxFeatures === 'sqrt') return Math.max(1, Math.round(Math.sqrt(features)));
  // The contract reads 1 as the fraction 1.0 (all features), not a count of one.
  if (maxFeatures <= 1) return Math.max(1, Math.round(maxFeatures * features));
  if (maxFeatures > features) {
    throw new InputError(`Forest option "maxFeatures": ${maxFeatures} is more than the ${features} features available`);
  }
  return maxFeatures;
}
