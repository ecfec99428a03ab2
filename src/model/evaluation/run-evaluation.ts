import type { AppConfig } from '../../config/schema.js';
import { prepareTraining, type PreparedTraining } from '../../features/prepare-training.js';
import { readCsvFile } from '../../features/read-csv.js';
import { calibratedProbabilities, pipelineReference, scoreMatrix } from '../../scoring/score-leads.js';
import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, type ModelBundle, savedBlend, savedScoreReference } from '../bundle.js';
import type { EngineName } from '../engine.js';
import { fitModel, type FittedModel } from '../fit-model.js';
import { fitLogistic } from '../linear/logistic.js';
import { auc, averagePrecision, brier, expectedCalibrationError, liftTopDecile, logLoss, positiveRate } from './metrics.js';
import type { EvaluationReport } from './report.js';
import { tierOutcomes } from './tier-outcomes.js';

export interface EvaluationOptions {
  input: string;
  label: string;
  positive?: string;
  order?: string;
  sep?: string;
  exclude?: string[];
  testFraction?: number;
  engine?: EngineName;
  seed?: number;
  config: AppConfig;
  /** Progress per step (stderr bars in the CLI); steps: prepare, train, score, baseline. */
  onStep?: (step: EvaluationStep, done: number, total: number) => void;
  /** Receives the evaluated model (for --save-model). */
  onModel?: (bundle: ModelBundle) => void;
}

export type EvaluationStep = 'prepare' | 'train' | 'score' | 'baseline';

/**
 * Time-split evaluation: the oldest leads train (forest, logistic regression, calibrator of
 * their blend), the newest test. `engine` names the forest engine; `baseline` is the logistic
 * regression alone.
 * Returns exactly the object `leadlift evaluate --json` prints.
 */
export async function runEvaluation(opts: EvaluationOptions): Promise<EvaluationReport> {
  const { config } = opts;
  const step = opts.onStep ?? (() => {});
  const engine = opts.engine ?? config.model.engine;
  const seed = opts.seed ?? config.model.seed;
  const testFraction = opts.testFraction ?? config.evaluation.testFraction;

  step('prepare', 0, 1);
  const table = readCsvFile(opts.input, { delimiter: opts.sep });
  const request = {
    label: opts.label,
    positive: opts.positive,
    order: opts.order,
    exclude: opts.exclude,
    options: config.features,
  };
  const prepared = prepareTraining({ ...request, input: table, testFraction });
  step('prepare', 1, 1);

  const trainStart = performance.now();
  const model = await fitModel({
    table,
    request,
    prepared,
    config,
    engine,
    seed,
    onTrees: (done, total) => step('train', done, total),
  });
  const trainSeconds = (performance.now() - trainStart) / 1000;

  step('score', 0, 1);
  const scoreStart = performance.now();
  const testX = model.pipeline.transform(prepared.dataset, { rows: prepared.testRows });
  // The test leads play the open pipeline (features only, no labels): each is ranked among them,
  // so the tiers read as shares of the leads a rep would have in front of them.
  const reference = pipelineReference(calibratedProbabilities(model, testX));
  const scored = scoreMatrix(model, testX, { tiers: config.tiers, reasons: config.reasons, scale: config.scoring.scale, reference }, true);
  const scoreSeconds = (performance.now() - scoreStart) / 1000;
  step('score', 1, 1);
  const y = prepared.yTest;
  const p = Float64Array.from(scored, (s) => s.probability);

  step('baseline', 0, 1);
  // The logistic regression alone, so the blend's gain over it stays visible.
  const baselineModel = fitLogistic(prepared.train, prepared.yTrain);
  const baselineP = baselineModel.predict(prepared.test);
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
    trainSeconds: round(trainSeconds, 3),
    scoreSeconds: round(scoreSeconds, 3),
    engine,
    features: testX.defs.length,
    excluded: model.excluded.map((e) => ({ column: e.column, reason: e.reason })),
    tiers: tierOutcomes(scored.map((s) => s.tier), y, config.tiers).map((t) => ({ ...t, conversionRate: t.conversionRate === null ? null : round(t.conversionRate) })),
    baseline: { name: baselineModel.name, auc: round(auc(y, baselineP)), liftTopDecile: round(liftTopDecile(y, baselineP)) },
  };
  opts.onModel?.(bundleOf(model, prepared, request.label, opts.order ?? null, engine, report));
  return report;
}

export function bundleOf(
  model: FittedModel,
  prepared: PreparedTraining,
  label: string,
  orderColumn: string | null,
  engine: EngineName,
  evaluation: EvaluationReport | null,
): ModelBundle {
  const rows = prepared.trainRows;
  let positives = 0;
  for (const r of rows) positives += prepared.y[r];
  const range = timeRange(prepared, orderColumn);
  return {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    engine,
    label: { column: label, positive: prepared.positive },
    training: { rows: rows.length, positives, calibrationRows: model.calibrationRows, orderColumn, ...range },
    excluded: model.excluded.map((e) => ({ column: e.column, reason: e.reason })),
    evaluation,
    features: model.pipeline.toJSON(),
    forest: model.forest.toJSON(),
    blend: savedBlend(model.blend),
    calibrator: model.calibrator,
    scoreReference: savedScoreReference(model.calibrationRows, model.reference),
  };
}

/** Oldest and newest training lead: dates as ISO text, numbers as they are, file order as row numbers. */
function timeRange(prepared: PreparedTraining, orderColumn: string | null): { from: string | number | null; to: string | number | null } {
  const rows = prepared.trainRows;
  if (rows.length === 0) return { from: null, to: null };
  if (!orderColumn) return { from: rows[0] + 1, to: rows[rows.length - 1] + 1 };
  const column = prepared.dataset.columns.find((c) => c.name === orderColumn);
  if (!column || column.type === 'categorical') return { from: null, to: null };
  const first = column.values[rows[0]];
  const last = column.values[rows[rows.length - 1]];
  return column.type === 'date' ? { from: new Date(first).toISOString(), to: new Date(last).toISOString() } : { from: first, to: last };
}

function round(x: number, digits = 4): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
