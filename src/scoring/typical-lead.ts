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

/**
 * How far (in buckets) beyond the band's buckets leads get their contributions computed when the
 * band is first found from predicted raw probabilities (typicalBandRows): a predicted raw and the
 * sum of its contributions agree to the last bits only, so a lead on a bucket's edge may land in
 * the next one once its contributions are known.
 */
const MARGIN = 2;
/** Largest gap allowed between a predicted raw probability and bias + its contributions' sum: far below a bucket (1 / BUCKETS). */
const ADDITIVE_TOLERANCE = 1e-9;

function bucketOf(raw: number): number {
  return Math.min(BUCKETS - 1, Math.max(0, Math.floor((Number.isFinite(raw) ? raw : 0) * BUCKETS)));
}

/**
 * Sums contributions page by page (the loop's and a file's first pass read leads in chunks). A
 * lead the band cannot hold may be only counted (count), from its predicted raw probability: the
 * band's place depends on how many leads rank below it, its mean only on the leads inside.
 */
export class TypicalLeadSum {
  private features = -1;
  /** Per bucket of raw probability: the contributions' sums and the count of leads. */
  private readonly sums = new Map<number, Float64Array>();
  private readonly counts = new Map<number, number>();
  /** Per bucket: leads counted without their contributions. */
  private readonly countedOnly = new Map<number, number>();
  private rows = 0;
  /** False once a predicted raw probability disagreed with its contributions' sum (see add). */
  private additive = true;

  /**
   * Adds leads with their contributions. `predicted` (their raw probabilities as blendedPredict
   * gave them, when other leads were only counted from theirs) is checked against the
   * contributions' sum, on which the counted leads' buckets rely.
   */
  add(contributions: Contributions, predicted?: ArrayLike<number>): this {
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
      if (predicted && !(Math.abs(predicted[r] - raw) <= ADDITIVE_TOLERANCE || (!Number.isFinite(predicted[r]) && !Number.isFinite(raw)))) this.additive = false;
      const b = bucketOf(raw);
      let sum = this.sums.get(b);
      if (!sum) this.sums.set(b, (sum = new Float64Array(nf)));
      for (let f = 0; f < nf; f++) sum[f] += values[r * nf + f];
      this.counts.set(b, (this.counts.get(b) ?? 0) + 1);
    }
    this.rows += rows;
    return this;
  }

  /** Counts a lead outside the band's reach (see typicalBandRows) by its predicted raw probability. */
  count(predicted: number): this {
    const b = bucketOf(predicted);
    this.counts.set(b, (this.counts.get(b) ?? 0) + 1);
    this.countedOnly.set(b, (this.countedOnly.get(b) ?? 0) + 1);
    this.rows++;
    return this;
  }

  /**
   * The middle band's mean contributions; undefined when no lead was added. Null when leads only
   * counted sit next to the band's buckets (or a predicted raw disagreed with its contributions),
   * so the mean of every lead's contributions might differ: the caller computes that instead.
   */
  result(): number[] | undefined | null {
    if (this.rows === 0 || this.features <= 0) return this.rows > 0 && this.countedOnly.size > 0 ? null : undefined;
    if (!this.additive) return null;
    const lo = TYPICAL_BAND[0] * this.rows;
    const hi = TYPICAL_BAND[1] * this.rows;
    const out = new Float64Array(this.features);
    let weight = 0;
    let below = 0;
    let first = -1;
    let last = -1;
    // A bucket straddling the band's edge counts in proportion to its leads inside the band.
    for (const b of [...this.counts.keys()].sort((x, y) => x - y)) {
      const count = this.counts.get(b)!;
      const inside = Math.max(0, Math.min(below + count, hi) - Math.max(below, lo));
      below += count;
      if (inside === 0) continue;
      if (first === -1) first = b;
      last = b;
      const sum = this.sums.get(b);
      if (!sum) return null;
      for (let f = 0; f < out.length; f++) out[f] += (inside / count) * sum[f];
      weight += inside;
    }
    // A counted lead next to the band may belong inside it (or on the other side of its edge) by its contributions' sum.
    for (const b of this.countedOnly.keys()) if (b >= first - 1 && b <= last + 1) return null;
    return Array.from(out, (s) => s / weight);
  }
}

/**
 * The rows whose contributions the typical lead needs, by every row's predicted raw probability
 * (blendedPredict): those in the band's buckets and MARGIN buckets either side, ascending. The
 * others need only be counted (TypicalLeadSum.count).
 */
export function typicalBandRows(predicted: ArrayLike<number>): number[] {
  const n = predicted.length;
  if (n === 0) return [];
  const counts = new Float64Array(BUCKETS);
  for (let i = 0; i < n; i++) counts[bucketOf(predicted[i])]++;
  const lo = TYPICAL_BAND[0] * n;
  const hi = TYPICAL_BAND[1] * n;
  let below = 0;
  let first = -1;
  let last = -1;
  for (let b = 0; b < BUCKETS; b++) {
    const inside = Math.max(0, Math.min(below + counts[b], hi) - Math.max(below, lo));
    below += counts[b];
    if (inside === 0) continue;
    if (first === -1) first = b;
    last = b;
  }
  const rows: number[] = [];
  for (let i = 0; i < n; i++) {
    const b = bucketOf(predicted[i]);
    if (b >= first - MARGIN && b <= last + MARGIN) rows.push(i);
  }
  return rows;
}

/**
 * The start of a typical lead of leads known by their predicted raw probabilities: the rows whose
 * contributions it needs (typicalBandRows, ascending), and a sum that counts every other row.
 * Add the band's contributions to it in that order, with their predicted raws; a null result is
 * the rare case this cannot give what every lead's contributions would (TypicalLeadSum.result),
 * and the caller computes it from them all.
 */
export function typicalOfBand(predicted: ArrayLike<number>): { band: number[]; sum: TypicalLeadSum } {
  const band = typicalBandRows(predicted);
  const sum = new TypicalLeadSum();
  const inBand = new Uint8Array(predicted.length);
  for (const row of band) inBand[row] = 1;
  for (let row = 0; row < predicted.length; row++) if (!inBand[row]) sum.count(predicted[row]);
  return { band, sum };
}

/** The typical lead of one batch of contributions. */
export function typicalLeadOf(contributions: Contributions): number[] | undefined {
  return new TypicalLeadSum().add(contributions).result() ?? undefined;
}

/** `typical` when it fits a model of `features` features, else undefined (the bias is then the base). */
export function typicalFor(typical: TypicalLead | null | undefined, features: number): TypicalLead | undefined {
  return typical && typical.length === features && typical.every(Number.isFinite) ? typical : undefined;
}
