import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changes } from '../../src/cli/normalisation-table.js';
import { buildDataset } from '../../src/features/build-dataset.js';
import { parseDatasetOptions } from '../../src/features/options.js';
import { parseCsvText } from '../../src/features/read-csv.js';
import { useCliWorkspace } from './synthetic-leads.js';

const ws = useCliWorkspace('leadlift-decimal-marks-');

const reportOf = (csv: string, column: string, options: unknown = {}) =>
  buildDataset(parseCsvText(csv), parseDatasetOptions(options)).report.columns.find((c) => c.column === column)!;

describe('the decimal mark each numeric column was read with is shown', () => {
  it('in the normalisation table, with why and an example, for every decision that was one', () => {
    expect(changes(reportOf('amount;n\n"1.200,50";1\n3,5;2\n', 'amount'))).toEqual(['decimal comma (e.g. "1.200,50" reads 1200.5)']);
    expect(changes(reportOf('amount\n"1,200.50"\n3\n', 'amount'))).toEqual(['decimal point (e.g. "1,200.50" reads 1200.5)']);
    // "1,200" reads either way; the other column writes "2,5", so the file uses decimal commas.
    expect(changes(reportOf('a;b\n1,200;2,5\n3;4,25\n', 'a'))).toEqual(['decimal comma, as the file\'s other number columns are written (e.g. "1,200" reads 1.2)']);
    expect(changes(reportOf('a\n"1,200"\n7\n', 'a'))).toEqual(['decimal point assumed: no column shows which mark the file uses (e.g. "1,200" reads 1200)']);
    expect(changes(reportOf('a\n"1,5"\n"2,25"\nmany\n', 'a', { types: { a: 'numeric' } }))[0]).toBe('decimal comma, the mark that reads most of its values (e.g. "1,5" reads 1.5)');
    // Plain numbers take no decision: nothing to say.
    expect(changes(reportOf('a\n1.5\n2\n', 'a'))).toEqual([]);
    // Nor do values every mark reads alike ("$5", "50%"): no mark was decided.
    expect(reportOf('a\n$5\n$10\n50%\n', 'a').decimalMark).toEqual({ mark: '.', by: 'either', example: '$5' });
    expect(changes(reportOf('a\n$5\n$10\n50%\n', 'a'))).toEqual([]);
    // The example is a value the decision was about, not the first formatted one.
    expect(changes(reportOf('a\n$5\n"1,5"\n', 'a'))).toEqual(['decimal comma (e.g. "1,5" reads 1.5)']);
  });

  it('under normalisation in evaluate --json, on every numeric column', () => {
    const [header, ...rows] = readFileSync(ws.csv, 'utf8').trim().split('\n');
    const file = join(ws.dir, 'amounts.csv');
    writeFileSync(file, `${header},amount\n${rows.map((l, i) => `${l},"${i}.${String(100 + (i % 900)).padStart(3, '0')},${i % 10}"`).join('\n')}\n`);
    const r = ws.run(['evaluate', '--input', file, '--label', 'converted', '--exclude', 'id,created', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const columns = JSON.parse(r.stdout).normalisation.columns as Array<{ column: string; decimalMark?: unknown }>;
    expect(columns.find((c) => c.column === 'amount')!.decimalMark).toEqual({ mark: ',', by: 'values', example: '0.100,0' });
    expect(columns.find((c) => c.column === 'visits')!.decimalMark).toEqual({ mark: '.', by: 'plain' });
  });
});
