import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../connectors/sandbox/server.js';
import { connect, rejection, startSalesforce } from './helpers.js';

/**
 * A refused query's message as Salesforce lays it out (captured org answers, e.g. "\nSELECT Bacon__c
 * FROM Account LIMIT 2\n       ^\nERROR at Row:1:Column:8\nNo such column 'Bacon__c' on entity
 * 'Account'. ..."): a leading newline, the query, a caret under the fault, then the position.
 */
const FIELD_HINT = "If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.";
const TYPE_HINT = "If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.";

describe('Salesforce sandbox: the layout of a refused query\'s message', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSalesforce();
  });
  afterAll(async () => sandbox.close());

  it('INVALID_FIELD quotes the query with a caret under the unknown field', async () => {
    const err = await rejection(connect(sandbox).query('SELECT Id, Nope__c FROM Lead'));
    expect(err.errorCode).toBe('INVALID_FIELD');
    expect(err.message).toBe(`\nSELECT Id, Nope__c FROM Lead\n           ^\nERROR at Row:1:Column:12\nNo such column 'Nope__c' on entity 'Lead'. ${FIELD_HINT}`);
  });

  it('INVALID_TYPE puts the caret under the FROM object and quotes the rest of the query too', async () => {
    const err = await rejection(connect(sandbox).query("SELECT Id FROM Widget__c WHERE Name = 'x'"));
    expect(err.errorCode).toBe('INVALID_TYPE');
    expect(err.message).toBe(`\nSELECT Id FROM Widget__c WHERE Name = 'x'\n               ^\nERROR at Row:1:Column:16\nsObject type 'Widget__c' is not supported. ${TYPE_HINT}`);
  });

  it('MALFORMED_QUERY has the same head; a fault on a later row quotes that row', async () => {
    const malformed = await rejection(connect(sandbox).query('SELECT Id FROM Lead LIMIT ten'));
    expect(malformed.errorCode).toBe('MALFORMED_QUERY');
    expect(malformed.message).toMatch(/^\nSELECT Id FROM Lead LIMIT ten\n {26}\^\nERROR at Row:1:Column:27\n/);

    const err = await rejection(connect(sandbox).query("SELECT Id\nFROM Lead\nWHERE Nope__c = 'x'"));
    expect(err.message).toBe(`\nWHERE Nope__c = 'x'\n      ^\nERROR at Row:3:Column:7\nNo such column 'Nope__c' on entity 'Lead'. ${FIELD_HINT}`);
  });
});
