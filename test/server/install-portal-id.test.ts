import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedLeadsFromCsv } from '../../connectors/sandbox/seed.js';
import { startSandbox, type RunningSandbox } from '../../connectors/sandbox/server.js';
import { signatureV3 } from '../../connectors/sandbox/hubspot/webhook-signature.js';
import { loadConfig } from '../../src/config/load.js';
import type { HttpService } from '../../src/server/serve-http.js';
import { openStore, type Store } from '../../src/store/store.js';
import { syntheticCsv } from '../connectors/hubspot/sandbox-fixture.js';
import { startServeOnSandbox } from './serve-fixture.js';
import { Session } from './server-fixture.js';

/**
 * The HubSpot install reads the portal's id once (token details, for its log line and audit) and
 * hands it to the connector it builds: the first webhook batch after the install is checked
 * against that portal without asking HubSpot again. `serve` on the sandbox, nothing mocked; the
 * sandbox's request log says what was asked.
 */
let sandbox: RunningSandbox;
let store: Store;
let home: string;
let service: HttpService;
let app: { clientSecret: string; portalId: number };

beforeAll(async () => {
  const seed = seedLeadsFromCsv(syntheticCsv(120), { label: 'y', positive: 'yes', order: 'order', openFraction: 0.2 }, Date.now());
  sandbox = await startSandbox({ port: 0, crm: 'hubspot', seed });
  app = (await (await fetch(`${sandbox.url}/__sandbox/hubspot/app`)).json()) as typeof app;
  home = mkdtempSync(join(tmpdir(), 'leadlift-install-portal-id-'));
  store = await openStore({ home, databaseUrl: '', secretKey: Buffer.alloc(32, 9).toString('base64') });
  service = await startServeOnSandbox({ sandbox, store, config: loadConfig({ env: {}, overrides: { model: { trees: 10 } } }) });
});

afterAll(async () => {
  await service?.deps.loop.idle();
  await service?.close();
  await store?.close();
  await sandbox?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

const portalLookups = (from: number) =>
  sandbox.ctx.log.slice(from).filter((r) => r.path.startsWith('/oauth/v1/access-tokens/') || r.path.startsWith('/account-info/'));

function sendWebhooks(events: unknown[]): Promise<Response> {
  const url = `${service.url}/webhooks/hubspot`;
  const body = JSON.stringify(events);
  const timestamp = Date.now();
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': signatureV3(app.clientSecret, 'POST', url, body, timestamp), 'x-hubspot-request-timestamp': String(timestamp) },
    body,
  });
}

describe('the portal id the HubSpot install read', () => {
  it('is the connector\'s: the first webhook batch after the install asks HubSpot for no token or account details', async () => {
    const s = new Session(service.url);
    await s.login();
    const beforeInstall = sandbox.ctx.log.length;
    const start = await s.request('/install/hubspot/start');
    const consent = await fetch(start.headers.get('location')!, { redirect: 'manual' });
    const callback = new URL(consent.headers.get('location')!);
    expect((await s.request(callback.pathname + callback.search)).status).toBe(303);
    // The install's own lookup, for its log line and audit: the one read of the portal.
    expect(portalLookups(beforeInstall).filter((r) => r.path.startsWith('/oauth/v1/access-tokens/'))).toHaveLength(1);
    await service.deps.loop.idle();

    const afterInstall = sandbox.ctx.log.length;
    const ours = { eventId: 1, portalId: app.portalId, subscriptionType: 'contact.privacyDeletion', objectId: 601, occurredAt: Date.now() };
    const theirs = { ...ours, eventId: 2, portalId: app.portalId + 1, objectId: 602 };
    const res = await sendWebhooks([ours, theirs]);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ forgotten: 1, otherPortal: 1 });
    expect(portalLookups(afterInstall)).toEqual([]);
  });
});
