import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubspotDailyLimitError } from '../../connectors/hubspot/index.js';
import { runCycle } from '../../src/jobs/cycle.js';
import { LEAD_OBJECT } from '../../src/jobs/deps.js';
import { crmShownScores } from '../../src/jobs/crm-shown-scores.js';
import { pushPendingScores } from '../../src/jobs/push.js';
import { scoreOpenLeads } from '../../src/jobs/score.js';
import { TIERS_SETTING, tiersInUse } from '../../src/jobs/tiers-in-use.js';
import { startHubspotFixture, type HubspotFixture } from '../connectors/hubspot/sandbox-fixture.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

const LEADS = 250;

describe.each(backends)("HubSpot's daily API limit for private apps spent ($name store)", (backend) => {
  const { store } = useStore(backend);
  let fixture: HubspotFixture;
  beforeAll(async () => {
    fixture = await startHubspotFixture({ leads: LEADS, hubspotRateLimit: 1000, hubspotSearchRateLimit: 50 });
  });
  afterAll(() => fixture?.close());

  const deps = (writeSize = 100) => {
    const connector = fixture.connector({ rateLimit: { requestsPerWindow: 1000, searchPerSecond: 50 }, batch: { writeSize } });
    const base = loopDeps(store(), connector);
    const loop = { ...base.config.loop, minimumHistory: { closedLeads: 50, conversions: 10 }, minAuc: 0 };
    return { ...base, config: { ...base.config, loop } };
  };
  /** The sandbox clock to the next midnight UTC (the sandbox portal's time zone): a new day's allowance. */
  const nextDay = async () => {
    const { now } = await fixture.control<{ now: number }>('GET', '/clock');
    const day = new Date(now);
    await fixture.control('POST', '/clock/advance', { ms: Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() + 1) - now });
  };
  const allowance = (hubspotDailyLimit: number) => fixture.control('PATCH', '/options', { hubspotDailyLimit });
  // The token-details lookup of the cycle's account check (a private-app token has none, so the account details answer) is OAuth's, outside the API's daily allowance.
  const crmRequests = (from: number) => fixture.sandbox.ctx.log.slice(from).filter((r) => r.crm === 'hubspot' && !r.path.startsWith('/oauth/v1/access-tokens/'));

  it('stops the sync at once, saying which limit and when it resets; the next day it resumes from the last stored page', async () => {
    await nextDay();
    await allowance(6);
    const from = fixture.sandbox.ctx.log.length;
    const err = await runCycle(deps()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HubspotDailyLimitError);
    expect((err as Error).message).toMatch(/daily API limit for private apps \(6 requests a day\), which every private app in the portal draws on, is spent/);
    // The usage read at the start of the sync (one of the 6) said when: the next midnight in the portal's time zone (UTC, the sandbox's).
    const { now } = await fixture.control<{ now: number }>('GET', '/clock');
    const midnight = new Date(Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate() + 1));
    const local = `${midnight.toISOString().slice(0, 10)} 00:00`;
    expect((err as HubspotDailyLimitError).resetsAt).toBe(midnight.toISOString());
    expect((err as Error).message).toContain(`HubSpot resets it at ${midnight.toISOString()} (${local} in the portal's time zone, UTC). Nothing was lost`);
    expect((err as Error).message).toMatch(/the first run after the reset resumes from the last checkpoint/);
    // Not retried: each of the two streams (leads, outcomes) met the refusal once and stopped.
    const refused = crmRequests(from).filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused.length).toBeLessThanOrEqual(2);
    expect(crmRequests(from)).toHaveLength(6 + refused.length);
    const storedBefore = await store().records.count('hubspot', LEAD_OBJECT, { includeArchived: true });
    expect(storedBefore).toBeGreaterThan(0);
    expect(storedBefore).toBeLessThan(LEADS);

    await nextDay();
    await allowance(250_000);
    const resumed = await runCycle(deps(), { forceTrain: true });
    if (!resumed.ran) throw new Error(resumed.reason);
    expect(await store().records.count('hubspot', LEAD_OBJECT, { includeArchived: true })).toBe(LEADS);
    // Resumed where it stopped, not from the start: only the rest was read.
    expect(resumed.summary.sync.received.leads).toBe(LEADS - storedBefore);
  });

  it('a push that meets it stops there: what was written stays written, the rest stays pending for the next day', async () => {
    await nextDay();
    await allowance(250_000);
    const first = await runCycle(deps(20), { forceTrain: true });
    if (!first.ran) throw new Error(first.reason);
    const open = (await store().records.listOpen('hubspot', LEAD_OBJECT)).length;
    expect(open).toBeGreaterThan(40);
    // New tier names rewrite every open lead. The first time measures the requests a push needs before its writes.
    await store().settings.set(TIERS_SETTING, [{ name: 'A', min: 30 }, { name: 'B', min: 15 }, { name: 'C', min: 5 }, { name: 'D', min: 0 }], 'manager@example.com');
    await runScoring();
    let from = fixture.sandbox.ctx.log.length;
    const measured = await pushPendingScores(deps(20), await tiersInUse(store(), deps(20).config));
    expect(measured.written).toBe(open);
    const before = crmRequests(from).filter((r) => !r.path.startsWith('/crm/v3/objects/contacts/batch/update')).length;

    await store().settings.set(TIERS_SETTING, [{ name: 'P1', min: 30 }, { name: 'P2', min: 15 }, { name: 'P3', min: 5 }, { name: 'P4', min: 0 }], 'manager@example.com');
    await runScoring();
    await nextDay();
    // Enough for the reads before the writes and one batch of 20.
    await allowance(before + 1);
    from = fixture.sandbox.ctx.log.length;
    const stopped = await pushPendingScores(deps(20), await tiersInUse(store(), deps(20).config));
    expect(stopped.written).toBe(20);
    expect(stopped.failed).toBe(0);
    expect(stopped.retryLater).toBe(open - 20);
    expect(stopped.stopped?.reason).toMatch(/daily API limit for private apps/);
    expect(await store().scores.pending('hubspot')).toHaveLength(open - 20);
    expect(crmRequests(from).filter((r) => r.status === 429).length).toBeLessThanOrEqual(2);

    await nextDay();
    await allowance(250_000);
    const tiers = await tiersInUse(store(), deps(20).config);
    // The CRM as leadlift last wrote it (nothing edited there): the sandbox clock, a day ahead now,
    // would otherwise date the stored reads after these pushes and have them all rewritten.
    const rest = await pushPendingScores(deps(20), tiers, { ...crmShownScores(tiers), complete: true });
    expect(rest.written).toBe(open - 20);
    expect(await store().scores.pending('hubspot')).toHaveLength(0);
  });

  /** Scores every open lead again under the tiers now set, without pushing. */
  async function runScoring(): Promise<void> {
    const d = deps(20);
    await scoreOpenLeads(d, await tiersInUse(d.store, d.config), { reference: 'refresh' });
  }
});
