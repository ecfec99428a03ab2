import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@hubspot/api-client';
import type { ScoreWrite } from '../../../connectors/types.js';
import { startHubspotFixture, type HubspotFixture } from './sandbox-fixture.js';

const ids = async (fx: HubspotFixture) => {
  const sdk = new Client({ accessToken: fx.sandbox.token, basePath: fx.sandbox.url, numberOfApiCallRetries: 0 });
  return (await sdk.crm.contacts.getAll(100)).map((c) => c.id).slice(0, 3);
};

describe('a HubSpot push resending after 5xx answers', () => {
  let fx: HubspotFixture;
  beforeAll(async () => {
    fx = await startHubspotFixture({ leads: 20 });
    await fx.connector().ensureSchema([{ key: 'tier', label: 'Tier', type: 'enumeration', options: ['Hot', 'Cold'] }]);
  });
  afterAll(() => fx?.close());

  it('says each resend round while it waits, then writes every score', async () => {
    const leads = await ids(fx);
    const scores: ScoreWrite[] = leads.map((leadId) => ({ leadId, score: 80, tier: 'Hot', probability: 0.8, reasons: '+5 Age is low (22)', trend: 'new', modelVersion: 'm-1', scoredAt: '2025-01-02T03:04:05.000Z' }));
    await fx.control('POST', '/faults', { id: 'down', pathPattern: 'batch/update', kind: 'server-error', status: 503, count: 2 });
    const connector = fx.connector({ retry: { retries: 3, minDelayMs: 20, maxDelayMs: 50 } });
    const notes: string[] = [];
    connector.setNoteListener!((n) => notes.push(n));
    const report = await connector.pushScores(scores);
    expect(report.written.sort()).toEqual([...leads].sort());
    expect(notes).toEqual([
      'HubSpot unavailable (HTTP 503) while writing scores to 3 contacts: retry 1 of 3 within a second',
      'HubSpot unavailable (HTTP 503) while writing scores to 3 contacts: retry 2 of 3 within a second',
    ]);
  });
});
