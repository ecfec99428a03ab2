import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedLeadsFromCsv } from '../../connectors/sandbox/seed.js';
import { startSandbox, type RunningSandbox } from '../../connectors/sandbox/server.js';
import { signatureV3 } from '../../connectors/sandbox/hubspot/webhook-signature.js';
import type { CrmName } from '../../connectors/types.js';
import { loadConfig } from '../../src/config/load.js';
import type { HttpService } from '../../src/server/serve-http.js';
import type { Store } from '../../src/store/store.js';
import { syntheticCsv } from '../connectors/hubspot/sandbox-fixture.js';
import { startSalesforceFixture, type SalesforceFixture } from '../connectors/salesforce/fixture.js';
import { freePort } from '../free-port.js';
import { backends, type TestDatabase } from '../store/backends.js';
import { startServeOnSandbox } from './serve-fixture.js';
import { Session } from './server-fixture.js';

/**
 * Two `serve` behind one load balancer, on one store (two handles, as two processes would have),
 * both waiting for the install: the consent starts on A and the CRM sends the browser back to
 * whichever instance the balancer picks, here B. A's address stands for the balancer's
 * (LEADLIFT_PUBLIC_URL of both), so the redirect URI and the webhooks' signed URL are the same on
 * both. The sandbox's OAuth endpoints are real; nothing is mocked.
 */
const config = loadConfig({ env: {}, overrides: { model: { trees: 10 } } });

interface Pair {
  database: TestDatabase;
  stores: Store[];
  a: HttpService & { direct: string };
  b: HttpService & { direct: string };
  close(): Promise<void>;
}

async function twoInstances(sandbox: { url: string; token: string }, database: TestDatabase, awaiting: CrmName): Promise<Pair> {
  const [portA, portB] = [await freePort(), await freePort()];
  const stores = [await database.open(), await database.open()];
  const env = { LEADLIFT_PUBLIC_URL: `http://127.0.0.1:${portA}` };
  const start = async (store: Store, port: number) =>
    Object.assign(await startServeOnSandbox({ sandbox, store, config, env, port, awaitingInstall: [awaiting], connectionRecheckMs: 0 }), { direct: `http://127.0.0.1:${port}` });
  const a = await start(stores[0], portA);
  const b = await start(stores[1], portB);
  return {
    database,
    stores,
    a,
    b,
    async close() {
      for (const s of [a, b]) await s.close();
      for (const s of stores) await s.close();
    },
  };
}

const pageOf = async (s: Session) => (await (await s.request('/install')).text()).replace(/&quot;/g, '"');
const connectedPill = (name: string) => new RegExp(`<h2>${name} <span class="pill active">connected</span></h2>`);

describe.each(backends)('an install that starts on one instance and ends on another ($name)', (backend) => {
  describe('HubSpot', () => {
    let sandbox: RunningSandbox;
    let app: { clientSecret: string; portalId: number };
    let pair: Pair;

    beforeAll(async () => {
      const seed = seedLeadsFromCsv(syntheticCsv(120), { label: 'y', positive: 'yes', order: 'order', openFraction: 0.2 }, Date.now());
      sandbox = await startSandbox({ port: 0, crm: 'hubspot', seed });
      app = (await (await fetch(`${sandbox.url}/__sandbox/hubspot/app`)).json()) as typeof app;
      pair = await twoInstances(sandbox, await backend.fresh(), 'hubspot');
    });
    afterAll(async () => {
      await pair?.close();
      await pair?.database.cleanup();
      await sandbox?.close();
    });

    const webhook = (to: string, objectId: number) => {
      const body = JSON.stringify([{ eventId: objectId, portalId: app.portalId, subscriptionType: 'contact.privacyDeletion', objectId, occurredAt: Date.now() }]);
      const timestamp = Date.now();
      // Signed for the public URL, as HubSpot signs it, whichever instance receives it.
      const signature = signatureV3(app.clientSecret, 'POST', `${pair.a.url}/webhooks/hubspot`, body, timestamp);
      return fetch(`${to}/webhooks/hubspot`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(timestamp) }, body });
    };

    it('the callback on B is accepted, and A connects from the stored tokens without a restart', async () => {
      const onA = new Session(pair.a.direct);
      const onB = new Session(pair.b.direct);
      await onA.login();
      await onB.login();
      expect(await pageOf(onA)).not.toMatch(connectedPill('HubSpot'));
      expect((await webhook(pair.a.direct, 701)).status).toBe(503);

      const start = await onA.request('/install/hubspot/start');
      expect(start.status).toBe(302);
      const consent = await fetch(start.headers.get('location')!, { redirect: 'manual' });
      const callback = new URL(consent.headers.get('location')!);
      expect(callback.origin).toBe(pair.a.url);
      const done = await onB.request(callback.pathname + callback.search);
      expect(done.status).toBe(303);
      expect(done.headers.get('location')).toBe('/install');
      expect(pair.b.deps.connections.get('hubspot')).not.toBeNull();
      // Spent on B: the same callback replayed on A is refused.
      expect((await onA.request(callback.pathname + callback.search)).status).toBe(400);
      await pair.b.deps.loop.idle();

      // A did not see the callback, yet its webhooks (before any page asked) and its page work.
      const onAHook = await webhook(pair.a.direct, 702);
      expect(onAHook.status).toBe(200);
      expect(await onAHook.json()).toMatchObject({ forgotten: 1 });
      expect(await pageOf(onA)).toMatch(connectedPill('HubSpot'));
      const onBHook = await webhook(pair.b.direct, 703);
      expect(onBHook.status).toBe(200);
      expect(await onBHook.json()).toMatchObject({ forgotten: 1 });
    });
  });

  describe('Salesforce (PKCE: the verifier is in the store, not in A\'s memory)', () => {
    let fx: SalesforceFixture;
    let pair: Pair;

    beforeAll(async () => {
      fx = await startSalesforceFixture({ leads: 200 });
      pair = await twoInstances(fx.sandbox, await backend.fresh(), 'salesforce');
    });
    afterAll(async () => {
      await pair?.close();
      await pair?.database.cleanup();
      await fx?.close();
    });

    it('the callback on B trades the code with the verifier A issued, and A shows Salesforce connected', async () => {
      const onA = new Session(pair.a.direct);
      const onB = new Session(pair.b.direct);
      await onA.login();
      await onB.login();
      expect(await pageOf(onA)).not.toMatch(connectedPill('Salesforce'));
      const authorize = new URL((await onA.request('/install/salesforce/start')).headers.get('location')!);
      expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
      const callback = new URL((await fetch(authorize, { redirect: 'manual' })).headers.get('location')!);
      const done = await onB.request(callback.pathname + callback.search);
      expect(done.status).toBe(303);
      expect(((await pair.stores[1].tokens.load('salesforce')) as { refreshToken: string }).refreshToken).toMatch(/^5Aep861/);
      await pair.b.deps.loop.idle();
      expect(await pageOf(onA)).toMatch(connectedPill('Salesforce'));
      expect(await pageOf(onB)).toMatch(connectedPill('Salesforce'));
    });
  });
});
