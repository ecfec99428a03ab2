import { describe, expect, it } from 'vitest';
import { backends, useStore } from './backends.js';

const WINDOW = 15 * 60_000;

describe.each(backends)('rate limit hits on $name', (backend) => {
  const { store, database } = useStore(backend);
  const at = (minutes: number) => new Date(Date.UTC(2025, 2, 1, 12, 0) + minutes * 60_000);

  it('counts one fixed window per limit and address, restarting it once it has ended', async () => {
    const hits = store().rateLimitHits;
    expect(await hits.hit('login', '203.0.113.7', WINDOW, at(0))).toEqual({ hits: 1, resetAt: at(15) });
    expect(await hits.hit('login', '203.0.113.7', WINDOW, at(5))).toEqual({ hits: 2, resetAt: at(15) });
    // Another limit, another address: counted apart.
    expect((await hits.hit('metrics-token', '203.0.113.7', WINDOW, at(5))).hits).toBe(1);
    expect((await hits.hit('login', '198.51.100.20', WINDOW, at(5))).hits).toBe(1);
    expect(await hits.get('login', '203.0.113.7', at(14))).toEqual({ hits: 2, resetAt: at(15) });
    expect(await hits.get('login', '203.0.113.7', at(15))).toBeNull();
    expect(await hits.hit('login', '203.0.113.7', WINDOW, at(16))).toEqual({ hits: 1, resetAt: at(31) });
  });

  it('takes a hit back, never below zero nor in an ended window', async () => {
    const hits = store().rateLimitHits;
    await hits.hit('login', '203.0.113.7', WINDOW, at(0));
    await hits.hit('login', '203.0.113.7', WINDOW, at(0));
    await hits.unhit('login', '203.0.113.7', at(1));
    expect((await hits.get('login', '203.0.113.7', at(1)))?.hits).toBe(1);
    await hits.unhit('login', '203.0.113.7', at(1));
    await hits.unhit('login', '203.0.113.7', at(1));
    expect((await hits.get('login', '203.0.113.7', at(1)))?.hits).toBe(0);
    await hits.unhit('never-seen', '203.0.113.7', at(1));
    await hits.reset('login', '203.0.113.7');
    expect(await hits.get('login', '203.0.113.7', at(1))).toBeNull();
  });

  it('prunes the ended windows when a window starts, not on every hit', async () => {
    const hits = store().rateLimitHits;
    const rows = async () => (await store().db.selectFrom('rate_limit_hits').select('client_key').orderBy('client_key').execute()).map((r) => r.client_key);
    await hits.hit('login', '192.0.2.1', WINDOW, at(0));
    await hits.hit('login', '192.0.2.2', WINDOW, at(10));
    await hits.hit('login', '192.0.2.2', WINDOW, at(20));
    expect(await rows()).toEqual(['192.0.2.1', '192.0.2.2']);
    await hits.hit('login', '192.0.2.3', WINDOW, at(20));
    expect(await rows()).toEqual(['192.0.2.2', '192.0.2.3']);
  });

  it('gives two handles counting one address at once every number once (the increment is one statement)', async () => {
    const other = await database().open();
    try {
      const handles = [store(), other];
      const seen = await Promise.all(Array.from({ length: 20 }, (_, i) => handles[i % 2].rateLimitHits.hit('login', '203.0.113.7', WINDOW, at(0))));
      expect(seen.map((s) => s.hits).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(new Set(seen.map((s) => s.resetAt.getTime()))).toEqual(new Set([at(15).getTime()]));
    } finally {
      await other.close();
    }
  });
});
