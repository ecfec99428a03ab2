import { describe, expect, it } from 'vitest';
import { prepareTraining } from '../../src/features/prepare-training.js';
import { tableFromRecords } from '../../src/features/raw-table.js';
import { NoFeaturesError } from '../../src/model/training-errors.js';

/** 200 leads whose every column goes: one the same on every row, one naming each lead, one excluded by the user. */
function nothingToLearn() {
  return tableFromRecords(
    Array.from({ length: 200 }, (_, i) => ({
      email: `lead${i}@example.com`,
      country: 'PT',
      visits: String(i % 7),
      y: i % 3 === 0 ? 'yes' : 'no',
    })),
  );
}

describe('no features left to train on', () => {
  it('says which columns were excluded and why, as evaluate lists them', () => {
    const err = (() => {
      try {
        prepareTraining({ input: nothingToLearn(), label: 'y', positive: 'yes', exclude: ['visits'] });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(NoFeaturesError);
    const e = err as NoFeaturesError;
    expect(e.exitCode).toBe(2);
    expect(e.excluded.map((x) => x.column).sort()).toEqual(['country', 'email', 'visits']);
    expect(e.message).toMatch(/^No features to train on: every column was excluded or unusable\. Excluded: /);
    expect(e.message).toMatch(/country \(has the same value on every training row: nothing to learn\)/);
    expect(e.message).toMatch(/email \(personal identifier: /);
    expect(e.message).toMatch(/visits \(excluded by the user \(--exclude or features\.exclude\)\)/);
  });
});
