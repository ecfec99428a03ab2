import { assertSplitSizes } from '../model/evaluation/split-sizes.js';
import { splitByTime, timeOrder } from '../model/evaluation/time-split.js';
import { buildDataset } from './build-dataset.js';
import { carriedForward, exclusionsBeyond, unionOfExclusions } from './carried-exclusions.js';
import { optionsForColumns, unmatchedKeys } from './custom-field-keys.js';
import { type Exclusion, guardLeakage } from './leakage.js';
import { type DatasetOptionsInput, parseDatasetOptions } from './options.js';
import { orderColumnError, unreadableOrderCells } from './order-column.js';
import { readOutcome } from './outcome.js';
import { FeaturePipeline } from './pipeline.js';
import { type RawTable, requireColumns, requireExcludedColumns } from './raw-table.js';
import { readCsvFile } from './read-csv.js';
import type { Dataset, FeatureMatrix } from './types.js';
import { NoFeaturesError } from '../model/training-errors.js';

export interface PrepareTrainingRequest {
  /** A CSV path, or a table already read (from records: tableFromRecords). */
  input: string | RawTable;
  /** CSV separator; sniffed when absent. */
  sep?: string;
  /**
   * Outcome column and the value(s) that mean converted (default: every yes/true/1/won/converted
   * word when the column holds only yes/no words; see readOutcome).
   */
  label: string;
  positive?: string | readonly string[];
  /** Date or number column giving time order; default file order (oldest first). */
  order?: string;
  /** Column naming each lead; never an input. */
  id?: string;
  /** Extra columns never to use (added to options.exclude). */
  exclude?: string[];
  /** Newest share of labelled rows held out for testing. Default 0.2. Ignored when `split` is given. */
  testFraction?: number;
  /** Explicit dataset row indices (time order, oldest first) instead of a time split. */
  split?: { train: number[]; test: number[] };
  /** Feature options (config `features`): types, placeholders, sentinels, labels, … */
  options?: DatasetOptionsInput;
  /** Epoch ms that date recency is measured from. Default: the newest date on the training rows. */
  referenceTime?: number;
  /**
   * Exclusions an earlier step of the same training run decided (with their reasons): these
   * columns stay out whatever the leakage guard finds on this call's rows; the guard still runs
   * on the rest, so `excluded` is the union, never fewer. Columns only empty or constant on the
   * earlier rows are checked again here (see carriedForward).
   */
  carriedExclusions?: readonly Exclusion[];
  /**
   * Input rows whose values were read after the lead's outcome was known (the loop: closed leads
   * never scored while open, described by their synced record). The leakage guard also measures
   * each column on the training rows among these alone (see post-close-rows.ts).
   */
  postCloseRows?: readonly number[];
}

export interface PreparedTraining {
  /** Every row of the input, typed and normalised; report includes categories pooled on training rows. */
  dataset: Dataset;
  /** Outcome per dataset row (1 converted). Unlabelled rows are in neither train nor test. */
  y: Uint8Array;
  positive: string;
  /** Label spellings read as converted and as not converted (see readOutcome). */
  positiveValues: string[];
  negativeValues: string[];
  unlabelledRows: number;
  /** Column-keyed `features` options that name no column of the input ("sentinels.pdays"): see unmatchedKeys. */
  unmatchedConfigKeys: string[];
  /** Dataset row indices in time order, oldest first. */
  trainRows: number[];
  testRows: number[];
  /** Columns not used as inputs, each with the reason, in column order. */
  excluded: Exclusion[];
  singleFeatureAuc: Record<string, number>;
  pipeline: FeaturePipeline;
  train: FeatureMatrix;
  test: FeatureMatrix;
  yTrain: Uint8Array;
  yTest: Uint8Array;
}

/** CSV (or table) -> dataset -> time split -> leakage exclusions -> fitted pipeline -> matrices. */
export function prepareTraining(request: PrepareTrainingRequest): PreparedTraining {
  const table = typeof request.input === 'string' ? readCsvFile(request.input, { delimiter: request.sep }) : request.input;
  // A key written for the column ("pdays") also reaches its Salesforce custom field ("pdays__c").
  const options = optionsForColumns(
    parseDatasetOptions({
      ...request.options,
      exclude: [...(request.options?.exclude ?? []), ...(request.exclude ?? [])],
    }),
    table.columns,
  );
  requireColumns(table, [
    { role: 'label', column: request.label },
    { role: 'order', column: request.order },
    { role: 'id', column: request.id },
  ]);
  requireExcludedColumns(table, options.exclude);
  const outcome = readOutcome(table, request.label, options.placeholders, request.positive);
  const dataset = buildDataset(table, options);
  const { train: trainRows, test: testRows } = request.split ?? timeSplit(table, dataset, outcome.labelled, request.order, request.testFraction ?? 0.2, options.placeholders);

  const roles = new Map<string, string>([[request.label, 'label']]);
  if (request.order) roles.set(request.order, 'order');
  if (request.id) roles.set(request.id, 'id');
  const carried = carriedForward(request.carriedExclusions ?? []);
  const carriedColumns = new Set(carried.map((e) => e.column));
  const candidates = dataset.columns.map((c) => c.name).filter((name) => !roles.has(name) && !carriedColumns.has(name));
  const postCloseRows = request.postCloseRows ? new Set(request.postCloseRows) : undefined;
  const verdict = guardLeakage(dataset, trainRows, outcome.y, candidates, { ...options, postCloseRows });
  const roleExclusions: Exclusion[] = [];
  if (request.order && request.order !== request.label) {
    roleExclusions.push({ column: request.order, reason: 'the --order column: it places leads in time for the split, it is not an input' });
  }
  if (request.id && request.id !== request.label) {
    roleExclusions.push({ column: request.id, reason: 'the id column: it names leads, it does not describe them' });
  }

  const decided = unionOfExclusions(carried, verdict.excluded, dataset.columns.map((c) => c.name));

  const pipeline = new FeaturePipeline(options).fit(dataset, trainRows, outcome.y, {
    columns: verdict.kept,
    referenceTime: request.referenceTime,
  });
  const pooled = pipeline.pooledCategories();
  for (const column of dataset.report.columns) column.pooledCategories = pooled[column.column] ?? [];

  const excluded = [...roleExclusions, ...exclusionsBeyond(decided, roleExclusions)];
  const train = pipeline.transform(dataset, { rows: trainRows });
  if (train.columns.length === 0) throw new NoFeaturesError(excluded);
  return {
    dataset,
    y: outcome.y,
    positive: outcome.positive,
    positiveValues: outcome.positiveValues,
    negativeValues: outcome.negativeValues,
    unlabelledRows: outcome.unlabelledRows,
    unmatchedConfigKeys: unmatchedKeys(options, table.columns),
    trainRows,
    testRows,
    excluded,
    singleFeatureAuc: verdict.singleFeatureAuc,
    pipeline,
    train,
    test: pipeline.transform(dataset, { rows: testRows }),
    yTrain: Uint8Array.from(trainRows, (r) => outcome.y[r]),
    yTest: Uint8Array.from(testRows, (r) => outcome.y[r]),
  };
}

/** Labelled rows in time order, the newest `fraction` as test. */
function timeSplit(
  table: RawTable,
  dataset: Dataset,
  labelled: Uint8Array,
  order: string | undefined,
  fraction: number,
  placeholders: readonly string[],
): { train: number[]; test: number[] } {
  const rows: number[] = [];
  for (let r = 0; r < dataset.rowCount; r++) if (labelled[r]) rows.push(r);
  let orderValues: Float64Array | undefined;
  if (order) {
    const column = dataset.columns.find((c) => c.name === order)!;
    if (column.type === 'categorical') throw orderColumnError(table, order, rows, placeholders);
    orderValues = Float64Array.from(rows, (r) => column.values[r]);
    // A date column with a few unreadable cells: named with examples, as for one read as text.
    const spoilt = orderValues.some(Number.isNaN) ? unreadableOrderCells(table, order, rows, placeholders) : undefined;
    if (spoilt) throw spoilt;
  }
  assertSplitSizes(table.source, rows.length, fraction);
  const ordered = timeOrder(rows.length, orderValues, order).map((i) => rows[i]);
  const { older, newer } = splitByTime(ordered, fraction);
  return { train: older, test: newer };
}
