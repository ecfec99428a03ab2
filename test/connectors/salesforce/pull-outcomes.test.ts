import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cursor, OutcomeRecord, Page } from '../../../connectors/types.js';
import { allPages, startSalesforceFixture, type SalesforceFixture } from './fixture.js';

describe('Salesforce pullOutcomes: conversions, converted opportunities and closed statuses', () => {
  let fx: SalesforceFixture;
  let idByExternal: Map<string, string>;
  let pages: Page<OutcomeRecord>[];
  beforeAll(async () => {
    fx = await startSalesforceFixture({ leads: 800, openFraction: 0.25 });
    const leads = await fx.jsforce().query<{ Id: string; LastName: string }>('SELECT Id, LastName FROM Lead', { autoFetch: true, maxFetch: 10_000 });
    idByExternal = new Map(leads.records.map((r) => [r.LastName.replace(/^Lead /, ''), r.Id]));
    pages = await allPages(fx.connector({ idChunkSize: 50 }).pullOutcomes(null));
  });
  afterAll(async () => fx.close());

  const outcomes = (ps: Page<OutcomeRecord>[]) => new Map(ps.flatMap((p) => p.records).map((r) => [r.leadId, r]));
  const last = (ps: Page<OutcomeRecord>[]): Cursor => ps.at(-1)!.cursor;

  it('matches the sandbox\'s seeded closed outcomes, lead by lead; open leads have none', () => {
    const got = outcomes(pages);
    const closed = fx.seed.filter((s) => !s.open);
    expect(got.size).toBe(closed.length);
    for (const seed of closed) {
      const record = got.get(idByExternal.get(seed.externalId)!);
      expect(record?.outcome, `lead ${seed.externalId}`).toBe(seed.outcome);
      expect(Date.parse(record!.outcomeAt)).toBeGreaterThanOrEqual(Date.parse(new Date(seed.closedAt!).toISOString().slice(0, 10)));
    }
    for (const seed of fx.seed.filter((s) => s.open)) expect(got.has(idByExternal.get(seed.externalId)!)).toBe(false);
    const evidence = [...got.values()].map((r) => r.evidence);
    expect(evidence.some((e) => /Closed Won/.test(e))).toBe(true);
    expect(evidence.some((e) => /Closed Lost/.test(e))).toBe(true);
    expect(evidence.some((e) => e === 'Status=Closed - Not Converted')).toBe(true);
  });

  it('reads opportunities in Id IN (...) chunks, not one call per lead', async () => {
    const log = await fx.control<{ results: Array<{ path: string }> }>('GET', '/requests?crm=salesforce');
    const opportunityQueries = log.results.filter((r) => /FROM(\+|%20)Opportunity(\+|%20)WHERE(\+|%20)Id/i.test(r.path));
    const converted = fx.seed.filter((s) => !s.open && (s.outcome === 'won' || s.index % 10 < 3)).length;
    expect(opportunityQueries.length).toBeGreaterThan(0);
    expect(opportunityQueries.length).toBeLessThanOrEqual(Math.ceil(converted / 50) + 4);
  });

  it('incremental: a status closed since, and an opportunity lost since (the lead itself untouched), and nothing else changed', async () => {
    const conn = fx.jsforce();
    const open = fx.seed.find((s) => s.open)!;
    const openId = idByExternal.get(open.externalId)!;
    const wonSeed = fx.seed.find((s) => !s.open && s.outcome === 'won')!;
    const wonId = idByExternal.get(wonSeed.externalId)!;
    const lead = await conn.sobject('Lead').retrieve(wonId);
    fx.sandbox.ctx.clock.advance(60_000);
    await conn.sobject('Lead').update({ Id: openId, Status: 'Closed - Not Converted' });
    await conn.sobject('Opportunity').update({ Id: (lead as { ConvertedOpportunityId: string }).ConvertedOpportunityId, StageName: 'Closed Lost' });

    const next = await allPages(fx.connector().pullOutcomes(last(pages)));
    const got = outcomes(next);
    // Besides the two, only leads of the first pull's final second, read again as they were.
    const before = outcomes(pages);
    expect([...got.keys()].filter((id) => id !== openId && id !== wonId).every((id) => JSON.stringify(got.get(id)) === JSON.stringify(before.get(id)))).toBe(true);
    expect(got.size).toBeLessThan(5);
    expect(got.get(openId)).toMatchObject({ outcome: 'lost', evidence: 'Status=Closed - Not Converted' });
    expect(got.get(wonId)?.outcome).toBe('lost');
    const again = outcomes(await allPages(fx.connector().pullOutcomes(last(next))));
    // Nothing changed since: at most the final seconds read again, with the outcomes they had.
    expect([...again.keys()].every((id) => id === openId || id === wonId)).toBe(true);
    for (const [id, record] of again) expect(record).toEqual(got.get(id));
  });

  it('with wonWhen "converted", every converted lead is won', async () => {
    const got = outcomes(await allPages(fx.connector({ outcome: { wonWhen: 'converted' } }).pullOutcomes(null)));
    const convertedLost = fx.seed.find((s) => !s.open && s.outcome === 'lost' && s.index % 10 < 3)!;
    expect(got.get(idByExternal.get(convertedLost.externalId)!)?.outcome).toBe('won');
  });
});
