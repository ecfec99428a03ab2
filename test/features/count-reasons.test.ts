import { describe, expect, it } from 'vitest';
import { FeaturePipeline } from '../../src/features/pipeline.js';
import { prepareTraining } from '../../src/features/prepare-training.js';
import { tableFromRecords } from '../../src/features/raw-table.js';

/**
 * features.counts: a column whose label names what its number counts reads "Calls: 2", not
 * "Calls is 2"; the key reaches a Salesforce custom field (calls -> Calls__c) as every column key
 * does, survives the model file, and a key that reaches no column is reported.
 */
function leads(n: number) {
  return tableFromRecords(
    Array.from({ length: n }, (_, i) => ({
      Calls__c: i % 10 === 0 ? '' : String(i % 12),
      Visits__c: String(i % 9),
      Source__c: ['web', 'referral'][i % 2],
      y: i % 4 === 0 ? 'yes' : 'no',
    })),
  );
}

describe('counts answer their label', () => {
  const prepared = prepareTraining({
    input: leads(200),
    label: 'y',
    options: { labels: { calls: 'Calls this quarter', visits: 'Website visits' }, counts: ['calls', 'Meetings'], units: { visits: 'visits' } },
  });
  const at = (p: FeaturePipeline, name: string) => p.defs.findIndex((d) => d.name === name);

  it('a count reads "Label: N", its level after the number and its unknown the same way; other numbers and categories keep "is"', () => {
    const p = prepared.pipeline;
    expect(p.describe(at(p, 'Calls__c'), 6)).toBe('Calls this quarter: 6');
    expect(p.describe(at(p, 'Calls__c'), 11)).toBe('Calls this quarter: 11 (high)');
    expect(p.describe(at(p, 'Calls__c'), 0)).toBe('Calls this quarter: 0 (low)');
    expect(p.describe(at(p, 'Calls__c'), 0, { levelled: false })).toBe('Calls this quarter: 0');
    expect(p.describe(at(p, 'Calls__c'), Number.NaN)).toBe('Calls this quarter: unknown');
    expect(p.describe(at(p, 'Calls__c__missing'), 1)).toBe('Calls this quarter: unknown');
    expect(p.describe(at(p, 'Visits__c'), 8)).toBe('Website visits is high (8 visits)');
    expect(p.describe(at(p, 'Source__c'), 0)).toMatch(/^Source is /);
  });

  it('keeps the wording in the model file', () => {
    const loaded = FeaturePipeline.fromJSON(JSON.parse(JSON.stringify(prepared.pipeline.toJSON())));
    expect(loaded.describe(at(loaded, 'Calls__c'), 6)).toBe('Calls this quarter: 6');
  });

  it('reports a counts key that reaches no column', () => {
    expect(prepared.unmatchedConfigKeys).toEqual(['counts "Meetings"']);
  });
});
