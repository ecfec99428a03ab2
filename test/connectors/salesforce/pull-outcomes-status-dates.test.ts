import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OutcomeRecord, Page } from '../../../connectors/types.js';
import { syncFromCrm } from '../../../src/jobs/sync.js';
import { loopDeps } from '../../jobs/loop-deps.js';
import { backends, useStore } from '../../store/backends.js';
import { allPages, clearLog, requests, scoreFields, scoresFor, startSalesforceFixture, type SalesforceFixture } from './fixture.js';

const DAY = 86_400_000;
const CHUNK = 2;
/** Salesforce keeps datetimes to the second: the stamps a write gets at sandbox time `ms`. */
const second = (ms: number) => Math.floor(ms / 1000) * 1000;

/**
 * A lead closed by Status is dated by when it took that status (LeadHistory), not by its
 * LastModifiedDate, which later edits move: an owner's note, and our own score write-back.
 */
// Per back end: the sync's outcome writes go through the store, whose code differs by back end.
describe.each(backends)('Salesforce pullOutcomes: leads closed by Status are dated when they closed ($name store)', (backend) => {
  const { store } = useStore(backend);
  let fx: SalesforceFixture;
  /** Leads closed by Status in this test, then edited days later. */
  let closed: string[];
  let closedFrom: number;
  let closedTo: number;
  let open: string[];
  let seededClosedAt: Map<string, string>;

  beforeAll(async () => {
    fx = await startSalesforceFixture({ leads: 60, openFraction: 0.5 });
    const conn = fx.jsforce();
    const leads = await conn.query<{ Id: string; LastName: string; Status: string }>('SELECT Id, LastName, Status FROM Lead ORDER BY CreatedDate');
    const seedOf = new Map(fx.seed.map((s) => [`Lead ${s.externalId}`, s]));
    open = leads.records.filter((r) => seedOf.get(r.LastName)!.open).map((r) => r.Id);
    seededClosedAt = new Map(
      leads.records.filter((r) => r.Status === 'Closed - Not Converted').map((r) => [r.Id, new Date(seedOf.get(r.LastName)!.closedAt!).toISOString()]),
    );
    closed = open.splice(0, 5);
    closedFrom = second(fx.sandbox.ctx.clock.now());
    await conn.sobject('Lead').update(closed.map((Id) => ({ Id, Status: 'Closed - Not Converted' })), { allOrNone: true });
    closedTo = second(fx.sandbox.ctx.clock.now());

    fx.sandbox.ctx.clock.advance(3 * DAY);
    await conn.sobject('Lead').update({ Id: closed[0], Description: 'Owner: asked to be called again next quarter' });
    const connector = fx.connector();
    await connector.ensureSchema([...scoreFields()]);
    const report = await connector.pushScores(scoresFor(closed));
    expect(report.written.sort()).toEqual([...closed].sort());
  });
  afterAll(async () => fx.close());
  afterEach(async () => fx.control('PATCH', '/options', { salesforceLeadHistory: true }));

  const outcomes = (pages: Page<OutcomeRecord>[]) => new Map(pages.flatMap((p) => p.records).map((r) => [r.leadId, r]));
  const notes = (pages: Page<OutcomeRecord>[]) => pages.flatMap((p) => p.notes ?? []);
  const lastModified = async (ids: string[]) => {
    const res = await fx.jsforce().query<{ Id: string; LastModifiedDate: string }>(`SELECT Id, LastModifiedDate FROM Lead WHERE Id IN (${ids.map((id) => `'${id}'`).join(', ')})`);
    return new Map(res.records.map((r) => [r.Id, new Date(Date.parse(r.LastModifiedDate)).toISOString()]));
  };
  const historyQueries = async () =>
    (await requests(fx)).map((r) => decodeURIComponent(r.path.replace(/\+/g, ' '))).filter((path) => /FROM LeadHistory/.test(path));

  it('our score write-back moves LastModifiedDate in the sandbox, as any update does in Salesforce', async () => {
    for (const [id, modified] of await lastModified(closed)) {
      expect(Date.parse(modified), id).toBeGreaterThanOrEqual(closedTo + 3 * DAY);
    }
  });

  it('dates each lead by its Status change in LeadHistory, read in LeadId IN (...) chunks', async () => {
    await clearLog(fx);
    const pages = await allPages(fx.connector({ idChunkSize: CHUNK }).pullOutcomes(null));
    const got = outcomes(pages);
    for (const id of closed) {
      expect(got.get(id), id).toMatchObject({ outcome: 'lost', evidence: 'Status=Closed - Not Converted' });
      expect(Date.parse(got.get(id)!.outcomeAt), id).toBeGreaterThanOrEqual(closedFrom);
      expect(Date.parse(got.get(id)!.outcomeAt), id).toBeLessThanOrEqual(closedTo);
    }
    expect(seededClosedAt.size).toBeGreaterThan(CHUNK);
    for (const [id, at] of seededClosedAt) expect(got.get(id)?.outcomeAt, id).toBe(at);

    // Every lead closed by Status is asked for once, at most CHUNK per query; no other lead is.
    const queries = await historyQueries();
    const asked = queries.map((q) => q.match(/00Q[A-Za-z0-9]{15}/g) ?? []);
    const byStatus = [...closed, ...seededClosedAt.keys()];
    expect(queries.length).toBe(Math.ceil(byStatus.length / CHUNK));
    for (const ids of asked) expect(ids.length).toBeLessThanOrEqual(CHUNK);
    expect(asked.flat().sort()).toEqual(byStatus.sort());

    expect(notes(pages)).toEqual([`${byStatus.length} leads closed by Status are dated by their Status change in LeadHistory.`]);
  });

  it('with Lead history off (INVALID_TYPE), keeps LastModifiedDate, stops asking, and says so once', async () => {
    await fx.control('PATCH', '/options', { salesforceLeadHistory: false });
    await clearLog(fx);
    const pages = await allPages(fx.connector({ idChunkSize: CHUNK }).pullOutcomes(null));
    const got = outcomes(pages);
    const modified = await lastModified(closed);
    for (const id of closed) expect(got.get(id)?.outcomeAt, id).toBe(modified.get(id));
    expect(await historyQueries()).toHaveLength(1);
    const said = notes(pages);
    expect(said).toHaveLength(1);
    expect(said[0]).toContain(`${closed.length + seededClosedAt.size} leads closed by Status are dated by LastModifiedDate`);
    expect(said[0]).toMatch(/LeadHistory cannot be queried in this org \(INVALID_TYPE\).*Set History Tracking/);
  });

  it('takes LeadHistory reads from the API budget: with no share left the pull stops and dates no lead by LastModifiedDate for good', async () => {
    // The share spent exactly, whatever earlier tests sent: the org's daily limit set to twice what
    // it has used so far, and leadlift allowed half of it.
    const { DailyApiRequests: daily } = await fx.jsforce().limits();
    const used = daily.Max - daily.Remaining;
    expect(used).toBeGreaterThan(0);
    const { salesforceDailyLimit } = await fx.control<{ salesforceDailyLimit: number }>('GET', '/options');
    await fx.control('PATCH', '/options', { salesforceDailyLimit: 2 * used });
    try {
      await clearLog(fx);
      const connector = fx.connector({ idChunkSize: CHUNK, apiShare: 0.5 });
      const pages = await allPages(connector.pullOutcomes(null));
      expect(await historyQueries()).toEqual([]);
      // Nothing read, so nothing dated by LastModifiedDate: the next sync reads these leads and their history.
      expect(outcomes(pages).size).toBe(0);
      // One last page says so, marked cut short so a reader never takes it for the whole set.
      expect(pages.at(-1)).toMatchObject({ records: [], cutShort: true });
      const heard = pages.flatMap((p) => p.notes ?? []);
      expect(heard).toHaveLength(1);
      expect(heard[0]).toMatch(
        new RegExp(`^The Salesforce outcome sync stopped at leadlift's share of the org's API requests \\(leadlift may use 50% of the org's ${(2 * used).toLocaleString('en-US')} daily API requests and the org has used [\\d,]+; SALESFORCE_API_SHARE\\): what it read is kept`),
      );
    } finally {
      await fx.control('PATCH', '/options', { salesforceDailyLimit });
    }
  });

  it('a lead closed while Status history was not tracked keeps LastModifiedDate; the sync logs which dating was used once', async () => {
    const conn = fx.jsforce();
    const untracked = open[0];
    await fx.control('PATCH', '/options', { salesforceLeadHistory: false });
    await conn.sobject('Lead').update({ Id: untracked, Status: 'Closed - Not Converted' });
    await fx.control('PATCH', '/options', { salesforceLeadHistory: true });

    const logged: string[] = [];
    const result = await syncFromCrm({ ...loopDeps(store(), fx.connector({ idChunkSize: CHUNK })), log: (message) => logged.push(message) });
    const byStatus = closed.length + seededClosedAt.size;
    const note =
      `1 lead closed by Status is dated by LastModifiedDate, which any later edit moves forward, because LeadHistory holds no change of their Status into that value: ` +
      `Status history was not tracked when they closed (Setup > Object Manager > Lead > Fields & Relationships > Set History Tracking). ` +
      `${byStatus} leads closed by Status are dated by their Status change in LeadHistory.`;
    expect(result.notes).toEqual([note]);
    expect(logged.filter((m) => m === note)).toHaveLength(1);

    const stored = await store().outcomes.get('salesforce', untracked);
    expect(stored?.outcomeAt).toBe((await lastModified([untracked])).get(untracked));
    expect(Date.parse((await store().outcomes.get('salesforce', closed[0]))!.outcomeAt)).toBeLessThanOrEqual(closedTo);
  });
});
