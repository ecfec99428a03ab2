import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCycle, type CycleSummary } from '../../src/jobs/cycle.js';
import type { LoopDeps } from '../../src/jobs/deps.js';
import { startSalesforceFixture, type SalesforceFixture } from '../connectors/salesforce/fixture.js';
import { backends, useStore } from '../store/backends.js';
import { loopDeps } from './loop-deps.js';

/** The field-level-security instructions are said when the situation changes, not on every run that writes. */
describe('admin actions after a Salesforce push (sqlite store)', () => {
  const { store } = useStore(backends.find((b) => b.name === 'sqlite')!);
  let fixture: SalesforceFixture;
  beforeAll(async () => {
    fixture = await startSalesforceFixture({ leads: 400 });
  });
  afterAll(() => fixture?.close());

  it('prints them once after the fields are created, not on the next writing run, and again when the schema step recreates a field', async () => {
    const said: string[] = [];
    const deps: LoopDeps = {
      ...loopDeps(store(), fixture.connector(), { loop: { minimumHistory: { closedLeads: 100, conversions: 20 } } }),
      log: (message) => said.push(message),
    };
    const cycle = async (): Promise<CycleSummary> => {
      said.length = 0;
      const outcome = await runCycle(deps);
      if (!outcome.ran) throw new Error(outcome.reason);
      return outcome.summary;
    };
    const adminLines = () => said.filter((m) => m.startsWith('Action for the CRM admin:'));
    const open = [...fixture.sandbox.ctx.hidden.salesforce.keys()];
    // Moves a lead to the other end of the pipeline, so its score changes and the run writes.
    const edit = async (id: string, n: number) => {
      await fixture.jsforce().sobject('Lead').update({ Id: id, age__c: n % 2 === 0 ? 71 : 22, job__c: n % 2 === 0 ? 'retired' : 'services', balance__c: n % 2 === 0 ? 4999 : 0 });
    };

    const first = await cycle();
    expect(first.push.fieldsCreated.length).toBeGreaterThan(0);
    expect(adminLines().join(' ')).toMatch(/field-level security/i);

    let written: CycleSummary | undefined;
    for (let n = 0; n < open.length && !written; n++) {
      await edit(open[n], n);
      const next = await cycle();
      if (next.push.written > 0) written = next;
    }
    expect(written, 'a run that writes').toBeDefined();
    // The connector still reports the actions (the run's summary keeps them); they are not printed again.
    expect(written!.push.adminActions.join(' ')).toMatch(/field-level security/i);
    expect(adminLines()).toEqual([]);

    // Someone deletes a leadlift field: the schema step creates it again, and it starts without field-level security.
    const fields = await fixture.jsforce().tooling.query<{ Id: string; DeveloperName: string }>("SELECT Id, DeveloperName FROM CustomField WHERE TableEnumOrId = 'Lead'");
    const trend = fields.records.find((f) => f.DeveloperName === 'Lead_Score_Trend')!;
    await fixture.jsforce().tooling.sobject('CustomField').destroy(trend.Id);
    let recreated: CycleSummary | undefined;
    for (let n = 1; n < open.length && !recreated; n++) {
      await edit(open[n], n + 1);
      const next = await cycle();
      if (next.push.written > 0) recreated = next;
    }
    expect(recreated!.push.fieldsCreated).toEqual(['Lead.Lead_Score_Trend__c']);
    expect(adminLines().join(' ')).toMatch(/field-level security/i);
  });
});
