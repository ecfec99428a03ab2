import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cursor, OutcomeRecord, Page } from '../../../connectors/types.js';
import { allPages, startSalesforceFixture, type SalesforceFixture } from './fixture.js';

/**
 * The outcome pull bounds itself by the newest change among live records only (unlike the lead
 * pull, which reads deleted ones too): a lead deleted (or merged away) as the org's newest change
 * must neither hide nor delay a lead closed just before it, nor one closed after it.
 */
describe('Salesforce pullOutcomes when a deletion is the newest change', () => {
  let fx: SalesforceFixture;
  beforeAll(async () => {
    fx = await startSalesforceFixture({ leads: 300, openFraction: 0.5 });
  });
  afterAll(async () => fx.close());

  const ids = (ps: Page<OutcomeRecord>[]) => new Set(ps.flatMap((p) => p.records).map((r) => r.leadId));
  const last = (ps: Page<OutcomeRecord>[]): Cursor => ps.at(-1)!.cursor;

  it('reads the lead closed before the deletion at once, and the one closed after at the next pull', async () => {
    const conn = fx.jsforce();
    const first = await allPages(fx.connector().pullOutcomes(null));
    const open = (await conn.query<{ Id: string }>("SELECT Id FROM Lead WHERE IsConverted = false AND Status = 'Open - Not Contacted' ORDER BY Id LIMIT 3")).records.map((r) => r.Id);
    expect(open).toHaveLength(3);
    const [closedBefore, deleted, closedAfter] = open;

    fx.sandbox.ctx.clock.advance(60_000);
    await conn.sobject('Lead').update({ Id: closedBefore, Status: 'Closed - Not Converted' });
    fx.sandbox.ctx.clock.advance(30_000);
    await conn.sobject('Lead').destroy(deleted);
    const second = await allPages(fx.connector().pullOutcomes(last(first)));
    expect(ids(second).has(closedBefore)).toBe(true);

    fx.sandbox.ctx.clock.advance(60_000);
    await conn.sobject('Lead').update({ Id: closedAfter, Status: 'Closed - Not Converted' });
    const third = await allPages(fx.connector().pullOutcomes(last(second)));
    expect(ids(third).has(closedAfter)).toBe(true);
    // The second pull settled its cursor before the newest live change (closedBefore), not before
    // the deletion: closedBefore is read again here, as the records of a final second are, and
    // absorbed by the sync. Costlier by a window's re-read, never later.
    expect(ids(third).has(deleted)).toBe(false);
  });
});
