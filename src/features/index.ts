/**
 * src/features: lead table in, engine-ready numbers out.
 *
 * Training (what `leadlift evaluate` / `train` call):
 *   const prepared = prepareTraining({ input: 'leads.csv', label: 'y', order?: 'created', exclude?: ['duration'],
 *                                      testFraction?: 0.2, options?: config.features });
 *   prepared.train / prepared.test        FeatureMatrix (rows in time order) for the engine
 *   prepared.yTrain / prepared.yTest      Uint8Array outcomes, same row order
 *   prepared.excluded                     [{column, reason}] for the report (leakage guard, --exclude, order/id)
 *   prepared.dataset.report               NormalisationReport (placeholders, case-folding, pooling)
 *   prepared.pipeline.toJSON()            goes into the saved model file
 *
 * Scoring new leads with a saved model:
 *   const pipeline = FeaturePipeline.fromJSON(saved.features);
 *   const dataset = pipeline.datasetFrom(readCsvFile(path) | tableFromRecords(records));
 *   const x = pipeline.transform(dataset, { referenceTime: Date.now() });
 *   pipeline.describe(featureIndex, x.columns[featureIndex][row])   // "Lead source is Reference"
 *
 * Missing values stay NaN in numeric, boolean and date features (each with a `__missing`
 * indicator when training had gaps); categoricals are integer codes ordered by training
 * conversion rate, with missing and "other" as codes of their own, so they are never NaN.
 */
export { datasetOptionsSchema, parseDatasetOptions, type DatasetOptions, type DatasetOptionsInput } from './options.js';
export { readCsvFile, parseCsvText, type ReadCsvOptions } from './read-csv.js';
export { tableFromRecords, type RawTable, type LeadRow } from './raw-table.js';
export { buildDataset, type ColumnSchema } from './build-dataset.js';
export { FeaturePipeline, type FitOptions, type TransformOptions } from './pipeline.js';
export { describeFeature, type FeatureStats } from './describe.js';
export { guardLeakage, type Exclusion, type LeakageVerdict } from './leakage.js';
export { readOutcome, type Outcome } from './outcome.js';
export { prepareTraining, type PrepareTrainingRequest, type PreparedTraining } from './prepare-training.js';
export type { Dataset, FeatureDef, FeatureMatrix, NormalisationReport, TypedColumn } from './types.js';
