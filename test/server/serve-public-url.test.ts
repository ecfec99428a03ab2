import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { loadManifest } from '../../src/domain/manifest.js';
import { startHttpService } from '../../src/server/serve-http.js';
import { openStore, type Store } from '../../src/store/store.js';

/**
 * `serve` and `start` with PORT=0: the admin address they log and the URLs derived from the
 * public URL (install redirects, the sandbox's webhooks) name the port the server got, not 0.
 */
let home: string;
let store: Store;
beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'leadlift-public-url-'));
  store = await openStore({ home, databaseUrl: '' });
});
afterAll(async () => {
  await store?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

async function serveOnPortZero(env: Record<string, string>) {
  return startHttpService({
    connections: { connectors: [], store, sandbox: null, close: async () => {} },
    config: loadConfig({ env: {} }),
    manifest: loadManifest(),
    port: 0,
    host: '127.0.0.1',
    env,
    logger: pino({ level: 'silent' }),
  });
}

describe('the public URL of a server started on port 0', () => {
  it('names the port it listens on when LEADLIFT_PUBLIC_URL is unset', async () => {
    const service = await serveOnPortZero({});
    try {
      const port = Number(/^http:\/\/localhost:(\d+)$/.exec(service.url)?.[1]);
      expect(port).toBeGreaterThan(0);
      expect(service.deps.settings.publicUrl).toBe(service.url);
      // The very server: its health check answers there.
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      await service.close();
    }
  });

  it('stays LEADLIFT_PUBLIC_URL when that is set', async () => {
    const service = await serveOnPortZero({ LEADLIFT_PUBLIC_URL: 'https://leadlift.example.com/' });
    try {
      expect(service.url).toBe('https://leadlift.example.com');
    } finally {
      await service.close();
    }
  });
});
