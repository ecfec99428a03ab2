import { z } from 'zod';
import { datasetOptionsSchema } from '../features/options.js';
import { loopSchema } from './loop.js';
import { storeSchema } from './store.js';
import { tiersSchema } from './tiers.js';

/**
 * The app's configuration: config/default.json merged with the user's file (LEADLIFT_CONFIG).
 * Objects are strict so a misspelt key is reported instead of silently ignored.
 */
const maxFeatures = z.union(
  [
    z.literal('sqrt'),
    z.number().positive('must be a positive count or a fraction in (0, 1]'),
  ],
  { errorMap: () => ({ message: "must be 'sqrt', a positive count or a fraction in (0, 1]" }) },
);

/**
 * The logistic regression averaged with the forest (see src/model/blend.ts). Equal weights by
 * default, fixed a priori rather than tuned on a test part; 0 = the forest alone, 1 = the
 * logistic regression alone (the forest is still trained, for the engine's figures).
 */
export const blendSchema = z
  .object({
    linearWeight: z.number().min(0, 'must be between 0 (forest only) and 1').max(1, 'must be between 0 (forest only) and 1'),
  })
  .strict();

export const modelSchema = z
  .object({
    engine: z.enum(['fast', 'ml-random-forest']),
    trees: z.number().int().min(1).max(5000),
    maxDepth: z.number().int().min(1).max(64),
    minLeaf: z.number().int().min(1),
    maxFeatures,
    sampleFraction: z.number().gt(0).max(1),
    /**
     * Default 'none': 'balanced' weighting distorts the leaves' probabilities (every leaf
     * over-states conversion), and the calibrator restores the base rate anyway, so it buys
     * nothing; measured, balanced forests also blended worse with the logistic regression.
     */
    classWeight: z.enum(['balanced', 'none']),
    seed: z.number().int(),
    threads: z.number().int().min(1).optional(),
    criterion: z.enum(['gini', 'entropy']).optional(),
    blend: blendSchema,
    /**
     * Recency weighting of training leads: a lead's weight halves every `recencyHalfLife` of
     * the training span (a fraction: 0.25 = a quarter of the history, counted in rows from the
     * newest lead). null = every lead counts the same. Only the 'fast' engine supports it.
     */
    recencyHalfLife: z.number().gt(0, 'must be a positive fraction of the training history, or null (off)').nullable().default(null),
  })
  .strict();

export const calibrationSchema = z
  .object({
    /** Chosen by measurement on the bank data; see src/model/calibration/index.ts. */
    method: z.enum(['isotonic', 'platt']),
    /** Newest share of the training rows held back from the trees to fit the calibrator. */
    fraction: z.number().gt(0).lt(1),
    /**
     * After fitting the calibrator on the held-out slice, refit the trees on every training row
     * (same settings) and keep that calibrator. Under drift the newest leads matter most, and
     * holding them back from the trees costs more ranking quality than it buys (see report).
     */
    refit: z.boolean(),
  })
  .strict();

export const evaluationSchema = z
  .object({
    testFraction: z.number().gt(0).lt(1),
  })
  .strict();

export const reasonsSchema = z
  .object({
    for: z.number().int().min(0).max(10),
    against: z.number().int().min(0).max(10),
    /**
     * Points (either way) the factors not listed must add up to for a closing line saying so
     * ("-18 Other factors together"), so the lines add up to the score minus the typical lead's;
     * 0 = whenever they are not 0, null = never (see scoring/reasons.ts).
     */
    others: z
      .number({ invalid_type_error: 'must be a whole number of score points from 0 to 100, or null (no line for the factors not listed)' })
      .int('must be a whole number of score points from 0 to 100, or null (no line for the factors not listed)')
      .min(0, 'must be a whole number of score points from 0 to 100, or null (no line for the factors not listed)')
      .max(100, 'must be a whole number of score points from 0 to 100, or null (no line for the factors not listed)')
      .nullable(),
  })
  .strict();

export const trendSchema = z
  .object({
    /** Score points a lead must move (up or down) before its trend is not "steady". */
    threshold: z.number().int().min(1).max(100),
  })
  .strict();

/**
 * How the 0-100 score is read (see src/scoring/score-scale.ts): 'rank' = the lead's standing
 * among the open leads being scored (percent of them with a lower calibrated probability), 'probability' =
 * the calibrated probability in percent. The probability is written to its own field either way.
 */
export const scoringSchema = z
  .object({
    scale: z.enum(['rank', 'probability'], { errorMap: () => ({ message: "must be 'rank' (standing among recent leads) or 'probability'" }) }),
    /**
     * How long a cycle keeps ranking against the stored population before recomputing it (see
     * referenceIsFresh in src/jobs/score-reference-age.ts): a recomputed population moves the
     * scores of leads nothing happened to. null = recompute at every cycle.
     */
    referenceMaxAgeHours: z
      .number({ invalid_type_error: 'must be a number of hours above 0, or null (recompute at every cycle)' })
      .gt(0, 'must be a number of hours above 0, or null (recompute at every cycle)')
      .nullable(),
  })
  .strict();

export const configSchema = z
  .object({
    model: modelSchema,
    calibration: calibrationSchema,
    evaluation: evaluationSchema,
    tiers: tiersSchema,
    reasons: reasonsSchema,
    trend: trendSchema,
    scoring: scoringSchema,
    /** Feature pipeline options; their shape is owned by src/features (see its options.ts). */
    features: datasetOptionsSchema.default({}),
    /** The closed loop (sync, train, score, push, schedule); its shape is in loop.ts. */
    loop: loopSchema.default({}),
    /** What the store keeps of its history; its shape is in store.ts. */
    store: storeSchema.default({}),
  })
  .strict();

export type AppConfig = z.infer<typeof configSchema>;
export type ModelConfig = z.infer<typeof modelSchema>;
export type BlendConfig = z.infer<typeof blendSchema>;
export type ScoringConfig = z.infer<typeof scoringSchema>;
export type CalibrationConfig = z.infer<typeof calibrationSchema>;
