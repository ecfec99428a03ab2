import { describe, expect, it } from 'vitest';
import { backends, useStore } from './backends.js';

describe.each(backends)('ended admin sessions on $name', (backend) => {
  const { store } = useStore(backend);

  it('remembers an ended session id, and forgets ids whose session would have expired anyway', async () => {
    const now = new Date('2025-03-01T12:00:00.000Z');
    const hours = (h: number) => new Date(now.getTime() + h * 3_600_000);
    await store().endedSessions.end('old', hours(-1), hours(-9));
    await store().endedSessions.end('recent', hours(7), hours(-2));
    expect(await store().endedSessions.isEnded('old')).toBe(true);
    expect(await store().endedSessions.isEnded('never-ended')).toBe(false);

    // The next logout prunes what has expired by then; the one still valid stays refused.
    await store().endedSessions.end('now', hours(8), now);
    expect(await store().endedSessions.isEnded('old')).toBe(false);
    expect(await store().endedSessions.isEnded('recent')).toBe(true);
    expect(await store().endedSessions.isEnded('now')).toBe(true);
    // Logging out twice with the same cookie (two tabs) is fine.
    await store().endedSessions.end('now', hours(8), now);
    expect(await store().endedSessions.isEnded('now')).toBe(true);
  });
});
