import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { readCsvFile } from '../../src/features/read-csv.js';
import { tableFromRecords } from '../../src/features/raw-table.js';
import { modelFromBundle, type ModelBundle } from '../../src/model/bundle.js';
import { runEvaluation } from '../../src/model/evaluation/run-evaluation.js';
import { scoreMatrix, type ScoringModel } from '../../src/scoring/score-leads.js';
import { writeSyntheticLeads } from '../cli/synthetic-leads.js';

const dir = mkdtempSync(join(tmpdir(), 'leadlift-absent-reasons-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reasons for a column the leads do not have', () => {
  const config = loadConfig({ env: {}, overrides: { model: { trees: 20, threads: 1 } } });
  const settings = { tiers: config.tiers, reasons: { for: 10, against: 10 }, scale: 'rank' as const };
  let model: ScoringModel;
  let csv: string;
  beforeAll(async () => {
    csv = join(dir, 'leads.csv');
    writeSyntheticLeads(csv, 800);
    let bundle: ModelBundle | null = null;
    await runEvaluation({ input: csv, label: 'converted', order: 'created', exclude: ['id'], config, seed: 1, onModel: (b) => (bundle = b) });
    model = modelFromBundle(bundle!);
  });

  it('say the value is unknown, not "another, less common value", when training never lacked it', () => {
    // Every training lead has a source, so a missing one is coded as "other" for the trees.
    const table = readCsvFile(csv);
    const source = table.columns.indexOf('source');
    const records = Array.from({ length: 50 }, (_, r) =>
      Object.fromEntries(table.columns.filter((_, c) => c !== source).map((name) => [name, table.cells[table.columns.indexOf(name)][r]])),
    );
    const dataset = model.pipeline.datasetFrom(tableFromRecords(records));
    const x = model.pipeline.transform(dataset);
    const reasons = scoreMatrix(model, x, settings).flatMap((s) => [...s.reasons!.for, ...s.reasons!.against]).filter((r) => r.column === 'source');
    expect(reasons.length).toBeGreaterThan(0);
    for (const r of reasons) expect(r.text).toBe('Source is unknown');
  });

  it('keep naming a present value the model pooled or never saw as another, less common value', () => {
    const dataset = model.pipeline.datasetFrom(tableFromRecords([{ created: '2024-06-01', source: 'Carrier pigeon', visits: '3', country: 'PT' }]));
    const x = model.pipeline.transform(dataset);
    expect(x.missingAsOther).toBeUndefined();
    const f = x.defs.findIndex((d) => d.source === 'source');
    expect(model.pipeline.describe(f, x.columns[f][0])).toBe('Source is another, less common value');
  });
});
