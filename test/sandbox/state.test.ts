import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { control, hubspotClient, sdkError, seedLeads, startHubspot } from './helpers.js';

describe('sandbox state: --state persistence, reset, hidden outcomes, clock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leadlift-sandbox-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps records, properties, hidden outcomes and the clock across a restart', async () => {
    const file = join(dir, 'state.json');
    const leads = seedLeads(60, 0.25);
    const first = await startHubspot({ seed: leads, stateFile: file, saveDebounceMs: 50 });
    expect(first.loadedFrom).toBe('seed');
    const hidden = await control<{ hubspot: Record<string, string> }>(first, 'GET', '/hidden');
    expect(Object.keys(hidden.hubspot)).toHaveLength(15);
    expect(Object.values(hidden.hubspot).sort()).toEqual(leads.filter((l) => l.open).map((l) => l.outcome).sort());
    const client = hubspotClient(first);
    const created = await client.crm.contacts.basicApi.create({ properties: { email: 'persist@example.com' }, associations: [] });
    await client.crm.properties.coreApi.create('contacts', { name: 'leadlift_score', label: 'Score', type: 'number' as never, fieldType: 'number' as never, groupName: 'contactinformation' });
    await client.crm.contacts.basicApi.update(created.id, { properties: { leadlift_score: '87' } });
    const clock = await control<{ offsetMs: number }>(first, 'POST', '/clock/advance', { ms: 86_400_000 });
    await first.close();
    expect(JSON.parse(readFileSync(file, 'utf8')).format).toBe('leadlift-sandbox-state');

    // The seed is ignored when the state file exists: the saved state wins.
    const second = await startHubspot({ seed: seedLeads(5), stateFile: file });
    try {
      expect(second.loadedFrom).toBe('state');
      const again = hubspotClient(second);
      const read = await again.crm.contacts.basicApi.getById(created.id, ['leadlift_score', 'email']);
      expect(read.properties).toMatchObject({ leadlift_score: '87', email: 'persist@example.com' });
      expect((await again.crm.contacts.getAll(100)).length).toBe(61);
      expect((await control<{ hubspot: Record<string, string> }>(second, 'GET', '/hidden')).hubspot).toEqual(hidden.hubspot);
      expect((await control<{ offsetMs: number }>(second, 'GET', '/clock')).offsetMs).toBe(clock.offsetMs);
      const dup = await sdkError(again.crm.contacts.basicApi.create({ properties: { email: 'persist@example.com' }, associations: [] }));
      expect(dup.code).toBe(409);
    } finally {
      await second.close();
    }
  });

  it('reset empties what tests added and seeds again; reseed:false leaves it empty', async () => {
    const sandbox = await startHubspot({ seed: seedLeads(30) });
    try {
      const client = hubspotClient(sandbox);
      await client.crm.contacts.basicApi.create({ properties: { email: 'gone@example.com' }, associations: [] });
      await control(sandbox, 'POST', '/faults', { pathPattern: '^/nothing', kind: 'drop' });
      await control(sandbox, 'POST', '/clock/advance', { ms: 1000 });
      expect((await client.crm.contacts.getAll(100)).length).toBe(31);
      await control(sandbox, 'POST', '/reset', {});
      expect((await client.crm.contacts.getAll(100)).length).toBe(30);
      expect((await control<{ results: unknown[] }>(sandbox, 'GET', '/faults')).results).toHaveLength(0);
      expect((await control<{ offsetMs: number }>(sandbox, 'GET', '/clock')).offsetMs).toBe(0);
      expect(Object.keys((await control<{ hubspot: object }>(sandbox, 'GET', '/hidden')).hubspot)).toHaveLength(6);
      await control(sandbox, 'POST', '/reset', { reseed: false });
      expect((await client.crm.contacts.getAll(100)).length).toBe(0);
      expect((await client.crm.properties.coreApi.getAll('contacts')).results.map((p) => p.name)).not.toContain('lead_source');
    } finally {
      await sandbox.close();
    }
  });
});
