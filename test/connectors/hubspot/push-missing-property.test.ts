import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Client } from '@hubspot/api-client';
import type { ScoreFieldSpec, ScoreWrite } from '../../../connectors/types.js';
import { HubspotPropertyMissingError } from '../../../connectors/hubspot/index.js';
import { startHubspotFixture, type HubspotFixture } from './sandbox-fixture.js';
import { hubspotClient } from '../../sandbox/helpers.js';

const TIERS = ['Hot', 'Warm', 'Cold'];
const FIELDS: ScoreFieldSpec[] = [{ key: 'tier', label: 'Tier', type: 'enumeration', options: TIERS }];
const UPDATE_PATH = '/crm/v3/objects/contacts/batch/update';

function scoresFor(ids: string[]): ScoreWrite[] {
  return ids.map((leadId, i) => ({
    leadId,
    score: (i * 7) % 101,
    tier: TIERS[i % 3],
    probability: ((i * 7) % 101) / 100,
    reasons: `+ age ${i % 9} (+${i % 5} pts)`,
    trend: 'steady',
    modelVersion: 'm-1',
    scoredAt: '2025-01-02T03:04:05.000Z',
  }));
}

describe('HubSpot pushScores when a leadlift property was deleted in the portal', () => {
  let fx: HubspotFixture;
  let sdk: Client;
  let ids: string[];
  const updateCalls = async () => {
    const { results } = await fx.control<{ results: Array<{ path: string; status: number }> }>('GET', '/requests?crm=hubspot');
    return results.filter((r) => r.path.startsWith(UPDATE_PATH));
  };
  beforeAll(async () => {
    fx = await startHubspotFixture({ leads: 300 });
    sdk = hubspotClient(fx.sandbox);
    ids = (await sdk.crm.contacts.getAll(100)).map((c) => c.id).slice(0, 250);
  });
  beforeEach(async () => {
    await fx.connector().ensureSchema(FIELDS);
    await fx.control('DELETE', '/requests');
  });
  afterAll(() => fx?.close());

  it('stops at the first refusal, names the property and the schema step, and writes nothing', async () => {
    await sdk.crm.properties.coreApi.archive('contacts', 'leadlift_score');
    await fx.control('DELETE', '/requests');

    // One batch in flight at a time, so "stops at once" means exactly one call for 250 leads.
    const push = fx.connector({ rateLimit: { maxConcurrent: 1 } }).pushScores(scoresFor(ids));
    const err = (await push.catch((e: unknown) => e)) as HubspotPropertyMissingError;
    expect(err).toBeInstanceOf(HubspotPropertyMissingError);
    expect(err.properties).toEqual(['leadlift_score']);
    expect(err.message).toMatch(/contact property leadlift_score does not exist/);
    expect(err.message).toMatch(/Run the schema step again/);
    expect(err.message).toMatch(/250 scores were left unwritten/);
    expect(err.message).not.toContain(fx.sandbox.token);
    expect((await updateCalls()).map((r) => r.status)).toEqual([400]);

    const contact = await sdk.crm.contacts.basicApi.getById(ids[0], ['leadlift_tier']);
    expect(contact.properties.leadlift_tier ?? null).toBeNull();
  });

  it('costs no more calls than the batches already in flight, and after ensureSchema the next push writes every lead', async () => {
    await sdk.crm.properties.coreApi.archive('contacts', 'leadlift_trend');
    await fx.control('DELETE', '/requests');

    const connector = fx.connector();
    await expect(connector.pushScores(scoresFor(ids))).rejects.toThrow(/leadlift_trend does not exist/);
    const refused = await updateCalls();
    // 3 batches of at most 100, all started together; none is split or resent.
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused.length).toBeLessThanOrEqual(3);
    expect(refused.every((r) => r.status === 400)).toBe(true);

    const schema = await connector.ensureSchema(FIELDS);
    expect(schema.created).toEqual(['leadlift_trend']);
    const report = await connector.pushScores(scoresFor(ids));
    expect(report.written.sort()).toEqual([...ids].sort());
    expect(report.failed).toEqual([]);
    expect(report.apiCalls).toBe(3);
    const back = await sdk.crm.contacts.basicApi.getById(ids[1], ['leadlift_trend', 'leadlift_tier']);
    expect(back.properties).toMatchObject({ leadlift_trend: 'steady', leadlift_tier: 'Warm' });
  });
});
