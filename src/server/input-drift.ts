import type { CrmName } from '../../connectors/types.js';
import type { AppConfig } from '../config/schema.js';
import type { Manifest } from '../domain/manifest.js';
import { FeaturePipeline, type ColumnSpec } from '../features/pipeline.js';
import { binOf, quantileBins } from '../features/quantile-bins.js';
import { tableFromRecords } from '../features/raw-table.js';
import type { FeatureMatrix } from '../features/types.js';
import { LEAD_OBJECT } from '../jobs/deps.js';
import { inputProperties, neverInputMatcher } from '../jobs/never-inputs.js';
import { populationStability, sharesOf, type StabilityReading, stabilityReading } from '../model/evaluation/population-stability.js';
import { fromJsonText } from '../store/json-text.js';
import type { Store } from '../store/store.js';

/** Enough leads for stable shares in 20 bins, few enough to read and transform on a page render. */
export const DRIFT_OPEN_LEADS = 20_000;

export interface ColumnDrift {
  column: string;
  label: string;
  type: 'numeric' | 'categorical';
  psi: number;
  reading: StabilityReading;
  /** Numeric columns: share of the open leads below the training minimum or above its maximum. */
  outsideRange: number | null;
}

export interface InputDrift {
  modelVersion: string;
  /** Open leads compared (the newest, at most DRIFT_OPEN_LEADS). */
  openLeads: number;
  /** Every compared column, worst shift first. */
  columns: ColumnDrift[];
  /** Categorical columns of a model saved before category shares were kept: not comparable. */
  categoricalWithoutShares: number;
  /** Labels of date and yes/no columns, which have no stored training distribution to compare with. */
  notCompared: string[];
}

/**
 * How far today's open leads have moved from the leads the active model learnt from, per input
 * column: the newest open leads go through the model's own pipeline exactly as scoring reads them.
 */
export async function inputDrift(store: Store, config: AppConfig, manifest: Manifest, crm: CrmName, now: number): Promise<InputDrift | null> {
  const active = await store.models.active(crm);
  if (!active) return null;
  const pipeline = FeaturePipeline.fromJSON((active.bundle as { features: unknown }).features);
  const isNeverInput = neverInputMatcher(config, crm, manifest);
  const inputs = (await newestOpenProperties(store, crm, DRIFT_OPEN_LEADS)).map((p) => inputProperties(p, isNeverInput));
  const x = pipeline.transform(pipeline.datasetFrom(tableFromRecords(inputs, `open ${crm} leads`)), { referenceTime: now });
  return { modelVersion: active.version, ...driftOfColumns(pipeline, x) };
}

/** Per-column PSI of the rows of `x` against the training distribution the pipeline stored. */
export function driftOfColumns(pipeline: FeaturePipeline, x: FeatureMatrix): Omit<InputDrift, 'modelVersion'> {
  const columns: ColumnDrift[] = [];
  const notCompared: string[] = [];
  let categoricalWithoutShares = 0;
  if (x.rows > 0) {
    for (const spec of pipeline.columnSpecs) {
      const index = x.defs.findIndex((d) => d.source === spec.column && d.kind === spec.type);
      if (spec.type !== 'numeric' && spec.type !== 'categorical') {
        notCompared.push(pipeline.stats(x.defs.findIndex((d) => d.source === spec.column)).sourceLabel);
        continue;
      }
      const label = x.defs[index].label;
      const drift = spec.type === 'categorical' ? categoricalDrift(spec, x.columns[index]) : numericDrift(spec, x.columns[index]);
      if (drift === 'no shares') categoricalWithoutShares++;
      else if (drift) columns.push({ column: spec.column, label, type: spec.type, ...drift, reading: stabilityReading(drift.psi) });
    }
  }
  columns.sort((a, b) => b.psi - a.psi || a.column.localeCompare(b.column));
  return { openLeads: x.rows, columns, categoricalWithoutShares, notCompared };
}

type NumericSpec = Extract<ColumnSpec, { type: 'numeric' | 'boolean' }>;
type CategoricalSpec = Extract<ColumnSpec, { type: 'categorical' }>;

function numericDrift(spec: NumericSpec, values: Float64Array): { psi: number; outsideRange: number } | null {
  const bins = quantileBins(spec.quantiles);
  if (!bins) return null;
  // Bins: below the training range, the in-range bins, above it, then missing.
  const counts = new Array<number>(bins.uppers.length + 3).fill(0);
  const missingBin = counts.length - 1;
  for (const v of values) counts[Number.isNaN(v) ? missingBin : binOf(bins, v)]++;
  const outsideRange = (counts[0] + counts[missingBin - 1]) / values.length;
  // A model saved before missingShare was kept knows it only when training had no missing value.
  const trainingMissing = spec.missingShare ?? (spec.missingIndicator ? null : 0);
  if (trainingMissing === null) {
    const present = counts.slice(0, missingBin);
    if (present.every((c) => c === 0)) return null;
    return { psi: populationStability([0, ...bins.expected, 0], sharesOf(present)), outsideRange };
  }
  const expected = [0, ...bins.expected.map((e) => e * (1 - trainingMissing)), 0, trainingMissing];
  return { psi: populationStability(expected, sharesOf(counts)), outsideRange };
}

function categoricalDrift(spec: CategoricalSpec, codes: Float64Array): { psi: number; outsideRange: null } | 'no shares' {
  const shares = spec.categoryShares;
  if (!shares) return 'no shares';
  const counts = new Array<number>(spec.encoding.categories.length).fill(0);
  for (const code of codes) counts[code]++;
  const expected = spec.encoding.categories.map((c) => shares[c] ?? 0);
  return { psi: populationStability(expected, sharesOf(counts)), outsideRange: null };
}

/** The newest open leads' stored properties: not archived, no outcome yet, newest created first. */
async function newestOpenProperties(store: Store, crm: CrmName, limit: number): Promise<Array<Record<string, string | null>>> {
  const rows = await store.db
    .selectFrom('records')
    .leftJoin('outcomes', (join) => join.onRef('outcomes.crm', '=', 'records.crm').onRef('outcomes.lead_id', '=', 'records.id'))
    .select('records.properties')
    .where('records.crm', '=', crm)
    .where('records.object_type', '=', LEAD_OBJECT)
    .where('records.archived', '=', 0)
    .where('records.converted', '=', 0)
    .where('outcomes.lead_id', 'is', null)
    .orderBy('records.created_at', 'desc')
    .orderBy('records.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => fromJsonText<Record<string, string | null>>(r.properties));
}
