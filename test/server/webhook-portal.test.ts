import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubspotConnector } from '../../connectors/hubspot/index.js';
import { signatureV3 } from '../../connectors/sandbox/hubspot/webhook-signature.js';
import { startSandbox, type RunningSandbox } from '../../connectors/sandbox/server.js';
import { loadConfig } from '../../src/config/load.js';
import { loadManifest } from '../../src/domain/manifest.js';
import { buildServerDeps } from '../../src/server/server-deps.js';
import { serverSettingsFromEnv } from '../../src/server/settings.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { openStore, type Store } from '../../src/store/store.js';
import { capturedLog, WARN } from './captured-log.js';

/**
 * How the webhook route learns the connected portal: the HubSpot connector reads it once (token
 * details, else account details for a private-app token) and, until it is known, no batch is
 * applied. Real server, real store, the SDK against the sandbox; faults injected by the sandbox.
 */
let sandbox: RunningSandbox;
let store: Store;
let app: { clientSecret: string; portalId: number };
const home = mkdtempSync(join(tmpdir(), 'leadlift-webhook-portal-'));
const servers: RunningServer[] = [];

async function control(method: string, path: string, body?: unknown): Promise<void> {
  const res = await fetch(`${sandbox.url}/__sandbox${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
}

/** A server whose HubSpot connection is a fresh connector on the sandbox token (none with `connected: false`). */
async function serve(connected = true) {
  const log = capturedLog();
  const settings = serverSettingsFromEnv({ HUBSPOT_CLIENT_SECRET: app.clientSecret, HUBSPOT_CLIENT_ID: 'x', HUBSPOT_BASE_URL: sandbox.url }, 0);
  const connectors = connected ? [createHubspotConnector({ accessToken: sandbox.token, basePath: sandbox.url, retry: { retries: 0, minDelayMs: 1, maxDelayMs: 1 } })] : [];
  const deps = buildServerDeps({ store, config: loadConfig({ env: {} }), manifest: loadManifest(), settings, connectors, logger: log.logger });
  const server = await startServer(deps, { port: 0, host: '127.0.0.1', publicUrlFromAddress: true });
  servers.push(server);
  const send = (events: unknown[]) => {
    const url = `${server.url}/webhooks/hubspot`;
    const body = JSON.stringify(events);
    const timestamp = Date.now();
    return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': signatureV3(app.clientSecret, 'POST', url, body, timestamp), 'x-hubspot-request-timestamp': String(timestamp) }, body });
  };
  return { send, log };
}

const privacyDeletion = (eventId: number, objectId: string, portalId: number) => ({ eventId, portalId, subscriptionType: 'contact.privacyDeletion', objectId: Number(objectId), occurredAt: Date.now() });

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, crm: 'hubspot' });
  app = (await (await fetch(`${sandbox.url}/__sandbox/hubspot/app`)).json()) as typeof app;
  store = await openStore({ home, databaseUrl: '', secretKey: Buffer.alloc(32, 3).toString('base64') });
});
afterAll(async () => {
  for (const s of servers) await s.close();
  await store?.close();
  await sandbox?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('the connected HubSpot portal, for webhooks', () => {
  it('refuses a batch with 503 and applies nothing while no HubSpot is connected', async () => {
    const { send, log } = await serve(false);
    const res = await send([privacyDeletion(1, '501', app.portalId)]);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: string }).error).toMatch(/does not know yet which HubSpot portal.*HubSpot sends it again/);
    expect((await store.forgottenLeads.among('hubspot', ['501'])).size).toBe(0);
    expect(log.lines.find((l) => l.level === WARN)?.msg).toMatch(/HubSpot is not connected to this server yet: open the Connections page of `leadlift serve` \(\/install\) and choose "Connect HubSpot", or set HUBSPOT_ACCESS_TOKEN/);
  });

  it('refuses a batch while the portal cannot be read, and asks again on the next one', async () => {
    const { send, log } = await serve();
    await control('POST', '/faults', [
      // Token details refused outright (as for a private-app token), account details down: both failures are said.
      { id: 'token-info', pathPattern: '^/oauth/v1/access-tokens/', kind: 'server-error', status: 401, count: 1 },
      { id: 'account-info', pathPattern: '^/account-info/', kind: 'server-error', status: 503, count: 1 },
    ]);
    const refused = await send([privacyDeletion(2, '502', app.portalId)]);
    expect(refused.status).toBe(503);
    expect((await store.forgottenLeads.among('hubspot', ['502'])).size).toBe(0);
    const warning = log.lines.find((l) => l.level === WARN)!.msg;
    expect(warning).toMatch(/Token details: .*Account details: /);
    expect(warning).not.toContain(sandbox.token);

    // The failure was not kept: HubSpot's retry of the batch is applied once the portal answers.
    const retried = await send([privacyDeletion(2, '502', app.portalId)]);
    expect(retried.status).toBe(200);
    expect(await retried.json()).toMatchObject({ forgotten: 1, otherPortal: 0 });
    expect((await store.forgottenLeads.among('hubspot', ['502'])).has('502')).toBe(true);
  });

  it('reads a private-app token\'s portal from the account details when the token details do not know the token', async () => {
    const { send } = await serve();
    const logFrom = sandbox.ctx.log.length;
    // As HubSpot answers for a token that is not an OAuth token.
    await control('POST', '/faults', { id: 'not-oauth', pathPattern: '^/oauth/v1/access-tokens/', kind: 'server-error', status: 404, count: 1 });
    const res = await send([privacyDeletion(3, '503', app.portalId + 1), privacyDeletion(4, '504', app.portalId)]);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ forgotten: 1, otherPortal: 1 });
    expect((await store.forgottenLeads.among('hubspot', ['503', '504'])).size).toBe(1);
    const asked = sandbox.ctx.log.slice(logFrom).map((r) => r.path);
    expect(asked.filter((p) => p.startsWith('/account-info/v3/details'))).toHaveLength(1);

    // Kept: the next batch asks HubSpot nothing.
    const before = sandbox.ctx.log.length;
    expect((await send([privacyDeletion(5, '505', app.portalId + 1)])).status).toBe(200);
    expect(sandbox.ctx.log.slice(before).filter((r) => r.path.startsWith('/oauth') || r.path.startsWith('/account-info'))).toHaveLength(0);
  });
});
