import { describe, expect, it } from 'vitest';
import type { ScoreWrite } from '../../connectors/types.js';
import { LEAD_OBJECT } from '../../src/jobs/deps.js';
import { backends, useStore } from './backends.js';

const T1 = '2024-05-01T02:00:00.000Z';
const T2 = '2024-05-02T02:00:00.000Z';
const score = (leadId: string, scoredAt: string, value: number, tier: string): ScoreWrite => ({
  leadId, score: value, tier, probability: value / 100, reasons: `+${value} x`, trend: 'steady', modelVersion: 'm1', scoredAt,
});
const lead = (id: string, archived = false) => ({ crm: 'hubspot' as const, id, properties: {}, createdAt: T1, modifiedAt: T1, archived });

describe.each(backends)('open leads on $name', (backend) => {
  const { store } = useStore(backend);

  it('pages the open leads by their latest score, best first, leaving out closed and deleted ones, filtered by tier or id', async () => {
    await store().records.upsert('hubspot', ['a', 'b', 'c', 'd', 'e'].map((id) => lead(id, id === 'd')), { objectType: LEAD_OBJECT, source: 'sync' });
    await store().scores.insert('hubspot', [
      score('a', T1, 90, 'Hot'), score('a', T2, 20, 'Cold'), // its latest counts, not its best
      score('b', T1, 60, 'Warm'),
      score('c', T2, 70, 'Warm'),
      score('d', T2, 99, 'Hot'), // deleted in the CRM
      score('e', T2, 95, 'Hot'), // closed
      score('f', T2, 50, 'Warm'), // never synced: still shown, as the tiers page counts it
    ]);
    await store().scores.insert('salesforce', [score('x', T2, 100, 'Hot')]);
    await store().outcomes.upsert('hubspot', [{ crm: 'hubspot', leadId: 'e', outcome: 'won', outcomeAt: T2, evidence: 'test' }]);

    const ids = async (filter = {}, limit = 10, offset = 0) => (await store().openLeads.page('hubspot', filter, { limit, offset })).map((s) => `${s.leadId}:${s.score}`);
    expect(await ids()).toEqual(['c:70', 'b:60', 'f:50', 'a:20']);
    expect(await store().openLeads.count('hubspot', {})).toBe(4);
    expect([...(await ids({}, 2)), ...(await ids({}, 2, 2))]).toEqual(await ids());
    expect(await ids({ tier: 'Warm' })).toEqual(['c:70', 'b:60', 'f:50']);
    expect(await store().openLeads.count('hubspot', { tier: 'Hot' })).toBe(0);
    expect(await ids({ leadId: 'a' })).toEqual(['a:20']);
    expect(await ids({ leadId: 'e' })).toEqual([]);
    expect(await store().openLeads.count('salesforce', {})).toBe(1);
  });

  it('says when a lead was forgotten, and null for one that was not', async () => {
    await store().scores.insert('hubspot', [score('a', T1, 50, 'Warm')]);
    await store().forget('hubspot', ['a'], { actor: 'test' });
    expect(await store().forgottenLeads.forgottenAt('hubspot', 'a')).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await store().forgottenLeads.forgottenAt('hubspot', 'b')).toBeNull();
    expect(await store().openLeads.count('hubspot', {})).toBe(0);
  });
});
