import { describe, expect, it } from 'vitest';
import { summaryFields } from '../../src/cli/cycle-log.js';
import { cycleTable } from '../../src/cli/cycle-table.js';
import type { CycleSummary } from '../../src/jobs/cycle.js';

function summary(push: Partial<CycleSummary['push']>): CycleSummary {
  return {
    crm: 'salesforce',
    sync: { leads: 1237, leadsChanged: 0, outcomes: 0, outcomesChanged: 0, received: { leads: 1237, outcomes: 0 }, pages: 2, notes: [] },
    train: { trained: false, reason: 'not due' },
    score: { scored: 1237, toPush: 1237, unchanged: 0, modelVersion: 'v1' } as CycleSummary['score'],
    push: { written: 800, failed: 0, retryLater: 0, archived: 0, apiCalls: 4, rateLimited: 0, ...push } as CycleSummary['push'],
    model: null,
    seconds: 1,
    apiCalls: 12,
    rateLimited: 0,
  };
}

/** The table's text in reading order: a long cell wraps inside its column. */
const flat = (table: string) => table.replace(/[│┌┐└┘├┤┬┴┼─\s]+/g, ' ');

describe('the run summary\'s Failed row', () => {
  it('says scores the API budget held back apart from failures to retry', () => {
    const held = flat(cycleTable([summary({ retryLater: 437, stopped: { reason: 'budget', unwritten: 437 } })]));
    expect(held).toContain('Failed 0 (+437 held back for the API budget, written next run)');
    expect(held).not.toContain('retried next run');
    const both = flat(cycleTable([summary({ failed: 2, retryLater: 440, stopped: { reason: 'budget', unwritten: 437 } })]));
    expect(both).toContain('2 (+3 retried next run; +437 held back for the API budget, written next run)');
    const plain = flat(cycleTable([summary({ failed: 1, retryLater: 5 })]));
    expect(plain).toContain('Failed 1 (+5 retried next run)');
  });
});

describe('the JSON cycle summary (serve under LOG_FORMAT=json)', () => {
  it('counts scores the API budget held back once, as heldBack, as the table does', () => {
    // push.retryLater includes the 437 held back: retryLater is the 3 to retry, not 440.
    expect(summaryFields(summary({ failed: 2, retryLater: 440, stopped: { reason: 'budget', unwritten: 437 } }))).toMatchObject({ failed: 2, retryLater: 3, heldBack: 437, written: 800, unchanged: 0 });
    expect(summaryFields(summary({ retryLater: 437, stopped: { reason: 'budget', unwritten: 437 } }))).toMatchObject({ retryLater: 0, heldBack: 437 });
    expect(summaryFields(summary({ failed: 1, retryLater: 5 }))).toMatchObject({ failed: 1, retryLater: 5, heldBack: 0, unchanged: 1237 - 800 - 1 - 5 });
  });
});
