import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScoreWrite } from '../../connectors/types.js';
import { pushPendingScores } from '../../src/jobs/push.js';
import { startHubspotFixture, type HubspotFixture } from '../connectors/hubspot/sandbox-fixture.js';
import { leadIdsOf, startSalesforceFixture, TIERS as TIER_NAMES, type SalesforceFixture } from '../connectors/salesforce/fixture.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

/**
 * leadlift_probability / Lead_Score_Probability__c used to be left out of the fields a push
 * compares: a new score whose probability moved while score, tier, reasons, trend and model did
 * not was stored 'unchanged', and the CRM kept the old probability. It now counts, at the four
 * decimals written, so noise below them still writes nothing.
 */

const TIERS = TIER_NAMES.map((name, i) => ({ name, min: [75, 50, 25, 0][i] }));
const scoreOf = (leadId: string, scoredAt: string, probability: number): ScoreWrite => ({
  leadId,
  score: 64,
  tier: 'Warm',
  probability,
  reasons: '+ job: "admin", 12 points',
  trend: 'steady',
  modelVersion: 'm-1',
  scoredAt,
});
const AT = ['2024-05-01T10:00:00.000Z', '2024-05-02T10:00:00.000Z', '2024-05-03T10:00:00.000Z'];

describe('a probability change alone reaches the CRM (sqlite store)', () => {
  const { store } = useStore(backends.find((b) => b.name === 'sqlite')!);

  describe('HubSpot', () => {
    let fx: HubspotFixture;
    let sdk: Client;
    beforeAll(async () => {
      fx = await startHubspotFixture({ leads: 20 });
      sdk = new Client({ accessToken: fx.sandbox.token, basePath: fx.sandbox.url, numberOfApiCallRetries: 0 });
    });
    afterAll(() => fx?.close());

    it('writes 0.3122 over 0.3121, and not 0.31224 over 0.3122', async () => {
      const deps = loopDeps(store(), fx.connector());
      const [lead] = (await sdk.crm.contacts.basicApi.getPage(1)).results.map((c) => c.id);
      const shown = async () => (await sdk.crm.contacts.basicApi.getById(lead, ['leadlift_probability'])).properties.leadlift_probability;

      await store().scores.insert('hubspot', [scoreOf(lead, AT[0], 0.312134)]);
      expect((await pushPendingScores(deps, TIERS)).written).toBe(1);
      expect(await shown()).toBe('0.3121');

      await store().scores.insert('hubspot', [scoreOf(lead, AT[1], 0.31216)]);
      expect((await pushPendingScores(deps, TIERS)).written).toBe(1);
      expect(await shown()).toBe('0.3122');

      await store().scores.insert('hubspot', [scoreOf(lead, AT[2], 0.31224)]);
      expect((await pushPendingScores(deps, TIERS)).written).toBe(0);
      expect((await store().scores.latest('hubspot', [lead])).get(lead)?.pushStatus).toBe('unchanged');
    });
  });

  describe('Salesforce', () => {
    let fx: SalesforceFixture;
    beforeAll(async () => {
      fx = await startSalesforceFixture({ leads: 20 });
    });
    afterAll(() => fx?.close());

    it('writes 0.3122 over 0.3121 into the Number(5,4) field, and not 0.31224 over 0.3122', async () => {
      const deps = loopDeps(store(), fx.connector());
      const [lead] = await leadIdsOf(fx);
      const shown = async () => ((await fx.jsforce().sobject('Lead').retrieve(lead)) as unknown as Record<string, unknown>).Lead_Score_Probability__c;

      await store().scores.insert('salesforce', [scoreOf(lead, AT[0], 0.312134)]);
      expect((await pushPendingScores(deps, TIERS)).written).toBe(1);
      expect(await shown()).toBe(0.3121);

      await store().scores.insert('salesforce', [scoreOf(lead, AT[1], 0.31216)]);
      expect((await pushPendingScores(deps, TIERS)).written).toBe(1);
      expect(await shown()).toBe(0.3122);

      await store().scores.insert('salesforce', [scoreOf(lead, AT[2], 0.31224)]);
      expect((await pushPendingScores(deps, TIERS)).written).toBe(0);
      expect((await store().scores.latest('salesforce', [lead])).get(lead)?.pushStatus).toBe('unchanged');
    });
  });
});
