import { describe, expect, it } from 'vitest';
import { cycleTable } from '../../src/cli/cycle-table.js';
import type { CycleSummary } from '../../src/jobs/cycle.js';

function summary(crm: CycleSummary['crm'], rateLimited: number): CycleSummary {
  return {
    crm,
    sync: { leads: 10, leadsChanged: 10, outcomes: 5, outcomesChanged: 5, received: { leads: 10, outcomes: 5 }, pages: 2, notes: [] },
    train: { trained: false, reason: 'not due' },
    score: { scored: 10, toPush: 10, unchanged: 0, modelVersion: 'v1' } as CycleSummary['score'],
    push: { written: 10, failed: 0, retryLater: 0, archived: 0, apiCalls: 1, rateLimited } as CycleSummary['push'],
    model: null,
    seconds: 1,
    apiCalls: 12,
    rateLimited,
  };
}

/** Salesforce never answers 429: the row says what it counts for each CRM. */
describe('the run summary\'s rate-limited row', () => {
  it('is named for what it counts, in each CRM\'s terms', () => {
    const table = cycleTable([summary('hubspot', 3), summary('salesforce', 1)]);
    expect(table).not.toMatch(/429 responses/);
    expect(table).toMatch(/│ Rate-limited responses +│ 3 \(HTTP 429\) +│ 1 \(REQUEST_LIMIT_EXCEEDED\) +│/);
  });
});
