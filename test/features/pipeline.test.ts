import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../src/features/build-dataset.js';
import { parseDatasetOptions } from '../../src/features/options.js';
import { FeaturePipeline } from '../../src/features/pipeline.js';
import { parseCsvText } from '../../src/features/read-csv.js';
import { tableFromRecords } from '../../src/features/raw-table.js';
import { withoutShares } from './without-shares.js';

function leads(rows: Array<[source: string, visits: string, converted: 0 | 1]>) {
  return tableFromRecords(rows.map(([source, visits]) => ({ source, visits })));
}

/** 200 training leads: Reference converts 60%, Google 20%, Cold call 5%, Fax 3 leads (rare). */
function trainingLeads() {
  const rows: Array<[string, string, 0 | 1]> = [];
  const add = (source: string, n: number, rate: number) => {
    for (let i = 0; i < n; i++) rows.push([source, String(i % 50), i < n * rate ? 1 : 0]);
  };
  add('Reference', 50, 0.6);
  add('Google', 80, 0.2);
  add('cold call', 67, 0.05);
  add('Fax', 3, 1);
  return rows;
}

const all = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('FeaturePipeline categoricals', () => {
  const rows = trainingLeads();
  const options = parseDatasetOptions({ rarePooling: { minCount: 5 }, labels: { source: 'Lead source' } });
  const ds = buildDataset(leads(rows), options);
  const y = Uint8Array.from(rows, (r) => r[2]);
  const pipeline = new FeaturePipeline(options).fit(ds, all(rows.length), y, { columns: ['source'] });
  const def = pipeline.defs[0];

  it('orders codes by smoothed training conversion rate and pools rare categories into "other"', () => {
    expect(def.categories).toEqual(['cold call', 'google', 'other', 'reference']);
    expect(pipeline.pooledCategories()).toEqual({ source: ['fax'] });
  });

  it('labels categories with their original spelling and writes reasons', () => {
    expect(def.categoryLabels).toEqual(['cold call', 'Google', 'other', 'Reference']);
    expect(pipeline.describe(0, 3)).toBe('Lead source is Reference');
    expect(pipeline.describe(0, 2)).toBe('Lead source is another, less common value');
  });

  it('maps a category never seen in training, and a pooled one, to "other" without failing', () => {
    const fresh = pipeline.datasetFrom(tableFromRecords([{ source: 'LinkedIn' }, { source: 'FAX' }, { source: 'google ' }, { source: null }]));
    const x = pipeline.transform(fresh);
    expect(Array.from(x.columns[0])).toEqual([2, 2, 1, 2]); // no missing in training: missing goes to "other" too
  });
});

describe('FeaturePipeline numerics', () => {
  const csv = 'visits,time_on_site,pdays\n' + all(40).map((i) => `${i},${i * 100},${i % 4 === 0 ? 999 : i}`).join('\n') + '\n';
  const options = parseDatasetOptions({
    sentinels: { pdays: [999] },
    labels: { time_on_site: 'Total time on website', pdays: 'Days since previous contact' },
    units: { time_on_site: 's' },
  });
  const ds = buildDataset(parseCsvText(csv), options);
  const y = Uint8Array.from(all(40), (i) => (i > 30 ? 1 : 0));
  const pipeline = new FeaturePipeline(options).fit(ds, all(30), y, { columns: ['visits', 'time_on_site', 'pdays'] });

  it('adds a missing indicator only where training had missing values', () => {
    expect(pipeline.defs.map((d) => `${d.name}:${d.kind}`)).toEqual([
      'visits:numeric',
      'time_on_site:numeric',
      'pdays:numeric',
      'pdays__missing:missing-indicator',
    ]);
    const x = pipeline.transform(ds, { rows: [0, 1] });
    expect(Array.from(x.columns[2])).toEqual([NaN, 1]);
    expect(Array.from(x.columns[3])).toEqual([1, 0]);
  });

  it('describes values against training quantiles, with thousands separators and units', () => {
    expect(pipeline.describe(1, 2900)).toBe('Total time on website is high (2,900 s)');
    expect(pipeline.describe(1, 100)).toBe('Total time on website is low (100 s)');
    // The middle band gets no word: "typical" read oddly next to large pushes either way.
    expect(pipeline.describe(1, 1420)).toBe('Total time on website is 1,420 s');
    expect(pipeline.describe(1, 1420, { levelled: false })).toBe('Total time on website is 1,420 s');
    expect(pipeline.describe(0, 1)).toBe('Visits is low (1)');
    expect(pipeline.describe(3, 1)).toBe('Days since previous contact is unknown');
  });
});

describe('FeaturePipeline dates', () => {
  // 2024-03-05 is a Tuesday; March has 31 days.
  const csv = 'created\n2024-03-05T14:30:00Z\n2024-02-29T08:00:00Z\n2024-03-31T23:59:00Z\n';
  const options = parseDatasetOptions({ labels: { created: 'Created date' } });
  const ds = buildDataset(parseCsvText(csv), options);
  const reference = Date.UTC(2024, 3, 1); // 2024-04-01
  const pipeline = new FeaturePipeline(options).fit(ds, [0, 1, 2], new Uint8Array([1, 0, 0]), { columns: ['created'], referenceTime: reference });

  it('derives recency in days from the reference time, hour, weekday and days to month end', () => {
    const x = pipeline.transform(ds);
    expect(pipeline.defs.map((d) => d.kind)).toEqual(['recency-days', 'hour', 'weekday', 'days-to-month-end']);
    expect(x.columns[0][0]).toBeCloseTo(26 + 9.5 / 24, 10);
    expect(Array.from(x.columns[1])).toEqual([14, 8, 23]);
    expect(Array.from(x.columns[2])).toEqual([1, 3, 6]); // Tuesday, Thursday, Sunday (0 = Monday)
    expect(Array.from(x.columns[3])).toEqual([26, 0, 0]); // 2024 is a leap year
  });

  it('measures recency from the scoring time when one is passed', () => {
    const x = pipeline.transform(ds, { referenceTime: Date.UTC(2024, 2, 10, 14, 30) });
    expect(x.columns[0][0]).toBe(5);
    expect(pipeline.describe(0, x.columns[0][0])).toBe('Created date was 5 days ago');
    expect(pipeline.describe(2, 1)).toBe('Created date was on a Tuesday');
  });
});

describe('FeaturePipeline JSON round trip', () => {
  it('transforms new leads identically after saving and loading', () => {
    const csv =
      'source,visits,pdays,created,newsletter\n' +
      all(60)
        .map((i) => `${['Google', 'reference', 'Ads', 'unknown'][i % 4]},${i % 7},${i % 5 === 0 ? 999 : i},2024-01-${String((i % 28) + 1).padStart(2, '0')},${i % 3 ? 'yes' : 'no'}`)
        .join('\n');
    const options = parseDatasetOptions({ sentinels: { pdays: [999] }, rarePooling: { minCount: 2 } });
    const table = parseCsvText(csv);
    const ds = buildDataset(table, options);
    const y = Uint8Array.from(all(60), (i) => (i % 3 === 0 ? 1 : 0));
    const pipeline = new FeaturePipeline(options).fit(ds, all(45), y, { columns: ['source', 'visits', 'pdays', 'created', 'newsletter'] });
    const loaded = FeaturePipeline.fromJSON(JSON.parse(JSON.stringify(pipeline)));

    const newLeads = tableFromRecords([
      { source: 'Webinar', visits: '3', pdays: '999', created: '2024-02-03', newsletter: 'YES' },
      { source: 'GOOGLE', visits: null, pdays: '4', created: null, newsletter: 'unknown' },
    ]);
    const at = Date.UTC(2024, 1, 10);
    expect(loaded.transform(loaded.datasetFrom(newLeads), { referenceTime: at })).toEqual(
      pipeline.transform(pipeline.datasetFrom(newLeads), { referenceTime: at }),
    );
    expect(loaded.transform(ds)).toEqual(pipeline.transform(ds));
    expect(loaded.defs).toEqual(pipeline.defs);
  });

  it('reads new leads with the training types even when the values look different', () => {
    const options = parseDatasetOptions({});
    const ds = buildDataset(parseCsvText('zip\nAB1\n02134\nCD2\n'), options);
    const pipeline = new FeaturePipeline(options).fit(ds, [0, 1, 2], new Uint8Array([1, 0, 1]), { columns: ['zip'] });
    const fresh = pipeline.datasetFrom(parseCsvText('zip\n02134\n'));
    expect(fresh.columns[0].type).toBe('categorical');
    expect(() => pipeline.transform(buildDataset(parseCsvText('zip\n02134\n'), options))).toThrow(/was categorical when the model was trained but is numeric/);
  });

  it('rejects a damaged saved pipeline with an actionable message', () => {
    expect(() => FeaturePipeline.fromJSON({ formatVersion: 1, specs: 'nope' })).toThrow(/feature pipeline is not readable.*train the model again/);
  });
});

describe('FeaturePipeline training distribution (for input drift)', () => {
  const rows = trainingLeads();
  const options = parseDatasetOptions({ rarePooling: { minCount: 5 }, sentinels: { pdays: [999] } });
  const table = tableFromRecords(rows.map(([source, visits], i) => ({ source, visits, pdays: i % 4 === 0 ? '999' : String(i % 9) })));
  const ds = buildDataset(table, options);
  const y = Uint8Array.from(rows, (r) => r[2]);
  const pipeline = new FeaturePipeline(options).fit(ds, all(rows.length), y, { columns: ['source', 'visits', 'pdays'] });
  const specs = () => JSON.parse(JSON.stringify(pipeline)).specs as Array<Record<string, unknown>>;

  it('stores the share of each encoded category, the pooled ones counted as "other"', () => {
    expect(specs()[0].categoryShares).toEqual({ 'cold call': 67 / 200, google: 80 / 200, other: 3 / 200, reference: 50 / 200 });
  });

  it('stores the share of training rows without a value per numeric column', () => {
    expect(specs()[1].missingShare).toBe(0);
    expect(specs()[2].missingShare).toBe(50 / 200);
  });

  it('still loads a pipeline saved before the shares were kept, and transforms the same', () => {
    const loaded = FeaturePipeline.fromJSON(withoutShares(pipeline));
    expect(loaded.columnSpecs.map((s) => 'categoryShares' in s || 'missingShare' in s)).toEqual([false, false, false]);
    expect(loaded.transform(ds)).toEqual(pipeline.transform(ds));
  });
});
