import { describe, expect, it } from 'vitest';
import type { CrmName } from '../../connectors/types.js';
import { scoreDistribution } from '../../src/server/score-distribution.js';
import { resolveTierRows } from '../../src/server/tier-form.js';
import { backends, useStore } from '../store/backends.js';

const SCORED_AT = '2025-03-03T09:00:00.000Z';

describe.each(backends)('the tiers page preview with both CRMs scored ($name store)', (backend) => {
  const { store } = useStore(backend);
  const scored = (crm: CrmName, scores: number[]) =>
    store().scores.insert(
      crm,
      scores.map((score, i) => ({ leadId: `${crm}-${i}`, score, tier: 'Cold', probability: score / 100, reasons: '', trend: 'steady' as const, modelVersion: 'v1', scoredAt: SCORED_AT })),
      'pushed',
    );

  it('a "top N a day" row holds the N best of each CRM, as the cycle cuts it', async () => {
    await scored('hubspot', [95, 90, 88, 70, 60, 40, 10]);
    await scored('salesforce', [99, 75, 72, 71, 55, 30]);
    const dist = await scoreDistribution(store(), ['hubspot', 'salesforce'], Date.parse(SCORED_AT));
    expect(dist.total).toBe(13);

    const { rows, tiers } = resolveTierRows(
      [
        { name: 'Call today', mode: 'capacity', min: '', perDay: '3' },
        { name: 'Warm', mode: 'score', min: '50', perDay: '' },
        { name: 'Cold', mode: 'score', min: '0', perDay: '' },
      ],
      dist,
    );
    expect(tiers).not.toBeNull();
    // HubSpot's 95, 90, 88 and Salesforce's 99, 75, 72: the tier reaches down to 72 in Salesforce.
    expect(rows.map((r) => [r.name, r.preview?.leads, r.resolvedMin])).toEqual([
      ['Call today', 6, 72],
      ['Warm', 4, 50],
      ['Cold', 3, 0],
    ]);
    expect(rows[0].preview!.share).toBeCloseTo(6 / 13);
  });

  it('a CRM with fewer open leads than N gives the tier all of them, and one with none adds nothing', async () => {
    await scored('hubspot', [80, 20]);
    const dist = await scoreDistribution(store(), ['hubspot', 'salesforce'], Date.parse(SCORED_AT));
    const { rows } = resolveTierRows(
      [
        { name: 'Call today', mode: 'capacity', min: '', perDay: '5' },
        { name: 'Rest', mode: 'score', min: '0', perDay: '' },
      ],
      dist,
    );
    expect(rows.map((r) => [r.preview?.leads, r.resolvedMin])).toEqual([
      [2, 20],
      [0, 0],
    ]);
  });
});
