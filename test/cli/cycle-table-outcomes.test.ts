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

  it("says how far a re-derive under a changed outcome rule got when leadlift's API share stopped it", () => {
    const summary: CycleSummary = {
      crm: 'salesforce',
      sync: {
        leads: 0,
        leadsChanged: 0,
        outcomes: 0,
        outcomesChanged: 0,
        received: { leads: 0, outcomes: 4_000 },
        pages: 2,
        outcomeRule: { was: 'SALESFORCE_WON_WHEN=opportunity-won', now: 'SALESFORCE_WON_WHEN=converted', removed: 0, applied: false, readSoFar: 12_000 },
        notes: [],
      },
      train: { trained: false, reason: 'not due' },
      score: { scored: 0, toPush: 0, unchanged: 0, modelVersion: 'v1' } as CycleSummary['score'],
      push: { written: 0, failed: 0, retryLater: 0, archived: 0, apiCalls: 0, rateLimited: 0 } as CycleSummary['push'],
      model: null,
      seconds: 1,
      apiCalls: 5,
      rateLimited: 0,
    };
    // The column wraps at 48 characters: the cell read back in one line.
    const cell = cycleTable([summary])
      .split('\n')
      .map((line) => line.split('│'))
      .filter((cells) => cells.length === 4)
      .reduce<{ label: string; text: string[] }[]>((rows, [, label, text]) => {
        if (label.trim()) rows.push({ label: label.trim(), text: [] });
        rows.at(-1)?.text.push(text.trim());
        return rows;
      }, [])
      .find((r) => r.label === 'Outcome rule')!.text.join(' ');
    expect(cell).toMatch(/^changed, re-deriving under the new rule: 12,000 outcomes read so far, continues next sync \(leadlift's API share stopped this one; the outcomes stay under the earlier rule until every one is read\); not retrained: not due$/);
  });
});
