import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../connectors/sandbox/server.js';
import { connect, rejection, startSalesforce } from './helpers.js';

/**
 * Lead's standard address, as a real org serves it (Address Compound Fields, API 30.0+): the parts
 * Street, City, State, PostalCode, Country, Latitude, Longitude and GeocodeAccuracy are ordinary
 * fields naming Address as their compoundFieldName; Address itself is type "address" (soapType
 * urn:address), read-only, and a query or retrieve returns it as one JSON object of the parts, or
 * null when no part is set. It is written only through its parts.
 */
const PARTS = ['Street', 'City', 'State', 'PostalCode', 'Country', 'Latitude', 'Longitude', 'GeocodeAccuracy'];

describe('Salesforce sandbox: the compound Lead.Address field', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSalesforce();
  });
  afterAll(async () => sandbox.close());

  it('describe lists the parts with compoundFieldName Address, and Address as a read-only compound field', async () => {
    const fields = (await connect(sandbox).sobject('Lead').describe()).fields;
    const byName = new Map(fields.map((f) => [f.name, f]));
    for (const name of PARTS) expect(byName.get(name)).toMatchObject({ compoundFieldName: 'Address', updateable: true, createable: true });
    expect(byName.get('Street')).toMatchObject({ type: 'textarea', length: 255 });
    expect(byName.get('Latitude')).toMatchObject({ type: 'double', precision: 18, scale: 15 });
    expect(byName.get('Address')).toMatchObject({
      type: 'address', soapType: 'urn:address', compoundFieldName: null,
      createable: false, updateable: false, nillable: true, sortable: false, groupable: false,
    });
    // Parts come before the compound, as in a real describe.
    expect(fields.findIndex((f) => f.name === 'Address')).toBeGreaterThan(fields.findIndex((f) => f.name === 'GeocodeAccuracy'));
  });

  it('a query and a retrieve return Address as an object of the parts; null with no part set; parts filter on their own', async () => {
    const lead = connect(sandbox).sobject('Lead');
    const placed = await lead.create({ LastName: 'Okafor', Company: 'Acme', Street: '1 Market St', City: 'San Francisco', State: 'CA', PostalCode: '94105', Country: 'USA', Latitude: 37.7946, Longitude: -122.3950 });
    const bare = await lead.create({ LastName: 'Ito', Company: 'Acme' });
    const expected = { city: 'San Francisco', country: 'USA', geocodeAccuracy: null, latitude: 37.7946, longitude: -122.395, postalCode: '94105', state: 'CA', street: '1 Market St' };

    const res = await connect(sandbox).query<{ Id: string; Address: unknown }>(`SELECT Id, Address FROM Lead WHERE Id IN ('${placed.id}', '${bare.id}')`);
    expect(Object.fromEntries(res.records.map((r) => [r.Id, r.Address]))).toEqual({ [placed.id!]: expected, [bare.id!]: null });
    expect((await lead.retrieve(placed.id!)).Address).toEqual(expected);
    const inCity = await connect(sandbox).query<{ Id: string }>("SELECT Id FROM Lead WHERE City = 'San Francisco'");
    expect(inCity.records.map((r) => r.Id)).toEqual([placed.id]);
  });

  it('Address is written through its parts only, and cannot be filtered or sorted on', async () => {
    const conn = connect(sandbox);
    const created = await conn.sobject('Lead').create({ LastName: 'Silva', Company: 'Acme' });
    const write = await rejection(conn.sobject('Lead').update({ Id: created.id!, Address: { city: 'Lisbon' } }));
    expect(write.errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
    expect(write.data).toMatchObject({ fields: ['Address'] });
    const filter = await rejection(conn.query("SELECT Id FROM Lead WHERE Address = 'Lisbon'"));
    expect(filter.message).toContain("field 'Address' can not be filtered");
    const sort = await rejection(conn.query('SELECT Id FROM Lead ORDER BY Address'));
    expect(sort.message).toContain("field 'Address' can not be sorted");
  });
});
