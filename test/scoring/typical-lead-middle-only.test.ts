import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { prepareTraining } from '../../src/features/prepare-training.js';
import { readCsvFile } from '../../src/features/read-csv.js';
import type { FeatureMatrix } from '../../src/features/types.js';
import { blendedContributions, blendedPredict } from '../../src/model/blend.js';
import type { Contributions } from '../../src/model/engine.js';
import { fitModel, type FittedModel } from '../../src/model/fit-model.js';
import { scoreInChunks } from '../../src/scoring/score-in-chunks.js';
import { calibratedProbabilities, pipelineReference, scoreMatrix } from '../../src/scoring/score-leads.js';
import { TypicalLeadSum, typicalLeadOf, typicalOfBand } from '../../src/scoring/typical-lead.js';
import { writeSyntheticLeads } from '../cli/synthetic-leads.js';

/**
 * The typical lead needs the contributions of the middle fifth only: found from every lead's
 * predicted raw probability, then explained. Its numbers are those of every lead's contributions,
 * to the last bit; where that cannot be vouched for the result says so (null) instead.
 */

const dir = mkdtempSync(join(tmpdir(), 'leadlift-typical-middle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const config = loadConfig({ env: {}, overrides: { model: { trees: 15, threads: 1 } } });
const settings = { tiers: config.tiers, reasons: config.reasons, scale: config.scoring.scale };
let model: FittedModel;
let matrixOf: (rows: number[]) => FeatureMatrix;
let rowCount: number;

beforeAll(async () => {
  const csv = join(dir, 'leads.csv');
  writeSyntheticLeads(csv, 3000);
  const table = readCsvFile(csv);
  const request = { label: 'converted', order: 'created', exclude: ['id'], options: config.features };
  const prepared = prepareTraining({ ...request, input: table, testFraction: 0.25 });
  model = await fitModel({ table, request, prepared, config, engine: 'fast', seed: 3 });
  const dataset = model.pipeline.datasetFrom(table);
  matrixOf = (rows) => model.pipeline.transform(dataset, { rows, referenceTime: Date.parse('2025-01-01T00:00:00Z') });
  rowCount = table.rowCount;
});

const all = () => Array.from({ length: rowCount }, (_, i) => i);

describe('the typical lead from the middle fifth\'s contributions only', () => {
  it('is exactly the typical lead of every lead\'s contributions, from about a fifth of them', () => {
    const x = matrixOf(all());
    const straightforward = typicalLeadOf(blendedContributions(model.forest, model.blend, x))!;
    const raw = blendedPredict(model.forest, model.blend, x);
    const { band, sum } = typicalOfBand(raw);
    for (let start = 0; start < band.length; start += 97) {
      const rows = band.slice(start, start + 97);
      sum.add(blendedContributions(model.forest, model.blend, matrixOf(rows)), rows.map((r) => raw[r]));
    }
    expect(sum.result()).toEqual(straightforward);
    expect(band.length).toBeGreaterThanOrEqual(0.2 * rowCount);
    expect(band.length).toBeLessThan(0.3 * rowCount);
  });

  it('`score --rank-within-file` scores the same, explaining each lead once plus the middle fifth (was every lead twice)', () => {
    let explained = 0;
    const forest = model.forest;
    const counting = { ...model, forest: { ...forest, predict: forest.predict.bind(forest), contributions: (x: FeatureMatrix) => ((explained += x.rows), forest.contributions(x)) } };
    const chunked = scoreInChunks(counting, rowCount, matrixOf, settings, { chunk: 500, rankWithinFile: true });
    const x = matrixOf(all());
    const whole = scoreMatrix(model, x, { ...settings, reference: pipelineReference(calibratedProbabilities(model, x)), typical: 'batch' });
    expect(chunked).toEqual(whole);
    expect(explained).toBeGreaterThan(rowCount);
    expect(explained).toBeLessThan(1.3 * rowCount);
  });

  it('leads on the very edges of the buckets: the same numbers, or null where a counted lead might belong inside', () => {
    let s = 7;
    const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
    let nulls = 0;
    for (let trial = 0; trial < 200; trial++) {
      const n = 50 + Math.floor(rnd() * 400);
      const nf = 3;
      const bias = 0.05;
      const values = new Float64Array(n * nf);
      const predicted = new Float64Array(n);
      for (let r = 0; r < n; r++) {
        // Raws on a bucket edge (k / 2000), whose contributions' sum lands a hair either side of it.
        const edge = (300 + Math.floor(rnd() * 40)) / 2000;
        const a = rnd() * 0.05;
        const b = rnd() * 0.05;
        values.set([a, b, edge - bias - a - b + (rnd() - 0.5) * 1e-12], r * nf);
        predicted[r] = edge;
      }
      const contributions: Contributions = { bias, values, features: nf };
      const straightforward = typicalLeadOf(contributions);
      const { band, sum } = typicalOfBand(predicted);
      sum.add({ bias, values: Float64Array.from(band.flatMap((r) => Array.from(values.subarray(r * nf, r * nf + nf)))), features: nf }, band.map((r) => predicted[r]));
      const result = sum.result();
      if (result === null) nulls++;
      else expect(result).toEqual(straightforward);
    }
    expect(nulls).toBeLessThan(200);
  });

  it('a predicted raw that disagrees with its contributions, or a counted lead next to the band, gives null', () => {
    const disagrees = new TypicalLeadSum().count(0.1).add({ bias: 0, values: Float64Array.from([0.5]), features: 1 }, [0.6]);
    expect(disagrees.result()).toBeNull();
    // Three counted leads right below the band's bucket: one may rank inside it.
    const near = new TypicalLeadSum().count(0.4995).count(0.4995).count(0.4995).add({ bias: 0, values: Float64Array.from([0.5, 0.5]), features: 1 }, [0.5, 0.5]);
    expect(near.result()).toBeNull();
    // Without counted leads nothing changes: every lead's own mean.
    expect(new TypicalLeadSum().add({ bias: 0, values: Float64Array.from([0.5, 0.5]), features: 1 }).result()).toEqual([0.5]);
  });
});
