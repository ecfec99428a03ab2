import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@hubspot/api-client';
import type { LeadRecord, OutcomeRecord } from '../../../connectors/types.js';
import { allPages, startHubspotFixture, type HubspotFixture } from './sandbox-fixture.js';

const FAST = { rateLimit: { requestsPerWindow: 100_000, searchPerSecond: 10_000 } };
const BATCH_READ = '/crm/v3/objects/contacts/batch/read';

/** readLeads (the SDK's batch read) returns what the lead and outcome pulls return for the same contacts. */
describe('HubSpot readLeads against the sandbox', () => {
  let fx: HubspotFixture;
  let leads: Map<string, LeadRecord>;
  let outcomes: Map<string, OutcomeRecord>;
  beforeAll(async () => {
    fx = await startHubspotFixture({ leads: 300, openFraction: 0.2, hubspotRateLimit: 100_000, hubspotSearchRateLimit: 10_000 });
    const connector = fx.connector(FAST);
    leads = new Map((await allPages(connector.pullLeads(null))).flatMap((p) => p.records).map((r) => [r.id, r]));
    outcomes = new Map((await allPages(connector.pullOutcomes(null))).flatMap((p) => p.records).map((r) => [r.leadId, r]));
  });
  afterAll(() => fx?.close());

  it('reads 150 ids in two batch reads of at most 100, with the records and outcomes the pulls give', async () => {
    const ids = [...leads.keys()].slice(0, 150);
    const from = fx.sandbox.ctx.log.length;
    const read = await fx.connector(FAST).readLeads!(ids);
    const reads = fx.sandbox.ctx.log.slice(from).filter((r) => r.path.startsWith(BATCH_READ));
    expect(reads.map((r) => r.inputIds?.length)).toEqual([100, 50]);
    expect(reads.every((r) => r.status === 200)).toBe(true);
    expect(read.missing).toEqual([]);
    expect(read.records.map((r) => r.id).sort()).toEqual([...ids].sort());
    for (const record of read.records) expect(record).toEqual(leads.get(record.id));
    const expected = ids.flatMap((id) => (outcomes.has(id) ? [outcomes.get(id)] : []));
    expect(expected.length).toBeGreaterThan(0);
    expect(read.outcomes.sort((a, b) => a.leadId.localeCompare(b.leadId))).toEqual(expected.sort((a, b) => a!.leadId.localeCompare(b!.leadId)));
  });

  it('lists a deleted contact as missing (HubSpot answers 207 with its id), and a contact that became a customer as won', async () => {
    const [gone, customer] = [...leads.keys()].filter((id) => !outcomes.has(id));
    const connector = fx.connector(FAST);
    await fx.control('PATCH', `/hubspot/contacts/${customer}`, { properties: { lifecyclestage: 'customer' } });
    await new Client({ accessToken: fx.sandbox.token, basePath: fx.sandbox.url }).crm.contacts.basicApi.archive(gone);
    const from = fx.sandbox.ctx.log.length;
    const read = await connector.readLeads!([gone, customer]);
    expect(fx.sandbox.ctx.log.slice(from).filter((r) => r.path.startsWith(BATCH_READ)).map((r) => r.status)).toEqual([207]);
    expect(read.missing).toEqual([gone]);
    expect(read.records.map((r) => r.id)).toEqual([customer]);
    expect(read.outcomes).toEqual([expect.objectContaining({ leadId: customer, outcome: 'won' })]);
  });
});
