import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FeaturePipeline } from '../../src/features/pipeline.js';
import { prepareTraining } from '../../src/features/prepare-training.js';

const bankCsv = fileURLToPath(new URL('../../../shared/data/bank-marketing/bank-additional-full.csv', import.meta.url));

/** One pass over the real file (41,188 leads, ';'-separated, oldest first), as `evaluate` makes it. */
describe('bank marketing data', () => {
  const prepared = prepareTraining({ input: bankCsv, label: 'y', exclude: ['duration'], options: { sentinels: { pdays: [999] } } });
  const report = (name: string) => prepared.dataset.report.columns.find((c) => c.column === name)!;

  it('reads every row and normalises the documented placeholders', () => {
    expect(prepared.dataset.rowCount).toBe(41188);
    expect(prepared.dataset.columns).toHaveLength(21);
    expect(report('education').placeholdersAsMissing).toEqual({ unknown: 1731 });
    expect(report('pdays').placeholdersAsMissing).toEqual({ '999': 39673 });
    expect(report('default').type).toBe('boolean');
    expect(report('month').type).toBe('categorical');
    expect(report('education').pooledCategories).toEqual(['illiterate']); // 18 leads, under the default minimum of 20
  });

  it('splits by time, newest 20% as test, with the 2010 shift in positive rate', () => {
    expect(prepared.trainRows).toHaveLength(32950);
    expect(prepared.testRows).toHaveLength(8238);
    expect(prepared.trainRows[prepared.trainRows.length - 1]).toBe(32949);
    expect(prepared.testRows[0]).toBe(32950);
    expect(prepared.positive).toBe('yes');
    const rate = (y: Uint8Array) => y.reduce((a, b) => a + b, 0) / y.length;
    expect(rate(prepared.yTest)).toBeGreaterThan(0.25);
    expect(rate(prepared.yTrain)).toBeLessThan(0.1);
  });

  it('excludes only what the user excluded and builds sensible features', () => {
    expect(prepared.excluded).toEqual([{ column: 'duration', reason: 'excluded by the user (--exclude or features.exclude)' }]);
    const names = prepared.train.defs.map((d) => d.name);
    expect(names).toContain('pdays__missing');
    expect(names).not.toContain('duration');
    expect(names).not.toContain('y');
    expect(names).not.toContain('age__missing');
    const poutcome = prepared.train.defs.find((d) => d.name === 'poutcome')!;
    expect(poutcome.categories!.at(-1)).toBe('success'); // the previous campaign's successes convert best
    for (const [f, def] of prepared.test.defs.entries()) {
      if (def.kind === 'categorical') expect(prepared.test.columns[f].some(Number.isNaN)).toBe(false);
    }
  });

  it('flags duration (filled in after the call) as a leak when the bound is below its figure', () => {
    const strict = prepareTraining({ input: bankCsv, label: 'y', options: { sentinels: { pdays: [999] }, leakageAucBound: 0.85 } });
    const figure = strict.singleFeatureAuc.duration;
    expect(figure).toBeGreaterThan(0.85);
    expect(strict.excluded).toEqual([
      { column: 'duration', reason: `single-feature AUC ${figure.toFixed(2)} > 0.85: separates the outcome almost perfectly, likely filled in after it` },
    ]);
  });

  it('scores the same test matrix after the pipeline is saved and loaded', () => {
    const loaded = FeaturePipeline.fromJSON(JSON.parse(JSON.stringify(prepared.pipeline)));
    expect(loaded.transform(prepared.dataset, { rows: prepared.testRows })).toEqual(prepared.test);
  });
});
