import { issueAtKey } from '../config/issue-words.js';
import { InputError } from '../domain/errors.js';
import { type ColumnSchema, buildDataset, foldCategory } from './build-dataset.js';
import { type CategoricalEncoding, MISSING, OTHER, encodeCategorical, fitCategorical } from './categorical-encoding.js';
import { columnLabel } from './column-label.js';
import { correlatedColumnGroups } from './correlated-columns.js';
import { daysToMonthEnd, hourOf, recencyDays, weekdayOf } from './date-features.js';
import { type DescribeOptions, type FeatureStats, describeFeature } from './describe.js';
import { type DatasetOptions, parseDatasetOptions } from './options.js';
import { quantilePoints } from './quantiles.js';
import type { RawTable } from './raw-table.js';
import { type SavedPipeline, savedPipelineSchema } from './saved-pipeline.js';
import type { Dataset, FeatureDef, FeatureMatrix, TypedColumn } from './types.js';

/** How one source column becomes features; everything here was learnt on training rows. */
export type ColumnSpec =
  | {
      column: string;
      type: 'numeric' | 'boolean';
      missingIndicator: boolean;
      quantiles: number[];
      /** Share of training rows without a value; absent in model files saved before input drift was measured. */
      missingShare?: number;
    }
  | {
      column: string;
      type: 'categorical';
      encoding: CategoricalEncoding;
      display: Record<string, string>;
      /** Share of training rows per encoded category (pooled ones counted as "other"); absent in older model files. */
      categoryShares?: Record<string, number>;
    }
  | { column: string; type: 'date'; missingIndicator: boolean; withHour: boolean; recencyQuantiles: number[] };

export interface TransformOptions {
  /** Epoch ms that date recency is measured from: pass the scoring time. Default: the fit's. */
  referenceTime?: number;
  /** Only these dataset rows, in this order. Default: every row. */
  rows?: ArrayLike<number>;
}

export interface FitOptions {
  /** Source columns to turn into features (the caller drops the label, ids and excluded columns). */
  columns: string[];
  /** Epoch ms that training recency is measured from. Default: the newest date on the training rows. */
  referenceTime?: number;
}

export const PIPELINE_FORMAT_VERSION = 1;

/**
 * Turns a Dataset into the engine's FeatureMatrix. Fit on training rows only (category order,
 * rare pooling, which columns need a missing indicator, quantiles for reasons); transform any
 * rows, including new leads read later from a CSV or the CRM, exactly the same way. Saved as
 * JSON inside the model file.
 */
export class FeaturePipeline {
  private specs: ColumnSpec[] = [];
  private schema: ColumnSchema = {};
  private referenceTime = 0;
  private definitions: FeatureDef[] = [];
  private featureStats: FeatureStats[] = [];
  private correlated: string[][] = [];
  /** Per spec: configured value labels keyed by folded value (the CRM's option labels in the loop). */
  private valueLabelsOf: Map<string, string>[] = [];

  constructor(readonly options: DatasetOptions = parseDatasetOptions({})) {}

  /** y[r] is the outcome (1 converted, 0 not) of dataset row r; only `rows` are looked at. */
  fit(dataset: Dataset, rows: ArrayLike<number>, y: ArrayLike<number>, fit: FitOptions): this {
    const columns = fit.columns.map((name) => {
      const column = dataset.columns.find((c) => c.name === name);
      if (!column) throw new InputError(`Cannot build features: no column "${name}" in the data`);
      return column;
    });
    this.referenceTime = fit.referenceTime ?? newestDate(columns, rows) ?? Date.now();
    this.schema = {};
    for (const column of columns) {
      this.schema[column.name] =
        column.type === 'date' && column.dateOrder
          ? { type: 'date', dateOrder: column.dateOrder }
          : column.type === 'numeric' && column.decimalMark
            ? { type: 'numeric', decimalMark: column.decimalMark }
            : { type: column.type };
    }
    this.specs = columns.map((column) => fitColumn(column, rows, y, this.options, this.referenceTime));
    const threshold = this.options.reasonGroupCorrelation;
    this.correlated = threshold === null ? [] : correlatedColumnGroups(columns, rows, threshold);
    this.describeFeatures();
    return this;
  }

  /** Source columns that share one reason (see correlated-columns.ts); older model files have none. */
  get reasonGroups(): readonly string[][] {
    return this.correlated;
  }

  get defs(): readonly FeatureDef[] {
    return this.definitions;
  }

  /** Source columns the pipeline reads. */
  get sourceColumns(): string[] {
    return this.specs.map((s) => s.column);
  }

  /** What was learnt per source column, including the training distribution input drift is measured against. */
  get columnSpecs(): readonly ColumnSpec[] {
    return this.specs;
  }

  /** Column -> categories pooled into "other" on the training rows (only columns that pooled any). */
  pooledCategories(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const s of this.specs) if (s.type === 'categorical' && s.encoding.pooled.length > 0) out[s.column] = s.encoding.pooled;
    return out;
  }

  /** Reads new leads with the training's column types and normalisation. */
  datasetFrom(table: RawTable): Dataset {
    return buildDataset(table, this.options, this.schema);
  }

  transform(dataset: Dataset, options: TransformOptions = {}): FeatureMatrix {
    const reference = options.referenceTime ?? this.referenceTime;
    const rows = options.rows ?? identity(dataset.rowCount);
    const byName = new Map(dataset.columns.map((c) => [c.name, c]));
    const columns: Float64Array[] = [];
    const missingAsOther: Array<Uint8Array | undefined> = [];
    const otherValues: Array<(string | null)[] | null> = [];
    this.specs.forEach((spec, s) => {
      const column = byName.get(spec.column);
      if (column && column.type !== spec.type) {
        throw new InputError(
          `Column "${spec.column}" was ${spec.type} when the model was trained but is ${column.type} here; read new leads with pipeline.datasetFrom()`,
        );
      }
      const values = column ? gather(column, rows) : allMissing(spec, rows.length);
      const features = transformColumn(spec, values, reference);
      missingAsOther.push(spec.type === 'categorical' ? missingCodedAsOther(spec.encoding, values as (string | null)[]) : undefined);
      for (let f = 1; f < features.length; f++) missingAsOther.push(undefined);
      columns.push(...features);
      const own =
        spec.type === 'categorical' && column?.type === 'categorical'
          ? ownValuesCodedOther(spec, features[0], values as (string | null)[], this.valueLabelsOf[s], column.display)
          : null;
      otherValues.push(own, ...new Array<null>(features.length - 1).fill(null));
    });
    const matrix: FeatureMatrix = { rows: rows.length, defs: this.definitions, columns };
    if (missingAsOther.some(Boolean)) matrix.missingAsOther = missingAsOther;
    if (otherValues.some((v) => v !== null)) matrix.otherValues = otherValues;
    return matrix;
  }

  /** Reason text for feature `index` (position in defs) holding `value`. */
  describe(index: number, value: number, options?: DescribeOptions): string {
    return describeFeature(this.definitions[index], value, this.featureStats[index], options);
  }

  /**
   * Reason text for a categorical feature's row coded "other", in the row's own value (see
   * FeatureMatrix.otherValues): true of the lead, where the code only says it is rare.
   */
  describeOwnValue(index: number, value: string): string {
    return `${this.featureStats[index].sourceLabel} is ${value}`;
  }

  stats(index: number): FeatureStats {
    return this.featureStats[index];
  }

  toJSON(): SavedPipeline {
    return {
      formatVersion: PIPELINE_FORMAT_VERSION,
      options: this.options,
      schema: this.schema,
      referenceTime: this.referenceTime,
      specs: this.specs,
      reasonGroups: this.correlated,
    };
  }

  static fromJSON(json: unknown): FeaturePipeline {
    const parsed = savedPipelineSchema.safeParse(json);
    if (!parsed.success) throw new InputError(`The model file's feature pipeline is not readable (${issueAtKey(parsed.error, 'features')}); train the model again`);
    const saved = parsed.data;
    const pipeline = new FeaturePipeline(parseDatasetOptions(saved.options));
    pipeline.specs = saved.specs as ColumnSpec[];
    pipeline.schema = saved.schema;
    pipeline.referenceTime = saved.referenceTime;
    pipeline.correlated = saved.reasonGroups ?? [];
    pipeline.describeFeatures();
    return pipeline;
  }

  private describeFeatures(): void {
    this.definitions = [];
    this.featureStats = [];
    this.valueLabelsOf = [];
    for (const spec of this.specs) {
      const sourceLabel = columnLabel(spec.column, this.options.labels);
      const unit = this.options.units[spec.column] || undefined;
      const count = this.options.counts.includes(spec.column);
      const valueLabels = foldedValueLabels(this.options.valueLabels[spec.column]);
      this.valueLabelsOf.push(valueLabels);
      for (const { def, quantiles } of featuresOf(spec, sourceLabel, { unit, count }, valueLabels)) {
        this.definitions.push(def);
        this.featureStats.push(quantiles ? { sourceLabel, quantiles } : { sourceLabel });
      }
    }
  }
}

function newestDate(columns: TypedColumn[], rows: ArrayLike<number>): number | undefined {
  let newest = Number.NEGATIVE_INFINITY;
  for (const column of columns) {
    if (column.type !== 'date') continue;
    for (let i = 0; i < rows.length; i++) if (column.values[rows[i]] > newest) newest = column.values[rows[i]];
  }
  return Number.isFinite(newest) ? newest : undefined;
}

function fitColumn(
  column: TypedColumn,
  rows: ArrayLike<number>,
  y: ArrayLike<number>,
  options: DatasetOptions,
  referenceTime: number,
): ColumnSpec {
  if (column.type === 'categorical') {
    const encoding = fitCategorical(column.values, rows, y, options.rarePooling);
    return {
      column: column.name,
      type: 'categorical',
      encoding,
      display: { ...column.display },
      categoryShares: categoryShares(encoding, gather(column, rows) as (string | null)[]),
    };
  }
  const train = gather(column, rows) as Float64Array;
  const missingIndicator = train.some(Number.isNaN);
  if (column.type === 'date') {
    // Dates without a time of day would give an hour feature that is always 0.
    const withHour = train.some((v) => !Number.isNaN(v) && v % 86_400_000 !== 0);
    return {
      column: column.name,
      type: 'date',
      missingIndicator,
      withHour,
      recencyQuantiles: quantilePoints(train.map((v) => recencyDays(v, referenceTime))),
    };
  }
  return {
    column: column.name,
    type: column.type,
    missingIndicator,
    quantiles: quantilePoints(train),
    missingShare: train.length === 0 ? 0 : train.filter(Number.isNaN).length / train.length,
  };
}

/** Counted through the encoding itself, so the shares are of exactly the codes scoring produces. */
function categoryShares(encoding: CategoricalEncoding, train: (string | null)[]): Record<string, number> {
  const counts = new Array<number>(encoding.categories.length).fill(0);
  for (const code of encodeCategorical(encoding, train)) counts[code]++;
  const out: Record<string, number> = {};
  encoding.categories.forEach((category, code) => {
    out[category] = train.length === 0 ? 0 : counts[code] / train.length;
  });
  return out;
}

/** Configured value labels keyed the way categories are folded, so "ORGANIC_SEARCH" finds "organic_search". */
function foldedValueLabels(labels: Record<string, string> | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const [value, label] of Object.entries(labels ?? {})) out.set(foldCategory(value), label);
  return out;
}

function featuresOf(
  spec: ColumnSpec,
  label: string,
  { unit, count }: { unit: string | undefined; count: boolean },
  valueLabels: Map<string, string>,
): Array<{ def: FeatureDef; quantiles?: number[] }> {
  const source = spec.column;
  // A count's flag words "unknown" the count's way too ("Calls in this campaign: unknown").
  const counted = count && spec.type === 'numeric' ? { count: true } : {};
  const missing = (): { def: FeatureDef } => ({ def: { name: `${source}__missing`, source, kind: 'missing-indicator', label: `${label} unknown`, ...counted } });
  switch (spec.type) {
    case 'categorical': {
      const categoryLabels = spec.encoding.categories.map((c) =>
        c === MISSING ? 'unknown' : c === OTHER ? (spec.display[c] ?? OTHER) : (valueLabels.get(c) ?? spec.display[c] ?? c),
      );
      return [{ def: { name: source, source, kind: 'categorical', label, categories: [...spec.encoding.categories], categoryLabels } }];
    }
    case 'numeric':
    case 'boolean': {
      const def: FeatureDef = { name: source, source, kind: spec.type, label, ...(unit ? { unit } : {}), ...counted };
      return [{ def, quantiles: spec.type === 'numeric' ? spec.quantiles : undefined }, ...(spec.missingIndicator ? [missing()] : [])];
    }
    case 'date': {
      const out: Array<{ def: FeatureDef; quantiles?: number[] }> = [
        { def: { name: `${source}__recency_days`, source, kind: 'recency-days', label: `Days since ${lowerFirst(label)}` }, quantiles: spec.recencyQuantiles },
      ];
      if (spec.withHour) out.push({ def: { name: `${source}__hour`, source, kind: 'hour', label: `${label}, hour` } });
      out.push({ def: { name: `${source}__weekday`, source, kind: 'weekday', label: `${label}, weekday` } });
      out.push({ def: { name: `${source}__days_to_month_end`, source, kind: 'days-to-month-end', label: `${label}, days to month end` } });
      if (spec.missingIndicator) out.push(missing());
      return out;
    }
  }
}

function transformColumn(spec: ColumnSpec, values: Float64Array | (string | null)[], reference: number): Float64Array[] {
  if (spec.type === 'categorical') return [encodeCategorical(spec.encoding, values as (string | null)[])];
  const v = values as Float64Array;
  const indicator = () => v.map((x) => (Number.isNaN(x) ? 1 : 0));
  if (spec.type !== 'date') return spec.missingIndicator ? [v, indicator()] : [v];
  const out = [v.map((x) => recencyDays(x, reference))];
  if (spec.withHour) out.push(v.map(hourOf));
  out.push(v.map(weekdayOf), v.map(daysToMonthEnd));
  if (spec.missingIndicator) out.push(indicator());
  return out;
}

/** Rows with no value where training saw none missing, so the code says "other"; undefined when there is none. */
function missingCodedAsOther(encoding: CategoricalEncoding, values: readonly (string | null)[]): Uint8Array | undefined {
  if (encoding.missingCode !== null || !values.includes(null)) return undefined;
  return Uint8Array.from(values, (v) => (v === null ? 1 : 0));
}

/** Each row's own value, as people read it, where it was coded "other"; null when no row was. */
function ownValuesCodedOther(
  spec: Extract<ColumnSpec, { type: 'categorical' }>,
  codes: Float64Array,
  values: readonly (string | null)[],
  valueLabels: Map<string, string>,
  display: Record<string, string> | undefined,
): (string | null)[] | null {
  let out: (string | null)[] | null = null;
  for (let r = 0; r < codes.length; r++) {
    const v = values[r];
    if (codes[r] !== spec.encoding.otherCode || v === null || v === OTHER) continue;
    out ??= new Array<string | null>(codes.length).fill(null);
    out[r] = valueLabels.get(v) ?? display?.[v] ?? spec.display[v] ?? v;
  }
  return out;
}

function gather(column: TypedColumn, rows: ArrayLike<number>): Float64Array | (string | null)[] {
  if (column.type === 'categorical') {
    const out = new Array<string | null>(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = column.values[rows[i]] ?? null;
    return out;
  }
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = column.values[rows[i]];
  return out;
}

function allMissing(spec: ColumnSpec, n: number): Float64Array | (string | null)[] {
  return spec.type === 'categorical' ? new Array<string | null>(n).fill(null) : new Float64Array(n).fill(Number.NaN);
}

function identity(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

function lowerFirst(text: string): string {
  return text.length > 1 && text[1] === text[1].toLowerCase() ? text[0].toLowerCase() + text.slice(1) : text;
}
