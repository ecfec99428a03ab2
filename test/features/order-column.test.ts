import { describe, expect, it } from 'vitest';
import { prepareTraining } from '../../src/features/prepare-training.js';
import { parseCsvText } from '../../src/features/read-csv.js';

/** 40 leads a day apart; `spoil` rewrites some of their dates. */
function leads(spoil: (row: number, date: string) => string): string {
  const lines = ['created,visits,won'];
  for (let i = 0; i < 40; i++) lines.push(`${spoil(i, new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10))},${i % 7},${i % 3 === 0 ? 'yes' : 'no'}`);
  return lines.join('\n');
}
const prepare = (csv: string) => () => prepareTraining({ input: parseCsvText(csv, { source: 'leads.csv' }), label: 'won', order: 'created' });

describe('an --order column with some cells that are no date', () => {
  it('names the unreadable values and the empty cells: first example, row and count', () => {
    const csv = leads((i, d) => (i === 6 || i === 20 ? 'March 5th' : i === 3 ? '' : d));
    expect(prepare(csv)).toThrow(
      '--order column "created" holds dates, but 3 of the 40 rows with an outcome have none: 2 not readable as a date (first: "March 5th" on data row 7), 1 empty (first: data row 4).',
    );
  });

  it('names a number in a date column too: it is no date, and the date column reads it as missing', () => {
    const csv = leads((i, d) => (i === 9 ? '42' : d));
    expect(prepare(csv)).toThrow('--order column "created" holds dates, but 1 of the 40 rows with an outcome have none: 1 not readable as a date (first: "42" on data row 10).');
  });

  it('still calls a column of words text', () => {
    expect(prepare(leads((i) => (i % 2 ? 'web' : 'ads')))).toThrow('--order column "created" holds text, not dates or numbers');
  });
});
