import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { buildDataset } from '../../src/features/build-dataset.js';
import { parseDatasetOptions } from '../../src/features/options.js';
import { FeaturePipeline } from '../../src/features/pipeline.js';
import { prepareTraining } from '../../src/features/prepare-training.js';
import { parseCsvText } from '../../src/features/read-csv.js';
import { tableFromRecords } from '../../src/features/raw-table.js';
import { fitModel } from '../../src/model/fit-model.js';
import { scoreMatrix } from '../../src/scoring/score-leads.js';

/**
 * A value pooled into "other" as rare in training (or never seen) is worded as the lead's own
 * value in its reasons: the rep sees "sep" on the lead, not "another, less common value".
 */

describe('reasons about a value coded "other"', () => {
  it('the pipeline keeps each such row\'s own value, as people read it (configured labels first)', () => {
    const options = parseDatasetOptions({ rarePooling: { minCount: 5 }, valueLabels: { month: { SEP: 'September' } } });
    const months = [...Array(30).fill('may'), ...Array(30).fill('mar'), 'sep', 'sep', 'Dec'];
    const ds = buildDataset(tableFromRecords(months.map((month) => ({ month }))), options);
    const y = Uint8Array.from(months, (_, i) => i % 3 === 0 ? 1 : 0);
    const pipeline = new FeaturePipeline(options).fit(ds, months.map((_, i) => i), y, { columns: ['month'] });
    expect(pipeline.pooledCategories()).toEqual({ month: ['dec', 'sep'] });

    const x = pipeline.transform(pipeline.datasetFrom(tableFromRecords([{ month: 'may' }, { month: 'sep' }, { month: 'Dec' }, { month: 'jul' }, { month: '' }])));
    // may is its own code; sep (pooled, labelled), Dec (pooled) and jul (never seen) are "other"; a missing value is no value.
    expect(x.otherValues?.[0]).toEqual([null, 'September', 'Dec', 'jul', null]);
    expect(pipeline.describeOwnValue(0, 'jul')).toBe('Month is jul');
    // A matrix without such rows carries nothing extra.
    expect(pipeline.transform(pipeline.datasetFrom(tableFromRecords([{ month: 'may' }]))).otherValues).toBeUndefined();
  });

  it('a scored lead whose month was pooled reads "Last contact month is sep", never "another, less common value"', async () => {
    // Month decides conversion: may rarely converts, mar often, sep (12 of 400 leads, pooled) always.
    let s = 7;
    const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
    const lines = ['order,month,noise,converted'];
    for (let i = 0; i < 400; i++) {
      const month = i % 33 === 5 ? 'sep' : rnd() < 0.5 ? 'may' : 'mar';
      const p = month === 'sep' ? 1 : month === 'mar' ? 0.6 : 0.1;
      lines.push(`${i},${month},${Math.floor(rnd() * 10)},${rnd() < p ? 'yes' : 'no'}`);
    }
    const table = parseCsvText(`${lines.join('\n')}\n`);
    const config = loadConfig({ env: {}, overrides: { model: { trees: 20, threads: 1 }, features: { labels: { month: 'Last contact month' } } } });
    const request = { label: 'converted', positive: 'yes', order: 'order', exclude: [], options: config.features };
    const prepared = prepareTraining({ ...request, input: table, testFraction: 0.25 });
    expect(prepared.pipeline.pooledCategories()).toEqual({ month: ['sep'] });
    const model = await fitModel({ table, request, prepared, config, engine: 'fast', seed: 1 });
    const x = model.pipeline.transform(prepared.dataset, { rows: prepared.testRows });
    const scored = scoreMatrix(model, x, { tiers: config.tiers, reasons: config.reasons, scale: 'rank' });
    const monthOf = (i: number) => table.cells[table.columns.indexOf('month')][prepared.testRows[i]];
    const texts = scored.flatMap((lead, i) => [...lead.reasons!.for, ...lead.reasons!.against].filter((r) => r.column === 'month').map((r) => [monthOf(i), r.text]));
    const sep = texts.filter(([month]) => month === 'sep');
    expect(sep.length).toBeGreaterThan(0);
    for (const [, text] of sep) expect(text).toBe('Last contact month is sep');
    for (const [month, text] of texts) expect(text).toBe(`Last contact month is ${month}`);
  });
});
