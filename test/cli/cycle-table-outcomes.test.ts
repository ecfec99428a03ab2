import { describe, expect, it } from 'vitest';
import { cycleTable } from '../../src/cli/cycle-table.js';
import type { CycleSummary } from '../../src/jobs/cycle.js';

/**
 * An idle HubSpot run re-read one outcome the store already held (the deal search's look-back)
 * and the table said "Outcomes synced 1" beside "Leads synced 8,238 read, 0 changed".
 */
describe('the run summary\'s outcomes row', () => {
  it('tells outcomes read from outcomes changed, as the leads row does', () => {
    const summary: CycleSummary = {
      crm: 'hubspot',
      sync: { leads: 0, leadsChanged: 0, outcomes: 1, outcomesChanged: 0, received: { leads: 0, outcomes: 1 }, pages: 3, notes: [] },
      train: { trained: false, reason: 'not due' },
      score: { scored: 8_238, toPush: 0, unchanged: 8_238, modelVersion: 'v1' } as CycleSummary['score'],
      push: { written: 0, failed: 0, retryLater: 0, archived: 0, apiCalls: 0, rateLimited: 0 } as CycleSummary['push'],
      model: null,
      seconds: 1,
      apiCalls: 5,
      rateLimited: 0,
    };
    expect(cycleTable([summary])).toMatch(/│ Outcomes synced +│ 1 read, 0 changed +│/);
  });
});
