import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/load.js';
import { prepareTraining, type PreparedTraining } from '../../../src/features/prepare-training.js';
import { readCsvFile } from '../../../src/features/read-csv.js';
import { blendedContributions } from '../../../src/model/blend.js';
import { calibrateOne } from '../../../src/model/calibration/index.js';
import { loadModel, saveBundle } from '../../../src/model/bundle.js';
import { bundleOf } from '../../../src/model/evaluation/run-evaluation.js';
import { splitByTime } from '../../../src/model/evaluation/time-split.js';
import { fitModel, type FittedModel } from '../../../src/model/fit-model.js';
import { scoreInChunks } from '../../../src/scoring/score-in-chunks.js';
import { calibratedProbabilities, pipelineReference, type ScoringModel, scoreMatrix } from '../../../src/scoring/score-leads.js';
import { rankScale } from '../../../src/scoring/score-scale.js';
import { typicalLeadOf } from '../../../src/scoring/typical-lead.js';
import { writeSyntheticLeads } from '../../cli/synthetic-leads.js';

/**
 * The model file keeps its reference slice's typical lead (bundle format 4), so `leadlift score`
 * explains a lead against the same leads its score is placed among; older files fall back to the bias.
 */

const dir = mkdtempSync(join(tmpdir(), 'leadlift-typical-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config = loadConfig({ env: {}, overrides: { model: { trees: 15, threads: 1 } } });
const settings = { tiers: config.tiers, reasons: config.reasons, scale: config.scoring.scale };
let model: FittedModel;
let prepared: PreparedTraining;
const path = join(dir, 'model.json');

/** The score of a lead at bias + sum(typical) on `reference`'s rank scale. */
function baseScore(m: ScoringModel, bias: number, typical: readonly number[] | undefined, reference: readonly number[]): number {
  const raw = bias + (typical ?? []).reduce((s, v) => s + v, 0);
  return rankScale(reference).score(calibrateOne(m.calibrator, Math.min(1, Math.max(0, raw))));
}

beforeAll(async () => {
  const csv = join(dir, 'leads.csv');
  writeSyntheticLeads(csv, 400);
  const table = readCsvFile(csv);
  const request = { label: 'converted', order: 'created', exclude: ['id'], options: config.features };
  prepared = prepareTraining({ ...request, input: table, testFraction: 0.25 });
  model = await fitModel({ table, request, prepared, config, engine: 'fast', seed: 3 });
  saveBundle(path, bundleOf(model, prepared, 'converted', 'created', 'fast', null));
});

describe('the reference slice\'s typical lead in the model file', () => {
  it('is the shipped model\'s mean contribution per feature over the calibration slice, saved since format 4', () => {
    const { newer } = splitByTime(prepared.trainRows, config.calibration.fraction, 'calibration');
    const slice = model.pipeline.transform(prepared.dataset, { rows: newer });
    const expected = typicalLeadOf(blendedContributions(model.forest, model.blend, slice))!;
    expect(model.typical).toHaveLength(model.pipeline.defs.length);
    model.typical.forEach((m, f) => expect(m).toBeCloseTo(expected[f], 12));

    const loaded = loadModel(path);
    expect(loaded.bundle.formatVersion).toBe(5);
    expect(loaded.bundle.scoreReference!.typical).toEqual(model.typical);
    expect(loaded.model.typical).toEqual(model.typical);
  });

  it('scoring against the slice measures reasons from it: base = the typical lead\'s standing, reasons exact', () => {
    const loaded = loadModel(path).model;
    const x = loaded.pipeline.transform(loaded.pipeline.datasetFrom(readCsvFile(join(dir, 'leads.csv'))), { rows: prepared.testRows });
    const bias = blendedContributions(loaded.forest, loaded.blend, x).bias;
    const expectedBase = baseScore(loaded, bias, loaded.typical, loaded.reference!);
    for (const lead of scoreMatrix(loaded, x, settings)) {
      const r = lead.reasons!;
      expect(r.base).toBe(expectedBase);
      expect(r.base + r.otherPoints + [...r.for, ...r.against].reduce((s, p) => s + p.points, 0)).toBe(lead.score);
    }
    // These synthetic leads do not drift, so the bias stands where the slice's typical lead does;
    // a slice whose typical lead sits higher moves the base with it.
    const higher = { ...loaded, typical: loaded.typical!.map((m, f) => (f === 0 ? m + 0.2 : m)) };
    const higherBase = baseScore(higher, bias, higher.typical, loaded.reference!);
    expect(higherBase).toBeGreaterThan(expectedBase);
    for (const lead of scoreMatrix(higher, x, settings)) expect(lead.reasons!.base).toBe(higherBase);
  });

  it('a format 3 file (no typical lead) still loads and scores the same, its reasons from the bias as before', () => {
    const { scoreReference, ...saved } = JSON.parse(readFileSync(path, 'utf8'));
    const { typical: _dropped, ...reference } = scoreReference;
    const v3 = join(dir, 'v3.json');
    writeFileSync(v3, JSON.stringify({ ...saved, formatVersion: 3, scoreReference: reference }));
    const old = loadModel(v3).model;
    const current = loadModel(path).model;
    expect(old.typical).toBeUndefined();
    const x = old.pipeline.transform(old.pipeline.datasetFrom(readCsvFile(join(dir, 'leads.csv'))));
    const before = scoreMatrix(old, x, settings);
    const now = scoreMatrix(current, x, settings);
    expect(before.map((s) => [s.probability, s.score, s.tier])).toEqual(now.map((s) => [s.probability, s.score, s.tier]));
    const bias = blendedContributions(old.forest, old.blend, x).bias;
    for (const lead of before) expect(lead.reasons!.base).toBe(baseScore(old, bias, undefined, old.reference!));

    // Format 4 without it is a damaged file.
    const broken = join(dir, 'v4-broken.json');
    writeFileSync(broken, JSON.stringify({ ...saved, scoreReference: reference }));
    expect(() => loadModel(broken)).toThrow(/v4-broken\.json is a damaged leadlift model .*"scoreReference\.typical"/);
  });

  it('ranked within a file, reasons are measured from the whole file\'s typical lead, whatever the chunk size', () => {
    const table = readCsvFile(join(dir, 'leads.csv'));
    const dataset = model.pipeline.datasetFrom(table);
    const now = Date.parse('2025-01-01T00:00:00Z');
    const matrixOf = (rows: number[]) => model.pipeline.transform(dataset, { rows, referenceTime: now });
    const chunked = scoreInChunks(model, table.rowCount, matrixOf, settings, { chunk: 64, rankWithinFile: true });
    const all = matrixOf(Array.from({ length: table.rowCount }, (_, i) => i));
    const whole = scoreMatrix(model, all, { ...settings, reference: pipelineReference(calibratedProbabilities(model, all)), typical: 'batch' });
    expect(chunked).toEqual(whole);
    const contributions = blendedContributions(model.forest, model.blend, all);
    const fileBase = baseScore(model, contributions.bias, typicalLeadOf(contributions), pipelineReference(calibratedProbabilities(model, all)));
    expect(chunked[0].reasons!.base).toBe(fileBase);
  });
});
