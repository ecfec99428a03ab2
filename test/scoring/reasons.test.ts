import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../src/features/build-dataset.js';
import { parseDatasetOptions } from '../../src/features/options.js';
import { FeaturePipeline } from '../../src/features/pipeline.js';
import { parseCsvText } from '../../src/features/read-csv.js';
import type { FeatureDef } from '../../src/features/types.js';
import { formatReason, groupFeaturesByColumn, reasonsForLead, roundToTotal, type ReasonContext } from '../../src/scoring/reasons.js';
import { probabilityScale, rankScale, referenceQuantiles, type ScoreMap } from '../../src/scoring/score-scale.js';
import { applyPlatt } from '../../src/model/calibration/platt.js';

const defs: FeatureDef[] = [
  { name: 'source', source: 'source', kind: 'categorical', label: 'Lead source', categories: ['web', 'reference'] },
  { name: 'visits', source: 'visits', kind: 'numeric', label: 'Website visits' },
  { name: 'visits__missing', source: 'visits', kind: 'missing-indicator', label: 'Website visits' },
  { name: 'age', source: 'age', kind: 'numeric', label: 'Age' },
  { name: 'country', source: 'country', kind: 'categorical', label: 'Country', categories: ['pt', 'es'] },
  { name: 'calls', source: 'calls', kind: 'numeric', label: 'Calls' },
  { name: 'email', source: 'email', kind: 'boolean', label: 'Opened email' },
];
const describeFeature = (f: number, v: number) =>
  defs[f].categories ? `${defs[f].label} is ${defs[f].categories![v]}` : `${defs[f].label} is ${v}`;
const calibrate = (raw: number) => applyPlatt({ method: 'platt', a: 1.3, b: -0.8 }, raw);
const ctx: ReasonContext = { defs, bias: 0.4, calibrate, scale: probabilityScale, describe: describeFeature, maxFor: 3, maxAgainst: 2 };
// A recent-leads population with many exact ties (probabilities on a 0.02 grid), as isotonic calibration gives.
const reference = referenceQuantiles(Array.from({ length: 500 }, (_, i) => Math.round(calibrate(0.05 + (0.6 * ((i * 37) % 500)) / 500) * 50) / 50));
const groups = groupFeaturesByColumn(defs);

/** Deterministic pseudo-random contributions keeping bias + sum inside [0, 1]. */
function rows(n: number): { contributions: Float64Array; raw: number[] } {
  let s = 12345;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const nf = defs.length;
  const contributions = new Float64Array(n * nf);
  const raw: number[] = [];
  for (let r = 0; r < n; r++) {
    let sum = 0;
    for (let f = 0; f < nf; f++) {
      const c = (rnd() - 0.5) * 0.15;
      contributions[r * nf + f] = c;
      sum += c;
    }
    raw.push(ctx.bias + sum);
  }
  return { contributions, raw };
}

describe('reasons', () => {
  it.each<[string, ScoreMap]>([
    ['probability', probabilityScale],
    ['rank', rankScale(reference)],
  ])('base + listed points + other points = the lead\'s score, for every lead (%s scale)', (_name, scale) => {
    const { contributions, raw } = rows(300);
    const scaled = { ...ctx, scale };
    const scores = new Set<number>();
    for (let r = 0; r < raw.length; r++) {
      const reasons = reasonsForLead(scaled, groups, contributions, r, raw[r], () => 1);
      const score = scale.score(calibrate(raw[r]));
      scores.add(score);
      const listed = [...reasons.for, ...reasons.against].reduce((s, x) => s + x.points, 0);
      expect(reasons.base + listed + reasons.otherPoints).toBe(score);
      expect(reasons.base).toBe(scale.score(calibrate(0.4)));
      expect(reasons.for.length).toBeLessThanOrEqual(3);
      expect(reasons.against.length).toBeLessThanOrEqual(2);
      reasons.for.forEach((x) => expect(x.points).toBeGreaterThan(0));
      reasons.against.forEach((x) => expect(x.points).toBeLessThan(0));
      // Strongest first.
      for (let k = 1; k < reasons.for.length; k++) expect(reasons.for[k].points).toBeLessThanOrEqual(reasons.for[k - 1].points);
    }
    // The leads spread over many scores, so the sums above were not checked on a few values only.
    expect(scores.size).toBeGreaterThan(20);
  });

  it('on the rank scale, the base is the bias\'s standing among the reference leads', () => {
    const atBias = calibrate(0.4);
    const scale = rankScale([atBias - 0.1, atBias, atBias + 0.1, atBias + 0.2]);
    // One reference lead below, one tied (half): 1.5 / 4 = 37.5% -> 38.
    const reasons = reasonsForLead({ ...ctx, scale }, groups, new Float64Array(defs.length), 0, 0.4, () => 1);
    expect(reasons.base).toBe(38);
    expect(reasons.for).toEqual([]);
    expect(reasons.otherPoints).toBe(0);
  });

  it('names the strongest factors with signed points in plain words', () => {
    const nf = defs.length;
    const c = new Float64Array(nf);
    c[0] = 0.2; // source: strongly for
    c[1] = 0.03; // visits number...
    c[2] = 0.05; // ...and its missing flag: one factor; the flag says "known", so the value words it
    c[3] = -0.12; // age: against
    c[5] = -0.01;
    const raw = 0.4 + 0.2 + 0.08 - 0.13;
    const values = [1, 7, 0, 61, 0, 2, 1];
    const reasons = reasonsForLead(ctx, groups, c, 0, raw, (f) => values[f]);
    expect(reasons.for.map((r) => r.column)).toEqual(['source', 'visits']);
    expect(reasons.for[0].text).toBe('Lead source is reference');
    expect(reasons.for[1].text).toBe('Website visits is 7');
    // When the flag says the value is missing, the flag words the reason.
    const unknown = reasonsForLead(ctx, groups, c, 0, raw, (f) => (f === 1 ? NaN : f === 2 ? 1 : values[f]));
    expect(unknown.for[1].text).toBe('Website visits is 1');
    expect(reasons.against[0].column).toBe('age');
    expect(formatReason(reasons.for[0])).toMatch(/^\+\d+ Lead source is reference$/);
    expect(formatReason(reasons.against[0])).toMatch(/^-\d+ Age is 61$/);
    expect(reasons.for[0].points).toBeGreaterThan(reasons.for[1].points);
  });

  it('words a value standing for its "known" flag without a level, through a fitted pipeline; a value that counted for its size keeps its level', () => {
    // Visits 0-39, every fifth lead's missing: the pipeline adds a missing-value flag beside the number.
    const csv = `visits\n${Array.from({ length: 40 }, (_, i) => (i % 5 === 0 ? '' : String(i))).join('\n')}\n`;
    const options = parseDatasetOptions({});
    const ds = buildDataset(parseCsvText(csv), options);
    const y = Uint8Array.from({ length: 40 }, (_, i) => (i > 25 ? 1 : 0));
    const pipeline = new FeaturePipeline(options).fit(ds, Array.from({ length: 40 }, (_, i) => i), y, { columns: ['visits'] });
    expect(pipeline.defs.map((d) => d.kind)).toEqual(['numeric', 'missing-indicator']);
    const pipelineDefs = [...pipeline.defs];
    const real: ReasonContext = { ...ctx, defs: pipelineDefs, describe: (f, v, o) => pipeline.describe(f, v, o) };
    const byColumn = groupFeaturesByColumn(pipelineDefs);
    const known = (f: number) => (f === 0 ? 7 : 0);

    // The flag ("visits known") carried the points: the value words it, with no level.
    const flagLed = reasonsForLead(real, byColumn, Float64Array.from([0.01, 0.08]), 0, 0.4 + 0.09, known);
    expect(flagLed.for.map((r) => r.text)).toEqual(['Visits is 7']);
    expect(flagLed.for[0].text).not.toMatch(/\b(low|typical|high)\b/);
    // The number itself carried them: its level is the point, and is given.
    const valueLed = reasonsForLead(real, byColumn, Float64Array.from([0.08, 0.01]), 0, 0.4 + 0.09, known);
    expect(valueLed.for.map((r) => r.text)).toEqual(['Visits is low (7)']);
  });

  it('correlated columns share one reason with their net points, worded by the member that pulls its way', () => {
    const nf = defs.length;
    const c = new Float64Array(nf);
    c[3] = 0.09; // age: for...
    c[5] = -0.06; // ...calls, correlated with age, against: net +0.03
    c[0] = -0.02; // source: against
    const raw = 0.4 + 0.09 - 0.06 - 0.02;
    const values = [0, 7, 0, 61, 0, 2, 1];
    const apart = reasonsForLead(ctx, groups, c, 0, raw, (f) => values[f]);
    expect(apart.for.map((r) => r.column)).toEqual(['age']);
    expect(apart.against.map((r) => r.column)).toEqual(['calls', 'source']);

    const grouped = groupFeaturesByColumn(defs, [['age', 'calls']]);
    expect(grouped.columns).toEqual(['source', 'visits', 'age', 'country', 'email']);
    const together = reasonsForLead(ctx, grouped, c, 0, raw, (f) => values[f]);
    expect(together.for).toHaveLength(1);
    expect(together.for[0]).toMatchObject({ column: 'age', text: 'Age is 61' });
    expect(together.against.map((r) => r.column)).toEqual(['source']);
    // The pair's points are its members' net effect (within rounding), not the larger one's alone.
    const net = apart.for[0].points + apart.against.find((r) => r.column === 'calls')!.points;
    expect(Math.abs(together.for[0].points - net)).toBeLessThanOrEqual(1);
    expect(together.for[0].points).toBeLessThan(apart.for[0].points);

    // Pulling the other way on balance, the pair is worded by the member pulling against.
    c[5] = -0.15;
    const against = reasonsForLead(ctx, grouped, c, 0, 0.4 + 0.09 - 0.15 - 0.02, (f) => values[f]);
    expect(against.against[0]).toMatchObject({ column: 'age', text: 'Calls is 2' });
  });

  it('a known-value flag in a group of correlated columns is worded by its own column’s value', () => {
    const pair: FeatureDef[] = [
      { name: 'rate', source: 'rate', kind: 'numeric', label: 'Rate' },
      { name: 'employed', source: 'employed', kind: 'numeric', label: 'Employed' },
      { name: 'employed__missing', source: 'employed', kind: 'missing-indicator', label: 'Employed' },
    ];
    const pairCtx = { ...ctx, defs: pair, describe: (f: number, v: number) => `${pair[f].label} is ${v}` };
    const c = Float64Array.from([0.01, 0.02, 0.06]); // the flag moves the group most
    const values = [1.3, 5099, 0];
    const r = reasonsForLead(pairCtx, groupFeaturesByColumn(pair, [['rate', 'employed']]), c, 0, 0.4 + 0.09, (f) => values[f]);
    expect(r.for).toHaveLength(1);
    expect(r.for[0].text).toBe('Employed is 5099');
  });

  it('rounds to whole points that keep the total', () => {
    // Floors 0,0,0,-1 leave 2 to hand out: -0.2 (largest remainder .8) goes to 0, one 0.4 to 1.
    expect(Array.from(roundToTotal([0.4, 0.4, 0.4, -0.2], 1))).toEqual([1, 0, 0, 0]);
    const out = roundToTotal([2.6, -1.7, 0.3], 1);
    expect(out.reduce((s, v) => s + v, 0)).toBe(1);
    expect(Array.from(out)).toEqual([3, -2, 0]);
  });
});
