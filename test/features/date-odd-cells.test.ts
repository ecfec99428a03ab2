import { describe, expect, it } from 'vitest';
import { unreadableWarnings } from '../../src/cli/unreadable-values.js';
import { buildDataset } from '../../src/features/build-dataset.js';
import { parseDatasetOptions } from '../../src/features/options.js';
import { prepareTraining } from '../../src/features/prepare-training.js';
import { parseCsvText } from '../../src/features/read-csv.js';

/** 300 leads with a time each (no two alike), 6 of them "not yet" or an impossible date. */
function leadsWithOddDates(): string {
  const lines = ['created,visits,converted'];
  const start = Date.UTC(2024, 0, 1);
  for (let i = 0; i < 300; i++) {
    const created = i % 50 === 7 ? 'not yet' : i % 50 === 9 ? '2024-02-31' : new Date(start + i * 3_700_000).toISOString().slice(0, 16).replace('T', ' ');
    lines.push(`${created},${i % 13},${i % 3 === 0 ? 'yes' : 'no'}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('a date column with a few unreadable cells', () => {
  const prepared = prepareTraining({ input: parseCsvText(leadsWithOddDates(), { source: 'leads.csv' }), label: 'converted' });
  const created = prepared.dataset.report.columns.find((c) => c.column === 'created')!;

  it('is read as a date, not excluded as identifier-like, with those cells missing', () => {
    expect(created.type).toBe('date');
    expect(prepared.excluded.map((e) => e.column)).not.toContain('created');
    expect(prepared.pipeline.defs.map((d) => d.name)).toContain('created__recency_days');
    expect(created.unreadable).toEqual({ count: 12, example: 'not yet' });
    expect(created.missing).toBe(12);
  });

  it('names the unreadable cells in a warning', () => {
    expect(unreadableWarnings(prepared.dataset.report)).toEqual([
      'column "created" is date, but 12 of its values cannot be read as dates (e.g. "not yet"); they count as missing: fix them in the file.',
    ]);
  });

  it('a column of words with a date or two among them stays categorical', () => {
    const csv = ['stage', ...Array.from({ length: 40 }, (_, i) => ['open', 'won', 'lost', '2024-01-05'][i % 4])].join('\n');
    expect(buildDataset(parseCsvText(csv), parseDatasetOptions({})).columns[0].type).toBe('categorical');
  });
});
