import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { issueAtKey } from '../config/issue-words.js';
import { jsonCutShort, jsonSyntaxError } from '../config/json-syntax-error.js';
import { InputError } from '../domain/errors.js';
import { fileWriteError } from '../domain/file-write-error.js';
import { PRIVATE_FILE } from '../domain/private-mode.js';
import { FeaturePipeline } from '../features/pipeline.js';
import { forestOnly, type ModelBlend } from './blend.js';
import type { Calibrator } from './calibration/index.js';
import type { EngineName, SavedForest } from './engine.js';
import { loadForest } from './engines.js';
import type { EvaluationReport } from './evaluation/report.js';
import { LogisticModel, type SavedLogistic } from './linear/logistic.js';
import type { ScoringModel } from '../scoring/score-leads.js';

/**
 * The saved model: one versioned JSON file holding everything needed to score new leads the
 * way training saw them (feature pipeline, forest, logistic regression and blend weight,
 * calibrator) plus what a manager needs to trust it (evaluation on unseen newer leads, the
 * training time range, excluded columns). Tiers are not stored: they are the managers'
 * setting, applied at scoring time.
 *
 * Format 2 added `blend`. Format 1 files (forest only) still load and score exactly as before:
 * their calibrator was fitted on the forest alone, which is a blend with linearWeight 0.
 * Format 3 added `scoreReference`, the population the 'rank' score scale places a lead in.
 * Format 1 and 2 files have none and score on the 'probability' scale, exactly as before.
 * Format 4 added `scoreReference.typical`, the slice's typical lead (the middle fifth's mean contribution per feature, see scoring/typical-lead.ts), which
 * reasons are measured from (see scoring/typical-lead.ts). Format 3 files have none: their
 * reasons start from the model's bias, as they did.
 * Format 5 added `scoreReference.populationQuantiles`, the slice's quantiles per feature, which
 * "low"/"high" in those reasons are judged against (see scoring/population-quantiles.ts). Older
 * files have none: their reasons judge by the training quantiles, as they did.
 */
export const BUNDLE_FORMAT = 'leadlift-model';
export const BUNDLE_FORMAT_VERSION = 5;
const READABLE_VERSIONS = [1, 2, 3, 4, 5];

/** How the forest and the logistic regression are combined (shown on the model page). */
export interface SavedBlend {
  /** Share of the logistic regression in the averaged raw probability; 0 = forest only. */
  linearWeight: number;
  space: 'probability';
  linear: SavedLogistic | null;
}

export interface ModelBundle {
  format: typeof BUNDLE_FORMAT;
  formatVersion: number;
  createdAt: string;
  engine: EngineName;
  label: { column: string; positive: string };
  /** Rows the final trees and calibrator learnt from, and the time they span. */
  training: {
    rows: number;
    positives: number;
    calibrationRows: number;
    /** null = file order; from/to are then 1-based data row numbers. */
    orderColumn: string | null;
    from: string | number | null;
    to: string | number | null;
  };
  excluded: Array<{ column: string; reason: string }>;
  /** Measured on newer leads than the model trained on; null when trained without a test part. */
  evaluation: EvaluationReport | null;
  features: unknown;
  forest: SavedForest;
  /** Absent in format 1 (forest only). */
  blend?: SavedBlend;
  calibrator: Calibrator;
  /** Absent before format 3. */
  scoreReference?: SavedScoreReference;
}

/**
 * Calibrated probabilities of the calibration slice (the newest training leads) as scored by
 * the models that did not learn from them, kept as at most 1,001 sorted quantiles.
 */
export interface SavedScoreReference {
  population: 'calibration slice';
  /** Leads in the slice (the quantiles summarise them). */
  rows: number;
  quantiles: number[];
  /** Mean contribution per feature (model feature order) over the slice, as the shipped model explains it; absent before format 4. */
  typical?: number[];
  /** Quantiles per feature (model feature order, [] for a feature not worded with a level) over the slice; absent before format 5. */
  populationQuantiles?: number[][];
}

const bundleHeader = z.object({
  format: z.literal(BUNDLE_FORMAT),
  formatVersion: z.number().int(),
});

const calibratorSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('isotonic'), xMin: z.array(z.number()), xMax: z.array(z.number()), value: z.array(z.number()) }),
  z.object({ method: z.literal('platt'), a: z.number(), b: z.number(), slopeHeld: z.boolean().optional() }),
]);

const bundleSchema = bundleHeader.extend({
  createdAt: z.string(),
  engine: z.enum(['fast', 'ml-random-forest']),
  label: z.object({ column: z.string(), positive: z.string() }),
  training: z.object({
    rows: z.number(),
    positives: z.number(),
    calibrationRows: z.number(),
    orderColumn: z.string().nullable(),
    from: z.union([z.string(), z.number()]).nullable(),
    to: z.union([z.string(), z.number()]).nullable(),
  }),
  excluded: z.array(z.object({ column: z.string(), reason: z.string() })),
  evaluation: z.record(z.unknown()).nullable(),
  features: z.unknown(),
  forest: z.object({ engine: z.string(), formatVersion: z.number() }).passthrough(),
  blend: z
    .object({
      linearWeight: z.number().min(0).max(1),
      space: z.literal('probability'),
      linear: z.object({ kind: z.literal('logistic') }).passthrough().nullable(),
    })
    .optional(),
  calibrator: calibratorSchema,
  scoreReference: z
    .object({
      population: z.literal('calibration slice'),
      rows: z.number().int().min(1),
      quantiles: z
        .array(z.number().min(0).max(1))
        .min(1)
        .refine((q) => q.every((v, i) => i === 0 || q[i - 1] <= v), 'must be sorted ascending'),
      typical: z.array(z.number()).optional(),
      populationQuantiles: z.array(z.array(z.number())).optional(),
    })
    .optional(),
});

/**
 * `flag` names the option that chose `path` (--output, --save-model), so a failed write says what to change.
 * A new file is 0600 (a replaced one keeps its mode): the model keeps the training leads' category
 * values and value quantiles, CRM data that is not for every local user.
 */
export function saveBundle(path: string, bundle: ModelBundle, flag = 'the model path'): void {
  try {
    writeFileSync(path, JSON.stringify(bundle), { mode: PRIVATE_FILE });
  } catch (err) {
    throw fileWriteError(path, err, flag, `the model to ${path}`);
  }
}

export function readBundle(path: string): ModelBundle {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`Cannot read the model file ${path}: ${code === 'ENOENT' ? 'file not found' : String(code ?? err)}`, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    if (jsonCutShort(text)) {
      throw new InputError(`${path} is cut short: the model's JSON stops before its end (a copy or download that did not finish, or a full disk?). Copy the file again, or train the model again.`);
    }
    throw new InputError(`${path} is not a leadlift model: it is not valid JSON (${jsonSyntaxError(text) ?? 'JSON cannot read it'}).`);
  }
  const header = bundleHeader.safeParse(json);
  if (!header.success) throw new InputError(`${path} is not a leadlift model (no "format": "${BUNDLE_FORMAT}"); pass the file written by \`leadlift train --output\`.`);
  checkVersion(header.data.formatVersion, path);
  const parsed = bundleSchema.safeParse(json);
  if (!parsed.success) throw new InputError(`${path} is a damaged leadlift model (${issueAtKey(parsed.error)}); train the model again.`);
  const blend = parsed.data.blend;
  if (parsed.data.formatVersion >= 2 && (!blend || (blend.linearWeight > 0 && !blend.linear))) {
    throw new InputError(`${path} is a damaged leadlift model (format ${parsed.data.formatVersion} without a complete "blend"); train the model again.`);
  }
  if (parsed.data.formatVersion >= 3 && !parsed.data.scoreReference) {
    throw new InputError(`${path} is a damaged leadlift model (format ${parsed.data.formatVersion} without its "scoreReference"); train the model again.`);
  }
  if (parsed.data.formatVersion >= 4 && !parsed.data.scoreReference?.typical) {
    throw new InputError(`${path} is a damaged leadlift model (format ${parsed.data.formatVersion} without "scoreReference.typical"); train the model again.`);
  }
  if (parsed.data.formatVersion >= 5 && !parsed.data.scoreReference?.populationQuantiles) {
    throw new InputError(`${path} is a damaged leadlift model (format ${parsed.data.formatVersion} without "scoreReference.populationQuantiles"); train the model again.`);
  }
  return parsed.data as unknown as ModelBundle;
}

function checkVersion(version: number, path: string): void {
  if (!READABLE_VERSIONS.includes(version)) {
    throw new InputError(
      `${path} is model format ${version}; this leadlift reads formats ${READABLE_VERSIONS.join(', ')}. Train the model again with this version.`,
    );
  }
}

/** Rebuilds the scoring parts (also for bundles held in the store); errors name the file. */
export function modelFromBundle(bundle: ModelBundle, path = 'the model file'): ScoringModel {
  checkVersion(bundle.formatVersion, path);
  try {
    return {
      pipeline: FeaturePipeline.fromJSON(bundle.features),
      forest: loadForest(bundle.forest),
      blend: blendFromSaved(bundle.blend),
      calibrator: bundle.calibrator,
      // Only format 3+ carries one; older models thus keep the 'probability' scale.
      reference: bundle.formatVersion >= 3 ? bundle.scoreReference?.quantiles : undefined,
      // Only format 4+; older models' reasons start from the bias, as they did.
      typical: bundle.formatVersion >= 4 ? bundle.scoreReference?.typical : undefined,
      // Only format 5+; older models' "low"/"high" stay judged by the training quantiles.
      populationQuantiles: bundle.formatVersion >= 5 ? bundle.scoreReference?.populationQuantiles : undefined,
    };
  } catch (err) {
    if (err instanceof InputError) throw new InputError(`${path}: ${err.message}`, { cause: err });
    throw err;
  }
}

function blendFromSaved(saved: SavedBlend | undefined): ModelBlend {
  if (!saved || saved.linear === null) return forestOnly;
  return { linearWeight: saved.linearWeight, linear: LogisticModel.fromJSON(saved.linear) };
}

export function savedBlend(blend: ModelBlend): SavedBlend {
  return { linearWeight: blend.linear ? blend.linearWeight : 0, space: 'probability', linear: blend.linear?.toJSON() ?? null };
}

export function savedScoreReference(rows: number, quantiles: number[], typical: number[], populationQuantiles: number[][]): SavedScoreReference {
  return { population: 'calibration slice', rows, quantiles, typical, populationQuantiles };
}

export function loadModel(path: string): { bundle: ModelBundle; model: ScoringModel } {
  const bundle = readBundle(path);
  return { bundle, model: modelFromBundle(bundle, path) };
}
