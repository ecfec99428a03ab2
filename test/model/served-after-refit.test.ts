import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { modelFromBundle } from '../../src/model/bundle.js';
import { runEvaluation } from '../../src/model/evaluation/run-evaluation.js';
import { trainOnAllRows } from '../../src/model/train-model.js';
import { leakyLeadsCsv } from './leaky-leads.js';

const dir = mkdtempSync(join(tmpdir(), 'leadlift-served-after-refit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// previous_visits is filled in on the newest 15% only: empty on the oldest 80% (the time-split
// training part the evaluation measures with), filled on some of the leads the shipped model trains on.
const csv = join(dir, 'leads.csv');
writeFileSync(csv, leakyLeadsCsv(1000, {}, { created: true, previousFrom: 850 }));
const config = loadConfig({ env: {}, overrides: { model: { trees: 20, threads: 1 } } });
const request = { label: 'converted', order: 'created', options: config.features };

describe('leadlift train: a field empty on the measured rows only', () => {
  it('the evaluation lists it as empty; the shipped model uses it, and its copy of the list says so', async () => {
    const evaluation = await runEvaluation({ input: csv, ...request, config });
    expect(evaluation.excluded).toContainEqual({ column: 'previous_visits', reason: 'empty on every training row' });

    const bundle = await trainOnAllRows({ input: csv, ...request, config }, evaluation);
    expect(modelFromBundle(bundle).pipeline.sourceColumns).toContain('previous_visits');
    expect(bundle.excluded.map((e) => e.column)).not.toContain('previous_visits');
    expect(bundle.evaluation!.excluded.filter((e) => e.column === 'previous_visits')).toEqual([
      {
        column: 'previous_visits',
        reason: 'left out of the fit measured above only (empty on every training row); newer leads have it, so the model in service, refitted on every closed lead, uses it',
      },
    ]);
  });
});
