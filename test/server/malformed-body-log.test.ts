import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { loadManifest } from '../../src/domain/manifest.js';
import { buildServerDeps } from '../../src/server/server-deps.js';
import { serverSettingsFromEnv } from '../../src/server/settings.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { openStore, type Store } from '../../src/store/store.js';
import { capturedLog } from './captured-log.js';
import { ADMIN, Session } from './server-fixture.js';

/**
 * A body that does not parse is refused before any route (and before the CSRF check, so anyone
 * can send one). The log line must say so without the body: JSON.parse's message quotes the
 * characters around the fault, and a login sent as broken JSON put the password there.
 */
let home: string;
let store: Store;
let server: RunningServer;
const log = capturedLog();

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'leadlift-body-log-'));
  store = await openStore({ home, databaseUrl: '', secretKey: Buffer.alloc(32, 5).toString('base64') });
  const settings = serverSettingsFromEnv(
    { LEADLIFT_ADMIN_USER: ADMIN.user, LEADLIFT_ADMIN_PASSWORD: ADMIN.password, LEADLIFT_SESSION_SECRET: 'a-test-session-secret-that-is-long-enough-0123456789' },
    0,
  );
  const deps = buildServerDeps({ store, config: loadConfig({ env: {} }), manifest: loadManifest(), settings, connectors: [], logger: log.logger });
  server = await startServer(deps, { port: 0, publicUrlFromAddress: true });
});
afterAll(async () => {
  await server?.close();
  await store?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('a request body that is not valid JSON', () => {
  it('is refused with 400 and logged without any of the body', async () => {
    // Unquoted, so JSON.parse stops at the password and quotes it ("...\"password\":correct ho\"...").
    const body = `{"user":"${ADMIN.user}","password":${ADMIN.password}}`;
    const res = await fetch(`${server.url}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(400);
    expect(await res.text()).not.toContain('correct');

    const line = log.lines.find((l) => l.msg === 'request failed' && l.path === '/login');
    expect(line).toMatchObject({ status: 400 });
    // Still says what went wrong, in words of its own.
    expect(String(line?.err)).toBe('the request body is not valid JSON (entity.parse.failed)');
    for (const raw of log.raw) {
      expect(raw).not.toContain('correct');
      expect(raw).not.toContain('horse');
    }
  });

  it('leaves the form login working', async () => {
    expect((await new Session(server.url).login()).status).toBe(303);
  });
});
