import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@hubspot/api-client';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { loadManifest } from '../../src/domain/manifest.js';
import { rescoringEvents } from '../../src/server/sandbox-webhooks.js';
import { startHttpService, type HttpService } from '../../src/server/serve-http.js';
import { openStore, type Store } from '../../src/store/store.js';
import { startHubspotFixture, type HubspotFixture } from '../connectors/hubspot/sandbox-fixture.js';
import { ADMIN } from './server-fixture.js';

const config = loadConfig({ env: {} });

describe('the rescoring subscriptions', () => {
  it('a creation, and one property change per input property: never leadlift’s own fields or the never-inputs', () => {
    const events = rescoringEvents(['age', 'job', 'leadlift_score', 'lifecyclestage', 'hs_lead_status', 'createdate', 'hs_date_entered_customer', 'job'], config);
    expect(events).toEqual([
      { eventType: 'contact.creation' },
      { eventType: 'contact.propertyChange', propertyName: 'age' },
      { eventType: 'contact.propertyChange', propertyName: 'job' },
    ]);
  });
});

/** `serve` on the local sandbox: the sandbox is told to send this server an event when a rep edits an input property. */
describe('serve with the local HubSpot sandbox', () => {
  let fx: HubspotFixture;
  let store: Store;
  let home: string;
  let service: HttpService;
  beforeAll(async () => {
    fx = await startHubspotFixture({ leads: 30, hubspotRateLimit: 1000, hubspotSearchRateLimit: 50 });
    home = mkdtempSync(join(tmpdir(), 'leadlift-sandbox-webhooks-'));
    store = await openStore({ home, databaseUrl: '', secretKey: Buffer.alloc(32, 5).toString('base64') });
    const port = await freePort();
    const sandbox = { url: fx.sandbox.url, token: fx.sandbox.token, openLeads: 0, exampleLeadId: null, close: async () => {} };
    service = await startHttpService({
      connections: { connectors: [fx.connector()], store, sandbox, close: async () => {} },
      config,
      manifest: loadManifest(),
      port,
      host: '127.0.0.1',
      env: {
        LEADLIFT_ADMIN_USER: ADMIN.user,
        LEADLIFT_ADMIN_PASSWORD: ADMIN.password,
        LEADLIFT_SESSION_SECRET: 'a-test-session-secret-that-is-long-enough-0123456789',
        LEADLIFT_PUBLIC_URL: `http://127.0.0.1:${port}`,
      },
      logger: pino({ level: 'silent' }),
    });
  });
  afterAll(async () => {
    await service?.close();
    await store?.close();
    await fx?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  const deliveries = async () => (await fx.control<{ results: Array<{ status: number; events: number }> }>('POST', '/hubspot/webhooks/flush')).results;

  it('an edit of an input property reaches the server as a signed event it accepts; an edit of a never-input sends nothing', async () => {
    const sdk = new Client({ accessToken: fx.sandbox.token, basePath: fx.sandbox.url, numberOfApiCallRetries: 0 });
    const { id } = (await sdk.crm.contacts.basicApi.getPage(1)).results[0];
    await fx.control('PATCH', `/hubspot/contacts/${id}`, { properties: { lifecyclestage: 'opportunity' } });
    expect(await deliveries()).toEqual([]);
    await fx.control('PATCH', `/hubspot/contacts/${id}`, { properties: { age: '61' } });
    const sent = await deliveries();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ status: 200, events: 1 });
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
