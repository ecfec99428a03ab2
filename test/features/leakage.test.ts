import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../src/features/build-dataset.js';
import { guardLeakage } from '../../src/features/leakage.js';
import { MIN_POST_CLOSE_EACH_OUTCOME } from '../../src/features/post-close-rows.js';
import { parseDatasetOptions } from '../../src/features/options.js';
import { tableFromRecords } from '../../src/features/raw-table.js';

/**
 * 400 leads with a seeded pseudo-random outcome. `visits` carries a weak honest signal;
 * `stage_after_call` copies the outcome for 97% of rows (a field written after the outcome).
 */
function plantedLeads() {
  let state = 7;
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const records = [];
  const y = new Uint8Array(400);
  for (let i = 0; i < 400; i++) {
    const converted = random() < 0.3 ? 1 : 0;
    y[i] = converted;
    const leaky = random() < 0.97 ? converted : 1 - converted;
    records.push({
      email: `lead${i}@example.com`,
      visits: String(Math.floor(random() * 10) + (converted ? 2 : 0)),
      source: ['web', 'ad', 'event'][i % 3],
      stage_after_call: leaky ? 'Closed won' : 'Closed lost',
      status: converted ? 'customer' : 'lead',
      country: 'PT',
    });
  }
  return { dataset: buildDataset(tableFromRecords(records), parseDatasetOptions({})), y };
}

const rows = Array.from({ length: 300 }, (_, i) => i);
const candidates = ['email', 'visits', 'source', 'stage_after_call', 'status', 'country'];

describe('guardLeakage', () => {
  const { dataset, y } = plantedLeads();

  it('excludes a planted leaky column with its AUC and keeps the honest ones', () => {
    const verdict = guardLeakage(dataset, rows, y, candidates, parseDatasetOptions({ filledAfterOutcome: ['Status'] }));
    expect(verdict.kept).toEqual(['visits', 'source']);
    const leak = verdict.excluded.find((e) => e.column === 'stage_after_call')!;
    const figure = verdict.singleFeatureAuc.stage_after_call;
    expect(figure).toBeGreaterThan(0.9);
    expect(leak.reason).toBe(
      `single-feature AUC ${figure.toFixed(2)} > 0.90: separates the outcome almost perfectly, likely filled in after it`,
    );
    expect(verdict.singleFeatureAuc.visits).toBeGreaterThan(0.55);
    expect(verdict.singleFeatureAuc.visits).toBeLessThan(0.9);
  });

  it('reports identifiers, constants and columns filled after the outcome with their own reasons', () => {
    const verdict = guardLeakage(dataset, rows, y, candidates, parseDatasetOptions({ filledAfterOutcome: ['Status'] }));
    const reasons = Object.fromEntries(verdict.excluded.map((e) => [e.column, e.reason]));
    expect(reasons.email).toMatch(/^personal identifier: an e-mail address/);
    expect(reasons.status).toMatch(/^filled in after the outcome \(features\.filledAfterOutcome\)/);
    expect(reasons.country).toBe('has the same value on every training row: nothing to learn');
  });

  it('honours a configurable bound and user exclusions', () => {
    const strict = guardLeakage(dataset, rows, y, ['visits'], parseDatasetOptions({ leakageAucBound: 0.55 }));
    expect(strict.excluded[0].reason).toMatch(/^single-feature AUC 0\.\d\d > 0\.55/);
    const lenient = guardLeakage(dataset, rows, y, ['stage_after_call', 'visits'], parseDatasetOptions({ leakageAucBound: 0.99, exclude: ['visits'] }));
    expect(lenient.kept).toEqual(['stage_after_call']);
    expect(lenient.excluded).toEqual([{ column: 'visits', reason: 'excluded by the user (--exclude or features.exclude)' }]);
  });

  it('catches a field that is only filled in for one outcome (missingness leak)', () => {
    const records = Array.from({ length: 200 }, (_, i) => ({ won_date: i % 2 ? '2024-01-05' : '', visits: String(i % 9) }));
    const y = Uint8Array.from({ length: 200 }, (_, i) => i % 2);
    const ds = buildDataset(tableFromRecords(records), parseDatasetOptions({}));
    const verdict = guardLeakage(ds, Array.from({ length: 200 }, (_, i) => i), y, ['won_date', 'visits'], parseDatasetOptions({}));
    expect(verdict.excluded.map((e) => e.column)).toEqual(['won_date']);
    expect(verdict.singleFeatureAuc.won_date).toBe(1);
  });

  it('rejects an --exclude naming a column that does not exist', () => {
    expect(() => guardLeakage(dataset, rows, y, candidates, parseDatasetOptions({ exclude: ['duraton'] }))).toThrow(
      /Cannot exclude "duraton": there is no such column\. Columns are: email, visits/,
    );
  });
});

describe('guardLeakage on rows read after their outcome', () => {
  // 400 leads, one in three converted; every fourth was never scored while open, so its row holds
  // the values synced after it closed: `won_date` is filled on those rows when won, nowhere else.
  const n = 400;
  const y = Uint8Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0));
  const postClose = Array.from({ length: n }, (_, i) => i).filter((i) => i % 4 === 0);
  const records = Array.from({ length: n }, (_, i) => ({ won_date: i % 4 === 0 && y[i] ? '2024-01-05' : '', visits: String((i * 7) % 9) }));
  const dataset = buildDataset(tableFromRecords(records), parseDatasetOptions({}));
  const all = Array.from({ length: n }, (_, i) => i);
  const guard = (postCloseRows?: number[]) =>
    guardLeakage(dataset, all, y, ['won_date', 'visits'], { ...parseDatasetOptions({}), postCloseRows: postCloseRows && new Set(postCloseRows) });

  it('excludes a column that separates the outcome on those rows alone, with both figures', () => {
    expect(guard().kept).toEqual(['won_date', 'visits']);
    const verdict = guard(postClose);
    expect(verdict.kept).toEqual(['visits']);
    const figure = verdict.singleFeatureAuc.won_date;
    expect(figure).toBeLessThan(0.9);
    expect(verdict.excluded).toEqual([
      {
        column: 'won_date',
        reason:
          `single-feature AUC 1.00 > 0.90 on the 100 training leads that closed before leadlift scored them (${figure.toFixed(2)} on all 400): ` +
          "those leads' values were synced after the outcome, and among them it separates the outcome almost perfectly, likely filled in once it was known",
      },
    ]);
  });

  it('adds nothing when every row is post-close (the check on them alone is the check on every row) or none is', () => {
    expect(guard(all)).toEqual(guard());
    expect(guard([])).toEqual(guard());
  });

  it(`needs ${MIN_POST_CLOSE_EACH_OUTCOME} of each outcome among them: on fewer, an AUC is noise`, () => {
    const wonRows = postClose.filter((i) => y[i]);
    const few = [...postClose.filter((i) => !y[i]), ...wonRows.slice(0, MIN_POST_CLOSE_EACH_OUTCOME - 1)].sort((a, b) => a - b);
    expect(guard(few).kept).toEqual(['won_date', 'visits']);
    const enough = [...postClose.filter((i) => !y[i]), ...wonRows.slice(0, MIN_POST_CLOSE_EACH_OUTCOME)].sort((a, b) => a - b);
    expect(guard(enough).kept).toEqual(['visits']);
  });
});
