import { describe, expect, it } from 'vitest';
import { readOutcome } from '../../src/features/outcome.js';
import { parseCsvText } from '../../src/features/read-csv.js';

const placeholders = ['', 'n/a', 'unknown'];
const table = (labels: string[]) => parseCsvText(['id,won', ...labels.map((l, i) => `${i},"${l}"`)].join('\n'), { source: 'leads.csv' });

describe('readOutcome: which label values mean converted', () => {
  it('counts every converted word of a mixed yes/no export, trimmed and case-insensitive', () => {
    const o = readOutcome(table(['Yes', 'No', 'TRUE', 'FALSE', '1', '0', ' yes ', 'no']), 'won', placeholders);
    expect(Array.from(o.y)).toEqual([1, 0, 1, 0, 1, 0, 1, 0]);
    expect(o.positiveValues).toEqual(['Yes', 'yes', 'TRUE', '1']);
    expect(o.negativeValues).toEqual(['No', 'no', 'FALSE', '0']);
  });

  it('keeps a single --positive value working exactly as before', () => {
    const o = readOutcome(table(['Won', 'Lost', 'Open']), 'won', placeholders, 'won');
    expect(Array.from(o.y)).toEqual([1, 0, 0]);
    expect(o.positive).toBe('Won');
  });

  it('takes several --positive values, repeated or comma-separated', () => {
    const labels = ['Demo', 'Won', 'Lost', 'Signed'];
    expect(Array.from(readOutcome(table(labels), 'won', placeholders, ['Won', 'Signed']).y)).toEqual([0, 1, 0, 1]);
    expect(Array.from(readOutcome(table(labels), 'won', placeholders, ['won,signed']).y)).toEqual([0, 1, 0, 1]);
  });

  it('matches a --positive value that itself holds a comma as a whole', () => {
    const o = readOutcome(table(['Closed, won', 'Closed, lost', 'Closed, won']), 'won', placeholders, 'Closed, won');
    expect(Array.from(o.y)).toEqual([1, 0, 1]);
  });

  it('names the --positive values no row holds', () => {
    expect(() => readOutcome(table(['Won', 'Lost']), 'won', placeholders, 'Won,Signed')).toThrow(/No row has the value "Signed"/);
  });

  it('refuses a value outside the yes/no vocabulary without --positive, naming the values', () => {
    expect(() => readOutcome(table(['Yes', 'No', 'Maybe']), 'won', placeholders)).toThrow(
      /Cannot tell which value means converted in the label column "won" \(values: "Yes", "No", "Maybe"\)/,
    );
  });

  it('says at once that no lead converted when every outcome is a "no"', () => {
    const all = table(['No', 'no', 'No']);
    expect(() => readOutcome(all, 'won', placeholders)).toThrow(/No lead converted.*nothing to tell converting leads apart/);
    expect(() => readOutcome(all, 'won', placeholders, 'Yes')).toThrow(/No lead converted/);
  });

  it('says that every lead converted when no outcome is a "no"', () => {
    expect(() => readOutcome(table(['Won', 'won']), 'won', placeholders, 'won')).toThrow(/Every lead converted/);
    expect(() => readOutcome(table(['Yes', 'TRUE', '']), 'won', placeholders)).toThrow(/Every lead converted/);
  });
});
