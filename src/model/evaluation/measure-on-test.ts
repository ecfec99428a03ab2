import type { AppConfig } from '../../config/schema.js';
import type { Tier } from '../../config/tiers.js';
import type { PreparedTraining } from '../../features/prepare-training.js';
import type { FeatureMatrix } from '../../features/types.js';
import { calibratedProbabilities, pipelineReference, scoreMatrix } from '../../scoring/score-leads.js';
import type { EngineName } from '../engine.js';
import type { FittedModel } from '../fit-model.js';
import { fitLogistic } from '../linear/logistic.js';
import { auc, averagePrecision, brier, expectedCalibrationError, liftTopDecile, logLoss, positiveRate } from './metrics.js';
import type { EvaluationReport } from './report.js';
import { tierOutcomes } from './tier-outcomes.js';

export interface TestMeasurement {
  report: EvaluationReport;
  /** The test leads' features and calibrated probabilities, for extra charts. */
  testX: FeatureMatrix;
  probabilities: Float64Array;
}

/**
 * Every figure a manager or the CLI sees, measured on the test leads the model never trained
 * on: ranking, calibration, tiers and the logistic baseline. `leadlift evaluate` and the loop's
 * training share it so their reports always mean the same thing.
 */
export function measureOnTestLeads(input: {
  model: FittedModel;
  prepared: PreparedTraining;
  config: AppConfig;
  tiers: readonly Tier[];
  engine: EngineName;
  trainSeconds: number;
  excluded: Array<{ column: string; reason: string }>;
  withReasons: boolean;
  onStep?: (step: 'score' | 'baseline', done: number, total: number) => void;
}): TestMeasurement {
  const { model, prepared, config, tiers } = input;
  const step = input.onStep ?? (() => {});

  step('score', 0, 1);
  const scoreStart = performance.now();
  const testX = model.pipeline.transform(prepared.dataset, { rows: prepared.testRows });
  // The test leads play the open pipeline (features only, no labels): each is ranked among them,
  // so the tiers read as shares of the leads a rep would have in front of them; reasons are
  // measured from their typical lead.
  const reference = pipelineReference(calibratedProbabilities(model, testX));
  const scored = scoreMatrix(model, testX, { tiers, reasons: config.reasons, scale: config.scoring.scale, reference, typical: 'batch' }, input.withReasons);
  const scoreSeconds = (performance.now() - scoreStart) / 1000;
  step('score', 1, 1);
  const y = prepared.yTest;
  const p = Float64Array.from(scored, (s) => s.probability);

  step('baseline', 0, 1);
  // The logistic regression alone, so the blend's gain over it stays visible.
  const baseline = fitLogistic(prepared.train, prepared.yTrain);
  const baselineP = baseline.predict(prepared.test);
  step('baseline', 1, 1);

  const report: EvaluationReport = {
    rows: prepared.dataset.rowCount,
    train: prepared.trainRows.length,
    test: prepared.testRows.length,
    positiveRateTest: round(positiveRate(y)),
    auc: round(auc(y, p)),
    prAuc: round(averagePrecision(y, p)),
    logLoss: round(logLoss(y, p)),
    brier: round(brier(y, p)),
    ece: round(expectedCalibrationError(y, p)),
    liftTopDecile: round(liftTopDecile(y, p)),
    trainSeconds: round(input.trainSeconds, 3),
    scoreSeconds: round(scoreSeconds, 3),
    engine: input.engine,
    features: testX.defs.length,
    excluded: input.excluded,
    tiers: tierOutcomes(scored.map((s) => s.tier), y, tiers).map((t) => ({ ...t, conversionRate: t.conversionRate === null ? null : round(t.conversionRate) })),
    baseline: { name: baseline.name, auc: round(auc(y, baselineP)), liftTopDecile: round(liftTopDecile(y, baselineP)) },
  };
  return { report, testX, probabilities: p };
}

export function round(x: number, digits = 4): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
