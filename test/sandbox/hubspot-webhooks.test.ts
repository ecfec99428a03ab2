import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Signature } from '@hubspot/api-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../connectors/sandbox/server.js';
import { control, hubspotClient, startHubspot } from './helpers.js';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
  url: string;
}

/** A local webhook receiver that answers with the given statuses in turn (then 200). */
async function receiver(statuses: number[] = []): Promise<{ url: string; received: Received[]; server: Server; next(): Promise<Received> }> {
  const received: Received[] = [];
  const waiters: Array<(r: Received) => void> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const entry = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), url: req.url ?? '' };
      received.push(entry);
      res.statusCode = statuses.shift() ?? 200;
      res.end();
      waiters.shift()?.(entry);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let seen = 0;
  return {
    url: `http://127.0.0.1:${port}/hooks/hubspot?source=sandbox`,
    received,
    server,
    next: () => (seen < received.length ? Promise.resolve(received[seen++]) : new Promise((resolve) => waiters.push((r) => (seen++, resolve(r))))),
  };
}

describe('HubSpot sandbox webhooks', () => {
  let sandbox: RunningSandbox;
  let hook: Awaited<ReturnType<typeof receiver>>;
  afterEach(async () => {
    await sandbox?.close();
    hook?.server.close();
  });

  beforeEach(async () => {
    sandbox = await startHubspot({ hubspot: { webhooks: { batchMs: 50, retryBaseMs: 100 } } });
  });

  it('POSTs batched, v3-signed contact.creation and contact.propertyChange events set up through the webhooks API', async () => {
    hook = await receiver();
    const app = await control<{ appId: number; portalId: number; clientSecret: string }>(sandbox, 'GET', '/hubspot/app');
    const dev = hubspotClient(sandbox, { developerApiKey: sandbox.token }).webhooks;
    await dev.settingsApi.configure(app.appId, { targetUrl: hook.url, throttling: { maxConcurrentRequests: 5 } });
    await dev.subscriptionsApi.create(app.appId, { eventType: 'contact.creation' as never, active: true });
    const sub = await dev.subscriptionsApi.create(app.appId, { eventType: 'contact.propertyChange' as never, propertyName: 'lifecyclestage', active: true });
    expect((await dev.subscriptionsApi.getAll(app.appId)).results).toHaveLength(2);

    const contacts = hubspotClient(sandbox).crm.contacts;
    const created = await contacts.basicApi.create({ properties: { email: 'hook@example.com', lifecyclestage: 'lead' }, associations: [] });
    await contacts.basicApi.update(created.id, { properties: { firstname: 'not subscribed' } });
    await contacts.basicApi.update(created.id, { properties: { lifecyclestage: 'customer' } });

    const events: Array<Record<string, unknown>> = [];
    while (events.length < 3) {
      const delivery = await hook.next();
      const timestamp = Number(delivery.headers['x-hubspot-request-timestamp']);
      expect(Math.abs(Date.now() - timestamp)).toBeLessThan(60_000);
      const valid = Signature.isValid({
        signatureVersion: 'v3',
        signature: String(delivery.headers['x-hubspot-signature-v3']),
        clientSecret: app.clientSecret,
        requestBody: delivery.body,
        url: hook.url,
        method: 'POST',
        timestamp,
      });
      expect(valid).toBe(true);
      expect(Signature.isValid({ signatureVersion: 'v3', signature: String(delivery.headers['x-hubspot-signature-v3']), clientSecret: 'wrong', requestBody: delivery.body, url: hook.url, method: 'POST', timestamp })).toBe(false);
      expect(Signature.isValid({ signatureVersion: 'v1', signature: String(delivery.headers['x-hubspot-signature']), clientSecret: app.clientSecret, requestBody: delivery.body })).toBe(true);
      events.push(...JSON.parse(delivery.body));
    }
    expect(events.map((e) => e.subscriptionType)).toEqual(['contact.creation', 'contact.propertyChange', 'contact.propertyChange']);
    expect(events[0]).toMatchObject({ objectId: Number(created.id), portalId: app.portalId, appId: app.appId, attemptNumber: 0, changeSource: 'INTEGRATION' });
    expect(events[1]).toMatchObject({ subscriptionId: sub.id, propertyName: 'lifecyclestage', propertyValue: 'lead' });
    expect(events[2]).toMatchObject({ propertyName: 'lifecyclestage', propertyValue: 'customer' });
    expect(new Set(events.map((e) => e.eventId)).size).toBe(3);
    expect(typeof events[0].occurredAt).toBe('number');
  });

  it('retries a failed delivery with attemptNumber counting up, and reports CRM_UI edits', async () => {
    hook = await receiver([500]);
    await control(sandbox, 'PUT', '/hubspot/webhooks', { targetUrl: hook.url, events: [{ eventType: 'contact.propertyChange', propertyName: 'hs_lead_status' }] });
    const contact = await hubspotClient(sandbox).crm.contacts.basicApi.create({ properties: { email: 'ui@example.com' }, associations: [] });
    await control(sandbox, 'PATCH', `/hubspot/contacts/${contact.id}`, { properties: { hs_lead_status: 'CONNECTED' } });
    const first = await hook.next();
    const second = await hook.next();
    expect(JSON.parse(first.body)[0]).toMatchObject({ attemptNumber: 0, changeSource: 'CRM_UI', propertyValue: 'CONNECTED', objectId: Number(contact.id) });
    expect(JSON.parse(second.body)[0]).toMatchObject({ attemptNumber: 1, eventId: JSON.parse(first.body)[0].eventId });
    const deliveries = await control<{ results: Array<{ status: number; attemptNumber: number }> }>(sandbox, 'GET', '/hubspot/webhooks/deliveries');
    expect(deliveries.results.map((d) => [d.status, d.attemptNumber])).toEqual([
      [500, 0],
      [200, 1],
    ]);
  });
});
