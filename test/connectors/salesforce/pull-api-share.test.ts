import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadRecord, OutcomeRecord, Page } from '../../../connectors/types.js';
import { syncFromCrm } from '../../../src/jobs/sync.js';
import { loopDeps } from '../../jobs/loop-deps.js';
import { backends, useStore } from '../../store/backends.js';
import { allPages, clearLog, leadIdsOf, requests, startSalesforceFixture, type SalesforceFixture } from './fixture.js';

/**
 * The sync keeps to SALESFORCE_API_SHARE as the push does: at the share it stops reading, keeps
 * the pages it read with their checkpoint, and the next sync resumes from there.
 */
describe('Salesforce pulls within the API share', () => {
  const { store } = useStore(backends.find((b) => b.name === 'sqlite')!);
  let fx: SalesforceFixture;
  let ids: string[];
  let normalLimit: number;
  beforeAll(async () => {
    fx = await startSalesforceFixture({ leads: 700 });
    ids = await leadIdsOf(fx);
    ({ salesforceDailyLimit: normalLimit } = await fx.control<{ salesforceDailyLimit: number }>('GET', '/options'));
  });
  afterAll(async () => fx.close());

  /** The org's daily limit set so that leadlift's half of it leaves `requests` after the /limits read. */
  const leaveRoomFor = async (requests: number) => {
    const limits = await fx.jsforce().limits();
    const used = limits.DailyApiRequests.Max - limits.DailyApiRequests.Remaining;
    await fx.control('PATCH', '/options', { salesforceDailyLimit: (used + 1 + requests) * 2 });
  };
  const records = (pages: Page<LeadRecord>[]) => pages.flatMap((p) => p.records.map((r) => r.id));

  it('stops the lead pull at the share with a last empty page saying so; the next pull reads the rest, none skipped', async () => {
    // The newest-change query and two pages of 200 fit; the pull has four.
    await leaveRoomFor(3);
    const fields = { leadFields: ['LastName', 'Status'], queryBatchSize: 200 };
    const first = await allPages(fx.connector({ ...fields, apiShare: 0.5 }).pullLeads(null)).finally(() => fx.control('PATCH', '/options', { salesforceDailyLimit: normalLimit }));
    const read = records(first);
    expect(read.length).toBeGreaterThan(0);
    expect(read.length).toBeLessThan(ids.length);
    const last = first.at(-1)!;
    expect(last.records).toEqual([]);
    expect(last.notes).toHaveLength(1);
    expect(last.notes![0]).toMatch(/^The Salesforce lead sync stopped at leadlift's share of the org's API requests \(leadlift may use 50% of .*; SALESFORCE_API_SHARE\): what it read is kept and the next sync resumes from there\.$/);
    // The note's page carries the checkpoint of the last page read.
    expect(last.cursor).toEqual(first.at(-2)!.cursor);

    const rest = records(await allPages(fx.connector(fields).pullLeads(last.cursor)));
    expect(new Set([...read, ...rest])).toEqual(new Set(ids));
  });

  it('a sync that finds the share spent stores nothing, fails nothing, and the next one reads everything', async () => {
    await leaveRoomFor(0);
    const connector = fx.connector({ apiShare: 0.5 });
    let result;
    try {
      result = await syncFromCrm(loopDeps(store(), connector));
      expect(result).toMatchObject({ leads: 0, outcomes: 0 });
    } finally {
      await fx.control('PATCH', '/options', { salesforceDailyLimit: normalLimit });
    }
    // Both streams say it, in the sync's notes (the cycle's log), though neither had a page to carry it before.
    expect(result.notes.filter((t) => /sync stopped at leadlift's share/.test(t))).toHaveLength(2);
    expect(await store().checkpoints.get('salesforce', 'leads')).toBeNull();
    const next = await syncFromCrm(loopDeps(store(), fx.connector()));
    expect(next.leads).toBe(ids.length);
  });

  it('an outcome pull the share stops still says, on its cut-short page, which leads it dated by LastModifiedDate (LeadHistory off)', async () => {
    await fx.control('PATCH', '/options', { salesforceLeadHistory: false });
    try {
      const fields = { queryBatchSize: 200, idChunkSize: 50 };
      // The requests a whole outcome pull sends (the budget's own /limits reads aside), then room for about half of them.
      await clearLog(fx);
      const whole = await allPages(fx.connector(fields).pullOutcomes(null));
      expect(whole.some((p) => p.cutShort)).toBe(false);
      const sent = (await requests(fx)).filter((r) => !/\/limits\/?$/.test(r.path)).length;
      expect(sent).toBeGreaterThan(4);
      await leaveRoomFor(Math.floor(sent / 2));
      const pages = await allPages(fx.connector({ ...fields, apiShare: 0.5 }).pullOutcomes(null)).finally(() =>
        fx.control('PATCH', '/options', { salesforceDailyLimit: normalLimit }),
      );
      const handed = pages.flatMap((p: Page<OutcomeRecord>) => p.records);
      const byStatus = handed.filter((o) => /^Status=/.test(o.evidence ?? '')).length;
      expect(byStatus).toBeGreaterThan(0);
      const last = pages.at(-1)!;
      expect(last).toMatchObject({ records: [], cutShort: true });
      expect(last.notes).toHaveLength(2);
      expect(last.notes![0]).toMatch(/^The Salesforce outcome sync stopped at leadlift's share/);
      // The leads handed over, no more: a page the stop cut short is read and dated again next sync.
      expect(last.notes![1]).toContain(`${byStatus.toLocaleString('en-US')} lead${byStatus === 1 ? '' : 's'} closed by Status ${byStatus === 1 ? 'is' : 'are'} dated by LastModifiedDate`);
      expect(last.notes![1]).toMatch(/LeadHistory cannot be queried in this org \(INVALID_TYPE\).*Set History Tracking/);
      expect(pages.slice(0, -1).flatMap((p) => p.notes ?? [])).toEqual([]);
    } finally {
      await fx.control('PATCH', '/options', { salesforceLeadHistory: true });
    }
  });

  it('a re-derive of every outcome under a changed rule that the share stops replaces nothing', async () => {
    await syncFromCrm(loopDeps(store(), fx.connector()));
    const before = (await store().outcomes.list('salesforce')).map((o) => o.leadId).sort();
    expect(before.length).toBeGreaterThan(0);
    // A changed rule (converted leads only are won), then a share with room for a few requests only.
    await leaveRoomFor(3);
    let result;
    try {
      result = await syncFromCrm(loopDeps(store(), fx.connector({ apiShare: 0.5, queryBatchSize: 200, outcome: { wonWhen: 'converted', lostStatuses: [] } })));
    } finally {
      await fx.control('PATCH', '/options', { salesforceDailyLimit: normalLimit });
    }
    expect(result.notes.some((t) => /outcome sync stopped at leadlift's share/.test(t))).toBe(true);
    expect(result.notes.some((t) => /not derived again under the new rule/.test(t))).toBe(true);
    expect(result.outcomeRule).toMatchObject({ applied: false, removed: 0, readSoFar: await store().stagedOutcomes.count('salesforce') });
    // The stored outcomes stand as they were; before the fix the part read replaced them all.
    expect((await store().outcomes.list('salesforce')).map((o) => o.leadId).sort()).toEqual(before);
  });
});
