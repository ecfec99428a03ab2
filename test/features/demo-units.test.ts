import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { prepareTraining } from '../../src/features/prepare-training.js';

const sample = (name: string) => fileURLToPath(new URL(`../../config/sample/${name}`, import.meta.url));

/**
 * The demo (the bank data in config/sample/, with the shipped config) used to show its numbers
 * bare: "Euribor 3-month rate is 1.26", "Days since previous campaign call is 3". The shipped
 * config now gives the units the data's notes and the rate's definition give (config/sample/SOURCE.md).
 */
describe('the demo’s reasons carry units', () => {
  const { features } = loadConfig({ env: {} });
  const labels = JSON.parse(readFileSync(sample('bank-marketing-labels.json'), 'utf8')) as Record<string, string>;
  const { pipeline } = prepareTraining({ input: sample('bank-marketing-sample.csv'), sep: ';', label: 'y', exclude: ['duration'], options: { ...features, labels } });
  const shown = (name: string, value: number) => pipeline.describe(pipeline.defs.findIndex((d) => d.name === name), value, { levelled: false });

  it('the Euribor rate in per cent, days since the previous campaign call in days', () => {
    expect(shown('euribor3m', 1.26)).toBe('Euribor 3-month rate is 1.26%');
    expect(shown('pdays', 3)).toBe('Days since previous campaign call: 3 days');
    expect(shown('pdays', 1)).toBe('Days since previous campaign call: 1 day');
  });

  it('no unit where the notes give none: indices, rates of change, counts of calls', () => {
    expect(shown('emp.var.rate', -1.8)).toBe('Employment variation rate is -1.8');
    expect(shown('cons.price.idx', 93.2)).toBe('Consumer price index is 93.2');
    expect(shown('campaign', 2)).toBe('Calls in this campaign: 2');
  });

  /**
   * "Calls in this campaign is 2" read as broken English: the label names what is counted, so the
   * shipped config lists the demo's counts (features.counts) and the number answers the label.
   * Categories and measures keep "is".
   */
  it('counts answer their label, with the level after the number; categories and measures keep "is"', () => {
    const levelled = (name: string, value: number) => pipeline.describe(pipeline.defs.findIndex((d) => d.name === name), value);
    expect(levelled('campaign', 40)).toBe('Calls in this campaign: 40 (high)');
    expect(levelled('previous', 0)).toBe('Calls before this campaign: 0');
    expect(levelled('previous', 5)).toBe('Calls before this campaign: 5 (high)');
    expect(levelled('age', 18)).toBe('Age is low (18)');
    const job = pipeline.defs.findIndex((d) => d.name === 'job');
    expect(pipeline.describe(job, pipeline.defs[job].categories!.indexOf('technician'))).toBe('Job is technician');
  });
});
