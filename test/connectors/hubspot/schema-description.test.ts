import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@hubspot/api-client';
import { loadManifest } from '../../../src/domain/manifest.js';
import type { ScoreFieldSpec } from '../../../connectors/types.js';
import { desiredFields, metadataDifferences } from '../../../connectors/salesforce/field-spec.js';
import { startHubspotFixture, type HubspotFixture } from './sandbox-fixture.js';

/**
 * What the reasons' points mean changed (score points against the typical open lead, no longer
 * against the model's training average): an install made before carries the old description,
 * and the schema step must bring it up to date, on HubSpot and Salesforce alike.
 */

const manifest = loadManifest();
const OLD = 'Top factors for and against, with their share of the score.';
const tiers = (names: string[]): ScoreFieldSpec[] => [{ key: 'tier', label: 'Score tier (leadlift)', type: 'enumeration', options: names }];

describe('the reasons field\'s description', () => {
  let fx: HubspotFixture;
  beforeAll(async () => {
    fx = await startHubspotFixture({ leads: 10 });
  });
  afterAll(() => fx?.close());

  it('says what the points mean in the manifest, for both CRMs', () => {
    const hubspot = manifest.hubspot.properties.find((p) => p.key === 'reasons')!;
    const salesforce = manifest.salesforce.fields.find((f) => f.key === 'reasons')!;
    for (const text of [hubspot.description, salesforce.description]) expect(text).toMatch(/score points above or below the typical open lead/);
  });

  it('HubSpot: a portal holding the old description gets the new one, and only that property changes', async () => {
    const names = ['Hot', 'Warm', 'Cool', 'Cold'];
    await fx.connector().ensureSchema(tiers(names));
    const sdk = new Client({ accessToken: fx.sandbox.token, basePath: fx.sandbox.url, numberOfApiCallRetries: 0 });
    await sdk.crm.properties.coreApi.update('contacts', 'leadlift_reasons', { description: OLD });
    expect((await sdk.crm.properties.coreApi.getByName('contacts', 'leadlift_reasons')).description).toBe(OLD);
    const report = await fx.connector().ensureSchema(tiers(names));
    expect(report.updated).toEqual(['leadlift_reasons']);
    expect((await sdk.crm.properties.coreApi.getByName('contacts', 'leadlift_reasons')).description).toBe(
      manifest.hubspot.properties.find((p) => p.key === 'reasons')!.description,
    );
  });

  it('Salesforce: a field holding the old description and help text differs in both, so the schema step updates it', () => {
    const want = desiredFields(manifest, tiers(['Hot', 'Warm', 'Cool', 'Cold'])).find((f) => f.key === 'reasons')!;
    const installed = { ...want.metadata, description: OLD, inlineHelpText: OLD };
    expect(metadataDifferences(installed, want.metadata)).toEqual(['description', 'inlineHelpText']);
    expect(metadataDifferences({ ...want.metadata }, want.metadata)).toEqual([]);
  });
});

describe('the probability field\'s description', () => {
  it('says how a rep reads a value stored 0-1 (0.31 is 31 in 100), and that it is a chance, not the rank', () => {
    const hubspot = manifest.hubspot.properties.find((p) => p.key === 'probability')!;
    const salesforce = manifest.salesforce.fields.find((f) => f.key === 'probability')!;
    for (const text of [hubspot.description, salesforce.description]) {
      expect(text).toMatch(/from 0 to 1: 0\.31 means about 31 in 100/);
      expect(text.length).toBeLessThanOrEqual(510); // Salesforce's help text limit (field-spec.ts), so nothing is cut
    }
    expect(hubspot.description).toContain('Lead score (leadlift)');
    expect(salesforce.description).toContain('Lead Score,');
  });
});
