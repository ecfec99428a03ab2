import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Client } from '@hubspot/api-client';
import type { ScoreWrite } from '../../../connectors/types.js';
import { HubspotAuthError } from '../../../connectors/hubspot/index.js';
import { startHubspotFixture, type HubspotFixture } from './sandbox-fixture.js';

const TIERS = ['Hot', 'Warm', 'Cold'];
const UPDATE_PATH = '/crm/v3/objects/contacts/batch/update';

function scoresFor(ids: string[], version = 'm-1'): ScoreWrite[] {
  return ids.map((leadId, i) => ({
    leadId,
    score: (i * 7) % 101,
    tier: TIERS[i % 3],
    probability: ((i * 7) % 101) / 100,
    reasons: `+ age ${i % 9} (+${i % 5} pts)\n- balance low (-${i % 4} pts)`,
    trend: (['up', 'steady', 'down'] as const)[i % 3],
    modelVersion: version,
    scoredAt: '2025-01-02T03:04:05.000Z',
  }));
}

describe('HubSpot pushScores against the sandbox', () => {
  let fx: HubspotFixture;
  let sdk: Client;
  let ids: string[];
  const updates = async () => {
    const { results } = await fx.control<{ results: Array<{ method: string; path: string; status: number; at: number }> }>('GET', '/requests?crm=hubspot');
    return results.filter((r) => r.path.startsWith('/crm/'));
  };
  beforeAll(async () => {
    fx = await startHubspotFixture({ leads: 300 });
    sdk = new Client({ accessToken: fx.sandbox.token, basePath: fx.sandbox.url, numberOfApiCallRetries: 0 });
    await fx.connector().ensureSchema([{ key: 'tier', label: 'Tier', type: 'enumeration', options: TIERS }]);
    ids = (await sdk.crm.contacts.getAll(100)).map((c) => c.id).slice(0, 250);
  });
  beforeEach(async () => {
    await fx.control('DELETE', '/faults');
    await fx.control('DELETE', '/requests');
  });
  afterAll(() => fx?.close());

  it('writes in batches of 100, counts every call, and the values land on the contacts', async () => {
    const scores = scoresFor(ids);
    const report = await fx.connector().pushScores(scores);
    expect(report.written.sort()).toEqual([...ids].sort());
    expect(report.failed).toEqual([]);
    expect(report.apiCalls).toBe(3);
    expect(report.rateLimited).toBe(0);
    const sent = await updates();
    expect(sent.map((r) => [r.path, r.status])).toEqual([[UPDATE_PATH, 200], [UPDATE_PATH, 200], [UPDATE_PATH, 200]]);

    const names = ['leadlift_score', 'leadlift_tier', 'leadlift_probability', 'leadlift_reasons', 'leadlift_trend', 'leadlift_model_version', 'leadlift_scored_at'];
    const back = await sdk.crm.contacts.batchApi.read({ inputs: ids.slice(0, 100).map((id) => ({ id })), properties: names, propertiesWithHistory: [] });
    const byId = new Map(back.results.map((c) => [c.id, c.properties]));
    for (const s of scores.slice(0, 100)) {
      const p = byId.get(s.leadId)!;
      expect(p).toMatchObject({ leadlift_score: String(s.score), leadlift_tier: s.tier, leadlift_reasons: s.reasons, leadlift_trend: s.trend, leadlift_model_version: 'm-1' });
      expect(Number(p.leadlift_probability)).toBeCloseTo(s.probability, 4);
      expect(Date.parse(p.leadlift_scored_at!)).toBe(Date.parse(s.scoredAt));
    }
  });

  it('is safe to repeat, and a lead listed twice is written once with its last score', async () => {
    const scores = scoresFor(ids.slice(0, 100), 'm-2');
    const twice = [...scores, { ...scores[0], score: 99, tier: 'Hot' }];
    const report = await fx.connector().pushScores(twice);
    expect(report.written).toHaveLength(100);
    expect(report.apiCalls).toBe(1);
    const again = await fx.connector().pushScores(twice);
    expect(again.written).toHaveLength(100);
    const first = await sdk.crm.contacts.basicApi.getById(ids[0], ['leadlift_score', 'leadlift_model_version']);
    expect(first.properties).toMatchObject({ leadlift_score: '99', leadlift_model_version: 'm-2' });
  });

  it('retries only the inputs a 207 reports as failed for a passing reason', async () => {
    await fx.control('POST', '/faults', { pathPattern: `^${UPDATE_PATH}$`, kind: 'partial-batch', share: 0.3, count: 2 });
    const report = await fx.connector().pushScores(scoresFor(ids));
    expect(report.written).toHaveLength(250);
    expect(report.failed).toEqual([]);
    // 3 batches, two of them answered 207 with 30 failed inputs each, resent together in one call.
    expect(report.apiCalls).toBe(4);
    expect((await updates()).map((r) => r.status).sort()).toEqual([200, 200, 207, 207]);
  });

  it('reports what cannot succeed with HubSpot\'s message, and still writes every other lead', async () => {
    const scores = scoresFor(ids.slice(0, 150));
    scores[10] = { ...scores[10], tier: 'Lukewarm' }; // not one of the tier options: HubSpot refuses the whole batch
    scores.push(...scoresFor(['99999991', '99999992']));
    const report = await fx.connector().pushScores(scores);
    expect(report.written.sort()).toEqual(ids.slice(0, 150).filter((_, i) => i !== 10).sort());
    const failed = new Map(report.failed.map((f) => [f.leadId, f]));
    expect([...failed.keys()].sort()).toEqual([ids[10], '99999991', '99999992'].sort());
    expect(failed.get('99999991')).toMatchObject({ retryable: false, message: expect.stringMatching(/Could not get some CONTACT objects/i) });
    expect(failed.get(ids[10])).toMatchObject({ retryable: false, message: expect.stringMatching(/Lukewarm/) });
    expect(report.apiCalls).toBe((await updates()).length);
  });

  it('backs off through a 429 storm per Retry-After and finishes, counting each 429', async () => {
    await fx.control('POST', '/faults', { pathPattern: `^${UPDATE_PATH}$`, kind: 'rate-limit', ms: 1, count: 4 });
    const started = Date.now();
    const report = await fx.connector().pushScores(scoresFor(ids));
    expect(report.written).toHaveLength(250);
    expect(report.rateLimited).toBe(4);
    expect(report.apiCalls).toBe(7);
    expect(report.apiCalls).toBe((await updates()).length);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000); // Retry-After: 1 was honoured
  });

  it('retries dropped connections and 5xx answers', async () => {
    await fx.control('POST', '/faults', [
      { pathPattern: `^${UPDATE_PATH}$`, kind: 'drop', count: 1 },
      { pathPattern: `^${UPDATE_PATH}$`, kind: 'server-error', status: 502, count: 1 },
    ]);
    const report = await fx.connector().pushScores(scoresFor(ids));
    expect(report.written).toHaveLength(250);
    expect(report.apiCalls).toBe(5);
    expect((await updates()).map((r) => r.status).sort()).toEqual([0, 200, 200, 200, 502]);
  });

  it('resends whole batches answered 5xx in later rounds of the same push, re-chunked, each resend one counted call', async () => {
    await fx.control('POST', '/faults', { pathPattern: `^${UPDATE_PATH}$`, kind: 'server-error', status: 502, count: 4 });
    const report = await fx.connector().pushScores(scoresFor(ids));
    expect(report.written.sort()).toEqual([...ids].sort());
    expect(report.failed).toEqual([]);
    // Round 1: 3 batches, all 502. Round 2: the 250 again in 3 batches, one 502. Round 3: 1 batch.
    expect(report.apiCalls).toBe(7);
    expect((await updates()).map((r) => r.status).sort()).toEqual([200, 200, 200, 502, 502, 502, 502]);
  });

  it('resends a whole batch answered 429 within the push once Retry-After has passed, without using a retry', async () => {
    await fx.control('POST', '/faults', { pathPattern: `^${UPDATE_PATH}$`, kind: 'rate-limit', ms: 1, count: 2 });
    // No resends at all for other failures: only the 429 waits (retry.maxRateLimitWaits) may resend.
    const report = await fx.connector({ retry: { retries: 0 } }).pushScores(scoresFor(ids.slice(0, 100)));
    expect(report.written).toHaveLength(100);
    expect(report.rateLimited).toBe(2);
    expect(report.apiCalls).toBe(3);
    const sent = await updates();
    expect(sent.map((r) => r.status)).toEqual([429, 429, 200]);
    // Retry-After: 1 held each resend back a full second.
    expect(sent[1].at - sent[0].at).toBeGreaterThanOrEqual(1000);
    expect(sent[2].at - sent[1].at).toBeGreaterThanOrEqual(1000);
  });

  it('stops resending after retry.retries rounds (never retrying inside the call as well) and reports the rest as retryable', async () => {
    await fx.control('POST', '/faults', { pathPattern: `^${UPDATE_PATH}$`, kind: 'server-error', status: 503 });
    const report = await fx.connector({ retry: { retries: 2 } }).pushScores(scoresFor(ids.slice(0, 100)));
    expect(report.written).toEqual([]);
    expect(report.failed).toHaveLength(100);
    expect(report.failed.every((f) => f.retryable && /^HubSpot answered 503 \(a server error\) while /.test(f.message))).toBe(true);
    expect(report.apiCalls).toBe(3);
    expect((await updates()).length).toBe(3);
  });

  it('stops on a rejected token with a message an admin can act on, never showing the token', async () => {
    const token = 'pat-na1-not-the-right-token-0123456789';
    const push = fx.connector({ accessToken: token }).pushScores(scoresFor(ids.slice(0, 5)));
    await expect(push).rejects.toBeInstanceOf(HubspotAuthError);
    const err = (await push.catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/rejected the access token.*To reconnect leadlift, open the Connections page of `leadlift serve` \(\/install\) and choose "Connect HubSpot" again, or set HUBSPOT_ACCESS_TOKEN/);
    expect(err.message).not.toContain(token);
  });

  it('names one contact in the singular when its write fails', async () => {
    const push = fx.connector({ accessToken: 'pat-na1-not-the-right-token-0123456789' }).pushScores(scoresFor(ids.slice(0, 1)));
    const err = (await push.catch((e: unknown) => e)) as Error;
    expect(err.message).toContain('while writing scores to 1 contact (401)');
  });
});
