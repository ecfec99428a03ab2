import { prepareTraining } from '../features/prepare-training.js';
import { readCsvFile } from '../features/read-csv.js';
import type { ModelBundle } from './bundle.js';
import { bundleOf, type EvaluationOptions } from './evaluation/run-evaluation.js';
import type { EvaluationReport } from './evaluation/report.js';
import { fitModel } from './fit-model.js';

/**
 * The model to ship: the same recipe the evaluation measured, fitted on every labelled lead
 * (the newest ones included; under drift they matter most). The bundle carries the
 * evaluation of the recipe on the time split, since the shipped model has no unseen test part.
 */
export async function trainOnAllRows(opts: EvaluationOptions, evaluation: EvaluationReport | null): Promise<ModelBundle> {
  const { config } = opts;
  const engine = opts.engine ?? config.model.engine;
  const table = readCsvFile(opts.input, { delimiter: opts.sep });
  const request = { label: opts.label, positive: opts.positive, order: opts.order, exclude: opts.exclude, options: config.features };
  opts.onStep?.('prepare', 0, 1);
  const split = prepareTraining({ ...request, input: table, testFraction: opts.testFraction ?? config.evaluation.testFraction });
  const all = [...split.trainRows, ...split.testRows];
  const prepared = prepareTraining({ ...request, input: table, split: { train: all, test: [] } });
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
  return bundleOf(model, prepared, opts.label, opts.order ?? null, engine, evaluation);
}
