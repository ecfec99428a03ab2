import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { loadManifest } from '../../src/domain/manifest.js';
import { buildServerDeps } from '../../src/server/server-deps.js';
import { serverSettingsFromEnv } from '../../src/server/settings.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { openStore, type Store } from '../../src/store/store.js';
import { Session } from './server-fixture.js';

/**
 * The admin changes LEADLIFT_ADMIN_PASSWORD (it leaked) or unsets it (login disabled) and
 * restarts leadlift, keeping LEADLIFT_SESSION_SECRET: a cookie signed before must not stay a
 * login for the rest of its eight hours. Real servers over one real store, one after the other.
 */
const SECRET = 'a-test-session-secret-that-is-long-enough-0123456789';
const USER = 'manager@example.com';
const OLD = 'correct horse battery staple';
const NEW = 'a brand new password after the leak';

let home: string;
let store: Store;
const running: RunningServer[] = [];

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'leadlift-credentials-'));
  store = await openStore({ home, databaseUrl: '', secretKey: Buffer.alloc(32, 7).toString('base64') });
});
afterAll(async () => {
  for (const s of running) await s.close();
  await store?.close();
  rmSync(home, { recursive: true, force: true });
});

/** A (re)started server on the same store and session secret, with these admin settings. */
async function serverWith(admin: { user?: string; password?: string }): Promise<string> {
  const env = { LEADLIFT_SESSION_SECRET: SECRET, LEADLIFT_ADMIN_USER: admin.user, LEADLIFT_ADMIN_PASSWORD: admin.password };
  const settings = serverSettingsFromEnv(env, 0);
  const deps = buildServerDeps({ store, config: loadConfig({ env: {} }), manifest: loadManifest(), settings, connectors: [], logger: pino({ level: 'silent' }) });
  const server = await startServer(deps, { port: 0, publicUrlFromAddress: true });
  running.push(server);
  return server.url;
}

/** The session cookies a login set, as a header: what the browser sends the same site after a restart. */
async function loggedIn(url: string, password: string): Promise<string> {
  const res = await new Session(url).login(USER, password);
  expect(res.status).toBe(303);
  return res.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
}

const status = async (url: string, cookie: string) => (await fetch(`${url}/install/status.json`, { headers: { cookie }, redirect: 'manual' })).status;
const details = async (url: string, cookie: string) => (await (await fetch(`${url}/readyz`, { headers: { cookie } })).json()) as Record<string, unknown>;

describe('a session after the admin credentials change', () => {
  it('survives a restart with the same credentials', async () => {
    const before = await serverWith({ user: USER, password: OLD });
    const cookie = await loggedIn(before, OLD);
    expect(await status(before, cookie)).toBe(200);

    const after = await serverWith({ user: USER, password: OLD });
    expect(await status(after, cookie)).toBe(200);
  });

  it('ends when LEADLIFT_ADMIN_PASSWORD changed: the old cookie is logged out everywhere, a login with the new password works', async () => {
    const before = await serverWith({ user: USER, password: OLD });
    const stolen = await loggedIn(before, OLD);

    const after = await serverWith({ user: USER, password: NEW });
    expect(await status(after, stolen)).toBe(401);
    const page = await fetch(`${after}/admin`, { headers: { cookie: stolen }, redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toMatch(/^\/login/);
    // /readyz reads the cookie on its own: it must not show the details to it either.
    expect(await details(after, stolen)).toEqual({ ready: true });

    expect((await new Session(after).login(USER, OLD)).status).toBe(401);
    const fresh = await loggedIn(after, NEW);
    expect(await status(after, fresh)).toBe(200);
    expect(await details(after, fresh)).toMatchObject({ status: 'ready' });
  });

  it('ends when LEADLIFT_ADMIN_USER changed', async () => {
    const before = await serverWith({ user: USER, password: OLD });
    const cookie = await loggedIn(before, OLD);
    const after = await serverWith({ user: 'someone.else@example.com', password: OLD });
    expect(await status(after, cookie)).toBe(401);
  });

  it('ends when admin login was disabled (the password unset)', async () => {
    const before = await serverWith({ user: USER, password: OLD });
    const cookie = await loggedIn(before, OLD);
    const after = await serverWith({ user: USER });
    expect(await status(after, cookie)).toBe(401);
    expect(await details(after, cookie)).toEqual({ ready: true });
  });
});
