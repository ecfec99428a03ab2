import { describe, expect, it } from 'vitest';
import { columnLabel } from '../../src/features/column-label.js';
import { optionsForColumns } from '../../src/features/custom-field-keys.js';
import { parseDatasetOptions } from '../../src/features/options.js';
import { prepareTraining } from '../../src/features/prepare-training.js';
import { tableFromRecords } from '../../src/features/raw-table.js';

/** Leads as a Salesforce org holds them: every CSV column a custom field ending in "__c". */
function salesforceLeads(n: number) {
  return tableFromRecords(
    Array.from({ length: n }, (_, i) => ({
      pdays__c: i % 5 === 0 ? String(i % 20) : '999',
      emp_var_rate__c: String((i % 7) - 3),
      job__c: ['admin', 'services', 'retired'][i % 3],
      y: i % 4 === 0 ? 'yes' : 'no',
    })),
  );
}

describe('feature config keys reach Salesforce custom fields', () => {
  it('a key written for the column applies to its __c field; an exact key wins; a key that reaches nothing stays as written', () => {
    const options = parseDatasetOptions({
      sentinels: { pdays: [999], job: ['x'], job__c: ['none'] },
      labels: { emp_var_rate: 'Employment variation rate', missing_column: 'Nowhere' },
      types: { pdays: 'numeric' },
      exclude: ['job', 'job__c', 'age'],
    });
    const keyed = optionsForColumns(options, ['pdays__c', 'emp_var_rate__c', 'job__c', 'y']);
    expect(keyed.sentinels).toEqual({ pdays__c: [999], job: ['x'], job__c: ['none'] });
    expect(keyed.labels).toEqual({ emp_var_rate__c: 'Employment variation rate', missing_column: 'Nowhere' });
    expect(keyed.types).toEqual({ pdays__c: 'numeric' });
    expect(keyed.exclude).toEqual(['job', 'job__c', 'age']);
    // A table that has the column itself keeps the key on it.
    expect(optionsForColumns(options, ['pdays', 'pdays__c']).sentinels.pdays).toEqual([999]);
  });

  it('training on Salesforce columns reads the pdays sentinel as missing and uses the configured label', () => {
    const prepared = prepareTraining({
      input: salesforceLeads(200),
      label: 'y',
      positive: 'yes',
      options: { sentinels: { pdays: [999] }, labels: { emp_var_rate: 'Employment variation rate' }, types: { pdays: 'numeric' } },
      testFraction: 0.2,
    });
    const pdays = prepared.dataset.report.columns.find((c) => c.column === 'pdays__c')!;
    expect(pdays.placeholdersAsMissing).toEqual({ '999': 160 });
    expect(pdays.typeSource).toBe('config');
    const labels = Object.fromEntries(prepared.pipeline.defs.map((d) => [d.source, d.label]));
    expect(labels.emp_var_rate__c).toBe('Employment variation rate');
  });

  it('a custom field reads without its __c in reasons', () => {
    expect(columnLabel('emp_var_rate__c', {})).toBe('Emp var rate');
    expect(columnLabel('Lead_Source__c', {})).toBe('Lead source');
    expect(columnLabel('pdays__c', { pdays__c: 'Days since last contact' })).toBe('Days since last contact');
  });
});
