import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/domain/errors.js';
import { loadManifest } from '../../src/domain/manifest.js';
import { buildServerDeps } from '../../src/server/server-deps.js';
import { describeSettings, serverSettingsFromEnv } from '../../src/server/settings.js';
import { TRUST_PROXY_ADVICE } from '../../src/server/security/trust-proxy.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { openStore, type Store } from '../../src/store/store.js';
import { capturedLog, WARN } from './captured-log.js';
import { ADMIN, Session } from './server-fixture.js';

const home = mkdtempSync(join(tmpdir(), 'leadlift-proxy-'));
let store: Store;
const servers: RunningServer[] = [];

/** The real app on a real SQLite store with the given environment, as behind (or without) a proxy; no CRM connected. */
async function serve(env: Record<string, string>) {
  const log = capturedLog();
  const settings = serverSettingsFromEnv({ LEADLIFT_ADMIN_USER: ADMIN.user, LEADLIFT_ADMIN_PASSWORD: ADMIN.password, ...env }, 0);
  const deps = buildServerDeps({ store, config: loadConfig({ env: {} }), manifest: loadManifest(), settings, logger: log.logger });
  // The public URL stays what the environment says: an https one is the case under test.
  const server = await startServer(deps, { port: 0, host: '127.0.0.1', publicUrlFromAddress: !env.LEADLIFT_PUBLIC_URL });
  servers.push(server);
  return { url: server.url, log };
}

beforeAll(async () => {
  store = await openStore({ home, databaseUrl: '', secretKey: Buffer.alloc(32, 7).toString('base64') });
});
afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(async () => {
  for (const s of servers) await s.close();
  await store?.close();
  rmSync(home, { recursive: true, force: true });
});

const wrongLogin = async (s: Session, headers: Record<string, string>) =>
  s.request('/login', { form: { _csrf: await s.csrf('/login'), user: ADMIN.user, password: 'not the password at all', next: '/admin' }, headers });

describe('LEADLIFT_TRUST_PROXY', () => {
  it('refuses "true" at start-up, asking for a hop count or the proxies\' addresses', () => {
    for (const value of ['true', 'TRUE', '0.0.0.0/0', '::/0']) {
      let error: unknown;
      try {
        serverSettingsFromEnv({ LEADLIFT_TRUST_PROXY: value }, 0);
      } catch (err) {
        error = err;
      }
      expect(error, value).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain('LEADLIFT_TRUST_PROXY');
      expect((error as Error).message).toMatch(/number of reverse proxies in front of leadlift \(1 for one proxy/);
    }
    expect(() => serverSettingsFromEnv({ LEADLIFT_TRUST_PROXY: 'nginx.local' }, 0)).toThrow(/"nginx\.local" is not an IP address/);
  });

  it('accepts a hop count, named ranges and subnet lists as express reads them', () => {
    expect(serverSettingsFromEnv({ LEADLIFT_TRUST_PROXY: '1' }, 0).trustProxy).toBe(1);
    expect(serverSettingsFromEnv({ LEADLIFT_TRUST_PROXY: '0' }, 0).trustProxy).toBe(false);
    expect(serverSettingsFromEnv({ LEADLIFT_TRUST_PROXY: 'false' }, 0).trustProxy).toBe(false);
    expect(serverSettingsFromEnv({ LEADLIFT_TRUST_PROXY: 'loopback' }, 0).trustProxy).toBe('loopback');
    expect(serverSettingsFromEnv({ LEADLIFT_TRUST_PROXY: '10.0.0.0/8, 192.0.2.7 ,fd00::/8' }, 0).trustProxy).toBe('10.0.0.0/8,192.0.2.7,fd00::/8');
  });

  it('with the documented hop count, a client rotating X-Forwarded-For through the proxy still meets the login limit', async () => {
    const { url, log } = await serve({ LEADLIFT_TRUST_PROXY: '1' });
    const errors = vi.spyOn(console, 'error');
    const s = new Session(url);
    const statuses: number[] = [];
    // What the proxy forwards: the client's own (forged) header, then the address the proxy saw.
    for (let i = 1; i <= 11; i++) statuses.push((await wrongLogin(s, { 'x-forwarded-for': `10.0.0.${i}, 203.0.113.7` })).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
    // The log names the address the proxy saw, never the forged ones.
    const refused = log.lines.filter((l) => l.msg === 'admin login refused');
    expect(refused).toHaveLength(10);
    expect(new Set(refused.map((l) => l.ip))).toEqual(new Set(['203.0.113.7']));
    // Another client behind the same proxy is not locked out by the first one's guesses.
    expect((await wrongLogin(new Session(url), { 'x-forwarded-for': '198.51.100.20' })).status).toBe(401);
    expect(errors.mock.calls.flat().join('\n')).not.toContain('ERR_ERL');
  });

  it('without it, X-Forwarded-For gets one warning in leadlift\'s words, and no express-rate-limit stack trace', async () => {
    const { url, log } = await serve({});
    const errors = vi.spyOn(console, 'error');
    const s = new Session(url);
    expect((await wrongLogin(s, { 'x-forwarded-for': '198.51.100.1' })).status).toBe(401);
    expect((await wrongLogin(s, { 'x-forwarded-for': '198.51.100.2' })).status).toBe(401);
    const hints = log.lines.filter((l) => l.level === WARN && l.msg.includes('LEADLIFT_TRUST_PROXY'));
    expect(hints).toHaveLength(1);
    expect(hints[0].msg).toContain(`If leadlift runs behind a reverse proxy, ${TRUST_PROXY_ADVICE}: until then`);
    expect(hints[0].msg).not.toContain('198.51.100');
    expect(errors.mock.calls.flat().join('\n')).not.toMatch(/ValidationError|ERR_ERL/);
  });
});

describe('an https LEADLIFT_PUBLIC_URL without LEADLIFT_TRUST_PROXY', () => {
  const https = { LEADLIFT_PUBLIC_URL: 'https://leadlift.example.com', LEADLIFT_SESSION_SECRET: 'a-test-session-secret-that-is-long-enough-0123456789' };

  it('is named at start-up, with the setting that fixes it', () => {
    const notes = describeSettings(serverSettingsFromEnv(https, 0), []).join('\n');
    expect(notes).toContain('LEADLIFT_PUBLIC_URL is https but LEADLIFT_TRUST_PROXY is not set');
    expect(notes).toContain(`no admin can log in; ${TRUST_PROXY_ADVICE}`);
    // Once in the advice's own words: the other checks build on the constant, so a garbled one would pass them.
    expect(notes).toContain(
      'no admin can log in; set LEADLIFT_TRUST_PROXY to the number of reverse proxies in front of leadlift (1 for one proxy, e.g. nginx or a load balancer), or to their addresses or subnets (e.g. "loopback" or "10.0.0.0/8, 192.0.2.7")',
    );
    expect(describeSettings(serverSettingsFromEnv({ ...https, LEADLIFT_TRUST_PROXY: '1' }, 0), []).join('\n')).not.toContain('LEADLIFT_PUBLIC_URL is https');
    expect(describeSettings(serverSettingsFromEnv({}, 0), []).join('\n')).not.toContain('LEADLIFT_PUBLIC_URL is https');
  });

  it('makes the login page say why logging in cannot work, before and after the form is sent', async () => {
    const { url } = await serve(https);
    const s = new Session(url);
    const page = await s.request('/login', { headers: { 'x-forwarded-proto': 'https' } });
    expect(page.headers.getSetCookie()).toEqual([]);
    const html = await page.text();
    expect(html).toContain('is https, but this request reached it as plain http');
    expect(html.replace(/&quot;/g, '"')).toContain(`If TLS ends at a reverse proxy, ${TRUST_PROXY_ADVICE} on the server and restart leadlift`);
    const csrf = /name="csrf-token" content="([^"]+)"/.exec(html)![1];
    const sent = await s.request('/login', { form: { _csrf: csrf, user: ADMIN.user, password: ADMIN.password, next: '/admin' }, headers: { 'x-forwarded-proto': 'https' } });
    expect(sent.status).toBe(403);
    const answer = await sent.text();
    expect(answer).not.toContain('CSRF check failed');
    expect(answer).toContain('LEADLIFT_TRUST_PROXY');
  });

  it('logs in once the proxy is trusted and says the request was https', async () => {
    const { url } = await serve({ ...https, LEADLIFT_TRUST_PROXY: '1' });
    const s = new Session(url);
    const page = await s.request('/login', { headers: { 'x-forwarded-proto': 'https' } });
    expect(await page.text()).not.toContain('plain http');
    const secure = page.headers.getSetCookie();
    expect(secure.length).toBeGreaterThan(0);
    expect(secure.every((c) => /;\s*secure/i.test(c))).toBe(true);
    // The token of the page just served (Session.csrf would ask without the proxy's header).
    const html = await (await s.request('/login', { headers: { 'x-forwarded-proto': 'https' } })).text();
    const token = /name="csrf-token" content="([^"]+)"/.exec(html)![1];
    const login = await s.request('/login', { form: { _csrf: token, user: ADMIN.user, password: ADMIN.password, next: '/admin' }, headers: { 'x-forwarded-proto': 'https' } });
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe('/admin');
  });
});
