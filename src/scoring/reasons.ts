import type { DescribeOptions } from '../features/describe.js';
import type { FeatureDef } from '../features/types.js';
import type { ScoreMap } from './score-scale.js';

/**
 * Reasons: the model's additive contributions (raw probability = bias + sum over features; for
 * the forest + logistic regression blend see model/blend.ts)
 * turned into score points a rep can read, e.g. "+14 Lead source is Reference".
 *
 * Against what. A rep asks "why is this lead above (or below) my other leads?", so points
 * explain the lead's score against the typical lead of the population the score is measured in
 * (the open leads the rank scale places it among, evaluate's test leads, the model's reference
 * slice for `leadlift score`, the file with --rank-within-file): with m_j the mean contribution
 * of feature j over the middle fifth of that population (its 40th-60th percentile, see
 * typical-lead.ts), the lead's centred contributions c_j - m_j sum to raw - r0, r0 = bias +
 * sum m_j being about the population's median raw probability. The model's bias
 * (its training average) would be the wrong comparison: under drift it ranks near the bottom of
 * today's leads, so nearly every lead would read mostly "+", and a value every current lead
 * shares (this quarter's economy) would carry large points while telling a rep nothing. Centred,
 * such a value gets about 0 points, and a lead below the typical one reads mostly "-".
 * Without a population's means (models and stored references from before they were kept) the
 * bias is the base, as before. The words follow the points: "low"/"high" are judged against the
 * same population's quantiles (see population-quantiles.ts; the training ones where unknown).
 *
 * How raw contributions become points. The score is a non-linear function S of the raw
 * probability (the calibrator, then the score scale: percent or standing among recent leads,
 * see score-scale.ts), so contributions cannot simply be multiplied by 100. We split the change
 * S(raw) - S(r0) between the factors pushing up (sum P) and those pushing down (sum N) as a
 * two-player Shapley value: up = ½[(S(r0+P) - S(r0)) + (S(raw) - S(r0+N))], down = the
 * rest. Within each side points are shared in proportion to the centred contributions. This keeps
 * every factor's sign, stays bounded when P and N nearly cancel (plain proportional scaling
 * would divide by ~0), and sums exactly, for any S that never falls as the probability rises
 * (then up >= 0 >= down), including the rank scale's steps. Points are then rounded to whole numbers by largest
 * remainder so that base + all factors' points = the lead's score, exactly.
 *
 * Features from one column (a number and its "is missing" flag) are reported as one factor,
 * described by whichever of them moved the score most.
 */
export interface Reason {
  /** The dataset column the factor comes from ('' for the line of the factors not listed). */
  column: string;
  /** Plain-words description, e.g. "Lead source is Reference". */
  text: string;
  /** Signed share of the score in score points. */
  points: number;
}

export interface LeadReasons {
  /**
   * Score of the typical lead of the reference population (about its median raw
   * probability, see above); the model's calibrated bias where the population's typical lead is unknown.
   */
  base: number;
  for: Reason[];
  against: Reason[];
  /** Points of the factors not listed, so base + listed + other = score. */
  otherPoints: number;
  /**
   * The closing line for the factors not listed ("-18 Other factors together"), when together they
   * move the lead at least ReasonContext.othersFrom points; else null. Column: ''.
   */
  others: Reason | null;
}

/** The closing line's words: one line for every factor not listed, its points their sum. */
export const OTHER_FACTORS_TEXT = 'Other factors together';

/** Plain words for feature `feature` (index into defs) holding `value`; the feature pipeline's describe(). */
export type Describe = (feature: number, value: number, options?: DescribeOptions) => string;

export interface ReasonContext {
  defs: FeatureDef[];
  bias: number;
  /**
   * Mean contribution of each feature (model feature order) over the reference population the
   * points are measured against (see typical-lead.ts); absent: the bias alone is the base.
   */
  typical?: ArrayLike<number>;
  /** Raw probability -> calibrated probability. */
  calibrate: (raw: number) => number;
  /** Calibrated probability -> score (the same map the lead's score comes from). */
  scale: ScoreMap;
  describe: Describe;
  maxFor: number;
  maxAgainst: number;
  /**
   * Config `reasons.others`: the fewest points (either way) the unlisted factors together must
   * move the lead by for the closing line that says so; null or absent: never. Without it a Cool
   * lead can read "+26 …, +6 …, -9 …, -8 …, +1 …" (+16) while it sits 2 below the typical lead.
   */
  othersFrom?: number | null;
}

export interface ColumnGroups {
  columns: string[];
  /** feature index -> group index */
  groupOf: Int32Array;
}

/**
 * The column a reason about `column` is filed under: its own, or for a member of a group of
 * correlated columns (`reasonGroups`, from the pipeline) the group's first column. Anything else
 * that speaks of reasons (the model page's top factors) names groups through this too.
 */
export function reasonColumnOf(reasonGroups: readonly (readonly string[])[] = []): (column: string) => string {
  const keyOf = new Map<string, string>();
  for (const group of reasonGroups) for (const column of group) keyOf.set(column, group[0]);
  return (column) => keyOf.get(column) ?? column;
}

/**
 * One reason per source column, or per group of correlated columns (`reasonGroups`, from the
 * pipeline): such a group is named by its first column and carries the members' net effect.
 */
export function groupFeaturesByColumn(defs: FeatureDef[], reasonGroups: readonly (readonly string[])[] = []): ColumnGroups {
  const keyOf = reasonColumnOf(reasonGroups);
  const index = new Map<string, number>();
  const columns: string[] = [];
  const groupOf = new Int32Array(defs.length);
  defs.forEach((def, f) => {
    const key = keyOf(def.source);
    let g = index.get(key);
    if (g === undefined) {
      g = columns.length;
      index.set(key, g);
      columns.push(key);
    }
    groupOf[f] = g;
  });
  return { columns, groupOf };
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/**
 * Continuous score points per column group; they sum to S(raw) - S(base), S = unrounded score of
 * a raw probability, base = the typical lead's raw probability (bias + sum of `typical`, or the
 * bias without it). A group's contribution is measured from the typical lead's: sum of c_j - m_j.
 */
export function pointsByColumn(
  contributions: ArrayLike<number>,
  offset: number,
  featureCount: number,
  groups: ColumnGroups,
  base: number,
  raw: number,
  S: (raw: number) => number,
  typical?: ArrayLike<number>,
): Float64Array {
  const byGroup = new Float64Array(groups.columns.length);
  for (let f = 0; f < featureCount; f++) byGroup[groups.groupOf[f]] += contributions[offset + f] - (typical ? typical[f] : 0);
  let up = 0;
  let down = 0;
  for (const c of byGroup) {
    if (c > 0) up += c;
    else down += c;
  }
  const sBase = S(base);
  const sRaw = S(raw);
  const upPoints = 0.5 * (S(base + up) - sBase + (sRaw - S(base + down)));
  const downPoints = sRaw - sBase - upPoints;
  const out = new Float64Array(byGroup.length);
  for (let g = 0; g < byGroup.length; g++) {
    const c = byGroup[g];
    if (c > 0) out[g] = (c / up) * upPoints;
    else if (c < 0) out[g] = (c / down) * downPoints;
  }
  return out;
}

/** The typical lead's raw probability: the bias plus its contributions. */
export function typicalRaw(bias: number, typical: ArrayLike<number> | undefined): number {
  let raw = bias;
  if (typical) for (let f = 0; f < typical.length; f++) raw += typical[f];
  return raw;
}

/** Whole numbers summing to `target`, each within 1 of its exact value (largest remainder). */
export function roundToTotal(values: ArrayLike<number>, target: number): Int32Array {
  const n = values.length;
  const out = new Int32Array(n);
  if (n === 0) return out;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    out[i] = Math.floor(values[i]);
    sum += out[i];
  }
  let remaining = target - sum;
  const order = Array.from({ length: n }, (_, i) => i);
  if (remaining > 0) {
    order.sort((a, b) => values[b] - Math.floor(values[b]) - (values[a] - Math.floor(values[a])) || Math.abs(values[b]) - Math.abs(values[a]));
    for (let k = 0; remaining > 0; k = (k + 1) % n, remaining--) out[order[k]] += 1;
  } else if (remaining < 0) {
    order.sort((a, b) => values[a] - Math.floor(values[a]) - (values[b] - Math.floor(values[b])) || Math.abs(values[b]) - Math.abs(values[a]));
    for (let k = 0; remaining < 0; k = (k + 1) % n, remaining++) out[order[k]] -= 1;
  }
  return out;
}

/**
 * Reasons for one lead. `contributions` is the model's row-major matrix; `row` picks the lead;
 * `values` gives the lead's feature value for feature f (used in the description).
 */
export function reasonsForLead(
  ctx: ReasonContext,
  groups: ColumnGroups,
  contributions: ArrayLike<number>,
  row: number,
  raw: number,
  valueOf: (f: number) => number,
): LeadReasons {
  const nf = ctx.defs.length;
  const offset = row * nf;
  const S = (x: number) => ctx.scale.exact(ctx.calibrate(clamp01(x)));
  const baseRaw = typicalRaw(ctx.bias, ctx.typical);
  const exact = pointsByColumn(contributions, offset, nf, groups, baseRaw, raw, S, ctx.typical);
  const base = ctx.scale.score(ctx.calibrate(clamp01(baseRaw)));
  const score = ctx.scale.score(ctx.calibrate(clamp01(raw)));
  const points = roundToTotal(exact, score - base);

  // The feature that moved its group most in the direction of the group's net effect describes
  // it, so the words agree with the sign (a correlated group may hold members pulling apart).
  const lead = new Int32Array(groups.columns.length).fill(-1);
  const centred = (f: number) => contributions[offset + f] - (ctx.typical ? ctx.typical[f] : 0);
  for (let f = 0; f < nf; f++) {
    const g = groups.groupOf[f];
    const sign = Math.sign(exact[g] || 1);
    if (lead[g] < 0 || centred(f) * sign > centred(lead[g]) * sign) lead[g] = f;
  }
  const reason = (g: number): Reason => {
    const f = describedBy(ctx.defs, groups, g, lead[g], valueOf);
    // The value stands in for its "is known" flag: its presence moved the score, not its size.
    const options = f === lead[g] ? undefined : { levelled: false };
    return { column: groups.columns[g], text: ctx.describe(f, valueOf(f), options), points: points[g] };
  };
  const ranked = Array.from({ length: points.length }, (_, g) => g).sort((a, b) => points[b] - points[a] || exact[b] - exact[a]);
  const forList = ranked.filter((g) => points[g] > 0).slice(0, ctx.maxFor).map(reason);
  const againstList = ranked
    .filter((g) => points[g] < 0)
    .reverse()
    .slice(0, ctx.maxAgainst)
    .map(reason);
  const listed = [...forList, ...againstList].reduce((s, r) => s + r.points, 0);
  const otherPoints = score - base - listed;
  // The rest of a list: with none listed (reasons.for and .against 0) it would be the only line.
  const listedAny = forList.length + againstList.length > 0;
  const shown = listedAny && ctx.othersFrom != null && otherPoints !== 0 && Math.abs(otherPoints) >= ctx.othersFrom;
  return { base, for: forList, against: againstList, otherPoints, others: shown ? { column: '', text: OTHER_FACTORS_TEXT, points: otherPoints } : null };
}

/**
 * The feature whose value words a column's reason. A missing-value flag that says "the value is
 * there" tells a rep nothing ("Days since previous call is known"): the value itself is shown
 * instead, without a level, since being there is what counted ("Days since previous call is 6").
 * A flag saying "unknown" speaks for itself.
 */
function describedBy(defs: FeatureDef[], groups: ColumnGroups, g: number, lead: number, valueOf: (f: number) => number): number {
  if (defs[lead].kind !== 'missing-indicator' || valueOf(lead) >= 0.5) return lead;
  for (let f = 0; f < defs.length; f++) {
    // The flag's own column: in a group of correlated columns another member's value is no answer.
    if (groups.groupOf[f] === g && defs[f].source === defs[lead].source && defs[f].kind !== 'missing-indicator' && !Number.isNaN(valueOf(f))) return f;
  }
  return lead;
}

/**
 * The reasons in the order a rep reads them: the side the lead leans to first, so a lead below
 * the typical one opens with what holds it back ("why is this lead below my others?"), one above
 * it with what lifts it. Within a side, strongest first; the unlisted factors' line, when there is
 * one, closes the list, so the lines add up to the lead's score minus the typical lead's.
 */
export function readingOrder(reasons: LeadReasons | undefined): Reason[] {
  if (!reasons) return [];
  const net = [...reasons.for, ...reasons.against].reduce((s, r) => s + r.points, reasons.otherPoints);
  const listed = net < 0 ? [...reasons.against, ...reasons.for] : [...reasons.for, ...reasons.against];
  return reasons.others ? [...listed, reasons.others] : listed;
}

/** "+14 Lead source is Reference" */
export function formatReason(r: Reason): string {
  return `${r.points > 0 ? '+' : ''}${r.points} ${r.text}`;
}
