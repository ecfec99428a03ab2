import type { AppConfig } from '../../config/schema.js';
import type { PreparedTraining } from '../../features/prepare-training.js';
import { readCsvFile } from '../../features/read-csv.js';
import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, type ModelBundle, savedBlend, savedScoreReference } from '../bundle.js';
import type { EngineName } from '../engine.js';
import { fitModel, type FittedModel } from '../fit-model.js';
import { prepareForFit } from '../prepare-for-fit.js';
import { measureOnTestLeads, round } from './measure-on-test.js';
import type { EvaluationReport } from './report.js';

export interface EvaluationOptions {
  input: string;
  label: string;
  /** Label value(s) meaning converted; see readOutcome. */
  positive?: string | readonly string[];
  order?: string;
  sep?: string;
  exclude?: string[];
  testFraction?: number;
  engine?: EngineName;
  seed?: number;
  config: AppConfig;
  /** Progress per step (stderr bars in the CLI); steps: prepare, train, score, baseline. */
  onStep?: (step: EvaluationStep, done: number, total: number) => void;
  /** Receives the prepared training part (the CLI's notes: label values, normalisation, split). */
  onPrepared?: (prepared: PreparedTraining) => void;
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
  const prepared = prepareForFit({ table, request, testFraction, calibrationFraction: config.calibration.fraction });
  step('prepare', 1, 1);
  opts.onPrepared?.(prepared);

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

  const { report } = measureOnTestLeads({
    model,
    prepared,
    config,
    tiers: config.tiers,
    engine,
    trainSeconds,
    excluded: model.excluded.map((e) => ({ column: e.column, reason: e.reason })),
    withReasons: true,
    onStep: step,
  });
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
    scoreReference: savedScoreReference(model.calibrationRows, model.reference, model.typical, model.populationQuantiles),
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
