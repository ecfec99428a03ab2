import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeedLead } from '../../../connectors/sandbox/context.js';
import type { RunningSandbox } from '../../../connectors/sandbox/server.js';
import { connect, makeLeads, startSalesforce } from './helpers.js';

/**
 * Salesforce dateTime fields are "full timestamps with a precision of one second" (Object
 * Reference, Primitive Data Types): what an org stores and returns ends in .000+0000, whatever
 * milliseconds a client wrote or the server clock had. A client that compares a datetime it wrote
 * with the one it reads back, or pages on SystemModstamp, meets whole seconds (and the ties they
 * make) in a real org, so it must meet them here.
 */
describe('Salesforce sandbox: datetimes are kept to the second', () => {
  let sandbox: RunningSandbox;
  // A seed time with milliseconds, as a caller building SeedLeads may give one.
  const seededAt = Date.UTC(2024, 4, 1, 10, 20, 30, 456);
  const seed: SeedLead[] = makeLeads(4, 0).map((lead, i) => ({ ...lead, createdAt: seededAt + i * 60_000, closedAt: seededAt + i * 60_000 + 5_000 }));

  beforeAll(async () => {
    sandbox = await startSalesforce({ seed });
    await connect(sandbox).tooling.sobject('CustomField').create({ FullName: 'Lead.Seen_At__c', Metadata: { label: 'Seen at', type: 'DateTime' } });
  });
  afterAll(async () => sandbox.close());

  it('a written datetime reads back without its milliseconds and matches its whole second', async () => {
    const conn = connect(sandbox);
    const created = await conn.sobject('Lead').create({ LastName: 'Precise', Company: 'Ms Co', Seen_At__c: '2024-05-01T10:20:30.456Z' });
    const back = (await conn.sobject('Lead').retrieve(created.id!)) as { Seen_At__c: string };
    expect(back.Seen_At__c).toBe('2024-05-01T10:20:30.000+0000');
    const exact = await conn.query(`SELECT Id FROM Lead WHERE Seen_At__c = 2024-05-01T10:20:30Z`);
    expect(exact.records.map((r) => r.Id)).toEqual([created.id]);
  });

  it('CreatedDate, LastModifiedDate and SystemModstamp of live writes are whole seconds', async () => {
    const conn = connect(sandbox);
    const made = await conn.sobject('Lead').create(Array.from({ length: 5 }, (_, i) => ({ LastName: `Stamp ${i}`, Company: 'Clock Co' })));
    const ids = made.map((m) => m.id!);
    await conn.sobject('Lead').update(ids.map((Id) => ({ Id, Title: 'Touched' })));
    const rows = await conn.query<{ CreatedDate: string; LastModifiedDate: string; SystemModstamp: string }>(
      `SELECT CreatedDate, LastModifiedDate, SystemModstamp FROM Lead WHERE Id IN ('${ids.join("','")}')`,
    );
    expect(rows.records).toHaveLength(5);
    for (const r of rows.records) {
      for (const stamp of [r.CreatedDate, r.LastModifiedDate, r.SystemModstamp]) expect(stamp).toMatch(/T\d{2}:\d{2}:\d{2}\.000\+0000$/);
    }
  });

  it('seeded times are stored to the second: CreatedDate and the LeadHistory of the close', async () => {
    const conn = connect(sandbox);
    const rows = await conn.query<{ Id: string; CreatedDate: string; LastModifiedDate: string }>(
      'SELECT Id, CreatedDate, LastModifiedDate FROM Lead WHERE CreatedDate < 2024-06-01T00:00:00Z ORDER BY CreatedDate',
    );
    expect(rows.records.map((r) => r.CreatedDate)).toEqual(['10:20:30', '10:21:30', '10:22:30', '10:23:30'].map((t) => `2024-05-01T${t}.000+0000`));
    expect(rows.records[0].LastModifiedDate).toBe('2024-05-01T10:20:35.000+0000');
    const history = await conn.query<{ CreatedDate: string }>(`SELECT CreatedDate FROM LeadHistory WHERE LeadId = '${rows.records[0].Id}'`);
    expect(history.records.map((h) => h.CreatedDate)).toEqual(['2024-05-01T10:20:35.000+0000']);
  });
});
