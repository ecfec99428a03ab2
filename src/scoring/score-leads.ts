import type { FeaturePipeline } from '../features/pipeline.js';
import type { FeatureMatrix } from '../features/types.js';
import type { Tier } from '../config/tiers.js';
import { type Calibrator, calibrateOne } from '../model/calibration/index.js';
import { blendedContributions, blendedPredict, type ModelBlend } from '../model/blend.js';
import type { TrainedForest } from '../model/engine.js';
import { type Describe, groupFeaturesByColumn, type LeadReasons, reasonsForLead } from './reasons.js';
import { referenceQuantiles, type ScoreScaleName, scoreScaleFor } from './score-scale.js';
import { assignTiers, hasCapacityTier } from './capacity-tiers.js';
import { tierFor } from './tiers.js';
import { type TypicalLead, typicalFor, typicalLeadOf } from './typical-lead.js';
import { type PopulationQuantiles, populationQuantilesFor, populationQuantilesOf } from './population-quantiles.js';

/** What scoring needs from a trained model (held in memory or loaded from a bundle). */
export interface ScoringModel {
  pipeline: FeaturePipeline;
  forest: TrainedForest;
  /** The logistic regression blended with the forest, and its weight (see model/blend.ts). */
  blend: ModelBlend;
  /** Maps the blended raw probability. */
  calibrator: Calibrator;
  /**
   * Calibrated probabilities of recent leads the model never saw (sorted quantiles), against
   * which the 'rank' scale places a lead; absent in models saved before bundle format 3.
   */
  reference?: readonly number[];
  /**
   * The typical lead of the same population (see typical-lead.ts), what reasons are measured
   * against; absent in models saved before bundle format 4, whose reasons start from the bias.
   */
  typical?: TypicalLead;
  /**
   * The same population's quantiles per feature, which "low"/"high" in reasons are judged against
   * (see population-quantiles.ts); absent in models saved before bundle format 5, whose reasons
   * judge by the training quantiles.
   */
  populationQuantiles?: PopulationQuantiles;
}

export interface ScoredLead {
  /** Calibrated probability of converting. */
  probability: number;
  score: number;
  tier: string;
  reasons?: LeadReasons;
}

export interface ScoringSettings {
  tiers: readonly Tier[];
  /** Config `reasons`; `others` absent: no line for the factors not listed. */
  reasons: { for: number; against: number; others?: number | null };
  /** Config `scoring.scale`; a model without a reference population scores 'probability'. */
  scale: ScoreScaleName;
  /**
   * Sorted calibrated probabilities of the leads a score should rank against (the open pipeline,
   * see pipelineReference); overrides the model's own calibration-slice reference for 'rank'.
   * Without it the model's reference is the fallback.
   */
  reference?: readonly number[];
  /**
   * The typical lead of the population the score is measured in, which reasons explain the
   * score against: the typical lead of `reference`'s leads (see typicalLeadOf), or
   * 'batch' for the rows of this one matrix themselves (evaluate's test leads). With `reference` and
   * without it, reasons start from the model's bias (a population stored before its means were);
   * with neither, the model's own reference slice serves for both.
   */
  typical?: TypicalLead | 'batch';
  /**
   * The same population's quantiles per feature (see population-quantiles.ts), which "low" and
   * "high" are judged against; with typical 'batch', this matrix's own. Where `typical` comes
   * from a population and these do not (one stored before they were kept), or neither is known,
   * the training quantiles judge; with neither `typical` nor `reference`, the model's reference slice's.
   */
  populationQuantiles?: PopulationQuantiles;
  /**
   * The tier of row i, when the tiers were resolved over more leads than this batch (the loop
   * ranks capacity tiers over every open lead). Without it, capacity tiers take the best of the batch.
   */
  tierOf?: (row: number, lead: { probability: number; score: number }) => string;
}

/** Calibrated probability of every row: a prediction only, no contributions (cheap first pass). */
export function calibratedProbabilities(model: ScoringModel, x: FeatureMatrix): Float64Array {
  return calibrated(model, blendedPredict(model.forest, model.blend, x));
}

/** Calibrated probabilities of raw (blended, uncalibrated) ones. */
export function calibrated(model: ScoringModel, raw: ArrayLike<number>): Float64Array {
  const out = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = calibrateOne(model.calibrator, raw[i]);
  return out;
}

/**
 * The reference a batch of leads ranks against: the sorted quantiles of their calibrated
 * probabilities. Tiers exist so reps know which of their current leads to call first, and under
 * drift the newest leads all outrank the older calibration slice; ranking among the open leads
 * keeps the tiers meaning shares of the pipeline.
 */
export function pipelineReference(probabilities: ArrayLike<number>): number[] {
  return referenceQuantiles(probabilities);
}

/** Scores every row of a feature matrix built by the model's own pipeline. */
export function scoreMatrix(model: ScoringModel, x: FeatureMatrix, settings: ScoringSettings, withReasons = true): ScoredLead[] {
  const raw = blendedPredict(model.forest, model.blend, x);
  const reference = settings.reference && settings.reference.length > 0 ? settings.reference : model.reference;
  const scale = scoreScaleFor(settings.scale, reference);
  const out: ScoredLead[] = new Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    const probability = calibrateOne(model.calibrator, raw[i]);
    const score = scale.score(probability);
    out[i] = { probability, score, tier: settings.tierOf ? settings.tierOf(i, { probability, score }) : tierFor(score, settings.tiers) };
  }
  if (!settings.tierOf && hasCapacityTier(settings.tiers)) {
    // A file or a test set scored on its own: "top N" means the N best leads of this batch.
    const { tierOf } = assignTiers(settings.tiers, out.map((r, i) => ({ id: String(i).padStart(12, '0'), probability: r.probability, score: r.score })));
    out.forEach((r, i) => (r.tier = tierOf.get(String(i).padStart(12, '0'))!));
  }
  if (!withReasons || x.rows === 0) return out;
  const contributions = blendedContributions(model.forest, model.blend, x);
  const groups = groupFeaturesByColumn(x.defs, model.pipeline.reasonGroups);
  const ownPopulation = settings.reference !== undefined && settings.reference.length > 0;
  const typical = settings.typical === 'batch' ? typicalLeadOf(contributions) : (settings.typical ?? (ownPopulation ? undefined : model.typical));
  // Words follow the points: a population's quantiles only with that population's typical lead.
  const quantiles =
    settings.typical === 'batch'
      ? populationQuantilesOf(x)
      : (settings.populationQuantiles ?? (ownPopulation || settings.typical ? undefined : model.populationQuantiles));
  const levels = populationQuantilesFor(quantiles, x.defs.length);
  const ctx = {
    defs: x.defs,
    bias: contributions.bias,
    typical: typicalFor(typical, x.defs.length),
    calibrate: (r: number) => calibrateOne(model.calibrator, r),
    scale,
    // A value coded "other" (rare in training, or new) is worded as the lead's own value: the
    // rep sees "sep" in the CRM, and "another, less common value" would read as a mismatch.
    describe: ((f, value, options) => {
      const own = x.otherValues?.[f]?.[row];
      if (own) return model.pipeline.describeOwnValue(f, own);
      return model.pipeline.describe(f, value, levels ? { ...options, levels: levels[f] } : options);
    }) satisfies Describe,
    maxFor: settings.reasons.for,
    maxAgainst: settings.reasons.against,
    othersFrom: settings.reasons.others,
  };
  // NaN is how a reason words an unknown value: a missing value coded as "other" is still unknown.
  const unknown = x.missingAsOther;
  // The row describe() words; reasonsForLead names features by index only.
  let row = 0;
  for (let i = 0; i < x.rows; i++) {
    row = i;
    out[i].reasons = reasonsForLead(ctx, groups, contributions.values, i, raw[i], (f) => (unknown?.[f]?.[i] ? Number.NaN : x.columns[f][i]));
  }
  return out;
}
