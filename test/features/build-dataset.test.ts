import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/domain/errors.js';
import { buildDataset } from '../../src/features/build-dataset.js';
import { parseDatasetOptions } from '../../src/features/options.js';
import { parseCsvText } from '../../src/features/read-csv.js';
import { tableFromRecords } from '../../src/features/raw-table.js';
import type { Dataset, TypedColumn } from '../../src/features/types.js';

const build = (csv: string, options: unknown = {}) => buildDataset(parseCsvText(csv), parseDatasetOptions(options));
const column = (ds: Dataset, name: string): TypedColumn => ds.columns.find((c) => c.name === name)!;
const report = (ds: Dataset, name: string) => ds.report.columns.find((c) => c.column === name)!;

describe('buildDataset normalisation', () => {
  it('trims and case-folds categoricals into one value, shown in its most frequent spelling', () => {
    const ds = build('source\nGoogle\ngoogle\n  GOOGLE \nGoogle\nReference\n');
    const source = column(ds, 'source');
    expect(source.type).toBe('categorical');
    if (source.type !== 'categorical') return;
    expect(source.values).toEqual(['google', 'google', 'google', 'google', 'reference']);
    expect(source.display).toEqual({ google: 'Google', reference: 'Reference' });
    // Cells written unlike their value's shown spelling: "google" and "  GOOGLE ", not "Google" or "Reference".
    expect(report(ds, 'source').caseFolded).toBe(2);
  });

  it('treats placeholders as missing and counts each one', () => {
    const ds = build('source,visits\nSelect,1\nunknown,N/A\nN/A,2\n-,3\nweb,null\n,4\nNone,5\n');
    const source = report(ds, 'source');
    expect(source.placeholdersAsMissing).toEqual({ select: 1, unknown: 1, 'n/a': 1, '-': 1, '': 1, none: 1 });
    expect(source.missing).toBe(6);
    const visits = column(ds, 'visits');
    expect(visits.type).toBe('numeric'); // "N/A" and "null" did not stop it being numeric
    expect(Array.from(visits.values as Float64Array)).toEqual([1, NaN, 2, 3, NaN, 4, 5]);
    expect(report(ds, 'visits').placeholdersAsMissing).toEqual({ 'n/a': 1, null: 1 });
  });

  it('uses a configured placeholder list instead of the default', () => {
    const ds = build('stage\nunknown\nTBD\nopen\n', { placeholders: ['tbd'] });
    const stage = column(ds, 'stage');
    expect(stage.values).toEqual(['unknown', null, 'open']);
  });

  it('turns per-column sentinel numbers into missing, in that column only', () => {
    const ds = build('pdays,age\n999,999\n3,30\n999.0,40\n', { sentinels: { pdays: [999] } });
    expect(Array.from(column(ds, 'pdays').values as Float64Array)).toEqual([NaN, 3, NaN]);
    expect(report(ds, 'pdays').placeholdersAsMissing).toEqual({ '999': 2 });
    expect(Array.from(column(ds, 'age').values as Float64Array)).toEqual([999, 30, 40]);
  });

  it('infers numeric, boolean, date and categorical types', () => {
    const ds = build(
      'n,b,d,c,when\n1.5,yes,2024-03-05,a,03/05/2024 14:30\n-2,No,2024-03-06T10:00:00Z,b,12/31/2023 09:00\n1e3,YES,2024-03-07,3,01/02/2024 23:59\n',
    );
    expect(ds.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['n:numeric', 'b:boolean', 'd:date', 'c:categorical', 'when:date']);
    expect(Array.from(column(ds, 'b').values as Float64Array)).toEqual([1, 0, 1]);
    expect(column(ds, 'd').values[1]).toBe(Date.UTC(2024, 2, 6, 10));
    expect(column(ds, 'when').values[0]).toBe(Date.UTC(2024, 2, 5, 14, 30)); // month first: no part above 12 is a day
    expect(ds.report.columns.every((c) => c.typeSource === 'inferred')).toBe(true);
  });

  it('reads numeric dates day-first when a first part cannot be a month', () => {
    const ds = build('created\n05/03/2024\n25/12/2023\n');
    expect(column(ds, 'created').values[0]).toBe(Date.UTC(2024, 2, 5));
  });

  it('follows a type override and reports unreadable cells as missing', () => {
    const ds = build('zip,score\n02134,1\n10001,x\n', { types: { zip: 'categorical', score: 'numeric' } });
    expect(column(ds, 'zip').values).toEqual(['02134', '10001']);
    expect(report(ds, 'zip').typeSource).toBe('config');
    expect(Array.from(column(ds, 'score').values as Float64Array)).toEqual([1, NaN]);
    expect(report(ds, 'score').placeholdersAsMissing).toEqual({ '(not a number)': 1 });
  });

  it('rejects an override for a column that does not exist, naming the key and the columns', () => {
    expect(() => build('a,b\n1,2\n', { types: { c: 'numeric' } })).toThrow(ConfigError);
    expect(() => build('a,b\n1,2\n', { types: { c: 'numeric' } })).toThrow(/features\.types\.c.*columns are: a, b/);
  });

  it('rejects bad options naming the key', () => {
    expect(() => parseDatasetOptions({ leakageAucBound: 1.5 })).toThrow(/features\.leakageAucBound/);
    expect(() => parseDatasetOptions({ rarePooling: { minCount: -1 } })).toThrow(/features\.rarePooling\.minCount/);
  });

  it('builds the same dataset from records as from CSV', () => {
    const csv = 'source,visits\nGoogle,3\nunknown,\n';
    const fromCsv = build(csv);
    const fromRecords = buildDataset(tableFromRecords([{ source: 'Google', visits: '3' }, { source: 'unknown', visits: null }]), parseDatasetOptions({}));
    expect(fromRecords.columns).toEqual(fromCsv.columns);
    expect(fromRecords.report).toEqual(fromCsv.report);
  });
});
