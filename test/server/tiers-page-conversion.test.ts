import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScoreWrite } from '../../connectors/types.js';
import { Session, startServerFixture, type ServerFixture } from './server-fixture.js';

const day = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();

/** `leads` leads shown in `tier` twenty days ago, `won` of them converted ten days ago. */
async function closed(f: ServerFixture, from: number, tier: string, leads: number, won: number): Promise<void> {
  const scores: ScoreWrite[] = [];
  const outcomes = [];
  for (let i = 0; i < leads; i++) {
    const leadId = `closed-${from + i}`;
    scores.push({ leadId, score: 50, tier, probability: 0.2, reasons: '', trend: 'steady', modelVersion: 'v1', scoredAt: day(20) });
    outcomes.push({ crm: 'hubspot' as const, leadId, outcome: i < won ? ('won' as const) : ('lost' as const), outcomeAt: day(10), evidence: 'test' });
  }
  await f.store.scores.insert('hubspot', scores);
  await f.store.outcomes.upsert('hubspot', outcomes);
}

describe('the tiers page beside its thresholds', () => {
  let f: ServerFixture;
  beforeAll(async () => {
    f = await startServerFixture({ every: 20 });
  }, 120_000);
  afterAll(async () => f?.close());

  it("says how each of today's tiers converted once scored leads have closed, and nothing before", async () => {
    const session = new Session(f.url);
    await session.login();
    // The first cycle scored open leads only: none has closed, so there is nothing to say yet.
    expect(await (await session.request('/admin')).text()).not.toContain('id="tier-conversion"');

    await closed(f, 0, 'Hot', 40, 10);
    await closed(f, 100, 'Warm', 50, 15);
    // A tier name no longer in use is the model page's business, not a threshold's.
    await closed(f, 200, 'Scorching', 5, 1);
    const page = await (await session.request('/admin')).text();
    const line = /<ul class="small conversion-lines" id="tier-conversion"><li>(.*?)<\/li>/s.exec(page)?.[1];
    expect(line).toBe('<strong>HubSpot</strong>, leads closed in the last 90 days by the tier they were shown in: Hot 25.0% of 40 · Warm 30.0% of 50');
  });
});
