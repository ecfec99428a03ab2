import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { readCsvFile } from '../../src/features/read-csv.js';
import { modelFromBundle, type ModelBundle } from '../../src/model/bundle.js';
import { runEvaluation } from '../../src/model/evaluation/run-evaluation.js';
import { calibratedProbabilities, pipelineReference, scoreMatrix, type ScoringModel } from '../../src/scoring/score-leads.js';
import { writeSyntheticLeads } from '../cli/synthetic-leads.js';

const dir = mkdtempSync(join(tmpdir(), 'leadlift-score-leads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scoring a batch on the rank scale', () => {
  const config = loadConfig({ env: {}, overrides: { model: { trees: 20, threads: 1 } } });
  const settings = { tiers: config.tiers, reasons: config.reasons, scale: 'rank' as const };
  let model: ScoringModel;
  let csv: string;
  beforeAll(async () => {
    csv = join(dir, 'leads.csv');
    writeSyntheticLeads(csv, 800);
    let bundle: ModelBundle | null = null;
    await runEvaluation({ input: csv, label: 'converted', order: 'created', exclude: ['id'], config, seed: 1, onModel: (b) => (bundle = b) });
    model = modelFromBundle(bundle!);
  });

  /** Ten leads whose calibrated probabilities all differ (the calibrator maps some leads alike). */
  function tenDistinctLeads() {
    const dataset = model.pipeline.datasetFrom(readCsvFile(csv));
    const all = Array.from({ length: dataset.rowCount }, (_, i) => i);
    const p = calibratedProbabilities(model, model.pipeline.transform(dataset, { rows: all }));
    const seen = new Set<number>();
    const rows = all.filter((r) => !seen.has(p[r]) && seen.add(p[r])).slice(0, 10);
    expect(rows).toHaveLength(10);
    return model.pipeline.transform(dataset, { rows });
  }

  it('with the batch as reference, ten leads score 5, 15, … 95 in the order of their probabilities', () => {
    const x = tenDistinctLeads();
    const reference = pipelineReference(calibratedProbabilities(model, x));
    const scored = scoreMatrix(model, x, { ...settings, reference });
    const byProbability = [...scored].sort((a, b) => a.probability - b.probability);
    expect(byProbability.map((s) => s.score)).toEqual([5, 15, 25, 35, 45, 55, 65, 75, 85, 95]);
    // Default tiers 80/50/20: the top two are Hot, three Warm, three Cool, the bottom two Cold.
    expect(byProbability.map((s) => s.tier)).toEqual(['Cold', 'Cold', 'Cool', 'Cool', 'Cool', 'Warm', 'Warm', 'Warm', 'Hot', 'Hot']);
    // The probability is the model's, whatever the reference.
    const own = scoreMatrix(model, x, settings, false);
    expect(scored.map((s) => s.probability)).toEqual(own.map((s) => s.probability));
    // Reasons share the batch-ranked score out.
    for (const s of scored) expect(s.reasons).toBeDefined();
  });

  it('without a batch reference, falls back to the model’s calibration-slice reference', () => {
    const x = tenDistinctLeads();
    const own = scoreMatrix(model, x, settings, false);
    const explicit = scoreMatrix(model, x, { ...settings, reference: model.reference }, false);
    expect(own.map((s) => s.score)).toEqual(explicit.map((s) => s.score));
    expect(scoreMatrix(model, x, { ...settings, reference: [] }, false).map((s) => s.score)).toEqual(own.map((s) => s.score));
  });
});
