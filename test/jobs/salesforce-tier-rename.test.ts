import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCycle } from '../../src/jobs/cycle.js';
import { pushPendingScores } from '../../src/jobs/push.js';
import { RETIRING_STREAM, retireTierOptions, schemaFields } from '../../src/jobs/retiring-tier-options.js';
import { scoreOpenLeads } from '../../src/jobs/score.js';
import { syncFromCrm } from '../../src/jobs/sync.js';
import { TIERS_SETTING, tiersInUse } from '../../src/jobs/tiers-in-use.js';
import type { Store } from '../../src/store/store.js';
import { startSalesforceFixture, type SalesforceFixture } from '../connectors/salesforce/fixture.js';
import { backends, type TestDatabase } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

/**
 * The Salesforce half of test/server/tier-rename-options.test.ts, at the jobs level (the server
 * fixture is HubSpot-only): the admin page's save is retireTierOptions + ensureSchema, then the
 * loop runner's rescore is sync, score, push. What a list view or report sees is read through
 * jsforce: the field's active picklist values (describe) and the values the leads hold (SOQL).
 */
const FIELD = 'Lead_Score_Tier__c';

let fx: SalesforceFixture;
let database: TestDatabase;
let store: Store;
beforeAll(async () => {
  fx = await startSalesforceFixture({ leads: 600, openFraction: 0.3 });
  database = await backends.find((b) => b.name === 'sqlite')!.fresh();
  store = await database.open();
});
afterAll(async () => {
  await store?.close();
  await database?.cleanup();
  await fx?.close();
});

async function activeValues(): Promise<string[]> {
  const field = (await fx.jsforce().sobject('Lead').describe()).fields.find((f) => f.name === FIELD)!;
  return field.picklistValues!.filter((p) => p.active).map((p) => p.value);
}

/** Lead id -> tier value as Salesforce holds it now. */
async function heldTiers(): Promise<Map<string, string>> {
  const rows = await fx.jsforce().query<{ Id: string; Lead_Score_Tier__c: string | null }>(`SELECT Id, ${FIELD} FROM Lead WHERE ${FIELD} != null`, { autoFetch: true, maxFetch: 100_000 });
  return new Map(rows.records.map((r) => [r.Id, r.Lead_Score_Tier__c!]));
}

/** Values first, then leads: a deactivation only follows the last rewrite, so a value read after its option went is a gap. */
async function gaps(): Promise<string[]> {
  const active = new Set(await activeValues());
  return [...new Set((await heldTiers()).values())].filter((t) => !active.has(t));
}

const fieldMetadata = async () => {
  const [cf] = (await fx.jsforce().tooling.query<{ Id: string }>(`SELECT Id FROM CustomField WHERE TableEnumOrId = 'Lead' AND DeveloperName = 'Lead_Score_Tier'`)).records;
  return ((await fx.jsforce().tooling.sobject('CustomField').retrieve(cf.Id)) as unknown as { Metadata: { valueSet: { valueSetDefinition: { value: Array<{ fullName: string; isActive?: boolean | null }> } } } }).Metadata;
};

describe('renaming a tier with Salesforce connected', () => {
  it('keeps the old picklist value active while leads hold it, and deactivates it once the rescore rewrote the open leads', async () => {
    const connector = fx.connector({ bulkPollIntervalMs: 20 });
    const deps = loopDeps(store, connector, { model: { trees: 15 } });
    const first = await runCycle(deps);
    if (!first.ran) throw new Error(first.reason);
    const previous = await tiersInUse(store, deps.config);
    const old = previous[0].name;
    expect([...(await heldTiers()).values()]).toContain(old);

    // What the admin page's save does.
    const renamed = previous.map((t, i) => (i === 0 ? { ...t, name: 'A-list' } : t));
    await store.settings.set(TIERS_SETTING, renamed, 'manager@example.com');
    expect(await retireTierOptions(store, 'salesforce', previous, renamed)).toEqual([old]);
    const report = await connector.ensureSchema(await schemaFields(store, deps.manifest, 'salesforce', renamed));
    expect(report.updated).toEqual([`Lead.${FIELD}`]);
    expect(await activeValues()).toEqual([...renamed.map((t) => t.name), old]);
    expect(await gaps()).toEqual([]);

    // The rescore, as the loop runner runs it; every value a lead holds stays active throughout.
    let done = false;
    const rescore = (async () => {
      await syncFromCrm(deps);
      const tiers = await tiersInUse(store, deps.config);
      await scoreOpenLeads(deps, tiers, { reference: 'stored' });
      return pushPendingScores(deps, tiers);
    })().finally(() => (done = true));
    while (!done) expect(await gaps()).toEqual([]);
    const push = await rescore;
    expect(push.schemaChanges).toContain(`salesforce tier options removed: ${old}`);

    const held = await heldTiers();
    const open = [...fx.sandbox.ctx.hidden.salesforce.keys()];
    expect(open.length).toBeGreaterThan(0);
    expect(open.filter((id) => held.get(id) === old)).toEqual([]);
    expect(open.filter((id) => held.get(id) === 'A-list').length).toBeGreaterThan(0);
    expect(await activeValues()).toEqual(renamed.map((t) => t.name));
    expect(await store.checkpoints.get('salesforce', RETIRING_STREAM)).toBeNull();
    expect(await gaps()).toEqual([]);

    // Salesforce keeps a dropped value, inactive; that is no difference to correct on the next push.
    const kept = (await fieldMetadata()).valueSet.valueSetDefinition.value.find((v) => v.fullName === old);
    expect(kept?.isActive).toBe(false);
    const again = await connector.ensureSchema(await schemaFields(store, deps.manifest, 'salesforce', renamed));
    expect(again.updated).toEqual([]);
  });
});
