import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAILY_RESERVE_SHARE } from '../../connectors/hubspot/daily-push-hold.js';
import { runCycle } from '../../src/jobs/cycle.js';
import { TIERS_SETTING } from '../../src/jobs/tiers-in-use.js';
import { startHubspotFixture, type HubspotFixture } from '../connectors/hubspot/sandbox-fixture.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

const LEADS = 250;
const WRITE_SIZE = 10;
const USAGE_PATH = '/account-info/v3/api-usage/daily/private-apps';

describe.each(backends)("HubSpot's daily usage, read as each sync begins ($name store)", (backend) => {
  const { store } = useStore(backend);
  let fixture: HubspotFixture;
  beforeAll(async () => {
    fixture = await startHubspotFixture({ leads: LEADS, hubspotRateLimit: 1000, hubspotSearchRateLimit: 50 });
  });
  afterAll(() => fixture?.close());

  const deps = (logged: Array<{ text: string; level?: string; at: number }> = []) => {
    const connector = fixture.connector({ rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 }, batch: { writeSize: WRITE_SIZE } });
    const base = loopDeps(store(), connector);
    const loop = { ...base.config.loop, minimumHistory: { closedLeads: 50, conversions: 10 }, minAuc: 0 };
    return { ...base, config: { ...base.config, loop }, log: (text: string, level?: string) => void logged.push({ text, level, at: fixture.sandbox.ctx.log.length }) };
  };
  const nextDay = async () => {
    const { now } = await fixture.control<{ now: number }>('GET', '/clock');
    const day = new Date(now);
    await fixture.control('POST', '/clock/advance', { ms: Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() + 1) - now });
  };
  const allowance = (hubspotDailyLimit: number) => fixture.control('PATCH', '/options', { hubspotDailyLimit });
  const crmRequests = (from: number) => fixture.sandbox.ctx.log.slice(from).filter((r) => r.crm === 'hubspot');
  const isWrite = (r: { path: string }) => r.path.startsWith('/crm/v3/objects/contacts/batch/update');
  const setTiers = (prefix: string) =>
    store().settings.set(TIERS_SETTING, ['30', '15', '5', '0'].map((min, i) => ({ name: `${prefix}${i + 1}`, min: Number(min) })), 'manager@example.com');

  it('keeps the usage in the sync summary; a push the day cannot finish writes what fits, holds the rest pending, and says so before it writes', async () => {
    await nextDay();
    await allowance(250_000);
    const first = await runCycle(deps(), { forceTrain: true });
    if (!first.ran) throw new Error(first.reason);
    expect(first.summary.sync.dailyLimit).toMatchObject({ usageLimit: 250_000, timeZone: 'UTC' });
    // The sandbox counted the usage read itself before answering: at least that one.
    expect(first.summary.sync.dailyLimit!.currentUsage).toBeGreaterThanOrEqual(1);
    expect(first.summary.push.dailyLimit).toBeUndefined();

    // New tier names rewrite every open lead: this cycle measures the requests a cycle makes besides its writes.
    await setTiers('Q');
    let from = fixture.sandbox.ctx.log.length;
    const measured = await runCycle(deps());
    if (!measured.ran) throw new Error(measured.reason);
    const reads = crmRequests(from).filter((r) => !isWrite(r)).length;
    const batches = crmRequests(from).filter(isWrite).length;
    expect(batches).toBeGreaterThanOrEqual(4);

    // A new day whose allowance leaves room for the reads and about two of the writes above the reserve.
    await setTiers('R');
    await nextDay();
    let limit = reads;
    while (limit - reads - Math.ceil(limit * DAILY_RESERVE_SHARE) < 2) limit += 1;
    await allowance(limit);
    const logged: Array<{ text: string; level?: string; at: number }> = [];
    from = fixture.sandbox.ctx.log.length;
    const held = await runCycle(deps(logged));
    if (!held.ran) throw new Error(held.reason);
    const { push } = held.summary;
    const writes = crmRequests(from).filter(isWrite);
    expect(push.dailyLimit).toBeDefined();
    expect(push.dailyLimit!.needed).toBeGreaterThan(writes.length);
    expect(push.stopped).toEqual({ reason: expect.stringMatching(/^Held to stay within HubSpot's daily API limit for private apps/), unwritten: push.dailyLimit!.held });
    expect(push.stopped!.reason).toContain(`resets at ${push.dailyLimit!.resetsAt}`);
    // What was written is recorded as written, what was held stays pending: nothing unaccounted.
    expect(push.written).toBe(writes.length * WRITE_SIZE);
    expect(push.dailyLimit!.held).toBeGreaterThan(0);
    expect(await store().scores.pending('hubspot')).toHaveLength(push.dailyLimit!.held);
    // Held before it met the limit: HubSpot refused nothing, and the portal's other apps keep the reserve.
    expect(crmRequests(from).filter((r) => r.status === 429)).toHaveLength(0);
    // Said at warn before the first write was sent.
    const warned = logged.find((l) => l.level === 'warn' && l.text.startsWith("Held to stay within HubSpot's daily API limit") && l.text.includes(`Writing ${push.written} scores of`));
    expect(warned).toBeDefined();
    const firstWrite = fixture.sandbox.ctx.log.findIndex((r, i) => i >= from && r.crm === 'hubspot' && isWrite(r));
    expect(warned!.at).toBeLessThanOrEqual(firstWrite);

    // The next day the held scores go.
    await nextDay();
    await allowance(250_000);
    const after = await runCycle(deps());
    if (!after.ran) throw new Error(after.reason);
    expect(after.summary.push.dailyLimit).toBeUndefined();
    expect(await store().scores.pending('hubspot')).toHaveLength(0);
  });

  it('a usage read that fails does not fail the sync: it goes on without the figure, saying why', async () => {
    await nextDay();
    await allowance(250_000);
    await fixture.control('POST', '/faults', { pathPattern: `^${USAGE_PATH}`, kind: 'server-error', status: 503, count: 1 });
    const logged: Array<{ text: string; level?: string; at: number }> = [];
    const from = fixture.sandbox.ctx.log.length;
    const outcome = await runCycle(deps(logged));
    if (!outcome.ran) throw new Error(outcome.reason);
    expect(outcome.summary.sync.dailyLimit).toBeUndefined();
    expect(outcome.summary.sync.notes.some((n) => n.startsWith("HubSpot's daily API usage could not be read, so the sync goes on without it"))).toBe(true);
    // One try, not the back-off's: the read is worth no wait.
    expect(crmRequests(from).filter((r) => r.path === USAGE_PATH)).toHaveLength(1);
  });

  it('an OAuth app has no daily limit: nothing is read', async () => {
    const oauth = fixture.connector({ accessToken: undefined, accessTokenProvider: async () => fixture.sandbox.token });
    const from = fixture.sandbox.ctx.log.length;
    expect(await oauth.readDailyUsage()).toEqual({ usage: null });
    expect(crmRequests(from)).toHaveLength(0);
  });
});
