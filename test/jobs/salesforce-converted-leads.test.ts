import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stateFor } from '../../connectors/sandbox/salesforce/state.js';
import { runCycle, type CycleSummary } from '../../src/jobs/cycle.js';
import { LEAD_OBJECT, type LoopDeps } from '../../src/jobs/deps.js';
import type { Store } from '../../src/store/store.js';
import { startSalesforceFixture, type SalesforceFixture } from '../connectors/salesforce/fixture.js';
import { backends, type TestDatabase } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

/**
 * A lead converted to an opportunity that is still open has no outcome yet, but it is no lead to
 * call any more, and a Salesforce org refuses every edit of it (CANNOT_UPDATE_CONVERTED_LEAD)
 * unless its Lead Settings allow it. So it is neither scored nor written: before, each cycle
 * rescored it and sent a write the org refused.
 */

const OVERRIDES = { model: { trees: 15 }, loop: { minimumHistory: { closedLeads: 100, conversions: 20 } } };

async function cycle(deps: LoopDeps): Promise<CycleSummary> {
  const outcome = await runCycle(deps);
  if (!outcome.ran) throw new Error(outcome.reason);
  return outcome.summary;
}

describe.each(backends)('Salesforce leads converted while their opportunity is open ($name store)', (backend) => {
  let database: TestDatabase;
  let store: Store;
  let fx: SalesforceFixture;
  let deps: LoopDeps;
  let open: string[];
  let converted: string[];
  beforeAll(async () => {
    database = await backend.fresh();
    store = await database.open();
    fx = await startSalesforceFixture({ leads: 500, openFraction: 0.3 });
    // A new org's Lead Settings: converted leads cannot be edited.
    await fx.control('PATCH', '/options', { salesforceEditConvertedLeads: false });
    deps = loopDeps(store, fx.connector(), OVERRIDES);
    open = [...fx.sandbox.ctx.hidden.salesforce.keys()];
    converted = open.slice(0, 5);
  });
  afterAll(async () => {
    await fx?.close();
    await store?.close();
    await database?.cleanup();
  });

  /** Converts leads as a rep does in Salesforce: an open opportunity, the lead marked converted. */
  async function convert(ids: string[]): Promise<void> {
    const conn = fx.jsforce();
    // An edit of an input the model reads, so an open lead would be rescored and written.
    await conn.sobject('Lead').update(ids.map((Id) => ({ Id, Title: 'Head of Purchasing' })));
    const leads = stateFor(fx.sandbox.ctx).records.get('Lead')!;
    for (const id of ids) {
      const opportunity = (await conn.sobject('Opportunity').create({ Name: `Deal ${id}`, StageName: 'Prospecting', CloseDate: '2027-03-31' })) as { id: string };
      Object.assign(leads.get(id)!, { IsConverted: true, Status: 'Closed - Converted', ConvertedDate: new Date(fx.sandbox.ctx.clock.now()).toISOString().slice(0, 10), ConvertedOpportunityId: opportunity.id });
    }
  }

  it('are not scored or written once converted, with nothing refused; the other open leads still are', async () => {
    const first = await cycle(deps);
    expect(first.score.scored).toBe(open.length);
    expect(first.push.failed).toBe(0);
    const before = await store.scores.latest('salesforce', converted);

    await convert(converted);
    const second = await cycle(deps);
    expect(second.push.failed).toBe(0);
    expect(second.score.scored).toBe(open.length - converted.length);
    expect(await store.records.countOpen('salesforce', LEAD_OBJECT)).toBe(open.length - converted.length);
    // No outcome: the opportunity is open.
    for (const id of converted) expect(await store.outcomes.get('salesforce', id)).toBeNull();
    const after = await store.scores.latest('salesforce', converted);
    for (const id of converted) expect(after.get(id)!.scoredAt).toBe(before.get(id)!.scoredAt);
  });

  it('a score still waiting to be written when its lead was converted is not sent, and says why', async () => {
    const [lead] = converted;
    const last = (await store.scores.latest('salesforce', [lead])).get(lead)!;
    const scoredAt = new Date(Date.parse(last.scoredAt) + 1000).toISOString();
    await store.scores.insert('salesforce', [{ ...last, score: last.score === 99 ? 98 : last.score + 1, scoredAt }], 'pending');

    const third = await cycle(deps);
    expect(third.push.failed).toBe(0);
    const stored = (await store.scores.latest('salesforce', [lead])).get(lead)!;
    expect(stored.pushStatus).toBe('failed');
    expect(stored.pushError).toBe(
      `Not written: Salesforce lead ${lead} was converted after it was scored, and Salesforce does not let a converted lead be edited. ` +
        "Nothing to do: it is no longer scored as an open lead, and its opportunity's outcome is what the model learns from.",
    );
  });
});
