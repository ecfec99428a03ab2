import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { prepareTraining } from '../../src/features/prepare-training.js';
import { readCsvFile } from '../../src/features/read-csv.js';
import { reasonsText } from '../../src/jobs/reasons-text.js';
import { modelFromBundle, type ModelBundle } from '../../src/model/bundle.js';
import { runEvaluation } from '../../src/model/evaluation/run-evaluation.js';
import { fitModel } from '../../src/model/fit-model.js';
import { trainOnAllRows } from '../../src/model/train-model.js';
import { scoreMatrix } from '../../src/scoring/score-leads.js';
import { leakyLeadsCsv } from './leaky-leads.js';

const dir = mkdtempSync(join(tmpdir(), 'leadlift-measured-exclusions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ROWS = 1000;

// call_minutes leaks on the oldest 80% (the time-split training part): about 0.80 on every row.
// followup_days leaks on the oldest 64% (the part the calibration stage trains on): about 0.80
// on the training part and 0.64 on every row. previous_visits is empty on the oldest 70%, so
// the calibration stage finds nothing in it, but the training part does.
const csv = join(dir, 'leads.csv');
writeFileSync(csv, leakyLeadsCsv(ROWS, { call_minutes: 0.8 * ROWS, followup_days: 0.64 * ROWS }, { created: true, previousFrom: 0.7 * ROWS }));
const config = loadConfig({ env: {}, overrides: { model: { trees: 20, threads: 1 } } });
const request = { label: 'converted', order: 'created', options: config.features };
const LEAKS = ['call_minutes', 'followup_days'];
const LEAK_WORDS = /call minutes|followup days|call_minutes|followup_days/i;

/** The final model's feature names, as scoring sees them. */
function featureNames(bundle: ModelBundle): string[] {
  return modelFromBundle(bundle).pipeline.defs.map((d) => d.name);
}

function reasonsOf(bundle: ModelBundle): string[] {
  const model = modelFromBundle(bundle);
  const table = readCsvFile(csv);
  const x = model.pipeline.transform(model.pipeline.datasetFrom(table));
  return scoreMatrix(model, x, { tiers: config.tiers, reasons: config.reasons, scale: config.scoring.scale }).map((lead) => reasonsText(lead.reasons));
}

describe('exclusions decided when the recipe is measured', () => {
  it('the table is built as described: the leaks measure under the bound on rows that include the newest', () => {
    const table = readCsvFile(csv);
    const split = prepareTraining({ ...request, input: table, testFraction: 0.2 });
    const all = prepareTraining({ ...request, input: table, split: { train: [...split.trainRows, ...split.testRows], test: [] } });
    expect(split.excluded.map((e) => e.column)).toContain('call_minutes');
    expect(split.singleFeatureAuc.followup_days).toBeLessThan(0.9);
    expect(all.singleFeatureAuc.call_minutes).toBeLessThan(0.9);
    expect(all.singleFeatureAuc.followup_days).toBeLessThan(0.9);
  });

  it('the measured model, its report and the model trained on every lead all go without both leaks, listed with their figures', async () => {
    let measuredBundle: ModelBundle | undefined;
    const evaluation = await runEvaluation({ input: csv, ...request, config, onModel: (b) => (measuredBundle = b) });
    const bundle = await trainOnAllRows({ input: csv, ...request, config }, evaluation);

    for (const b of [measuredBundle!, bundle]) {
      expect(featureNames(b).some((f) => LEAKS.some((leak) => f.startsWith(leak)))).toBe(false);
      expect(featureNames(b).some((f) => f.startsWith('visits'))).toBe(true);
      for (const leak of LEAKS) {
        expect(b.excluded.find((e) => e.column === leak)?.reason).toMatch(/^single-feature AUC 1\.00 > 0\.90: /);
      }
    }
    // Empty on the calibration stage's rows says nothing about the field on newer ones.
    for (const b of [measuredBundle!, bundle]) expect(featureNames(b).some((f) => f.startsWith('previous_visits'))).toBe(true);
    expect(evaluation.excluded.map((e) => e.column)).not.toContain('previous_visits');
    for (const leak of LEAKS) expect(evaluation.excluded.find((e) => e.column === leak)?.reason).toMatch(/^single-feature AUC 1\.00 > 0\.90: /);
    expect(bundle.evaluation!.excluded).toEqual(evaluation.excluded);
    expect(bundle.training.rows).toBe(ROWS);

    const reasons = reasonsOf(bundle);
    expect(reasons.some((r) => /Visits/.test(r))).toBe(true);
    expect(reasons.filter((r) => LEAK_WORDS.test(r))).toEqual([]);
  });

  it('fitModel keeps a column its calibration stage excluded out of the refit, even from a part prepared without that check', async () => {
    const table = readCsvFile(csv);
    const prepared = prepareTraining({ ...request, input: table, testFraction: 0.2 });
    expect(prepared.excluded.map((e) => e.column)).not.toContain('followup_days');
    const model = await fitModel({ table, request, prepared, config, engine: 'fast', seed: 1 });
    expect(model.pipeline.sourceColumns).not.toContain('followup_days');
    expect(model.excluded.find((e) => e.column === 'followup_days')?.reason).toMatch(/^single-feature AUC 1\.00 > 0\.90: /);
  });
});
