import { describe, expect, it } from 'vitest';
import { optionsForColumns, unmatchedKeys } from '../../src/features/custom-field-keys.js';
import { parseDatasetOptions } from '../../src/features/options.js';
import { prepareTraining } from '../../src/features/prepare-training.js';
import { tableFromRecords } from '../../src/features/raw-table.js';

describe('config keys reach a column written in another case or with other separators', () => {
  it('"pdays" reaches "PDays" and "p_days"; an exact key wins; several alike match none', () => {
    const options = parseDatasetOptions({ sentinels: { pdays: [999] }, labels: { 'Emp Var Rate': 'Employment variation rate' } });
    expect(optionsForColumns(options, ['PDays', 'y']).sentinels).toEqual({ PDays: [999] });
    expect(optionsForColumns(options, ['p_days', 'emp.var.rate']).sentinels).toEqual({ p_days: [999] });
    expect(optionsForColumns(options, ['p_days', 'emp.var.rate']).labels).toEqual({ 'emp.var.rate': 'Employment variation rate' });
    expect(optionsForColumns(options, ['pdays', 'PDays']).sentinels).toEqual({ pdays: [999] });
    // Two columns alike: the key cannot tell which, so it stays as written (and is reported).
    const twice = optionsForColumns(options, ['PDays', 'p_days']);
    expect(twice.sentinels).toEqual({ pdays: [999] });
    expect(unmatchedKeys(twice, ['PDays', 'p_days'])).toEqual(['sentinels.pdays', 'labels.Emp Var Rate']);
  });

  it('two keys that reach one column: the first has it, the other is reported, never applied over it', () => {
    const options = parseDatasetOptions({ sentinels: { pdays: [999], p_days: [-1] } });
    const keyed = optionsForColumns(options, ['PDays']);
    expect(keyed.sentinels).toEqual({ PDays: [999], p_days: [-1] });
    expect(unmatchedKeys(keyed, ['PDays'])).toEqual(['sentinels.p_days']);
  });

  it('training applies a sentinel keyed "pdays" to a "PDays" column, and lists keys that reach nothing', () => {
    const table = tableFromRecords(
      Array.from({ length: 200 }, (_, i) => ({ PDays: i % 5 === 0 ? String(i % 20) : '999', visits: String(i % 9), y: i % 4 === 0 ? 'yes' : 'no' })),
    );
    const prepared = prepareTraining({
      input: table,
      label: 'y',
      options: { sentinels: { pdays: [999] }, units: { Visit_Count: 'visits' }, filledAfterOutcome: ['Stage'] },
    });
    expect(prepared.dataset.report.columns.find((c) => c.column === 'PDays')!.placeholdersAsMissing).toEqual({ '999': 160 });
    expect(prepared.unmatchedConfigKeys).toEqual(['units.Visit_Count', 'filledAfterOutcome "Stage"']);
  });
});
