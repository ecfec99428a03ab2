import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../src/features/build-dataset.js';
import { parseDatasetOptions } from '../../src/features/options.js';
import { decimalMarkOf, parseFormattedNumber } from '../../src/features/parse-number.js';
import { parseCsvText } from '../../src/features/read-csv.js';

const options = parseDatasetOptions({});
const column = (csv: string, name: string, opts = options) => {
  const ds = buildDataset(parseCsvText(csv), opts);
  return { column: ds.columns.find((c) => c.name === name)!, report: ds.report.columns.find((c) => c.column === name)! };
};
const values = (c: { values: ArrayLike<unknown> }) => Array.from(c.values as ArrayLike<number>);

describe('parseFormattedNumber', () => {
  it('reads currencies, thousands separators and percent signs with the given decimal mark', () => {
    expect(parseFormattedNumber('$1,200', '.')).toBe(1200);
    expect(parseFormattedNumber('1,500,000', '.')).toBe(1_500_000);
    expect(parseFormattedNumber('-$1,200.50', '.')).toBe(-1200.5);
    expect(parseFormattedNumber('$-5', '.')).toBe(-5);
    expect(parseFormattedNumber('USD 1,200', '.')).toBe(1200);
    expect(parseFormattedNumber('1200 EUR', '.')).toBe(1200);
    expect(parseFormattedNumber('£3', '.')).toBe(3);
    expect(parseFormattedNumber('¥10,000', '.')).toBe(10000);
    expect(parseFormattedNumber('12%', '.')).toBe(12);
    expect(parseFormattedNumber('1.200,50 €', ',')).toBe(1200.5);
    expect(parseFormattedNumber('1 200,5', ',')).toBe(1200.5);
    expect(parseFormattedNumber('12,5 %', ',')).toBe(12.5);
  });

  it('refuses what is no number under that mark', () => {
    expect(parseFormattedNumber('1,20', '.')).toBeNaN(); // a group needs three digits
    expect(parseFormattedNumber('1,200.5', ',')).toBeNaN();
    expect(parseFormattedNumber('1,2,3', '.')).toBeNaN();
    expect(parseFormattedNumber('many', '.')).toBeNaN();
    expect(parseFormattedNumber('$', '.')).toBeNaN();
    expect(parseFormattedNumber('--5', '.')).toBeNaN();
    expect(parseFormattedNumber('12/03/2024', '.')).toBeNaN();
  });
});

describe('a column decides its decimal mark once, from all its values', () => {
  it('keeps plain numbers exactly as parseNumber reads them ("1.200" is 1.2)', () => {
    expect(decimalMarkOf(['1.200', '93.994', '-36.4', '5191'])).toBe('.');
  });

  it('takes the one mark that reads every value', () => {
    expect(decimalMarkOf(['1,5', '2', '1.200,25'])).toBe(',');
    expect(decimalMarkOf(['1,200.50', '3'])).toBe('.');
    expect(decimalMarkOf(['1,5', '1,200.50'])).toBeNull();
  });

  it('reads a column that could go either way ("1,200") as the file\'s other columns settle, else with "," as thousands', () => {
    expect(decimalMarkOf(['1,200', '$500'])).toBe('.');
    expect(decimalMarkOf(['1,200', '$500'], () => ',')).toBe(',');
  });

  it('reads a currency column with thousands separators as numbers, each amount the same however it is written', () => {
    const csv = 'rev,n\n"$1,200",1\n"1,200",2\n$1200,3\nN/A,4\n"1,500,000",5\n$0,6\n';
    const { column: rev, report } = column(csv, 'rev');
    expect(rev.type).toBe('numeric');
    expect(values(rev)).toEqual([1200, 1200, 1200, Number.NaN, 1_500_000, 0]);
    expect(report.unreadable).toBeUndefined();
  });

  it('in a semicolon file with decimal commas, reads an either-way column as the other columns do', () => {
    const csv = 'price;rate\n1,200;2,5\n3,500;1,25\n';
    expect(values(column(csv, 'price').column)).toEqual([1.2, 3.5]);
    expect((column(csv, 'price').column as { decimalMark?: string }).decimalMark).toBe(',');
    // Without such a column, "," is a thousands separator.
    expect(values(column('price;n\n1,200;a\n3,500;b\n', 'price').column)).toEqual([1200, 3500]);
  });

  it('names the values a column forced numeric cannot read: how many and the first', () => {
    const forced = parseDatasetOptions({ types: { opens: 'numeric' } });
    const { report } = column('opens,n\nmany,1\n3,2\nlots,3\n', 'opens', forced);
    expect(report.unreadable).toEqual({ count: 2, example: 'many' });
  });
});

describe('new leads are read with the training file\'s decimal mark', () => {
  it('keeps a decimal-comma column decimal-comma in a saved pipeline, whatever the new file holds', async () => {
    const { FeaturePipeline } = await import('../../src/features/pipeline.js');
    const rows = Array.from({ length: 12 }, (_, i) => `${i},${i % 3}`.replace(/^(\d+),(\d)$/, '"$1,$2"'));
    const csv = `price\n${rows.join('\n')}\n`;
    const ds = buildDataset(parseCsvText(csv), options);
    const pipeline = new FeaturePipeline(options).fit(ds, ds.columns[0].values.map((_, i) => i), new Uint8Array(12).map((_, i) => i % 2), { columns: ['price'] });
    const loaded = FeaturePipeline.fromJSON(JSON.parse(JSON.stringify(pipeline)));
    // "1,200" alone reads either way; the training file settled ",".
    const fresh = loaded.datasetFrom(parseCsvText('price\n"1,200"\n'));
    expect(Array.from(fresh.columns[0].values as Float64Array)).toEqual([1.2]);
  });
});
