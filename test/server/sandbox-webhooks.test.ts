import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { loadManifest } from '../../src/domain/manifest.js';
import { PRIVACY_DELETION_ACTOR } from '../../src/server/contact-deletions.js';
import { rescoringEvents } from '../../src/server/sandbox-webhooks.js';
import type { HttpService } from '../../src/server/serve-http.js';
import { startServeOnSandbox } from './serve-fixture.js';
import { openStore, type Store } from '../../src/store/store.js';
import { startHubspotFixture, type HubspotFixture } from '../connectors/hubspot/sandbox-fixture.js';
import { hubspotClient } from '../sandbox/helpers.js';

const config = loadConfig({ env: {} });

describe('the rescoring subscriptions', () => {
  it('a creation, deletions, merges, and one property change per input property: never leadlift’s own fields or the never-inputs', () => {
    const events = rescoringEvents(['age', 'job', 'leadlift_score', 'lifecyclestage', 'hs_lead_status', 'createdate', 'hs_date_entered_customer', 'job'], config, loadManifest());
    expect(events).toEqual([
      { eventType: 'contact.creation' },
      { eventType: 'contact.deletion' },
      { eventType: 'contact.privacyDeletion' },
      { eventType: 'contact.merge' },
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
    service = await startServeOnSandbox({ sandbox: fx.sandbox, store, config, connectors: [fx.connector()] });
  });
  afterAll(async () => {
    await service?.close();
    await store?.close();
    await fx?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  const deliveries = async () => (await fx.control<{ results: Array<{ status: number; events: number }> }>('POST', '/hubspot/webhooks/flush')).results;

  it('an edit of an input property reaches the server as a signed event it accepts; an edit of a never-input sends nothing', async () => {
    const sdk = hubspotClient(fx.sandbox);
    const { id } = (await sdk.crm.contacts.basicApi.getPage(1)).results[0];
    await fx.control('PATCH', `/hubspot/contacts/${id}`, { properties: { lifecyclestage: 'opportunity' } });
    expect(await deliveries()).toEqual([]);
    await fx.control('PATCH', `/hubspot/contacts/${id}`, { properties: { age: '61' } });
    const sent = await deliveries();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ status: 200, events: 1 });
  });

  it('a GDPR delete in the sandbox reaches the server as a deletion and a privacy deletion, and the lead is forgotten', async () => {
    const sdk = hubspotClient(fx.sandbox);
    const { id } = (await sdk.crm.contacts.basicApi.getPage(1)).results[0];
    await sdk.crm.contacts.basicApi.purge({ objectId: id });
    const sent = await deliveries();
    expect(sent.at(-1)).toMatchObject({ status: 200, events: 2 });
    const [entry] = await store.audit.list({ key: 'forget.hubspot' });
    expect(entry).toMatchObject({ actor: PRIVACY_DELETION_ACTOR, after: { leads: [id] } });
  });
});
