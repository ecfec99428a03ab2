import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../connectors/sandbox/server.js';
import { connect, control, makeLeads, rejection, startSalesforce } from './helpers.js';

/**
 * A converted lead is frozen in a new org: every update of it is refused with
 * CANNOT_UPDATE_CONVERTED_LEAD ("cannot reference converted lead"), whichever API sends it
 * (Salesforce Help 000384333). A client that writes onto converted leads (scores on a lead whose
 * opportunity is still open, say) must see that here, not only against a real org.
 */
describe('Salesforce sandbox: updates of converted leads', () => {
  let sandbox: RunningSandbox;
  let converted: string[];
  let open: string[];
  beforeAll(async () => {
    sandbox = await startSalesforce({ seed: makeLeads(60, 0.5) });
    const conn = connect(sandbox);
    converted = (await conn.query<{ Id: string }>('SELECT Id FROM Lead WHERE IsConverted = true ORDER BY CreatedDate')).records.map((r) => r.Id);
    open = (await conn.query<{ Id: string }>('SELECT Id FROM Lead WHERE IsConverted = false ORDER BY CreatedDate')).records.map((r) => r.Id);
  });
  afterEach(async () => control(sandbox, 'PATCH', '/options', { salesforceEditConvertedLeads: false }));
  afterAll(async () => sandbox.close());

  const titleOf = async (id: string) => ((await connect(sandbox).sobject('Lead').retrieve(id)) as { Title: string | null }).Title;

  it('a single-record update is the 400 CANNOT_UPDATE_CONVERTED_LEAD, nothing changed', async () => {
    const err = await rejection(connect(sandbox).sobject('Lead').update({ Id: converted[0], Title: 'Rescored' }));
    expect(err.errorCode).toBe('CANNOT_UPDATE_CONVERTED_LEAD');
    expect(err.message).toBe('cannot reference converted lead');
    expect(await titleOf(converted[0])).toBeNull();
  });

  it('sObject Collections fail the converted lead alone; the open lead beside it is written', async () => {
    const results = await connect(sandbox).sobject('Lead').update(
      [{ Id: open[0], Title: 'Rescored' }, { Id: converted[1], Title: 'Rescored' }],
      { allOrNone: false },
    );
    expect(results[0]).toMatchObject({ success: true, id: open[0] });
    expect(results[1]).toMatchObject({ success: false, errors: [{ statusCode: 'CANNOT_UPDATE_CONVERTED_LEAD', message: 'cannot reference converted lead' }] });
    expect(await titleOf(open[0])).toBe('Rescored');
    expect(await titleOf(converted[1])).toBeNull();
  });

  it('a Bulk API 2.0 update fails the converted row with the code in sf__Error', async () => {
    const results = await connect(sandbox).bulk2.loadAndWaitForResults({
      object: 'Lead',
      operation: 'update',
      input: [{ Id: open[1], Title: 'Bulk' }, { Id: converted[2], Title: 'Bulk' }],
      lineEnding: 'LF',
      pollInterval: 20,
    });
    expect(results.successfulResults.map((r) => r.sf__Id)).toEqual([open[1]]);
    expect(results.failedResults).toHaveLength(1);
    expect(results.failedResults[0].sf__Error).toMatch(/^CANNOT_UPDATE_CONVERTED_LEAD:cannot reference converted lead/);
  });

  it('with salesforceEditConvertedLeads on (an org that lets users edit them) the update goes through', async () => {
    await control(sandbox, 'PATCH', '/options', { salesforceEditConvertedLeads: true });
    await connect(sandbox).sobject('Lead').update({ Id: converted[3], Title: 'Allowed' });
    expect(await titleOf(converted[3])).toBe('Allowed');
  });
});
