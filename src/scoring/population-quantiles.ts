import { quantilePoints } from '../features/quantiles.js';
import type { FeatureDef, FeatureMatrix } from '../features/types.js';

/**
 * A population's own quantiles per feature (model feature order, the 5% grid of
 * features/quantiles.ts), which a reason's "low" and "high" are judged against: the same leads
 * its points are measured from (see typical-lead.ts). Under drift the training quantiles tell a
 * rep the wrong thing: on the bank demo -1.8, the most common employment variation rate among
 * today's open leads, read "low" beside a lead at -3.4 that also read "low". Only numbers are
 * worded with a level (features/describe.ts), so every other feature keeps an empty list.
 */
export type PopulationQuantiles = readonly (readonly number[])[];

/** Features whose value a reason words as "low"/"high". */
function levelled(def: FeatureDef): boolean {
  return def.kind === 'numeric';
}

/** Collects feature values page by page (the loop's and a file's first pass read leads in chunks). */
export class PopulationQuantilesSum {
  private defs: FeatureDef[] | null = null;
  /** Per feature: the pages' values (copied, a page's matrix is short-lived); null when not levelled. */
  private pages: Array<Float64Array[] | null> = [];

  add(x: FeatureMatrix): this {
    if (this.defs === null) {
      this.defs = x.defs;
      this.pages = x.defs.map((def) => (levelled(def) ? [] : null));
    } else if (this.defs.length !== x.defs.length) {
      throw new Error(`population quantiles: ${x.defs.length} features after ${this.defs.length}`);
    }
    this.pages.forEach((pages, f) => pages?.push(Float64Array.from(x.columns[f])));
    return this;
  }

  /** Per feature, the quantiles of its non-missing values ([] for none); undefined when no page was added. */
  result(): number[][] | undefined {
    if (this.defs === null) return undefined;
    return this.pages.map((pages) => (pages ? quantilePoints(concat(pages)) : []));
  }
}

function concat(pages: Float64Array[]): Float64Array {
  const out = new Float64Array(pages.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pages) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The quantiles of one matrix's rows. */
export function populationQuantilesOf(x: FeatureMatrix): number[][] | undefined {
  return x.rows === 0 ? undefined : new PopulationQuantilesSum().add(x).result();
}

/**
 * `quantiles` when they fit a model of `features` features, else undefined (the training
 * quantiles then judge, as before population quantiles were kept).
 */
export function populationQuantilesFor(quantiles: PopulationQuantiles | null | undefined, features: number): PopulationQuantiles | undefined {
  return quantiles && quantiles.length === features && quantiles.every((q) => Array.isArray(q) && q.every(Number.isFinite)) ? quantiles : undefined;
}
