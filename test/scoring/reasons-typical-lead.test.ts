import { describe, expect, it } from 'vitest';
import type { FeatureDef } from '../../src/features/types.js';
import { applyPlatt } from '../../src/model/calibration/platt.js';
import { groupFeaturesByColumn, reasonsForLead, type ReasonContext } from '../../src/scoring/reasons.js';
import { probabilityScale, rankScale, referenceQuantiles, type ScoreMap } from '../../src/scoring/score-scale.js';
import { typicalLeadOf, TypicalLeadSum } from '../../src/scoring/typical-lead.js';
import { reasonsText } from '../../src/jobs/reasons-text.js';

/**
 * Reasons measured from the typical lead of the population a score is placed in, not from the
 * model's training average: under drift the latter sits below nearly every current lead.
 */

const defs: FeatureDef[] = [
  { name: 'month', source: 'month', kind: 'categorical', label: 'Last contact month', categories: ['may', 'mar'] },
  { name: 'economy', source: 'economy', kind: 'numeric', label: 'Employment variation rate' },
  { name: 'calls', source: 'calls', kind: 'numeric', label: 'Calls' },
];
const nf = defs.length;
const describe_ = (f: number, v: number) => (defs[f].categories ? `${defs[f].label} is ${defs[f].categories![v]}` : `${defs[f].label} is ${v}`);
const identity = (raw: number) => raw;
const base: ReasonContext = { defs, bias: 0.1, calibrate: identity, scale: probabilityScale, describe: describe_, maxFor: 3, maxAgainst: 3 };
const groups = groupFeaturesByColumn(defs);

/**
 * Today's open leads after drift: every one shares the same economy (+0.2 over the training
 * average), month and calls set them apart. Deterministic, bias + sum kept inside [0, 1].
 */
function openLeads(n: number): { values: Float64Array; raw: number[] } {
  let s = 99;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const values = new Float64Array(n * nf);
  const raw: number[] = [];
  for (let r = 0; r < n; r++) {
    values[r * nf] = (rnd() - 0.5) * 0.3;
    values[r * nf + 1] = 0.2;
    values[r * nf + 2] = (rnd() - 0.5) * 0.2;
    raw.push(base.bias + values[r * nf] + values[r * nf + 1] + values[r * nf + 2]);
  }
  return { values, raw };
}

const sumOf = (r: ReturnType<typeof reasonsForLead>) => [...r.for, ...r.against].reduce((t, x) => t + x.points, 0) + r.otherPoints;

describe('reasons measured from the typical lead of the reference population', () => {
  it('known answer: points are the lead\'s contributions less the typical lead\'s, and a value every lead shares gets none', () => {
    // Two reference leads: month +0.1 / -0.1, economy +0.2 for both, calls 0 / +0.1.
    const typical = typicalLeadOf({ bias: 0.1, values: Float64Array.from([0.1, 0.2, 0, -0.1, 0.2, 0.1]), features: nf })!;
    expect(typical.map((m) => Math.round(m * 1e9) / 1e9)).toEqual([0, 0.2, 0.05]);
    const ctx = { ...base, typical };
    // A lead with month -0.1, economy +0.2, calls +0.15: raw 0.35 against the typical lead's 0.35.
    // Probability scale, identity calibration: S(x) = 100x, so points = 100 x (c_j - m_j) exactly.
    const lead = Float64Array.from([-0.1, 0.2, 0.15]);
    const r = reasonsForLead(ctx, groups, lead, 0, 0.1 - 0.1 + 0.2 + 0.15, (f) => [0, -1.8, 6][f]);
    expect(r.base).toBe(35);
    expect(r.for).toEqual([{ column: 'calls', text: 'Calls is 6', points: 10 }]);
    expect(r.against).toEqual([{ column: 'month', text: 'Last contact month is may', points: -10 }]);
    expect(r.otherPoints).toBe(0);
    // The old comparison (the training average, base 10) gives the shared economy 20 points.
    const old = reasonsForLead(base, groups, lead, 0, 0.35, (f) => [0, -1.8, 6][f]);
    expect(old.base).toBe(10);
    expect(old.for[0]).toEqual({ column: 'economy', text: 'Employment variation rate is -1.8', points: 20 });
  });

  it.each<[string, (raw: number[]) => ScoreMap]>([
    ['probability', () => probabilityScale],
    ['rank', (raw) => rankScale(referenceQuantiles(raw.map((x) => applyPlatt({ method: 'platt', a: 1.3, b: -0.8 }, x))))],
  ])('on the %s scale: base + points = score for every lead, base = the typical lead\'s score, leads below it read net against', (_name, scaleOf) => {
    const { values, raw } = openLeads(400);
    const calibrate = (x: number) => applyPlatt({ method: 'platt', a: 1.3, b: -0.8 }, x);
    const scale = scaleOf(raw);
    const typical = new TypicalLeadSum().add({ bias: 0.1, values: values.subarray(0, 200 * nf), features: nf }).add({ bias: 0.1, values: values.subarray(200 * nf), features: nf }).result()!;
    expect(typical[1]).toBeCloseTo(0.2, 12);
    const ctx = { ...base, calibrate, scale, typical };
    // The typical lead's raw probability: the bias plus its contributions.
    const expectedBase = scale.score(calibrate(0.1 + typical.reduce((t, m) => t + m, 0)));
    let economyListed = 0;
    for (let i = 0; i < raw.length; i++) {
      const r = reasonsForLead(ctx, groups, values, i, raw[i], () => 0);
      const score = scale.score(calibrate(raw[i]));
      expect(r.base).toBe(expectedBase);
      expect(r.base + sumOf(r)).toBe(score);
      if (score < r.base) expect(sumOf(r)).toBeLessThan(0);
      if (score < r.base) expect(r.against.length).toBeGreaterThan(0);
      if ([...r.for, ...r.against].some((x) => x.column === 'economy')) economyListed++;
    }
    // The shared economy is no reason for any lead.
    expect(economyListed).toBe(0);
  });

  it('the drift the reviewer saw: from the training average nearly every low-scored lead reads net "+", from the typical lead none does', () => {
    const { values, raw } = openLeads(400);
    const scale = rankScale(referenceQuantiles(raw));
    const typical = new TypicalLeadSum().add({ bias: 0.1, values, features: nf }).result()!;
    let cold = 0;
    let positiveOld = 0;
    let positiveNew = 0;
    for (let i = 0; i < raw.length; i++) {
      if (scale.score(raw[i]) >= 20) continue;
      cold++;
      if (sumOf(reasonsForLead({ ...base, scale }, groups, values, i, raw[i], () => 0)) > 0) positiveOld++;
      if (sumOf(reasonsForLead({ ...base, scale, typical }, groups, values, i, raw[i], () => 0)) > 0) positiveNew++;
    }
    expect(cold).toBeGreaterThan(40);
    expect(positiveOld / cold).toBeGreaterThan(0.75);
    expect(positiveNew).toBe(0);
  });

  it('a lead below the typical lead opens with what holds it back, one above it with what lifts it', () => {
    const typical = [0, 0.2, 0.05];
    const ctx = { ...base, typical };
    const values = (f: number) => [0, -1.8, 6][f];
    // Month well below the typical lead's, calls a little above: net below.
    const below = reasonsForLead(ctx, groups, Float64Array.from([-0.15, 0.2, 0.1]), 0, 0.1 - 0.15 + 0.2 + 0.1, values);
    expect(reasonsText(below)).toBe('-15 Last contact month is may\n+5 Calls is 6');
    // The same factors the other way round: net above, the lift first.
    const above = reasonsForLead(ctx, groups, Float64Array.from([0.15, 0.2, 0]), 0, 0.1 + 0.15 + 0.2, (f) => [1, -1.8, 6][f]);
    expect(reasonsText(above)).toBe('+15 Last contact month is mar\n-5 Calls is 6');
  });
});
