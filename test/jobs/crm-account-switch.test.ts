import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrmAccountSwitchedError } from '../../src/jobs/crm-account-check.js';
import { runCycle } from '../../src/jobs/cycle.js';
import { crmAccountSetting } from '../../src/store/crm-account.js';
import { startHubspotFixture, type HubspotFixture } from '../connectors/hubspot/sandbox-fixture.js';
import { control } from '../sandbox/helpers.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

const CONFIG = { model: { trees: 25 }, loop: { minimumHistory: { closedLeads: 50, conversions: 10 }, minAuc: 0 } };
const OTHER_PORTAL = 9_000_002;

/**
 * A store holds one portal's leads: a cycle with a token of another portal (the sandbox's private
 * app moved to another portal, as a HUBSPOT_ACCESS_TOKEN of another account) is refused before it
 * reads or writes anything; `forget --all`'s clear lets the next cycle start afresh there. Official
 * SDK against the sandbox, real stores; the sandbox's request log shows what reached the CRM.
 */
describe.each(backends)('a store holding another HubSpot portal ($name store)', (backend) => {
  const { store } = useStore(backend);
  let fixture: HubspotFixture;
  let firstPortal: number;
  beforeAll(async () => {
    fixture = await startHubspotFixture({ leads: 250, hubspotRateLimit: 1000, hubspotSearchRateLimit: 50 });
    firstPortal = (await control<{ portalId: number }>(fixture.sandbox, 'GET', '/hubspot/app')).portalId;
  });
  afterAll(async () => {
    await control(fixture.sandbox, 'PATCH', '/hubspot/app', { portalId: firstPortal }).catch(() => undefined);
    await fixture?.close();
  });

  const connector = () => fixture.connector({ rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 } });
  const requestsSince = (n: number) => fixture.sandbox.ctx.log.slice(n);
  const scoreWrites = (since: number) => requestsSince(since).filter((r) => r.method !== 'GET' && r.path.startsWith('/crm/v3/objects/contacts/batch/update')).length;

  it('records the portal, refuses another with no CRM call past the account read, and starts afresh after the clear', async () => {
    const first = await runCycle(loopDeps(store(), connector(), CONFIG));
    expect(first.ran).toBe(true);
    expect((await store().settings.get<{ id: string }>(crmAccountSetting('hubspot')))?.value.id).toBe(String(firstPortal));
    // The other CRM's data and the tiers must survive the clear.
    await store().checkpoints.set('salesforce', 'leads', { kind: 'modstamp', at: '2026-01-01T00:00:00.000Z' } as never);
    const modelsBefore = (await store().models.list('hubspot')).length;
    expect(modelsBefore).toBeGreaterThan(0);

    await control(fixture.sandbox, 'PATCH', '/hubspot/app', { portalId: OTHER_PORTAL });
    const mark = fixture.sandbox.ctx.log.length;
    const refused = runCycle(loopDeps(store(), connector(), CONFIG));
    await expect(refused).rejects.toBeInstanceOf(CrmAccountSwitchedError);
    const err = (await refused.catch((e: unknown) => e)) as CrmAccountSwitchedError;
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain(`HubSpot portal ${firstPortal}`);
    expect(err.message).toContain(`belongs to portal ${OTHER_PORTAL}`);
    expect(err.message).toContain('leadlift forget --crm hubspot --all');
    // Only the reads that name the token's portal reached the sandbox: no sync, no schema, no write.
    const sent = requestsSince(mark);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((r) => r.method === 'GET' && (r.path.startsWith('/oauth/v1/access-tokens/') || r.path === '/account-info/v3/details'))).toBe(true);
    const [run] = await store().runs.list({ crm: 'hubspot', limit: 1 });
    expect(run.status).toBe('failed');
    expect(run.error).toContain(`belongs to portal ${OTHER_PORTAL}`);

    const cleared = await store().forgetCrm('hubspot', { actor: 'test' });
    expect(cleared.account?.id).toBe(String(firstPortal));
    expect(cleared.removed.records).toBeGreaterThan(0);
    expect(cleared.removed.models).toBe(modelsBefore);
    expect(await store().models.list('hubspot')).toEqual([]);
    expect(await store().checkpoints.list('hubspot')).toEqual([]);
    expect(await store().checkpoints.list('salesforce')).toHaveLength(1);
    expect(await store().settings.get(crmAccountSetting('hubspot'))).toBeNull();
    const audit = await store().audit.list({ key: 'forget.hubspot' });
    expect(audit.some((a) => (a.after as { all?: boolean }).all === true)).toBe(true);

    const writesMark = fixture.sandbox.ctx.log.length;
    const next = await runCycle(loopDeps(store(), connector(), CONFIG));
    expect(next.ran).toBe(true);
    expect(scoreWrites(writesMark)).toBeGreaterThan(0);
    expect((await store().settings.get<{ id: string }>(crmAccountSetting('hubspot')))?.value.id).toBe(String(OTHER_PORTAL));
  });

  it("sets a forgotten lead's id aside with its portal: the next portal's contact of that id is scored, and reconnecting the first keeps the lead out", async () => {
    await control(fixture.sandbox, 'PATCH', '/hubspot/app', { portalId: firstPortal });
    expect((await runCycle(loopDeps(store(), connector(), CONFIG))).ran).toBe(true);
    // An erasure while the portal still holds the contact: only the suppression list keeps it out.
    const [erased] = [...(await store().scores.latest('hubspot')).keys()];
    await store().forget('hubspot', [erased], { actor: 'test' });
    const scored = async () => (await store().scores.latest('hubspot', [erased])).size;
    expect(await scored()).toBe(0);

    await control(fixture.sandbox, 'PATCH', '/hubspot/app', { portalId: OTHER_PORTAL });
    const cleared = await store().forgetCrm('hubspot', { actor: 'test' });
    expect(cleared.forgotten).toEqual({ setAside: 1, kept: 0 });
    expect(await store().forgottenLeads.count('hubspot')).toBe(0);
    // The other portal's contact with that id is someone else: synced, scored and written.
    const mark = fixture.sandbox.ctx.log.length;
    expect((await runCycle(loopDeps(store(), connector(), CONFIG))).ran).toBe(true);
    expect(await scored()).toBe(1);
    expect(scoreWrites(mark)).toBeGreaterThan(0);

    // Back to the first portal: its list is in force again before the full sync finds the contact there.
    await control(fixture.sandbox, 'PATCH', '/hubspot/app', { portalId: firstPortal });
    expect((await store().forgetCrm('hubspot', { actor: 'test' })).forgotten).toEqual({ setAside: 0, kept: 0 });
    const notes: string[] = [];
    expect((await runCycle({ ...loopDeps(store(), connector(), CONFIG), log: (text: string) => notes.push(text) })).ran).toBe(true);
    expect(notes).toContain(`portal ${firstPortal} was connected before: the 1 lead forgotten then stays out of syncs, scores and pushes.`);
    expect(await scored()).toBe(0);
    expect(await store().forgottenLeads.among('hubspot', [erased])).toEqual(new Set([erased]));
    expect(await store().db.selectFrom('forgotten_leads_set_aside').selectAll().execute()).toEqual([]);
    expect((await store().scores.latest('hubspot')).size).toBeGreaterThan(0);
  });

  it('a store that recorded no account keeps its suppression list in force through the clear', async () => {
    await store().forget('hubspot', ['12345'], { actor: 'test' });
    expect((await store().forgetCrm('hubspot', { actor: 'test' })).forgotten).toEqual({ setAside: 0, kept: 1 });
    expect(await store().forgottenLeads.among('hubspot', ['12345'])).toEqual(new Set(['12345']));
  });

  it('a store from before accounts were recorded adopts the first portal it sees, said once; the same portal reconnecting runs', async () => {
    await control(fixture.sandbox, 'PATCH', '/hubspot/app', { portalId: firstPortal });
    await store().forgetCrm('hubspot', { actor: 'test' });
    // As an older leadlift ran: a connector that names no account leaves none recorded.
    const { accountId: _unused, ...older } = connector();
    void _unused;
    expect((await runCycle(loopDeps(store(), older, CONFIG))).ran).toBe(true);
    expect(await store().settings.get(crmAccountSetting('hubspot'))).toBeNull();

    const notes: string[] = [];
    const deps = () => ({ ...loopDeps(store(), connector(), CONFIG), log: (text: string) => notes.push(text) });
    expect((await runCycle(deps())).ran).toBe(true);
    expect(notes.filter((n) => n.includes('had not recorded which HubSpot portal'))).toEqual([expect.stringContaining(`portal ${firstPortal}`)]);
    expect((await store().settings.get<{ id: string }>(crmAccountSetting('hubspot')))?.value.id).toBe(String(firstPortal));
    // A new connector (a reconnect) to the same portal: runs, and says nothing more about it.
    expect((await runCycle(deps())).ran).toBe(true);
    expect(notes.filter((n) => n.includes('had not recorded'))).toHaveLength(1);
  });
});
