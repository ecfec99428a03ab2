import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCycle } from '../../src/jobs/cycle.js';
import { LEAD_OBJECT, LEADS_STREAM, OUTCOMES_STREAM } from '../../src/jobs/deps.js';
import { startServerFixture, type ServerFixture } from './server-fixture.js';

/**
 * A webhook's rescore reads only the contacts the events named (the SDK's batch read), not an
 * incremental sync: the real server, the sandbox's webhooks and its request log.
 */
let fx: ServerFixture;
beforeAll(async () => {
  fx = await startServerFixture();
  await control('PUT', '/hubspot/webhooks', {
    targetUrl: `${fx.url}/webhooks/hubspot`,
    events: ['poutcome', 'month', 'lifecyclestage'].map((propertyName) => ({ eventType: 'contact.propertyChange', propertyName })),
  });
});
afterAll(async () => {
  await fx?.close();
});

const BATCH_READ = '/crm/v3/objects/contacts/batch/read';
const SEARCH = '/crm/v3/objects/contacts/search';

async function control(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${fx.sandbox.url}/__sandbox${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** The sandbox's HubSpot API requests from `from` on (the control API's own are not the CRM's). */
const apiCalls = (from: number) => fx.sandbox.ctx.log.slice(from).filter((r) => r.crm === 'hubspot' && !r.path.startsWith('/__sandbox'));
const cursors = async () => ({ leads: await fx.store.checkpoints.get('hubspot', LEADS_STREAM), outcomes: await fx.store.checkpoints.get('hubspot', OUTCOMES_STREAM) });

/** A rep's edit through the sandbox, delivered as HubSpot's webhook, and the rescore after it done. */
async function editAndDeliver(leadId: string, properties: Record<string, string>): Promise<void> {
  await control('PATCH', `/hubspot/contacts/${leadId}`, { properties });
  const deliveries = (await control('POST', '/hubspot/webhooks/flush')) as { results: Array<{ status: number }> };
  expect(deliveries.results.at(-1)).toMatchObject({ status: 200 });
  await fx.deps.loop.idle();
}

describe('a webhook rescore of the contacts it names', () => {
  it('reads the edited contact by id, writes its new score, moves no cursor, and the next hourly cycle scores it the same', async () => {
    const latest = await fx.store.scores.latest('hubspot');
    const [leadId, before] = [...latest].sort((a, b) => a[1].score - b[1].score)[0];
    const cursorsBefore = await cursors();
    const from = fx.sandbox.ctx.log.length;

    await editAndDeliver(leadId, { poutcome: 'success', month: 'oct' });

    const calls = apiCalls(from);
    // Only the named contact was read, by id; the first cycle's write-back, which the CRM dates
    // as edits of every open contact, was not read back.
    expect(calls.filter((r) => r.path.startsWith(SEARCH))).toEqual([]);
    const reads = calls.filter((r) => r.path.startsWith(BATCH_READ));
    expect(reads.map((r) => r.inputIds)).toEqual([[leadId]]);
    // The batch read, the portal's properties, the deal associations, the push's schema check, the
    // portal id for the webhook and the write: a handful, where the incremental sync took hundreds.
    expect(calls.length).toBeLessThanOrEqual(8);
    expect(await cursors()).toEqual(cursorsBefore);

    const [rescored] = await fx.store.scores.history('hubspot', leadId);
    expect(rescored.pushStatus).toBe('pushed');
    expect(rescored.score).not.toBe(before.score);
    const contact = await fx.hubspot.crm.contacts.basicApi.getById(leadId, ['leadlift_score', 'leadlift_tier', 'leadlift_reasons']);
    expect(Number(contact.properties.leadlift_score)).toBe(rescored.score);
    expect(contact.properties.leadlift_tier).toBe(rescored.tier);
    // Stored as the sync stores it: the edit is in the lead's record.
    const [record] = await fx.store.records.listOpen('hubspot', LEAD_OBJECT, { ids: [leadId] });
    expect(record.properties).toMatchObject({ poutcome: 'success', month: 'oct' });

    // The hourly cycle still reads everything since its cursor, this contact included, finds it
    // as stored (no changed lead counted twice), gives it the same score, and writes nothing for it.
    const cycleFrom = fx.sandbox.ctx.log.length;
    const cycle = await runCycle({ store: fx.store, config: fx.deps.config, manifest: fx.deps.manifest, connector: fx.deps.connections.get('hubspot')! });
    if (!cycle.ran) throw new Error(cycle.reason);
    expect(cycle.summary.sync.received.leads).toBeGreaterThan(1);
    expect(cycle.summary.sync.leadsChanged).toBe(0);
    expect(await cursors()).not.toEqual(cursorsBefore);
    const [after] = await fx.store.scores.history('hubspot', leadId);
    expect(after.score).toBe(rescored.score);
    expect(after.tier).toBe(rescored.tier);
    expect(after.reasons).toBe(rescored.reasons);
    const written = apiCalls(cycleFrom).filter((r) => r.path.startsWith('/crm/v3/objects/contacts/batch/update')).flatMap((r) => r.inputIds ?? []);
    expect(written).not.toContain(leadId);
  });

  it('closes a contact that became a customer, as the outcome sync would, and scores nothing for it', async () => {
    const open = await fx.store.records.listOpen('hubspot', LEAD_OBJECT, { limit: 5 });
    const leadId = open[2].id;
    const cursorsBefore = await cursors();
    const historyBefore = (await fx.store.scores.history('hubspot', leadId)).length;

    await editAndDeliver(leadId, { lifecyclestage: 'customer' });

    const outcomes = await fx.store.outcomes.list('hubspot');
    expect(outcomes.find((o) => o.leadId === leadId)).toMatchObject({ outcome: 'won' });
    expect(await fx.store.records.listOpen('hubspot', LEAD_OBJECT, { ids: [leadId] })).toEqual([]);
    expect((await fx.store.scores.history('hubspot', leadId)).length).toBe(historyBefore);
    expect(await cursors()).toEqual(cursorsBefore);
  });

  it('syncs instead when more contacts are named than reading them by id is worth', async () => {
    const connector = fx.deps.connections.get('hubspot')!;
    const limit = connector.readLeadsLimit!;
    const ids = (await fx.store.records.listOpen('hubspot', LEAD_OBJECT, { limit: limit + 1 })).map((r) => r.id);
    expect(ids.length).toBe(limit + 1);
    const from = fx.sandbox.ctx.log.length;
    await fx.deps.loop.rescore('hubspot', ids);
    const calls = apiCalls(from);
    expect(calls.filter((r) => r.path.startsWith(BATCH_READ))).toEqual([]);
    expect(calls.filter((r) => r.path.startsWith(SEARCH)).length).toBeGreaterThan(0);
  });
});
