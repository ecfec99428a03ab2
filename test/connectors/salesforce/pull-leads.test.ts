import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stateFor } from '../../../connectors/sandbox/salesforce/state.js';
import type { Cursor, LeadRecord, Page } from '../../../connectors/types.js';
import { loadManifest } from '../../../src/domain/manifest.js';
import { allPages, scoreFields, startSalesforceFixture, type SalesforceFixture } from './fixture.js';

const LEADS = 1200;

describe('Salesforce pullLeads: SOQL on SystemModstamp with queryMore', () => {
  let fx: SalesforceFixture;
  let full: Page<LeadRecord>[];
  beforeAll(async () => {
    fx = await startSalesforceFixture({ leads: LEADS });
    await fx.connector().ensureSchema([...scoreFields()]);
    full = await allPages(fx.connector({ queryBatchSize: 200 }).pullLeads(null));
  });
  afterAll(async () => fx.close());

  const ids = (pages: Page<LeadRecord>[]) => pages.flatMap((p) => p.records.map((r) => r.id));
  const last = (pages: Page<LeadRecord>[]): Cursor => pages.at(-1)!.cursor;
  /** Where a pull read to its end settles: the next pull starts there again (settledPosition, the lookback before the final second). */
  const resumesAt = (pages: Page<LeadRecord>[]): number => Date.parse((last(pages) as { since: string }).since);
  /** Leads read again only because they sit in the window the pull started at, up to `until`. */
  const reReadFrom = (pages: Page<LeadRecord>[], from: Page<LeadRecord>[], until: number) =>
    pages.flatMap((p) => p.records).filter((r) => Date.parse(r.modifiedAt) >= resumesAt(from) && Date.parse(r.modifiedAt) <= until);
  const newest = (pages: Page<LeadRecord>[]) => Math.max(...pages.flatMap((p) => p.records.map((r) => Date.parse(r.modifiedAt))));

  it('a full pull pages every lead exactly once, through queryMore', async () => {
    const all = ids(full);
    expect(all).toHaveLength(LEADS);
    expect(new Set(all).size).toBe(LEADS);
    expect(full.filter((p) => p.records.length > 0)).toHaveLength(LEADS / 200);
    // Read to its end, the pull settles the default lookback (10 s) before the newest second, which may still gain edits.
    expect(full.at(-1)!.records).toEqual([]);
    expect(last(full)).toEqual({ since: new Date(Date.parse(full.at(-2)!.records.at(-1)!.modifiedAt) - 10_000).toISOString(), lastId: null });
    const log = await fx.control<{ results: Array<{ path: string }> }>('GET', '/requests?crm=salesforce');
    expect(log.results.filter((r) => /\/query\/[A-Za-z0-9]+-\d+/.test(r.path)).length).toBeGreaterThanOrEqual(LEADS / 200 - 1);
  });

  it('pulls the described fields, the app\'s own included (what Salesforce shows of the scores; never model inputs), with ISO times', () => {
    const lead = full[0].records[0];
    expect(Object.keys(lead.properties)).toEqual(expect.arrayContaining(['Id', 'Status', 'LeadSource', 'age__c', 'job__c', 'balance__c']));
    expect(Object.keys(lead.properties).filter((k) => k.startsWith('Lead_Score')).sort()).toEqual(loadManifest().salesforce.fields.map((f) => f.name).sort());
    // The standard address is read through its parts; the compound Address (a view over them) is left out.
    expect(Object.keys(lead.properties)).toEqual(expect.arrayContaining(['Street', 'City', 'State', 'PostalCode', 'Country', 'Latitude', 'Longitude']));
    expect(Object.keys(lead.properties)).not.toContain('Address');
    expect(lead.modifiedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(lead.crm).toBe('salesforce');
    expect(lead.archived).toBe(false);
    const modified = full.flatMap((p) => p.records.map((r) => Date.parse(r.modifiedAt)));
    expect([...modified].sort((a, b) => a - b)).toEqual(modified);
  });

  it('an incremental pull returns just the leads written since (and the lookback window read again), then only that window', async () => {
    const conn = fx.jsforce();
    const some = ids(full).slice(10, 13);
    await conn.sobject('Lead').update(some.map((Id) => ({ Id, Status: 'Working - Contacted' })));
    const next = await allPages(fx.connector().pullLeads(last(full)));
    const written = next.flatMap((p) => p.records).filter((r) => some.includes(r.id));
    expect(written.map((r) => r.id).sort()).toEqual([...some].sort());
    expect(written.every((r) => r.properties.Status === 'Working - Contacted')).toBe(true);
    expect(ids(next).length).toBe(some.length + reReadFrom(next, full, newest(full)).filter((r) => !some.includes(r.id)).length);
    const again = await allPages(fx.connector().pullLeads(last(next)));
    // Nothing changed since: only the leads of the lookback window, as they were.
    expect(again.flatMap((p) => p.records).every((r) => Date.parse(r.modifiedAt) >= resumesAt(next))).toBe(true);
    expect(ids(again)).toEqual(expect.arrayContaining(some));
    expect(ids(again).length).toBeLessThan(ids(next).length + 1);
    expect(last(again)).toEqual(last(next));
    full = [...full, ...next];
  });

  it('ties on one SystemModstamp across page boundaries: a pull stopped after one page resumes with no lead skipped or repeated', async () => {
    // Salesforce stamps whole seconds, so a bulk update leaves thousands of leads on one value.
    const state = stateFor(fx.sandbox.ctx);
    const tied = ids(full).slice(100, 550);
    const stamp = fx.sandbox.ctx.clock.now() + 60_000;
    for (const id of tied) state.records.get('Lead')!.get(id)!.SystemModstamp = stamp;
    // A change 30 s later puts the tied second behind the late-commit window, where a stopped
    // pull resumes at its exact position (inside the window it reads the window again: pull-resume-late-commits.test.ts).
    const newer = ids(full)[600];
    state.records.get('Lead')!.get(newer)!.SystemModstamp = stamp + 30_000;
    const from = last(full);
    const connector = fx.connector({ queryBatchSize: 200 });
    let firstPage: Page<LeadRecord> | undefined;
    for await (const page of connector.pullLeads(from)) {
      firstPage = page;
      break; // the process dies after storing one page
    }
    expect(firstPage!.records).toHaveLength(200);
    expect(firstPage!.cursor).toMatchObject({ since: new Date(stamp).toISOString() });
    const rest = await allPages(connector.pullLeads(firstPage!.cursor));
    const seen = [...firstPage!.records.map((r) => r.id), ...ids(rest)].filter((id) => tied.includes(id));
    expect(seen).toHaveLength(tied.length);
    expect(new Set(seen)).toEqual(new Set(tied));
    // The only others: the leads of the window the pull started at, read again.
    const others = [...firstPage!.records, ...rest.flatMap((p) => p.records)].filter((r) => !tied.includes(r.id) && r.id !== newer);
    expect(ids(rest).filter((id) => id === newer)).toHaveLength(1);
    expect(others.every((r) => Date.parse(r.modifiedAt) >= Date.parse((from as { since: string }).since) && Date.parse(r.modifiedAt) < stamp)).toBe(true);
    full = [...full, firstPage!, ...rest];
  });

  it('a deleted lead comes back archived on the next incremental pull', async () => {
    const conn = fx.jsforce();
    const victim = ids(full)[700];
    fx.sandbox.ctx.clock.advance(120_000);
    await conn.sobject('Lead').destroy(victim);
    const next = await allPages(fx.connector().pullLeads(last(full)));
    const records = next.flatMap((p) => p.records).filter((r) => Date.parse(r.modifiedAt) > newest(full));
    expect(records.map((r) => r.id)).toEqual([victim]);
    expect(records[0].archived).toBe(true);
    expect(next.flatMap((p) => p.records).filter((r) => r.archived).map((r) => r.id)).toEqual([victim]);
  });

  it('a lead edited later within the second a pull ended in, its Id before the last one read, is read by the next pull', async () => {
    // Salesforce stamps whole seconds: the pull below ends in second t at the lead with the highest
    // Id; a rep's edit later within t stamps a lead with a lower Id alike.
    const leads = stateFor(fx.sandbox.ctx).records.get('Lead')!;
    const t = Math.ceil((fx.sandbox.ctx.clock.now() + 600_000) / 1000) * 1000;
    const byId = [...leads.keys()].sort();
    const [early, late] = [byId[5], byId.at(-5)!];
    leads.get(late)!.SystemModstamp = t;
    const first = await allPages(fx.connector().pullLeads(last(full)));
    expect(ids(first)).toContain(late);
    expect(ids(first)).not.toContain(early);
    Object.assign(leads.get(early)!, { SystemModstamp: t, Status: 'Working - Contacted' });
    const next = await allPages(fx.connector().pullLeads(last(first)));
    expect(next.flatMap((p) => p.records).find((r) => r.id === early)?.properties.Status).toBe('Working - Contacted');
  });

  it('a lead a long transaction made visible late, stamped seconds before the newest change, is read within the lookback (SALESFORCE_LOOKBACK_SECONDS)', async () => {
    const leads = stateFor(fx.sandbox.ctx).records.get('Lead')!;
    const t = Math.ceil((fx.sandbox.ctx.clock.now() + 900_000) / 1000) * 1000;
    const byId = [...leads.keys()].sort();
    leads.get(byId[20])!.SystemModstamp = t;
    const first = await allPages(fx.connector().pullLeads(last(full)));
    expect(ids(first)).toContain(byId[20]);
    // Committed after that pull, stamped when its transaction wrote it: 7 s before the newest change.
    Object.assign(leads.get(byId[30])!, { SystemModstamp: t - 7_000, Status: 'Working - Contacted' });
    const next = await allPages(fx.connector().pullLeads(last(first)));
    expect(next.flatMap((p) => p.records).find((r) => r.id === byId[30])?.properties.Status).toBe('Working - Contacted');
    // Without a lookback it is never read: the window is what catches it.
    const noLookback = fx.connector({ lookbackSeconds: 0 });
    const read = await allPages(noLookback.pullLeads(last(full)));
    expect(last(read)).toEqual({ since: new Date(t).toISOString(), lastId: null });
    Object.assign(leads.get(byId[40])!, { SystemModstamp: t - 7_000, Status: 'Working - Contacted' });
    expect(ids(await allPages(noLookback.pullLeads(last(read))))).not.toContain(byId[40]);
  });

  it('a checkpoint this version cannot read is refused with a way out', async () => {
    await expect(allPages(fx.connector().pullLeads({ since: 'yesterday' }))).rejects.toThrow(/Clear the checkpoint/);
  });
});
