import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../connectors/sandbox/server.js';
import { connect, makeLeads, rejection, startSalesforce } from './helpers.js';

/**
 * ORDER BY and WHERE follow describe's `sortable` and `filterable`, as in a real org: a textarea
 * of up to 255 characters (Lead.Street) sorts and filters like text, a long text area
 * (Lead.Description, 32,000) does neither. The refusals are Salesforce's own: an unsortable field
 * is MALFORMED_QUERY "field 'X' can not be sorted in a query call", an unfilterable one
 * INVALID_FIELD "field 'X' can not be filtered in a query call", each under the quoted query with
 * a caret at the field.
 */
describe('Salesforce sandbox: SOQL sorts and filters what describe calls sortable and filterable', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSalesforce({ seed: makeLeads(4) });
  });
  afterAll(async () => sandbox.close());

  it('sorts and filters on Street, a textarea of 255 characters, as on any text field', async () => {
    const conn = connect(sandbox);
    const describe = new Map((await conn.sobject('Lead').describe()).fields.map((f) => [f.name, f]));
    expect(describe.get('Street')).toMatchObject({ type: 'textarea', length: 255, sortable: true, filterable: true });
    const created = await conn.sobject('Lead').create([
      { LastName: 'Aalto', Company: 'Acme', Street: 'b Rua Augusta 5' },
      { LastName: 'Berg', Company: 'Acme' },
      { LastName: 'Costa', Company: 'Acme', Street: 'A Avenida da Liberdade 1' },
    ]);
    const [aalto, berg, costa] = created.map((r) => r.id!);
    const inThese = `Id IN ('${aalto}', '${berg}', '${costa}')`;
    const order = async (by: string) => (await conn.query<{ Id: string }>(`SELECT Id FROM Lead WHERE ${inThese} ORDER BY ${by}`)).records.map((r) => r.Id);
    // Case-insensitive, nulls first unless asked otherwise.
    expect(await order('Street')).toEqual([berg, costa, aalto]);
    expect(await order('Street DESC NULLS LAST')).toEqual([aalto, costa, berg]);
    const like = await conn.query<{ Id: string }>(`SELECT Id FROM Lead WHERE ${inThese} AND Street LIKE '%avenida%'`);
    expect(like.records.map((r) => r.Id)).toEqual([costa]);
  });

  it('refuses ORDER BY on Description, a long text area, with MALFORMED_QUERY, and WHERE on it with INVALID_FIELD', async () => {
    const conn = connect(sandbox);
    const describe = new Map((await conn.sobject('Lead').describe()).fields.map((f) => [f.name, f]));
    expect(describe.get('Description')).toMatchObject({ type: 'textarea', length: 32000, sortable: false, filterable: false });

    const sort = await rejection(conn.query('SELECT Id FROM Lead ORDER BY LastName, Description DESC'));
    expect(sort.errorCode).toBe('MALFORMED_QUERY');
    expect(sort.message).toBe(`\nSELECT Id FROM Lead ORDER BY LastName, Description DESC\n${' '.repeat(39)}^\nERROR at Row:1:Column:40\nfield 'Description' can not be sorted in a query call`);

    const filter = await rejection(conn.query("SELECT Id FROM Lead WHERE Description = 'x'"));
    expect(filter.errorCode).toBe('INVALID_FIELD');
    expect(filter.message).toBe(`\nSELECT Id FROM Lead WHERE Description = 'x'\n${' '.repeat(26)}^\nERROR at Row:1:Column:27\nfield 'Description' can not be filtered in a query call`);
    for (const where of ["Description LIKE '%x%'", "Description IN ('x')", 'Description != null', "LastName = 'Berg' OR (NOT Description = 'x')"]) {
      const err = await rejection(conn.query(`SELECT Id FROM Lead WHERE ${where}`));
      expect({ where, errorCode: err.errorCode, message: err.message.split('\n').pop() }).toEqual({ where, errorCode: 'INVALID_FIELD', message: "field 'Description' can not be filtered in a query call" });
    }
    // Selecting it stays allowed.
    await expect(conn.query('SELECT Id, Description FROM Lead LIMIT 1')).resolves.toMatchObject({ done: true });
  });

  it('for a Lead field of every kind, ORDER BY and WHERE succeed exactly when describe says sortable and filterable', async () => {
    const conn = connect(sandbox);
    const passes = (soql: string) => conn.query(soql).then(() => true, () => false);
    // One field per type and side of 255 characters keeps this to a few dozen queries.
    const kinds = new Map((await conn.sobject('Lead').describe()).fields.map((f) => [`${f.type}:${f.length > 255}`, f]));
    const fields = [...kinds.values()];
    const described = Object.fromEntries(fields.map((f) => [f.name, { sortable: f.sortable, filterable: f.filterable }]));
    const seen = Object.fromEntries(
      await Promise.all(
        fields.map(async (f) => [
          f.name,
          { sortable: await passes(`SELECT Id FROM Lead ORDER BY ${f.name} LIMIT 1`), filterable: await passes(`SELECT Id FROM Lead WHERE ${f.name} = null LIMIT 1`) },
        ]),
      ),
    );
    expect(seen).toEqual(described);
    // Both sides of the rule are here: a long text area and the compound address are refused.
    expect(fields.filter((f) => !f.sortable).map((f) => f.type).sort()).toEqual(['address', 'textarea']);
    expect(fields.filter((f) => f.type === 'textarea').map((f) => f.sortable).sort()).toEqual([false, true]);
    // LeadHistory has no describe in the sandbox: its NewValue (anyType) sorts and never filters.
    await expect(passes('SELECT LeadId FROM LeadHistory ORDER BY NewValue LIMIT 1')).resolves.toBe(true);
    await expect(passes("SELECT LeadId FROM LeadHistory WHERE NewValue = 'Open' LIMIT 1")).resolves.toBe(false);
  });
});
