import type { AppConfig } from '../config/schema.js';
import { carriedForward, exclusionsBeyond } from '../features/carried-exclusions.js';
import { type PreparedTraining, prepareTraining, type PrepareTrainingRequest } from '../features/prepare-training.js';
import type { RawTable } from '../features/raw-table.js';
import type { ScoringModel } from '../scoring/score-leads.js';
import { blendedContributions, blendedPredict, forestOnly, type ModelBlend } from './blend.js';
import { calibrate, type Calibrator, fitCalibrator } from './calibration/index.js';
import { referenceQuantiles } from '../scoring/score-scale.js';
import type { EngineName, ForestOptions, TrainedForest } from './engine.js';
import type { FeatureMatrix } from '../features/types.js';
import { typicalLeadOf } from '../scoring/typical-lead.js';
import { populationQuantilesOf } from '../scoring/population-quantiles.js';
import { getEngine } from './engines.js';
import { fitLogistic } from './linear/logistic.js';
import { prepareCalibrationStage, type PreparedForFit } from './prepare-for-fit.js';
import { recencyWeights } from './recency-weights.js';

export interface FitModelRequest {
  table: RawTable;
  /** The same request the training part was prepared with (label, positive, order, exclude, options). */
  request: Omit<PrepareTrainingRequest, 'input' | 'split' | 'testFraction' | 'carriedExclusions'>;
  /**
   * Training rows already prepared (dataset rows in time order, pipeline fitted on them), best
   * with prepareForFit, so its exclusions already hold the calibration stage's and stage 1 comes
   * prepared with it.
   */
  prepared: PreparedTraining | PreparedForFit;
  config: AppConfig;
  engine: EngineName;
  seed: number;
  onTrees?: (done: number, total: number) => void;
}

export interface FittedModel extends ScoringModel {
  calibrator: Calibrator;
  calibrationRows: number;
  /** Sorted quantiles of the calibration slice's calibrated probabilities (see step 1). */
  reference: number[];
  /** The slice's typical lead as the returned model explains it: the middle fifth's mean contribution per feature (see step 3, scoring/typical-lead.ts). */
  typical: number[];
  /** The slice's quantiles per feature, which "low"/"high" in its reasons are judged against (see scoring/population-quantiles.ts). */
  populationQuantiles: number[][];
  forestOptions: ForestOptions;
  /** Columns the final trees do not use, with why: `prepared`'s and those stage 1 carries forward (see carriedForward). */
  excluded: PreparedTraining['excluded'];
}

/**
 * Forest, logistic regression (when config `model.blend.linearWeight` > 0) and one calibrator
 * for their blend (see blend.ts), from the training rows, time kept in order:
 *  1. both models on the older part, blended raw probabilities on the newest
 *     `calibration.fraction` (which neither model saw) -> calibrator; those same out-of-sample
 *     probabilities, calibrated, are the reference population of the 'rank' score scale
 *     ("recent leads", not inflated by in-sample fit);
 *  2. with `calibration.refit`, both models are fitted again on every training row with the
 *     same settings, and the calibrator from step 1 maps their blend.
 *  3. the returned model's typical lead over that same slice (transformed by its own
 *     pipeline) are the typical lead its reasons are measured from when it scores against the
 *     slice (`leadlift score`), and the slice's quantiles per feature what "low" and "high" mean there.
 * Stage 1 keeps out every column `prepared` excludes, and step 2 every column stage 1 excludes
 * as a leak (or identifier, or by config); a column merely constant on the older rows stays in.
 * With `model.recencyHalfLife`, both models weigh each training lead by its recency (see
 * recency-weights.ts), ages counted from the newest lead of the part being fitted.
 * Step 2 matters under drift: on the bank data, holding the newest training fifth back from
 * the trees dropped test AUC from about 0.70 to about 0.61 (see the engine issue's report).
 */
export async function fitModel(req: FitModelRequest): Promise<FittedModel> {
  const { config, prepared } = req;
  const { engine: _engine, blend: blendConfig, recencyHalfLife, ...forestSettings } = config.model;
  const options: ForestOptions = { ...forestSettings, seed: req.seed };
  const engine = getEngine(req.engine);
  const stage1 = calibrationStage(req, config.calibration.fraction);

  const stages = config.calibration.refit ? 2 : 1;
  const total = options.trees * stages;
  const fitBoth = async (part: PreparedTraining, treesBefore: number) => {
    // Ages count from each part's own newest lead: stage 1 weighs the rows it trains on.
    const weights = recencyHalfLife === null ? undefined : recencyWeights(part.train.rows, recencyHalfLife);
    // The ml-random-forest engine is kept for comparison and cannot weigh rows: its trees train
    // unweighted, the logistic half still follows model.recencyHalfLife.
    const forestWeights = engine.weighsRows ? weights : undefined;
    const forest = await engine.fit(part.train, part.yTrain, options, (done) => req.onTrees?.(treesBefore + done, total), forestWeights);
    const blend: ModelBlend =
      blendConfig.linearWeight > 0
        ? { linearWeight: blendConfig.linearWeight, linear: fitLogistic(part.train, part.yTrain, undefined, weights) }
        : forestOnly;
    return { forest, blend };
  };

  const first = await fitBoth(stage1, 0);
  const heldOut = blendedPredict(first.forest, first.blend, stage1.test);
  const calibrator = fitCalibrator(config.calibration.method, heldOut, stage1.yTest);
  const reference = referenceQuantiles(calibrate(calibrator, heldOut));
  const common = { calibrator, calibrationRows: stage1.testRows.length, reference, forestOptions: options };
  if (!config.calibration.refit) {
    return { pipeline: stage1.pipeline, ...first, ...common, ...slicePopulation(first, stage1.test), excluded: stage1.excluded };
  }
  // Only a caller that skipped prepareForFit gets here with fewer exclusions than stage 1 made.
  const all =
    exclusionsBeyond(carriedForward(stage1.excluded), prepared.excluded).length === 0
      ? prepared
      : prepareTraining({ ...req.request, input: req.table, split: { train: prepared.trainRows, test: prepared.testRows }, carriedExclusions: stage1.excluded });
  const final = await fitBoth(all, options.trees);
  const slice = all.pipeline.transform(all.dataset, { rows: stage1.testRows });
  return { pipeline: all.pipeline, ...final, ...common, ...slicePopulation(final, slice), excluded: all.excluded };
}

/**
 * The calibration slice's typical lead (typicalLeadOf; all zeros, the bias as base, for an empty
 * one) and its quantiles per feature (empty lists, the training quantiles, for an empty one).
 */
function slicePopulation(model: { forest: TrainedForest; blend: ModelBlend }, slice: FeatureMatrix): Pick<FittedModel, 'typical' | 'populationQuantiles'> {
  return {
    typical: typicalLeadOf(blendedContributions(model.forest, model.blend, slice)) ?? new Array<number>(slice.defs.length).fill(0),
    populationQuantiles: populationQuantilesOf(slice) ?? slice.defs.map(() => []),
  };
}

/** Stage 1's rows as prepareForFit prepared them, when they were prepared for this fraction. */
function calibrationStage(req: FitModelRequest, fraction: number): PreparedTraining {
  const given = 'calibrationStage' in req.prepared ? req.prepared.calibrationStage : undefined;
  return given?.fraction === fraction ? given.prepared : prepareCalibrationStage(req.table, req.request, req.prepared, fraction);
}
