import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stateFor } from '../../../connectors/sandbox/salesforce/state.js';
import type { Cursor, LeadRecord, OutcomeRecord, Page } from '../../../connectors/types.js';
import { LEAD_OBJECT } from '../../../src/jobs/deps.js';
import { syncFromCrm } from '../../../src/jobs/sync.js';
import { loopDeps } from '../../jobs/loop-deps.js';
import { backends, useStore } from '../../store/backends.js';
import { allPages, leadIdsOf, startSalesforceFixture, type SalesforceFixture } from './fixture.js';

/**
 * A pull cut short (a stop, an API error, the API share) stores the position of its last page.
 * Salesforce stamps a record when its transaction writes it, not when it commits, so a record
 * stamped just before that position can become visible after the pull read past it: the next pull
 * must read that window again (SALESFORCE_LOOKBACK_SECONDS), and still advance when it is cut
 * short inside the window again.
 */
describe('Salesforce pulls resumed after a cut: late commits behind the stored position', () => {
  const { store } = useStore(backends.find((b) => b.name === 'sqlite')!);
  let fx: SalesforceFixture;
  let ids: string[];
  let normalLimit: number;
  beforeAll(async () => {
    fx = await startSalesforceFixture({ leads: 1400, openFraction: 0.3 });
    ids = await leadIdsOf(fx);
    ({ salesforceDailyLimit: normalLimit } = await fx.control<{ salesforceDailyLimit: number }>('GET', '/options'));
  });
  afterAll(async () => fx.close());

  const leads = () => stateFor(fx.sandbox.ctx).records.get('Lead')!;
  const read = (pages: Page<{ id: string }>[]) => pages.flatMap((p) => p.records.map((r) => r.id));
  /** A bulk update: `tied` stamped in one second, later than every other lead (and than `t` of earlier tests). */
  const bulkStamp = (tied: string[], minutesAhead: number) => {
    const t = Math.ceil((fx.sandbox.ctx.clock.now() + minutesAhead * 60_000) / 1000) * 1000;
    for (const id of tied) leads().get(id)!.SystemModstamp = t;
    return t;
  };
  /**
   * The pages of a pull up to the first one whose records position is at `t`; then the process stops
   * (the sync keeps that page's cursor). The window an earlier test's pull settled in comes first.
   */
  const pagesTo = async <T>(pull: AsyncIterable<Page<T>>, t: number, position: (c: Cursor) => unknown = (c) => c): Promise<Page<T>[]> => {
    const out: Page<T>[] = [];
    for await (const page of pull) {
      out.push(page);
      if (page.records.length > 0 && Date.parse((position(page.cursor) as { since: string }).since) === t) return out;
    }
    throw new Error(`the pull never reached ${new Date(t).toISOString()}`);
  };
  /** The org's daily limit set so that leadlift's half of it leaves `requests` after the /limits read. */
  const leaveRoomFor = async (requests: number) => {
    const limits = await fx.jsforce().limits();
    const used = limits.DailyApiRequests.Max - limits.DailyApiRequests.Remaining;
    await fx.control('PATCH', '/options', { salesforceDailyLimit: (used + 1 + requests) * 2 });
  };

  it('a lead pull stopped after one page reads, when resumed, a lead committed late behind that page', async () => {
    const settled = (await allPages(fx.connector({ leadFields: ['Status'] }).pullLeads(null))).at(-1)!.cursor;
    const tied = ids.slice(100, 700);
    const t = bulkStamp(tied, 10);
    const connector = fx.connector({ leadFields: ['Status'], queryBatchSize: 200 });
    const before = await pagesTo(connector.pullLeads(settled), t);
    const first = before.at(-1)!;
    expect(first.cursor).toMatchObject({ since: new Date(t).toISOString(), lastId: first.records.at(-1)!.id });
    // Committed after that page was read, stamped when its transaction wrote it: 4 s before the bulk update.
    const late = ids[900];
    Object.assign(leads().get(late)!, { SystemModstamp: t - 4_000, Status: 'Working - Contacted' });
    const rest = await allPages(connector.pullLeads(first.cursor));
    expect((rest.flatMap((p) => p.records) as LeadRecord[]).find((r) => r.id === late)?.properties.Status).toBe('Working - Contacted');
    // Every tied lead is read, and the re-read goes no further back than the lookback before the bulk second.
    expect(new Set([...read([first]), ...read(rest)].filter((id) => tied.includes(id)))).toEqual(new Set(tied));
    expect((rest.flatMap((p) => p.records) as LeadRecord[]).every((r) => Date.parse(r.modifiedAt) >= t - 10_000)).toBe(true);
  });

  it('an outcome pull stopped after one page reads, when resumed, a lead closed by a late commit behind that page', async () => {
    const settled = (await allPages(fx.connector().pullOutcomes(null))).at(-1)!.cursor;
    const closed = ids.filter((id) => /^Closed/.test(String(leads().get(id)!.Status))).slice(0, 500);
    const t = bulkStamp(closed, 20);
    const connector = fx.connector({ queryBatchSize: 200 });
    const first = (await pagesTo(connector.pullOutcomes(settled), t, (c) => (c as { records: unknown }).records)).at(-1)!;
    const late = ids.find((id) => !closed.includes(id) && leads().get(id)!.Status === 'Open - Not Contacted')!;
    Object.assign(leads().get(late)!, { SystemModstamp: t - 4_000, LastModifiedDate: t - 4_000, Status: 'Closed - Not Converted' });
    const rest = await allPages(connector.pullOutcomes(first.cursor));
    expect((rest.flatMap((p) => p.records) as OutcomeRecord[]).find((r) => r.leadId === late)).toMatchObject({ outcome: 'lost' });
  });

  it('a pull the API share cuts inside the window again and again still advances, and reads each lead of a bulk update', async () => {
    let cursor: Cursor | null = (await allPages(fx.connector({ leadFields: ['Status'] }).pullLeads(null))).at(-1)!.cursor;
    // 1200 leads in one second: 6 pages of 200; each pull below has room for the newest-change query and one page.
    const tied = ids.slice(100, 1300);
    bulkStamp(tied, 30);
    const times = new Map<string, number>();
    let pulls = 0;
    for (; pulls < 20; pulls++) {
      await leaveRoomFor(2);
      const pages = await allPages(fx.connector({ leadFields: ['Status'], queryBatchSize: 200, apiShare: 0.5 }).pullLeads(cursor)).finally(() =>
        fx.control('PATCH', '/options', { salesforceDailyLimit: normalLimit }),
      );
      for (const id of read(pages)) times.set(id, (times.get(id) ?? 0) + 1);
      cursor = pages.at(-1)!.cursor;
      if (!pages.some((p) => p.cutShort)) break;
    }
    // Read to its end: every tied lead read, no lead read more than twice (once, and once again in the window).
    expect(pulls).toBeLessThan(20);
    expect(tied.every((id) => times.has(id))).toBe(true);
    expect(Math.max(...times.values())).toBeLessThanOrEqual(2);
  });

  it('a sync the API share cut inside the window: the next one reads the late commit, and the window read again counts as read, not changed', async () => {
    await syncFromCrm(loopDeps(store(), fx.connector({ leadFields: ['Status', 'job__c'] })));
    // Our own score writes (or any bulk update) re-stamp 600 leads in one second, their values unchanged.
    const tied = ids.slice(100, 700);
    const t = bulkStamp(tied, 40);
    // Syncs with room for one page each, until one stops inside the bulk second (the window the last full sync settled in comes first).
    const checkpoint = () => store().checkpoints.get('salesforce', 'leads') as Promise<{ since: string } | null>;
    for (let i = 0; i < 5 && (await checkpoint())?.since !== new Date(t).toISOString(); i++) {
      // Room for the lead pull's newest-change query and one page, besides what the sync sends before it.
      await leaveRoomFor(4);
      const cut = await syncFromCrm(loopDeps(store(), fx.connector({ leadFields: ['Status', 'job__c'], apiShare: 0.5, queryBatchSize: 200 }))).finally(() =>
        fx.control('PATCH', '/options', { salesforceDailyLimit: normalLimit }),
      );
      expect(cut.notes.some((n) => /lead sync stopped at leadlift's share/.test(n))).toBe(true);
    }
    expect(await checkpoint()).toMatchObject({ since: new Date(t).toISOString(), recheck: { since: new Date(t - 10_000).toISOString(), lastId: null } });
    const late = ids[900];
    const job = leads().get(late)!.job__c === 'retired' ? 'student' : 'retired';
    Object.assign(leads().get(late)!, { SystemModstamp: t - 4_000, job__c: job });
    const next = await syncFromCrm(loopDeps(store(), fx.connector({ leadFields: ['Status', 'job__c'], queryBatchSize: 200 })));
    const [stored] = await store().records.getMany('salesforce', LEAD_OBJECT, [late]);
    expect(stored.properties.job__c).toBe(job);
    // The tied leads read again are compared with the stored ones: only the late commit changed.
    expect(next.received.leads).toBeGreaterThanOrEqual(tied.length);
    expect(next.leadsChanged).toBe(1);
  });
});
