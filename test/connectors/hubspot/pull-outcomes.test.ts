import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@hubspot/api-client';
import type { OutcomeRecord, Page } from '../../../connectors/types.js';
import type { SeedLead } from '../../../connectors/sandbox/context.js';
import { allPages, startHubspotFixture, type HubspotFixture } from './sandbox-fixture.js';

const FAST = { rateLimit: { requestsPerWindow: 100_000, searchPerSecond: 10_000 } };
const byLead = (pages: Array<Page<OutcomeRecord>>) => new Map(pages.flatMap((p) => p.records).map((r) => [r.leadId, r]));

describe('HubSpot pullOutcomes against the sandbox\'s seeded history', () => {
  let fx: HubspotFixture;
  let sdk: Client;
  let leadOf: Map<string, SeedLead>;
  let backfill: Array<Page<OutcomeRecord>>;
  let calls: number;
  beforeAll(async () => {
    fx = await startHubspotFixture({ leads: 600, openFraction: 0.2, hubspotRateLimit: 100_000, hubspotSearchRateLimit: 10_000 });
    sdk = new Client({ accessToken: fx.sandbox.token, basePath: fx.sandbox.url, numberOfApiCallRetries: 0 });
    // The CSV's "order" column became a contact property: it links each contact to its seed row.
    const contacts = await sdk.crm.contacts.getAll(100, undefined, ['order']);
    leadOf = new Map(contacts.map((c) => [c.id, fx.seed[Number(c.properties.order)]]));
    const connector = fx.connector(FAST);
    backfill = await allPages(connector.pullOutcomes(null));
    calls = connector.usage.apiCalls;
  });
  afterAll(() => fx?.close());

  it('finds exactly the seeded closed outcomes: same won and lost counts, same leads, same dates', () => {
    const outcomes = byLead(backfill);
    const closed = fx.seed.filter((l) => !l.open);
    expect([...outcomes.values()].filter((o) => o.outcome === 'won')).toHaveLength(closed.filter((l) => l.outcome === 'won').length);
    expect([...outcomes.values()].filter((o) => o.outcome === 'lost')).toHaveLength(closed.filter((l) => l.outcome === 'lost').length);
    for (const [leadId, record] of outcomes) {
      const lead = leadOf.get(leadId)!;
      expect(lead.open).toBe(false);
      expect(record.outcome).toBe(lead.outcome);
      expect(record.outcomeAt).toBe(new Date(lead.closedAt!).toISOString());
      expect(record.evidence).toMatch(record.outcome === 'won' ? /closedwon|lifecyclestage=customer/ : /closedlost/);
    }
  });

  it('never reveals the outcome of an open lead (the sandbox keeps those hidden)', async () => {
    const hidden = await fx.control<{ hubspot: Record<string, string> }>('GET', '/hidden');
    const outcomes = byLead(backfill);
    expect(Object.keys(hidden.hubspot).length).toBe(120);
    expect(Object.keys(hidden.hubspot).filter((id) => outcomes.has(id))).toEqual([]);
  });

  it('reads deals in batches: API calls grow with pages, not with contacts', () => {
    // 6 contact pages (+ the archived listing and 2 "newest change" searches), each with one
    // association read and one deal batch read.
    expect(calls).toBeLessThanOrEqual(3 * 7 + 3);
    expect(calls).toBeLessThan(fx.seed.length / 10);
  });

  it('then picks up new outcomes from contact changes and from deal changes alone', async () => {
    const open = [...leadOf].filter(([, l]) => l.open).map(([id]) => id);
    const [becameCustomer, unqualified, lostDeal, laterWon] = open;
    const dealFor = async (contactId: string, dealstage: string) =>
      sdk.crm.deals.basicApi.create({
        properties: { dealname: `deal for ${contactId}`, pipeline: 'default', dealstage, closedate: new Date().toISOString() },
        associations: [{ to: { id: contactId }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 3 }] }],
      });
    await fx.control('PATCH', `/hubspot/contacts/${becameCustomer}`, { properties: { lifecyclestage: 'customer' } });
    await fx.control('PATCH', `/hubspot/contacts/${unqualified}`, { properties: { hs_lead_status: 'UNQUALIFIED' } });
    const lost = await dealFor(lostDeal, 'closedlost');
    const pending = await dealFor(laterWon, 'qualifiedtobuy');

    const first = await allPages(fx.connector(FAST).pullOutcomes(backfill[backfill.length - 1].cursor));
    const got = byLead(first);
    expect([...got.keys()].sort()).toEqual([becameCustomer, unqualified, lostDeal].sort());
    expect(got.get(becameCustomer)!.outcome).toBe('won');
    expect(got.get(unqualified)).toMatchObject({ outcome: 'lost', evidence: expect.stringMatching(/UNQUALIFIED/) });
    expect(got.get(lostDeal)).toMatchObject({ outcome: 'lost', evidence: `deal ${lost.id} closedlost`, outcomeAt: new Date(lost.properties.closedate!).toISOString() });
    expect(got.get(becameCustomer)!.evidence).toBe('lifecyclestage=customer');

    // Only the deal changes now: the contact itself is untouched.
    await sdk.crm.deals.basicApi.update(pending.id, { properties: { dealstage: 'closedwon' } });
    const second = await allPages(fx.connector(FAST).pullOutcomes(first[first.length - 1].cursor));
    expect([...byLead(second).entries()].map(([id, r]) => [id, r.outcome])).toEqual([[laterWon, 'won']]);
    expect(byLead(second).get(laterWon)!.evidence).toBe(`deal ${pending.id} closedwon`);
  });
});
