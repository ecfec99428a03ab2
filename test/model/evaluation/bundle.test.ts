import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/load.js';
import { InputError } from '../../../src/domain/errors.js';
import { prepareTraining } from '../../../src/features/prepare-training.js';
import { readCsvFile } from '../../../src/features/read-csv.js';
import { loadModel, saveBundle } from '../../../src/model/bundle.js';
import { bundleOf } from '../../../src/model/evaluation/run-evaluation.js';
import { fitModel } from '../../../src/model/fit-model.js';
import { scoreMatrix } from '../../../src/scoring/score-leads.js';
import { blendedPredict } from '../../../src/model/blend.js';
import { writeSyntheticLeads } from '../../cli/synthetic-leads.js';

const dir = mkdtempSync(join(tmpdir(), 'leadlift-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('model bundle', () => {
  it('scores identically after save and load, and reasons sum to each score', async () => {
    const csv = join(dir, 'leads.csv');
    writeSyntheticLeads(csv, 400);
    const config = loadConfig({ env: {}, overrides: { model: { trees: 15, threads: 1 } } });
    const table = readCsvFile(csv);
    const request = { label: 'converted', order: 'created', exclude: ['id'], options: config.features };
    const prepared = prepareTraining({ ...request, input: table, testFraction: 0.25 });
    const model = await fitModel({ table, request, prepared, config, engine: 'fast', seed: 3 });
    const settings = { tiers: config.tiers, reasons: config.reasons, scale: config.scoring.scale };
    const x = model.pipeline.transform(prepared.dataset, { rows: prepared.testRows });
    const before = scoreMatrix(model, x, settings);

    const path = join(dir, 'model.json');
    saveBundle(path, bundleOf(model, prepared, 'converted', 'created', 'fast', null));
    const loaded = loadModel(path);
    expect(loaded.bundle.training.rows).toBe(300);
    expect(loaded.bundle.training.calibrationRows).toBe(60);
    expect(loaded.bundle.formatVersion).toBe(5);
    // The rank scale's population: the 60 calibration leads, sorted, as the scoring model holds them.
    const reference = loaded.bundle.scoreReference!;
    expect(reference.rows).toBe(60);
    expect(reference.quantiles).toHaveLength(60);
    expect([...reference.quantiles].sort((a, b) => a - b)).toEqual(reference.quantiles);
    expect(loaded.model.reference).toEqual(model.reference);
    expect(settings.scale).toBe('rank');
    // The blend the page shows, and the linear part that was actually used.
    expect(loaded.bundle.blend).toMatchObject({ linearWeight: 0.5, space: 'probability', linear: { kind: 'logistic' } });
    expect(loaded.model.blend.linear!.predict(x)).toEqual(model.blend.linear!.predict(x));
    const again = loaded.model.pipeline.transform(loaded.model.pipeline.datasetFrom(table), { rows: prepared.testRows });
    const after = scoreMatrix(loaded.model, again, settings);
    expect(after).toEqual(before);
    for (const lead of after) {
      const r = lead.reasons!;
      const sum = r.base + r.otherPoints + [...r.for, ...r.against].reduce((s, x) => s + x.points, 0);
      expect(sum).toBe(lead.score);
    }
  });

  it('still loads a format 1 model (forest only) and scores it with the forest alone', async () => {
    const csv = join(dir, 'leads1.csv');
    writeSyntheticLeads(csv, 300);
    const config = loadConfig({ env: {}, overrides: { model: { trees: 10, threads: 1, blend: { linearWeight: 0 } } } });
    const table = readCsvFile(csv);
    const request = { label: 'converted', order: 'created', exclude: ['id'], options: config.features };
    const prepared = prepareTraining({ ...request, input: table, testFraction: 0.25 });
    const model = await fitModel({ table, request, prepared, config, engine: 'fast', seed: 3 });
    const { blend, ...v1 } = { ...bundleOf(model, prepared, 'converted', 'created', 'fast', null), formatVersion: 1 };
    expect(blend).toEqual({ linearWeight: 0, space: 'probability', linear: null });
    const path = join(dir, 'v1.json');
    writeFileSync(path, JSON.stringify(v1));
    const loaded = loadModel(path);
    expect(loaded.model.blend.linear).toBeNull();
    const x = loaded.model.pipeline.transform(loaded.model.pipeline.datasetFrom(table), { rows: prepared.testRows });
    expect(blendedPredict(loaded.model.forest, loaded.model.blend, x)).toEqual(model.forest.predict(x));
    // Asked for the default rank scale, a model without a reference population scores exactly
    // as before: on the probability scale.
    const settings = { tiers: config.tiers, reasons: config.reasons, scale: config.scoring.scale };
    const loadedScores = scoreMatrix(loaded.model, x, settings);
    // Nor does it carry its reference slice's typical lead: its reasons start from the bias.
    expect(loaded.model.typical).toBeUndefined();
    expect(loadedScores).toEqual(scoreMatrix({ ...model, typical: undefined, populationQuantiles: undefined }, x, { ...settings, scale: 'probability' }));
    expect(loadedScores).not.toEqual(scoreMatrix(model, x, settings));
    for (const lead of loadedScores) expect(lead.score).toBe(Math.floor(lead.probability * 100 + 1e-9));
  });

  it('still loads a format 2 model (no reference population) and scores it on the probability scale', () => {
    const path = join(dir, 'model.json');
    const { scoreReference, ...saved } = JSON.parse(readFileSync(path, 'utf8'));
    expect(scoreReference.quantiles.length).toBeGreaterThan(0);
    const v2 = join(dir, 'v2.json');
    writeFileSync(v2, JSON.stringify({ ...saved, formatVersion: 2 }));
    const current = loadModel(path);
    const old = loadModel(v2);
    expect(old.model.reference).toBeUndefined();
    const config = loadConfig({ env: {} });
    const table = readCsvFile(join(dir, 'leads.csv'));
    const x = old.model.pipeline.transform(old.model.pipeline.datasetFrom(table));
    const settings = { tiers: config.tiers, reasons: config.reasons, scale: config.scoring.scale };
    const scored = scoreMatrix(old.model, x, settings);
    expect(old.model.typical).toBeUndefined();
    expect(scored).toEqual(scoreMatrix({ ...current.model, typical: undefined, populationQuantiles: undefined }, x, { ...settings, scale: 'probability' }));
    // The same leads on the rank scale: same probabilities, scores in the same order, reasons exact.
    const ranked = scoreMatrix(current.model, x, settings);
    expect(ranked.map((s) => s.probability)).toEqual(scored.map((s) => s.probability));
    const byProbability = [...ranked].sort((a, b) => a.probability - b.probability);
    for (let i = 1; i < byProbability.length; i++) expect(byProbability[i].score).toBeGreaterThanOrEqual(byProbability[i - 1].score);
    expect(new Set(ranked.map((s) => s.score)).size).toBeGreaterThan(20);
    for (const lead of ranked) {
      const r = lead.reasons!;
      expect(r.base + r.otherPoints + [...r.for, ...r.against].reduce((s, p) => s + p.points, 0)).toBe(lead.score);
    }
  });

  it('refuses a format 3 or later model without its reference population', () => {
    const path = join(dir, 'model.json');
    const { scoreReference: _dropped, ...saved } = JSON.parse(readFileSync(path, 'utf8'));
    const broken = join(dir, 'no-reference.json');
    writeFileSync(broken, JSON.stringify(saved));
    expect(() => loadModel(broken)).toThrow(/no-reference\.json is a damaged leadlift model .*"scoreReference"/);
  });

  it('refuses a format 2 model whose blend lacks its linear part', async () => {
    const path = join(dir, 'model.json');
    const saved = JSON.parse(readFileSync(path, 'utf8'));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify({ ...saved, blend: { ...saved.blend, linear: null } }));
    expect(() => loadModel(broken)).toThrow(/broken\.json is a damaged leadlift model .*"blend"/);
  });

  it('says where a damaged or cut-short model file goes wrong, in plain words', () => {
    const path = join(dir, 'model.json');
    const text = readFileSync(path, 'utf8');
    const saved = JSON.parse(text);
    const broken = join(dir, 'damaged.json');
    const quantiles = saved.scoreReference.quantiles.map((q: number, i: number) => (i === 3 ? String(q) : q));
    writeFileSync(broken, JSON.stringify({ ...saved, scoreReference: { ...saved.scoreReference, quantiles } }));
    expect(() => loadModel(broken)).toThrow(`${broken} is a damaged leadlift model ("scoreReference.quantiles[3]" must be a number); train the model again.`);
    // Parts read on their own name their place in the file too.
    writeFileSync(broken, JSON.stringify({ ...saved, forest: { ...saved.forest, arrays: { ...saved.forest.arrays, roots: 7 } } }));
    expect(() => loadModel(broken)).toThrow(/damaged\.json: Saved forest is damaged: "forest\.arrays\.roots" must be text; retrain the model\./);
    writeFileSync(broken, JSON.stringify({ ...saved, blend: { ...saved.blend, linear: { ...saved.blend.linear, intercept: 'x' } } }));
    expect(() => loadModel(broken)).toThrow(/"blend\.linear\.intercept" must be a number/);

    const cut = join(dir, 'cut.json');
    writeFileSync(cut, text.slice(0, Math.floor(text.length / 2)));
    expect(() => loadModel(cut)).toThrow(`${cut} is cut short: the model's JSON stops before its end`);
    writeFileSync(cut, `${text.slice(0, -1)},}`);
    expect(() => loadModel(cut)).toThrow(/cut\.json is not a leadlift model: it is not valid JSON \(line 1, column \d+: a key in double quotes was expected/);
  });

  it('refuses files that are not a model, or from another format version, naming the file', () => {
    const notModel = join(dir, 'other.json');
    writeFileSync(notModel, '{"hello": 1}');
    expect(() => loadModel(notModel)).toThrow(InputError);
    expect(() => loadModel(notModel)).toThrow(/other\.json is not a leadlift model/);
    const future = join(dir, 'future.json');
    writeFileSync(future, JSON.stringify({ format: 'leadlift-model', formatVersion: 99 }));
    expect(() => loadModel(future)).toThrow(/format 99/);
    expect(() => loadModel(join(dir, 'missing.json'))).toThrow(/file not found/);
  });
});
