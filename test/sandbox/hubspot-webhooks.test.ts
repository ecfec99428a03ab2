import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Signature } from '@hubspot/api-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../connectors/sandbox/server.js';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import { control, hubspotClient, sdkError, startHubspot } from './helpers.js';

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

  /** Events until `count` have arrived, in order, across batches. */
  async function eventsUntil(count: number): Promise<Array<Record<string, unknown>>> {
    const events: Array<Record<string, unknown>> = [];
    while (events.length < count) events.push(...JSON.parse((await hook.next()).body));
    return events;
  }

  it('sends contact.deletion with changeFlag DELETED for an archive, single or batch, subscribed through the webhooks API', async () => {
    hook = await receiver();
    const app = await control<{ appId: number; portalId: number }>(sandbox, 'GET', '/hubspot/app');
    const dev = hubspotClient(sandbox, { developerApiKey: sandbox.token }).webhooks;
    await dev.settingsApi.configure(app.appId, { targetUrl: hook.url, throttling: { maxConcurrentRequests: 5 } });
    const sub = await dev.subscriptionsApi.create(app.appId, { eventType: 'contact.deletion' as never, active: true });
    expect(sub.eventType).toBe('contact.deletion');

    const contacts = hubspotClient(sandbox).crm.contacts;
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((n) => contacts.basicApi.create({ properties: { email: `${n}@example.com` }, associations: [] })));
    await contacts.basicApi.archive(a.id);
    await contacts.batchApi.archive({ inputs: [{ id: b.id }, { id: c.id }] });
    // Archiving again changes nothing, so HubSpot reports nothing.
    await contacts.basicApi.archive(a.id);

    const events = await eventsUntil(3);
    await control(sandbox, 'POST', '/hubspot/webhooks/flush');
    expect(hook.received.flatMap((r) => JSON.parse(r.body))).toHaveLength(3);
    expect(events.map((e) => e.objectId)).toEqual([a, b, c].map((x) => Number(x.id)));
    for (const e of events) {
      expect(e).toMatchObject({ subscriptionType: 'contact.deletion', changeFlag: 'DELETED', subscriptionId: sub.id, portalId: app.portalId, appId: app.appId, changeSource: 'INTEGRATION', attemptNumber: 0 });
      expect(typeof e.occurredAt).toBe('number');
    }
    expect(new Set(events.map((e) => e.eventId)).size).toBe(3);
  });

  it('a GDPR delete through the SDK answers 204, leaves no trace in reads, searches or the archived listing, and sends contact.deletion then contact.privacyDeletion', async () => {
    hook = await receiver();
    await control(sandbox, 'PUT', '/hubspot/webhooks', { targetUrl: hook.url, events: [{ eventType: 'contact.deletion' }, { eventType: 'contact.privacyDeletion' }] });
    const contacts = hubspotClient(sandbox).crm.contacts;
    const gone = await contacts.basicApi.create({ properties: { email: 'erase.me@example.com', firstname: 'Erase' }, associations: [] });
    const kept = await contacts.basicApi.create({ properties: { email: 'keep.me@example.com' }, associations: [] });

    const answer = await contacts.basicApi.purgeWithHttpInfo({ objectId: gone.id });
    expect(answer.httpStatusCode).toBe(204);

    expect((await sdkError(contacts.basicApi.getById(gone.id))).code).toBe(404);
    expect((await sdkError(contacts.basicApi.getById(gone.id, undefined, undefined, undefined, true))).code).toBe(404);
    const archivedIds = (await contacts.basicApi.getPage(100, undefined, undefined, undefined, undefined, true)).results.map((r) => r.id);
    expect(archivedIds).not.toContain(gone.id);
    expect((await contacts.basicApi.getPage(100)).results.map((r) => r.id)).toEqual([kept.id]);
    const search = await contacts.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'email', operator: FilterOperatorEnum.Eq, value: 'erase.me@example.com' }] }], limit: 10 });
    expect(search.total).toBe(0);
    // The email is free again: the erased contact no longer holds it.
    expect((await contacts.basicApi.create({ properties: { email: 'erase.me@example.com' }, associations: [] })).id).not.toBe(gone.id);

    const events = await eventsUntil(2);
    expect(events.map((e) => [e.subscriptionType, e.objectId])).toEqual([
      ['contact.deletion', Number(gone.id)],
      ['contact.privacyDeletion', Number(gone.id)],
    ]);
    expect(events[0].changeFlag).toBe('DELETED');
    expect(events[1]).toMatchObject({ changeSource: 'INTEGRATION', attemptNumber: 0 });
    expect(events[1].eventId).not.toBe(events[0].eventId);
  });

  it('a GDPR delete by email, or of an archived contact, sends only what is new; an unknown contact is a 404', async () => {
    hook = await receiver();
    await control(sandbox, 'PUT', '/hubspot/webhooks', { targetUrl: hook.url, events: [{ eventType: 'contact.deletion' }, { eventType: 'contact.privacyDeletion' }] });
    const contacts = hubspotClient(sandbox).crm.contacts;
    const byEmail = await contacts.basicApi.create({ properties: { email: 'by.email@example.com' }, associations: [] });
    const archived = await contacts.basicApi.create({ properties: { email: 'archived@example.com' }, associations: [] });
    await contacts.basicApi.archive(archived.id);
    await contacts.basicApi.purge({ objectId: 'by.email@example.com', idProperty: 'email' });
    await contacts.basicApi.purge({ objectId: archived.id });

    const events = await eventsUntil(4);
    expect(events.map((e) => [e.subscriptionType, e.objectId])).toEqual([
      ['contact.deletion', Number(archived.id)],
      ['contact.deletion', Number(byEmail.id)],
      ['contact.privacyDeletion', Number(byEmail.id)],
      ['contact.privacyDeletion', Number(archived.id)],
    ]);
    expect((await contacts.basicApi.getPage(100, undefined, undefined, undefined, undefined, true)).results).toEqual([]);

    const unknown = await sdkError(contacts.basicApi.purge({ objectId: '999999' }));
    expect(unknown.code).toBe(404);
    expect(unknown.body.category).toBe('OBJECT_NOT_FOUND');
    const missing = await sdkError(contacts.basicApi.purge({} as never));
    expect(missing.code).toBe(400);
    expect(String(missing.body.message)).toMatch(/objectId/);
  });

  it('a merge through the SDK sends one contact.merge event, subscribed through the webhooks API: the primary, the merged id, the new record and how many values moved; no creation or deletion', async () => {
    hook = await receiver();
    const app = await control<{ appId: number; portalId: number }>(sandbox, 'GET', '/hubspot/app');
    const dev = hubspotClient(sandbox, { developerApiKey: sandbox.token }).webhooks;
    await dev.settingsApi.configure(app.appId, { targetUrl: hook.url, throttling: { maxConcurrentRequests: 5 } });
    for (const eventType of ['contact.merge', 'contact.creation', 'contact.deletion']) await dev.subscriptionsApi.create(app.appId, { eventType: eventType as never, active: true });
    const contacts = hubspotClient(sandbox).crm.contacts;
    const primary = await contacts.basicApi.create({ properties: { email: 'm1@example.com', firstname: 'Mo' }, associations: [] });
    const secondary = await contacts.basicApi.create({ properties: { email: 'm2@example.com', firstname: 'M.', jobtitle: 'Buyer', lifecyclestage: 'customer' }, associations: [] });
    await eventsUntil(2); // the two creations
    const merged = await contacts.basicApi.merge({ primaryObjectId: primary.id, objectIdToMerge: secondary.id });

    const [event, ...more] = await eventsUntil(1);
    await control(sandbox, 'POST', '/hubspot/webhooks/flush');
    expect(more).toEqual([]);
    expect(hook.received.flatMap((r) => JSON.parse(r.body))).toHaveLength(3);
    expect(event).toMatchObject({
      subscriptionType: 'contact.merge',
      objectId: Number(primary.id),
      primaryObjectId: Number(primary.id),
      mergedObjectIds: [Number(secondary.id)],
      newObjectId: Number(merged.id),
      // From the secondary: jobtitle, and the further lifecycle stage with its date.
      numberOfPropertiesMoved: 3,
      portalId: app.portalId,
      appId: app.appId,
      changeSource: 'INTEGRATION',
      attemptNumber: 0,
    });
    const read = await contacts.basicApi.getById(merged.id, ['jobtitle', 'lifecyclestage', 'hs_lifecyclestage_customer_date']);
    expect(read.properties).toMatchObject({ jobtitle: 'Buyer', lifecyclestage: 'customer', hs_lifecyclestage_customer_date: expect.any(String) });
  });
});
