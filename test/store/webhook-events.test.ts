import { describe, expect, it } from 'vitest';
import { WEBHOOK_EVENT_HORIZON_MS } from '../../src/store/webhook-events.js';
import { backends, useStore } from './backends.js';

describe.each(backends)('webhook event claims on $name', (backend) => {
  const { store, database } = useStore(backend);
  const at = (hours: number) => new Date(Date.UTC(2025, 2, 1, 12, 0) + hours * 3_600_000);

  it('claims an id once per CRM, and a released id can be claimed again', async () => {
    const events = store().webhookEvents;
    expect(await events.claim('hubspot', ['1:10', '1:11', '1:10'], at(0))).toEqual(new Set(['1:10', '1:11']));
    expect(await events.claim('hubspot', ['1:11', '1:12'], at(1))).toEqual(new Set(['1:12']));
    // Another CRM's id of the same text is another event.
    expect(await events.claim('salesforce', ['1:10'], at(1))).toEqual(new Set(['1:10']));
    expect(await events.claim('hubspot', ['1:10', '1:11'], at(2))).toEqual(new Set());
    expect(await events.claim('hubspot', [], at(2))).toEqual(new Set());
  });

  it('prunes the ids claimed longer ago than the retry horizon, and only those', async () => {
    const events = store().webhookEvents;
    await events.claim('hubspot', ['1:old'], at(0));
    await events.claim('hubspot', ['1:new'], at(2));
    const horizonHours = WEBHOOK_EVENT_HORIZON_MS / 3_600_000;
    expect(horizonHours).toBe(24);
    expect(await events.prune(at(horizonHours))).toBe(0);
    expect(await events.prune(at(horizonHours + 1))).toBe(1);
    expect(await events.claim('hubspot', ['1:old', '1:new'], at(horizonHours + 1))).toEqual(new Set(['1:old']));
  });

  it('gives each of many ids claimed at once by two handles to one handle only', async () => {
    const other = await database().open();
    try {
      const ids = Array.from({ length: 1200 }, (_, i) => `1:${i}`);
      const [mine, theirs] = await Promise.all([store().webhookEvents.claim('hubspot', ids, at(0)), other.webhookEvents.claim('hubspot', [...ids].reverse(), at(0))]);
      expect(mine.size + theirs.size).toBe(ids.length);
      expect([...mine].filter((id) => theirs.has(id))).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
