import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureV3 } from '../../connectors/sandbox/hubspot/webhook-signature.js';
import { LEAD_OBJECT } from '../../src/jobs/deps.js';
import { PRIVACY_DELETION_ACTOR } from '../../src/server/contact-deletions.js';
import { startServerFixture, type ServerFixture } from './server-fixture.js';

let fx: ServerFixture;
beforeAll(async () => {
  fx = await startServerFixture();
});
afterAll(async () => {
  await fx?.close();
});

const BATCH_UPDATE = '/crm/v3/objects/contacts/batch/update';
const writes = () => fx.sandbox.ctx.log.filter((r) => r.method === 'POST' && r.path.startsWith(BATCH_UPDATE)).length;

async function control(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${fx.sandbox.url}/__sandbox${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A request signed the way HubSpot signs, with the app's secret (or another). */
function signed(events: unknown[], options: { secret?: string; timestamp?: number } = {}) {
  const url = `${fx.url}/webhooks/hubspot`;
  const body = JSON.stringify(events);
  const timestamp = options.timestamp ?? Date.now();
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hubspot-signature-v3': signatureV3(options.secret ?? fx.app.clientSecret, 'POST', url, body, timestamp),
      'x-hubspot-request-timestamp': String(timestamp),
    },
    body,
  });
}

const event = (eventId: number, objectId: string, extra: Record<string, unknown> = {}) => ({
  eventId,
  subscriptionId: 1,
  portalId: fx.app.portalId,
  appId: fx.app.appId,
  occurredAt: Date.now(),
  subscriptionType: 'contact.propertyChange',
  attemptNumber: 0,
  objectId: Number(objectId),
  propertyName: 'poutcome',
  propertyValue: 'success',
  changeSource: 'CRM_UI',
  ...extra,
});

describe('HubSpot webhooks', () => {
  it('rescores a contact within seconds of a signed delivery from the sandbox and writes the new score back', async () => {
    await control('PUT', '/hubspot/webhooks', {
      targetUrl: `${fx.url}/webhooks/hubspot`,
      events: ['poutcome', 'nr_employed', 'euribor3m', 'month', 'contact'].map((propertyName) => ({ eventType: 'contact.propertyChange', propertyName })),
    });
    const latest = await fx.store.scores.latest('hubspot');
    const [leadId, before] = [...latest].sort((a, b) => a[1].score - b[1].score)[0];
    const scoresBefore = (await fx.store.scores.history('hubspot', leadId)).length;

    // A rep marks the lead as a past success in a booming month: every strong factor moves up.
    await control('PATCH', `/hubspot/contacts/${leadId}`, { properties: { poutcome: 'success', nr_employed: '4963.6', euribor3m: '0.7', month: 'mar', contact: 'cellular' } });
    const started = Date.now();
    // Delivered now rather than after the sandbox's batch delay, and answered with a 200.
    const deliveries = (await control('POST', '/hubspot/webhooks/flush')) as { results: Array<{ status: number; events: number }> };
    expect(deliveries.results).toEqual([expect.objectContaining({ status: 200 })]);
    // The rescore runs in the background after the answer: the one wait left.
    const rescored = await waitFor('the rescore', async () => {
      const history = await fx.store.scores.history('hubspot', leadId);
      return history.length > scoresBefore && history[0].pushStatus === 'pushed' ? history[0] : null;
    });
    const seconds = (Date.now() - started) / 1000;
    expect(seconds).toBeLessThan(10);
    expect(rescored.score).not.toBe(before.score);

    const contact = await fx.hubspot.crm.contacts.basicApi.getById(leadId, ['leadlift_score', 'leadlift_tier', 'leadlift_reasons']);
    expect(Number(contact.properties.leadlift_score)).toBe(rescored.score);
    expect(contact.properties.leadlift_tier).toBe(rescored.tier);
    expect(contact.properties.leadlift_reasons).toBe(rescored.reasons);
  });

  it('writes nothing back when a change leaves score, tier and reasons as they are', async () => {
    await fx.deps.loop.idle();
    // Settle first: the lead rescored above reads its own write back once (its trend goes from up to steady).
    await fx.deps.loop.rescore('hubspot');
    const [leadId] = [...(await fx.store.scores.latest('hubspot')).keys()];
    const historyBefore = (await fx.store.scores.history('hubspot', leadId)).length;
    const writesBefore = writes();
    // No lead had a job title when the model trained, so it does not read one: the lead is rescored
    // and scores exactly as before.
    await control('PATCH', `/hubspot/contacts/${leadId}`, { properties: { jobtitle: 'Buyer' } });
    const res = await signed([event(9001, leadId, { propertyName: 'jobtitle', propertyValue: 'Buyer' })]);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 1, duplicates: 0 });
    await fx.deps.loop.idle();
    const history = await fx.store.scores.history('hubspot', leadId);
    expect(history.length).toBe(historyBefore + 1);
    expect(history[0].pushStatus).toBe('unchanged');
    expect(writes()).toBe(writesBefore);
  });

  it('refuses a bad signature, a stale timestamp and a missing signature with 401, and rescores nothing', async () => {
    const [leadId] = [...(await fx.store.scores.latest('hubspot')).keys()];
    const bad = await signed([event(9100, leadId)], { secret: 'not-the-client-secret' });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ error: 'Signature does not match.' });

    const stale = await signed([event(9101, leadId)], { timestamp: Date.now() - 6 * 60_000 });
    expect(stale.status).toBe(401);
    expect((await stale.json()).error).toMatch(/more than five minutes old/);

    const body = JSON.stringify([event(9102, leadId)]);
    const missing = await fetch(`${fx.url}/webhooks/hubspot`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(missing.status).toBe(401);

    // A body altered after signing fails too.
    const url = `${fx.url}/webhooks/hubspot`;
    const timestamp = Date.now();
    const tampered = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': signatureV3(fx.app.clientSecret, 'POST', url, body, timestamp), 'x-hubspot-request-timestamp': String(timestamp) },
      body: body.replace('success', 'failure'),
    });
    expect(tampered.status).toBe(401);

    const metrics = await (await fetch(`${fx.url}/metrics`)).text();
    expect(metrics).toMatch(/leadlift_webhook_events_total\{crm="hubspot",result="rejected"\} [4-9]/);
  });

  it('ignores events it has already seen (HubSpot retries) and its own score writes', async () => {
    const [leadId] = [...(await fx.store.scores.latest('hubspot')).keys()];
    const first = await signed([event(9200, leadId), event(9201, leadId)]);
    expect(await first.json()).toMatchObject({ accepted: 2, duplicates: 0 });
    const retry = await signed([event(9200, leadId, { attemptNumber: 1 }), event(9201, leadId, { attemptNumber: 1 }), event(9202, leadId)]);
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ accepted: 1, duplicates: 2 });
    const own = await signed([event(9203, leadId, { propertyName: 'leadlift_score', propertyValue: '12', changeSource: 'INTEGRATION' })]);
    expect(await own.json()).toMatchObject({ accepted: 0, ignored: 1, contacts: 0 });
    await fx.deps.loop.idle();
  });
});

/** A counter's value on /metrics (0 when it has no sample yet). */
async function metric(name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${fx.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

const rowsFor = async (leadId: string) => ({
  records: (await fx.store.db.selectFrom('records').select('id').where('crm', '=', 'hubspot').where('id', '=', leadId).execute()).length,
  scores: (await fx.store.db.selectFrom('scores').select('lead_id').where('crm', '=', 'hubspot').where('lead_id', '=', leadId).execute()).length,
  snapshots: (await fx.store.db.selectFrom('snapshots').select('lead_id').where('crm', '=', 'hubspot').where('lead_id', '=', leadId).execute()).length,
});

describe('HubSpot deletion webhooks', () => {
  beforeAll(async () => {
    await fx.deps.loop.idle();
    await control('PUT', '/hubspot/webhooks', {
      targetUrl: `${fx.url}/webhooks/hubspot`,
      events: [{ eventType: 'contact.deletion' }, { eventType: 'contact.privacyDeletion' }],
    });
  });

  it('a GDPR delete through the SDK erases the lead’s records, scores and snapshots, audited by id only, with no rescore', async () => {
    const [leadId] = [...(await fx.store.scores.latest('hubspot')).keys()];
    const before = await rowsFor(leadId);
    expect(before.records).toBe(1);
    expect(before.scores).toBeGreaterThan(0);
    expect(before.snapshots).toBeGreaterThan(0);
    const rescores = await metric('leadlift_rescores_total', 'crm="hubspot"');
    const forgottenBefore = await metric('leadlift_webhook_events_total', 'crm="hubspot",result="forgotten"');
    const auditsBefore = (await fx.store.audit.list({ key: 'forget.hubspot' })).length;

    await fx.hubspot.crm.contacts.basicApi.purge({ objectId: leadId });
    // Sent now; the server applies deletions before it answers, so a 200 means they are done.
    const deliveries = (await control('POST', '/hubspot/webhooks/flush')) as { results: Array<{ status: number; events: number }> };
    expect(deliveries.results.at(-1)).toMatchObject({ status: 200, events: 2 });
    expect(await rowsFor(leadId)).toEqual({ records: 0, scores: 0, snapshots: 0 });
    const audits = await fx.store.audit.list({ key: 'forget.hubspot' });
    expect(audits).toHaveLength(auditsBefore + 1);
    expect(audits[0]).toMatchObject({ actor: PRIVACY_DELETION_ACTOR, before: null });
    expect(audits[0].after).toEqual({ crm: 'hubspot', leadCount: 1, leads: [leadId], removed: { records: 1, outcomes: 0, scores: before.scores, snapshots: before.snapshots, stagedOutcomes: 0 } });

    await fx.deps.loop.idle();
    expect(await metric('leadlift_webhook_events_total', 'crm="hubspot",result="forgotten"')).toBe(forgottenBefore + 1);
    expect(await metric('leadlift_rescores_total', 'crm="hubspot"')).toBe(rescores);
  });

  it('an archive through the SDK marks the record archived, and the next push sends nothing for it', async () => {
    const latest = [...(await fx.store.scores.latest('hubspot')).values()];
    const [archived, kept] = latest.filter((s) => s.pushStatus !== 'failed').slice(0, 2);
    // Both get a pending score the CRM does not show yet: a push would write each unless it is rescored first.
    const scoredAt = new Date().toISOString();
    await fx.store.scores.insert('hubspot', [archived, kept].map((s) => ({ leadId: s.leadId, score: (s.score + 1) % 101, tier: s.tier, probability: s.probability, reasons: s.reasons, trend: s.trend, modelVersion: s.modelVersion, scoredAt })));
    const archivedEvents = await metric('leadlift_webhook_events_total', 'crm="hubspot",result="archived"');

    await fx.hubspot.crm.contacts.basicApi.archive(archived.leadId);
    const deliveries = (await control('POST', '/hubspot/webhooks/flush')) as { results: Array<{ status: number; events: number }> };
    expect(deliveries.results.at(-1)).toMatchObject({ status: 200, events: 1 });
    expect((await fx.store.records.archivedAmong('hubspot', LEAD_OBJECT, [archived.leadId])).has(archived.leadId)).toBe(true);
    expect((await fx.store.records.archivedAmong('hubspot', LEAD_OBJECT, [kept.leadId])).size).toBe(0);
    expect(await metric('leadlift_webhook_events_total', 'crm="hubspot",result="archived"')).toBe(archivedEvents + 1);

    await fx.deps.loop.idle();
    const logFrom = fx.sandbox.ctx.log.length;
    const result = await fx.deps.loop.rescore('hubspot');
    const written = fx.sandbox.ctx.log.slice(logFrom).filter((r) => r.method === 'POST' && r.path.startsWith(BATCH_UPDATE)).flatMap((r) => r.inputIds ?? []);
    expect(written).not.toContain(archived.leadId);
    expect(result?.push.archived).toBe(1);
    // Not scored again: its newest score is still the pending one, now failed as deleted.
    const [last] = await fx.store.scores.history('hubspot', archived.leadId);
    expect(last).toMatchObject({ scoredAt, pushStatus: 'failed' });
    expect(last.pushError).toMatch(/deleted/);
    // The other lead was: the rescore did run over the open leads.
    expect((await fx.store.scores.history('hubspot', kept.leadId))[0].scoredAt).not.toBe(scoredAt);
  });

  it('answers with the deletions counted, and rescores nothing for them', async () => {
    const [a, b] = [...(await fx.store.scores.latest('hubspot')).keys()].slice(-2);
    const res = await signed([
      event(9300, a, { subscriptionType: 'contact.deletion', changeFlag: 'DELETED', propertyName: undefined, propertyValue: undefined }),
      event(9301, b, { subscriptionType: 'contact.deletion', changeFlag: 'DELETED', propertyName: undefined, propertyValue: undefined }),
      event(9302, b, { subscriptionType: 'contact.privacyDeletion', propertyName: undefined, propertyValue: undefined }),
      event(9303, b),
    ]);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 1, duplicates: 0, ignored: 0, archived: 2, forgotten: 1, merged: 0, contacts: 0, otherPortal: 0 });
    expect((await fx.store.records.archivedAmong('hubspot', LEAD_OBJECT, [a])).has(a)).toBe(true);
    expect((await rowsFor(b)).records).toBe(0);
    const retry = await signed([event(9302, b, { subscriptionType: 'contact.privacyDeletion', propertyName: undefined, attemptNumber: 1 })]);
    expect(await retry.json()).toMatchObject({ duplicates: 1, forgotten: 0 });
  });

  it('ignores deletions and changes signed for another portal of the app: the lead stays, is not suppressed, and is not rescored', async () => {
    await fx.deps.loop.idle();
    const ids = [...(await fx.store.scores.latest('hubspot')).keys()];
    const archived = await fx.store.records.archivedAmong('hubspot', LEAD_OBJECT, ids);
    const leadId = ids.find((id) => !archived.has(id))!;
    const before = await rowsFor(leadId);
    expect(before.records).toBe(1);
    const rescores = await metric('leadlift_rescores_total', 'crm="hubspot"');
    const audits = (await fx.store.audit.list({ key: 'forget.hubspot' })).length;
    const other = { portalId: fx.app.portalId + 1234567, propertyName: undefined, propertyValue: undefined };
    const res = await signed([
      event(9400, leadId, { ...other, subscriptionType: 'contact.privacyDeletion' }),
      event(9401, leadId, { ...other, subscriptionType: 'contact.deletion', changeFlag: 'DELETED' }),
      event(9402, leadId, { portalId: other.portalId }),
      // An event that names no portal cannot be told to be ours either.
      event(9403, leadId, { portalId: undefined, subscriptionType: 'contact.privacyDeletion', propertyName: undefined }),
    ]);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 0, duplicates: 0, ignored: 0, archived: 0, forgotten: 0, merged: 0, contacts: 0, otherPortal: 4 });
    expect(await rowsFor(leadId)).toEqual(before);
    expect((await fx.store.records.archivedAmong('hubspot', LEAD_OBJECT, [leadId])).size).toBe(0);
    expect((await fx.store.forgottenLeads.among('hubspot', [leadId])).size).toBe(0);
    expect(await fx.store.audit.list({ key: 'forget.hubspot' })).toHaveLength(audits);
    await fx.deps.loop.idle();
    expect(await metric('leadlift_rescores_total', 'crm="hubspot"')).toBe(rescores);
    expect(await metric('leadlift_webhook_events_total', 'crm="hubspot",result="other-portal"')).toBeGreaterThanOrEqual(4);

    // The same event id from the connected portal is not a duplicate of the other portal's, and does forget the lead.
    const ours = await signed([event(9400, leadId, { subscriptionType: 'contact.privacyDeletion', propertyName: undefined, propertyValue: undefined })]);
    expect(await ours.json()).toMatchObject({ forgotten: 1, duplicates: 0, otherPortal: 0 });
    expect(await rowsFor(leadId)).toEqual({ records: 0, scores: 0, snapshots: 0 });
    expect((await fx.store.forgottenLeads.among('hubspot', [leadId])).has(leadId)).toBe(true);
  });
});

describe('HubSpot merge webhooks', () => {
  it('a merge through the SDK archives both old ids before the answer, writes neither, and the merged contact is scored and written within seconds', async () => {
    await fx.deps.loop.idle();
    await control('PUT', '/hubspot/webhooks', { targetUrl: `${fx.url}/webhooks/hubspot`, events: [{ eventType: 'contact.merge' }] });
    const open = new Set((await fx.store.records.listOpen('hubspot', LEAD_OBJECT)).map((r) => r.id));
    const [primary, secondary] = [...(await fx.store.scores.latest('hubspot')).values()].filter((s) => open.has(s.leadId) && s.pushStatus !== 'failed');
    // Both get a pending score the CRM does not show yet: a push would write each unless they are archived first.
    const scoredAt = new Date().toISOString();
    await fx.store.scores.insert('hubspot', [primary, secondary].map((s) => ({ leadId: s.leadId, score: (s.score + 1) % 101, tier: s.tier, probability: s.probability, reasons: s.reasons, trend: s.trend, modelVersion: s.modelVersion, scoredAt })));
    const mergedEvents = await metric('leadlift_webhook_events_total', 'crm="hubspot",result="merged"');
    const logFrom = fx.sandbox.ctx.log.length;

    const merged = await fx.hubspot.crm.contacts.basicApi.merge({ primaryObjectId: primary.leadId, objectIdToMerge: secondary.leadId });
    const started = Date.now();
    const deliveries = (await control('POST', '/hubspot/webhooks/flush')) as { results: Array<{ status: number; events: number }> };
    expect(deliveries.results.at(-1)).toMatchObject({ status: 200, events: 1 });
    // Archived by the time HubSpot has its answer, not at the rescore's sync.
    expect([...(await fx.store.records.archivedAmong('hubspot', LEAD_OBJECT, [primary.leadId, secondary.leadId]))].sort()).toEqual([primary.leadId, secondary.leadId].sort());
    expect(await metric('leadlift_webhook_events_total', 'crm="hubspot",result="merged"')).toBe(mergedEvents + 1);

    // The merged contact is a new lead: the rescore the event started syncs, scores and writes it.
    const score = await waitFor('the merged contact’s score', async () => {
      const [latest] = await fx.store.scores.history('hubspot', merged.id);
      return latest?.pushStatus === 'pushed' ? latest : null;
    });
    expect((Date.now() - started) / 1000).toBeLessThan(10);
    const shown = await fx.hubspot.crm.contacts.basicApi.getById(merged.id, ['leadlift_score', 'leadlift_tier']);
    expect(shown.properties).toMatchObject({ leadlift_score: String(score.score), leadlift_tier: score.tier });
    await fx.deps.loop.idle();
    const written = fx.sandbox.ctx.log.slice(logFrom).filter((r) => r.method === 'POST' && r.path.startsWith(BATCH_UPDATE)).flatMap((r) => r.inputIds ?? []);
    expect(written).toContain(merged.id);
    expect(written).not.toContain(primary.leadId);
    expect(written).not.toContain(secondary.leadId);
    // Their pending scores were not sent, and are not waiting any more.
    expect((await fx.store.scores.pending('hubspot')).map((s) => s.leadId)).not.toContain(primary.leadId);
    expect((await fx.store.scores.pending('hubspot')).map((s) => s.leadId)).not.toContain(secondary.leadId);
  });

  it('without a newObjectId the primary is the record left: only the merged ids are archived, and the primary is rescored', async () => {
    await fx.deps.loop.idle();
    const open = (await fx.store.records.listOpen('hubspot', LEAD_OBJECT)).map((r) => r.id);
    const [kept, gone] = open.slice(-2);
    const res = await signed([event(9500, kept, { subscriptionType: 'contact.merge', propertyName: undefined, propertyValue: undefined, primaryObjectId: Number(kept), mergedObjectIds: [Number(gone)], numberOfPropertiesMoved: 3 })]);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 0, duplicates: 0, ignored: 0, archived: 0, forgotten: 0, merged: 1, contacts: 1, otherPortal: 0 });
    expect([...(await fx.store.records.archivedAmong('hubspot', LEAD_OBJECT, [kept, gone]))]).toEqual([gone]);
    await fx.deps.loop.idle();
  });
});
