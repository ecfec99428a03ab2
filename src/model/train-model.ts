import { exclusionsBeyond } from '../features/carried-exclusions.js';
import { readCsvFile } from '../features/read-csv.js';
import type { ModelBundle } from './bundle.js';
import { bundleOf, type EvaluationOptions } from './evaluation/run-evaluation.js';
import type { EvaluationReport } from './evaluation/report.js';
import { fitModel } from './fit-model.js';
import { prepareForFit } from './prepare-for-fit.js';
import { refitExclusion, servedAfterRefit } from './refit-exclusion.js';

/**
 * The model to ship: the same recipe the evaluation measured, fitted on every labelled lead
 * (the newest ones included; under drift they matter most). The bundle carries the
 * evaluation of the recipe on the time split, since the shipped model has no unseen test part.
 * Its exclusions are decided as the evaluation decided them, on the same time-split training
 * part (same rows, same options: the same verdict; the report's list has lost which ones are only
 * about those rows), and carried to the fit on every lead, where a leak can measure under the
 * bound that caught it before. A field the report lists as empty or constant on those rows but
 * the shipped model uses says so (see servedAfterRefit).
 */
export async function trainOnAllRows(opts: EvaluationOptions, evaluation: EvaluationReport | null): Promise<ModelBundle> {
  const { config } = opts;
  const engine = opts.engine ?? config.model.engine;
  const table = readCsvFile(opts.input, { delimiter: opts.sep });
  const request = { label: opts.label, positive: opts.positive, order: opts.order, exclude: opts.exclude, options: config.features };
  const calibrationFraction = config.calibration.fraction;
  opts.onStep?.('prepare', 0, 1);
  const split = prepareForFit({ table, request, testFraction: opts.testFraction ?? config.evaluation.testFraction, calibrationFraction });
  const all = [...split.trainRows, ...split.testRows];
  const prepared = prepareForFit({ table, request, split: { train: all, test: [] }, calibrationFraction, carried: split.excluded });
  opts.onStep?.('prepare', 1, 1);
  const model = await fitModel({
    table,
    request,
    prepared,
    config,
    engine,
    seed: opts.seed ?? config.model.seed,
    onTrees: (done, total) => opts.onStep?.('train', done, total),
  });
  const reported = evaluation && {
    ...evaluation,
    excluded: [...servedAfterRefit(evaluation.excluded, model.pipeline.sourceColumns), ...exclusionsBeyond(model.excluded, evaluation.excluded).map(refitExclusion)],
  };
  return bundleOf(model, prepared, opts.label, opts.order ?? null, engine, reported);
}
