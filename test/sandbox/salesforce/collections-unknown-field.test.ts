import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../connectors/sandbox/server.js';
import { connect, makeLeads, rejection, startSalesforce, TOKEN, VERSION } from './helpers.js';

/**
 * A field the object lacks (what a missing field-level security grant looks like) fails a whole
 * sObject Collections call with HTTP 400, as real Salesforce answers, and writes none of the records.
 */
describe('Salesforce sandbox: sObject Collections with an unknown field', () => {
  let sandbox: RunningSandbox;
  let ids: string[];
  beforeAll(async () => {
    sandbox = await startSalesforce({ seed: makeLeads(20, 0.5) });
    ids = (await connect(sandbox).query<{ Id: string }>('SELECT Id FROM Lead ORDER BY CreatedDate')).records.map((r) => r.Id);
  });
  afterAll(async () => sandbox.close());

  it('answers 400 [{message, errorCode: INVALID_FIELD}] for the whole request and writes no record', async () => {
    const records = [
      { attributes: { type: 'Lead' }, id: ids[0], Company: 'Written?' },
      { attributes: { type: 'Lead' }, id: ids[1], Nope__c: 1 },
    ];
    const res = await fetch(`${sandbox.url}/services/data/v${VERSION}/composite/sobjects`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ allOrNone: false, records }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual([{ message: "No such column 'Nope__c' on sobject of type Lead", errorCode: 'INVALID_FIELD' }]);
    const lead = await connect(sandbox).sobject('Lead').retrieve(ids[0]);
    expect((lead as { Company: string }).Company).not.toBe('Written?');

    const viaJsforce = await rejection(connect(sandbox).sobject('Lead').update([{ Id: ids[0], Company: 'x' }, { Id: ids[1], Nope__c: 1 }], { allOrNone: false }));
    expect(viaJsforce.errorCode).toBe('INVALID_FIELD');
  });
});
