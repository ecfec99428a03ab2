import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@hubspot/api-client';
import { loadManifest } from '../../../src/domain/manifest.js';
import type { ScoreFieldSpec } from '../../../connectors/types.js';
import { startHubspotFixture, type HubspotFixture } from './sandbox-fixture.js';

const manifest = loadManifest();
const tierField = (names: string[]): ScoreFieldSpec => {
  const m = manifest.hubspot.properties.find((p) => p.key === 'tier')!;
  return { key: 'tier', label: m.label, type: 'enumeration', options: names };
};

describe('HubSpot ensureSchema against the sandbox', () => {
  let fx: HubspotFixture;
  let sdk: Client;
  beforeAll(async () => {
    fx = await startHubspotFixture({ leads: 10 });
    sdk = new Client({ accessToken: fx.sandbox.token, basePath: fx.sandbox.url, numberOfApiCallRetries: 0 });
  });
  afterAll(() => fx?.close());

  it('creates the property group and every manifest property with the right HubSpot types', async () => {
    const report = await fx.connector().ensureSchema([tierField(['Hot', 'Warm', 'Cold'])]);
    const names = manifest.hubspot.properties.map((p) => p.name);
    expect(report.created.sort()).toEqual([...names, `${manifest.hubspot.propertyGroup.name} (property group)`].sort());
    expect(report.updated).toEqual([]);

    const group = await sdk.crm.properties.groupsApi.getByName('contacts', manifest.hubspot.propertyGroup.name);
    expect(group.label).toBe(manifest.hubspot.propertyGroup.label);
    const byName = new Map((await sdk.crm.properties.coreApi.getAll('contacts')).results.map((p) => [p.name, p]));
    for (const m of manifest.hubspot.properties) {
      const p = byName.get(m.name)!;
      expect(p.groupName).toBe(manifest.hubspot.propertyGroup.name);
      expect(p.label).toBe(m.label);
    }
    expect(byName.get('leadlift_score')).toMatchObject({ type: 'number', fieldType: 'number' });
    expect(byName.get('leadlift_reasons')).toMatchObject({ type: 'string', fieldType: 'textarea' });
    expect(byName.get('leadlift_model_version')).toMatchObject({ type: 'string', fieldType: 'text' });
    expect(byName.get('leadlift_scored_at')).toMatchObject({ type: 'datetime', fieldType: 'date' });
    expect(byName.get('leadlift_tier')!.options.map((o) => o.value)).toEqual(['Hot', 'Warm', 'Cold']);
    expect(byName.get('leadlift_trend')!.options.map((o) => o.value)).toEqual(['up', 'steady', 'down', 'new']);
  });

  it('is idempotent: a second run changes nothing and sends no writes', async () => {
    await fx.control('DELETE', '/requests');
    const report = await fx.connector().ensureSchema([tierField(['Hot', 'Warm', 'Cold'])]);
    expect(report.created).toEqual([]);
    expect(report.updated).toEqual([]);
    expect(report.unchanged).toHaveLength(manifest.hubspot.properties.length + 1);
    const { results } = await fx.control<{ results: Array<{ method: string; path: string }> }>('GET', '/requests?crm=hubspot');
    expect(results.filter((r) => r.path.startsWith('/crm') && r.method !== 'GET')).toEqual([]);
  });

  it('updates the tier options when the managers rename their tiers, and only that property', async () => {
    const report = await fx.connector().ensureSchema([tierField(['A - call today', 'B - this week', 'C - nurture', 'D - ignore'])]);
    expect(report.updated).toEqual(['leadlift_tier']);
    expect(report.created).toEqual([]);
    const tier = await sdk.crm.properties.coreApi.getByName('contacts', 'leadlift_tier');
    expect(tier.options.filter((o) => !o.hidden).map((o) => o.label)).toEqual(['A - call today', 'B - this week', 'C - nurture', 'D - ignore']);
  });

  it('recreates a property an admin deleted, and two installs racing (409) both succeed', async () => {
    await sdk.crm.properties.coreApi.archive('contacts', 'leadlift_trend');
    await fx.control('DELETE', '/requests');
    const tiers = [tierField(['A - call today', 'B - this week', 'C - nurture', 'D - ignore'])];
    const [a, b] = await Promise.all([fx.connector().ensureSchema(tiers), fx.connector().ensureSchema(tiers)]);
    // Exactly one of them created it; the other met HubSpot's 409 and found it in place.
    expect([...a.created, ...b.created]).toEqual(['leadlift_trend']);
    expect([...a.unchanged, ...b.unchanged].filter((n) => n === 'leadlift_trend')).toHaveLength(1);
    const { results } = await fx.control<{ results: Array<{ method: string; path: string; status: number }> }>('GET', '/requests?crm=hubspot');
    const creates = results.filter((r) => r.method === 'POST' && r.path === '/crm/v3/properties/contacts');
    expect(creates.map((r) => r.status).sort()).toEqual([201, 409]);
    const trend = await sdk.crm.properties.coreApi.getByName('contacts', 'leadlift_trend');
    expect(trend.options.map((o) => o.value)).toEqual(['up', 'steady', 'down', 'new']);
  });
});
