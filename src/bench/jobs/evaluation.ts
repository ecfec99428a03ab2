import type { AppConfig } from '../../config/schema.js';
import { prepareTraining } from '../../features/prepare-training.js';
import { readCsvFile } from '../../features/read-csv.js';
import { auc, averagePrecision, expectedCalibrationError, liftTopDecile, logLoss } from '../../model/evaluation/metrics.js';
import { runEvaluation } from '../../model/evaluation/run-evaluation.js';
import { fitLogistic } from '../../model/linear/logistic.js';
import type { EvaluationResult, MetricIntervals } from '../bench-job.js';
import type { ModelBundle } from '../../model/bundle.js';
import { modelFromBundle } from '../../model/bundle.js';
import { bootstrapInterval } from '../../model/evaluation/bootstrap-interval.js';
import { calibratedProbabilities } from '../../scoring/score-leads.js';
import { peakRssMb } from '../peak-rss.js';

/** The bank data as `leadlift evaluate` sees it: duration excluded, newest 20% tested. */
const bankRequest = { label: 'y', exclude: ['duration'], testFraction: 0.2 };

/**
 * The shipped model's evaluation (runEvaluation, exactly what `evaluate --json` reports), plus
 * the baseline's PR-AUC and ECE, which that report leaves out: the same logistic regression on
 * the same prepared rows, so its AUC and lift match the report's.
 */
export async function runEvaluationJob(input: string, config: AppConfig): Promise<EvaluationResult> {
  let bundle: ModelBundle | null = null;
  const report = await runEvaluation({ input, ...bankRequest, config, onModel: (b) => (bundle = b) });
  const prepared = prepareTraining({ input: readCsvFile(input), ...bankRequest, options: config.features });
  const linear = fitLogistic(prepared.train, prepared.yTrain);
  const y = prepared.yTest;
  const p = linear.predict(prepared.test);
  // The evaluated model's own probabilities on the same test leads, for the intervals.
  const evaluated = modelFromBundle(bundle!);
  const shipped = calibratedProbabilities(evaluated, evaluated.pipeline.transform(prepared.dataset, { rows: prepared.testRows }));
  const weight = config.model.blend.linearWeight;
  const model =
    (weight > 0 ? `${report.engine} forest + logistic (weight ${weight})` : `${report.engine} forest`) +
    `, ${config.calibration.method} calibrated`;
  return {
    kind: 'evaluation',
    report,
    model,
    baseline: {
      name: linear.name,
      auc: auc(y, p),
      prAuc: averagePrecision(y, p),
      liftTopDecile: liftTopDecile(y, p),
      ece: expectedCalibrationError(y, p),
      logLoss: logLoss(y, p),
    },
    intervals: { model: intervalsOf(y, shipped), baseline: intervalsOf(y, p) },
    peakRssMb: peakRssMb(),
  };
}

function intervalsOf(y: Uint8Array, p: Float64Array): MetricIntervals {
  return { auc: bootstrapInterval(y, p, auc), liftTopDecile: bootstrapInterval(y, p, (ys, ps) => liftTopDecile(ys, ps)) };
}
