import { describe, expect, it } from 'vitest';
import { cycleTable } from '../../src/cli/cycle-table.js';
import type { CycleSummary } from '../../src/jobs/cycle.js';

function summary(train: CycleSummary['train']): CycleSummary {
  return {
    crm: 'hubspot',
    sync: { leads: 41_188, leadsChanged: 41_188, outcomes: 32_950, outcomesChanged: 32_950, received: { leads: 41_189, outcomes: 32_950 }, pages: 101, notes: [] },
    train,
    score: { scored: 8_238, toPush: 8_238, unchanged: 0, modelVersion: 'v2' } as CycleSummary['score'],
    push: { written: 8_000, failed: 38, retryLater: 200, archived: 0, apiCalls: 90, rateLimited: 0 } as CycleSummary['push'],
    model: { version: 'v2', auc: 0.5688 },
    seconds: 23.71,
    apiCalls: 1_669,
    rateLimited: 0,
  };
}

const cell = (table: string, label: string) => new RegExp(`${label} +│ ([^│]+?) +│`).exec(table)?.[1];

describe('cycle summary table', () => {
  it('prints every count with thousands separators', () => {
    const table = cycleTable([summary({ trained: false, reason: 'not due' })]);
    expect(cell(table, 'Outcomes synced')).toBe('32,950');
    expect(cell(table, 'Leads scored')).toBe('8,238');
    expect(cell(table, 'Written to the CRM')).toBe('8,000');
    expect(cell(table, 'Failed')).toBe('38 (+200 retried next run)');
    expect(cell(table, 'API calls')).toBe('1,669');
    expect(cell(table, 'Trained this run')).toBe('no');
  });

  it('says on what grounds a trained model was promoted or not', () => {
    const first = cycleTable([summary({ trained: true, reason: 'no active model', promoted: true, auc: 0.5688, activeAuc: null })]);
    expect(cell(first, 'Trained this run')).toBe('yes, promoted (no active model to beat)');
    const beat = cycleTable([summary({ trained: true, reason: 'retrain due', promoted: true, auc: 0.61, activeAuc: 0.5688 })]);
    expect(cell(beat, 'Trained this run')).toBe('yes, promoted (AUC 0.610 > 0.569)');
    const kept = cycleTable([summary({ trained: true, reason: 'retrain due', promoted: false, auc: 0.5688, activeAuc: 0.5688 })]);
    expect(cell(kept, 'Trained this run')).toBe('yes, kept the active model (AUC 0.569 not above 0.569)');
  });
});
