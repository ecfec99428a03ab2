import type { Contributions } from '../model/engine.js';

/**
 * The typical lead of a reference population, as the model explains leads: the mean additive
 * contribution of each feature over the middle of the population, the leads ranked between its
 * 40th and 60th percentile (model feature order). Reasons measure a lead's points from it (see
 * reasons.ts), so they answer "why is this lead above or below the leads it is ranked among?".
 * Kept beside the population's quantiles wherever those are stored (the model bundle's reference
 * slice, the loop's stored open-lead reference), so a lead scored on its own later is explained
 * against the same leads its score was placed among.
 *
 * Why the middle and not every lead: a few very likely leads pull a plain mean up (on the bank
 * demo the mean lead ranked 66 of 100), and then a Warm lead at 55 read mostly against. The middle
 * fifth's average sits at the median, so on the rank scale a lead above the middle leans "for"
 * and one below it "against", as its tier suggests.
 */
export type TypicalLead = readonly number[];

/** Leads between these shares of the population, ranked by raw probability, make the typical lead. */
export const TYPICAL_BAND = [0.4, 0.6] as const;
/** Raw probabilities are bucketed this finely to find the band in one pass (a page at a time). */
const BUCKETS = 2000;

/** Sums contributions page by page (the loop's and a file's first pass read leads in chunks). */
export class TypicalLeadSum {
  private features = -1;
  /** Per bucket of raw probability: the contributions' sums and the count of leads. */
  private readonly sums = new Map<number, Float64Array>();
  private readonly counts = new Map<number, number>();
  private rows = 0;

  add(contributions: Contributions): this {
    const nf = contributions.features;
    if (nf === 0) return this;
    if (this.features === -1) this.features = nf;
    else if (this.features !== nf) throw new Error(`typical lead: ${nf} features after ${this.features}`);
    const { values, bias } = contributions;
    const rows = values.length / nf;
    for (let r = 0; r < rows; r++) {
      // Contributions are additive: the row's raw probability is the bias plus their sum.
      let raw = bias;
      for (let f = 0; f < nf; f++) raw += values[r * nf + f];
      const b = Math.min(BUCKETS - 1, Math.max(0, Math.floor((Number.isFinite(raw) ? raw : 0) * BUCKETS)));
      let sum = this.sums.get(b);
      if (!sum) this.sums.set(b, (sum = new Float64Array(nf)));
      for (let f = 0; f < nf; f++) sum[f] += values[r * nf + f];
      this.counts.set(b, (this.counts.get(b) ?? 0) + 1);
    }
    this.rows += rows;
    return this;
  }

  /** The middle band's mean contributions; undefined when no lead was added. */
  result(): number[] | undefined {
    if (this.rows === 0 || this.features <= 0) return undefined;
    const lo = TYPICAL_BAND[0] * this.rows;
    const hi = TYPICAL_BAND[1] * this.rows;
    const out = new Float64Array(this.features);
    let weight = 0;
    let below = 0;
    // A bucket straddling the band's edge counts in proportion to its leads inside the band.
    for (const b of [...this.counts.keys()].sort((x, y) => x - y)) {
      const count = this.counts.get(b)!;
      const inside = Math.max(0, Math.min(below + count, hi) - Math.max(below, lo));
      below += count;
      if (inside === 0) continue;
      const sum = this.sums.get(b)!;
      for (let f = 0; f < out.length; f++) out[f] += (inside / count) * sum[f];
      weight += inside;
    }
    return Array.from(out, (s) => s / weight);
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
