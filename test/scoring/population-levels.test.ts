import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { prepareTraining, type PreparedTraining } from '../../src/features/prepare-training.js';
import { quantilePoints } from '../../src/features/quantiles.js';
import { parseCsvText, readCsvFile } from '../../src/features/read-csv.js';
import type { RawTable } from '../../src/features/raw-table.js';
import { loadModel, saveBundle } from '../../src/model/bundle.js';
import { bundleOf } from '../../src/model/evaluation/run-evaluation.js';
import { splitByTime } from '../../src/model/evaluation/time-split.js';
import { fitModel, type FittedModel } from '../../src/model/fit-model.js';
import { scoreInChunks } from '../../src/scoring/score-in-chunks.js';
import { calibratedProbabilities, pipelineReference, type ScoredLead, scoreMatrix, type ScoringModel } from '../../src/scoring/score-leads.js';
import { writeSyntheticLeads } from '../cli/synthetic-leads.js';

/**
 * "low" and "high" in a reason are judged against the population its points are measured from
 * (a file ranked within itself, evaluate's test leads, the model's reference slice), not against
 * the training leads: under drift those disagree, and a value most of today's leads share read "low".
 */

const dir = mkdtempSync(join(tmpdir(), 'leadlift-levels-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Every factor listed, so each lead's visits reason can be read.
const config = loadConfig({ env: {}, overrides: { model: { trees: 20, threads: 1 }, reasons: { for: 10, against: 10 } } });
const settings = { tiers: config.tiers, reasons: config.reasons, scale: config.scoring.scale };
const NOW = Date.parse('2025-01-10T00:00:00Z');
let model: FittedModel;
let prepared: PreparedTraining;
let visits: number;
const path = join(dir, 'model.json');

beforeAll(async () => {
  const csv = join(dir, 'leads.csv');
  // Training visits run 0 to 19: 3 sits below the lower quartile, 4 in the middle.
  writeSyntheticLeads(csv, 600);
  const table = readCsvFile(csv);
  const request = { label: 'converted', order: 'created', exclude: ['id'], options: config.features };
  prepared = prepareTraining({ ...request, input: table, testFraction: 0.25 });
  model = await fitModel({ table, request, prepared, config, engine: 'fast', seed: 3 });
  saveBundle(path, bundleOf(model, prepared, 'converted', 'created', 'fast', null));
  visits = model.pipeline.defs.findIndex((d) => d.name === 'visits');
});

/** Today's leads after drift: visits 2, 3 and 4 in equal shares, so 3 is their middle value. */
function driftedLeads(rows = 300): RawTable {
  const sources = ['Web', 'Referral', 'Ads'];
  const lines = ['id,created,source,visits,country'];
  for (let i = 0; i < rows; i++) lines.push(`D${i},2025-01-0${1 + (i % 9)},${sources[i % 3]},${2 + (i % 3)},${i % 2 ? 'PT' : 'ES'}`);
  return parseCsvText(`${lines.join('\n')}\n`);
}

/** visits value -> every distinct text its reason read. */
function visitsTexts(scored: ScoredLead[], table: RawTable): Map<string, Set<string>> {
  const column = table.cells[table.columns.indexOf('visits')];
  const out = new Map<string, Set<string>>();
  scored.forEach((lead, i) => {
    for (const r of [...lead.reasons!.for, ...lead.reasons!.against].filter((r) => r.column === 'visits')) {
      if (!out.has(column[i]!)) out.set(column[i]!, new Set());
      out.get(column[i]!)!.add(r.text);
    }
  });
  return out;
}

const POPULATION_WORDS = new Map([
  ['2', new Set(['Visits is low (2)'])],
  ['3', new Set(['Visits is 3'])],
  ['4', new Set(['Visits is high (4)'])],
]);
const TRAINING_WORDS = new Map([
  ['2', new Set(['Visits is low (2)'])],
  ['3', new Set(['Visits is low (3)'])],
  ['4', new Set(['Visits is 4'])],
]);

function exact(scored: ScoredLead[]): void {
  for (const lead of scored) {
    const r = lead.reasons!;
    expect(r.base + r.otherPoints + [...r.for, ...r.against].reduce((s, p) => s + p.points, 0)).toBe(lead.score);
  }
}

describe('"low" and "high" judged against the population a lead is explained against', () => {
  it('the training quantiles call 3 low and 4 nothing (what the known answers below move away from)', () => {
    expect(model.pipeline.describe(visits, 3)).toBe('Visits is low (3)');
    expect(model.pipeline.describe(visits, 4)).toBe('Visits is 4');
  });

  it('known answer, ranked within a file: 3 (the file\'s middle value) reads no word, 4 reads "high", whatever the chunk size', () => {
    const table = driftedLeads();
    const dataset = model.pipeline.datasetFrom(table);
    const matrixOf = (rows: number[]) => model.pipeline.transform(dataset, { rows, referenceTime: NOW });
    const chunked = scoreInChunks(model, table.rowCount, matrixOf, settings, { chunk: 64, rankWithinFile: true });
    expect(visitsTexts(chunked, table)).toEqual(POPULATION_WORDS);
    exact(chunked);
    // Points are unchanged by the words: the same leads, the same scores and points.
    const whole = scoreInChunks(model, table.rowCount, matrixOf, settings, { chunk: 1000, rankWithinFile: true });
    expect(whole).toEqual(chunked);
  });

  it('known answer, evaluate\'s test leads (typical "batch"): judged among those leads', () => {
    const table = driftedLeads();
    const x = model.pipeline.transform(model.pipeline.datasetFrom(table), { referenceTime: NOW });
    const scored = scoreMatrix(model, x, { ...settings, reference: pipelineReference(calibratedProbabilities(model, x)), typical: 'batch' });
    expect(visitsTexts(scored, table)).toEqual(POPULATION_WORDS);
    exact(scored);
  });

  it('a population known only by its typical lead (stored before its quantiles) reads the training words', () => {
    const table = driftedLeads();
    const x = model.pipeline.transform(model.pipeline.datasetFrom(table), { referenceTime: NOW });
    const typicalOnly = scoreMatrix(model, x, { ...settings, reference: pipelineReference(calibratedProbabilities(model, x)), typical: model.typical });
    expect(visitsTexts(typicalOnly, table)).toEqual(TRAINING_WORDS);
  });

  it('the model file keeps its reference slice\'s quantiles (format 5), and `score` judges by them', () => {
    const { newer } = splitByTime(prepared.trainRows, config.calibration.fraction, 'calibration');
    const slice = model.pipeline.transform(prepared.dataset, { rows: newer });
    expect(model.populationQuantiles[visits]).toEqual(quantilePoints(slice.columns[visits]));
    // Only numbers are worded with a level: nothing is kept for the other features.
    model.pipeline.defs.forEach((d, f) => d.kind !== 'numeric' && expect(model.populationQuantiles[f]).toEqual([]));
    const loaded = loadModel(path);
    expect(loaded.bundle.formatVersion).toBe(5);
    expect(loaded.model.populationQuantiles).toEqual(model.populationQuantiles);

    // A slice whose leads all had 2 to 4 visits makes 3 typical and 4 high for a lead scored on its own.
    const planted = model.populationQuantiles.map((q, f) => (f === visits ? quantilePoints([2, 3, 4]) : q));
    const json = JSON.parse(readFileSync(path, 'utf8'));
    const drift = join(dir, 'drifted-slice.json');
    writeFileSync(drift, JSON.stringify({ ...json, scoreReference: { ...json.scoreReference, populationQuantiles: planted } }));
    const table = driftedLeads();
    const score = (m: ScoringModel) => scoreMatrix(m, m.pipeline.transform(m.pipeline.datasetFrom(table), { referenceTime: NOW }), settings);
    const own = score(loadModel(drift).model);
    expect(visitsTexts(own, table)).toEqual(POPULATION_WORDS);
    exact(own);
  });

  it('a format 4 file (no population quantiles) still loads and scores the same, worded by the training quantiles as before', () => {
    const json = JSON.parse(readFileSync(path, 'utf8'));
    const planted = json.scoreReference.populationQuantiles.map((q: number[], f: number) => (f === visits ? quantilePoints([2, 3, 4]) : q));
    const { populationQuantiles: _dropped, ...reference } = json.scoreReference;
    const v4 = join(dir, 'v4.json');
    writeFileSync(v4, JSON.stringify({ ...json, formatVersion: 4, scoreReference: reference }));
    const old = loadModel(v4).model;
    expect(old.populationQuantiles).toBeUndefined();
    // Quantiles in a format 4 file are no part of that format: ignored.
    const v4extra = join(dir, 'v4-extra.json');
    writeFileSync(v4extra, JSON.stringify({ ...json, formatVersion: 4, scoreReference: { ...reference, populationQuantiles: planted } }));
    expect(loadModel(v4extra).model.populationQuantiles).toBeUndefined();

    const table = driftedLeads();
    const x = old.pipeline.transform(old.pipeline.datasetFrom(table), { referenceTime: NOW });
    const before = scoreMatrix(old, x, settings);
    const current = scoreMatrix(loadModel(path).model, x, settings);
    expect(before.map((s) => [s.probability, s.score, s.tier, s.reasons!.base])).toEqual(current.map((s) => [s.probability, s.score, s.tier, s.reasons!.base]));
    expect(visitsTexts(before, table)).toEqual(TRAINING_WORDS);
    exact(before);

    // Format 5 without them is a damaged file.
    const broken = join(dir, 'v5-broken.json');
    writeFileSync(broken, JSON.stringify({ ...json, scoreReference: reference }));
    expect(() => loadModel(broken)).toThrow(/v5-broken\.json is a damaged leadlift model .*"scoreReference\.populationQuantiles"/);
  });
});
