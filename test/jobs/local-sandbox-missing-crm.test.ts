import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDemoSeed, startLocalSandbox } from '../../src/jobs/local-sandbox.js';
import { hubspotClient } from '../sandbox/helpers.js';
import { connect } from '../sandbox/salesforce/helpers.js';

const sample = resolve(fileURLToPath(new URL('../../config/sample/bank-marketing-sample.csv', import.meta.url)));

describe('local sandbox: a CRM its state file does not hold yet is seeded when first asked for', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leadlift-missing-crm-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('`run --crm salesforce` then `run --crm hubspot` on one home: HubSpot is seeded, Salesforce kept', async () => {
    const stateFile = join(dir, 'state.json');
    const seed = await loadDemoSeed({ file: sample });
    const open = seed.filter((lead) => lead.open).length;

    const first = await startLocalSandbox({ crm: 'salesforce', stateFile, seed });
    const added = await connect(first).sobject('Lead').create({ LastName: 'Added', Company: 'First run' });
    await first.close();
    expect(JSON.parse(readFileSync(stateFile, 'utf8')).hidden.hubspot).toEqual([]);

    const second = await startLocalSandbox({ crm: 'hubspot', stateFile, seed });
    try {
      expect(second.loadedFrom).toBe('state');
      expect(second.seededOnLoad).toEqual(['hubspot']);
      expect((await hubspotClient(second).crm.contacts.getAll(100)).length).toBe(seed.length);
      expect(second.ctx.hidden.hubspot.size).toBe(open);
    } finally {
      await second.close();
    }

    const third = await startLocalSandbox({ crm: 'both', stateFile, seed });
    try {
      expect(third.seededOnLoad).toEqual([]);
      const conn = connect(third);
      expect((await conn.query('SELECT COUNT() FROM Lead')).totalSize).toBe(seed.length + 1);
      expect((await conn.sobject('Lead').retrieve(added.id!)).Company).toBe('First run');
      expect(third.ctx.hidden.salesforce.size).toBe(open);
      expect((await hubspotClient(third).crm.contacts.getAll(100)).length).toBe(seed.length);
    } finally {
      await third.close();
    }
  });
});
