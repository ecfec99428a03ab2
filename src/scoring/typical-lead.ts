import type { Contributions } from '../model/engine.js';

/**
 * The typical lead of a reference population, as the model explains leads: the mean additive
 * contribution of each feature over the population (model feature order). Reasons measure a
 * lead's points from it (see reasons.ts), so they answer "why is this lead above or below the
 * leads it is ranked among?". Kept beside the population's quantiles wherever those are stored
 * (the model bundle's reference slice, the loop's stored open-lead reference), so a lead scored
 * on its own later is explained against the same leads its score was placed among.
 */
export type TypicalLead = readonly number[];

/** Sums contributions page by page (the loop's and a file's first pass read leads in chunks). */
export class TypicalLeadSum {
  private sum: Float64Array | null = null;
  private rows = 0;

  add(contributions: Contributions): this {
    const nf = contributions.features;
    if (nf === 0) return this;
    const rows = contributions.values.length / nf;
    if (!this.sum) this.sum = new Float64Array(nf);
    else if (this.sum.length !== nf) throw new Error(`typical lead: ${nf} features after ${this.sum.length}`);
    for (let r = 0; r < rows; r++) for (let f = 0; f < nf; f++) this.sum[f] += contributions.values[r * nf + f];
    this.rows += rows;
    return this;
  }

  /** Leads added so far. */
  get leads(): number {
    return this.rows;
  }

  /** The mean contributions; undefined when no lead was added. */
  result(): number[] | undefined {
    const sum = this.sum;
    if (!sum || this.rows === 0) return undefined;
    return Array.from(sum, (s) => s / this.rows);
  }
}

/** The typical lead of one batch of contributions. */
export function typicalLeadOf(contributions: Contributions): number[] | undefined {
  return new TypicalLeadSum().add(contributions).result();
}

/** `typical` when it fits a model of `features` features, else undefined (the bias is then the base). */
export function typicalFor(typical: TypicalLead | null | undefined, features: number): TypicalLead | undefined {
  return typical && typical.length === features && typical.every(Number.isFinite) ? typical : undefined;
}
