import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { leads } from '../store/leads.js';
import { useCliWorkspace } from './synthetic-leads.js';

const ws = useCliWorkspace('leadlift-forget-');
let home = '';
let env: NodeJS.ProcessEnv = {};
const SCORED_AT = '2024-05-01T02:00:00.000Z';

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'leadlift-forget-home-'));
  // A configured CRM: its store is LEADLIFT_HOME's (never contacted by forget).
  env = { ...ws.env, LEADLIFT_HOME: home, DATABASE_URL: '', HUBSPOT_ACCESS_TOKEN: 'not-contacted' };
  const store = await openStore({ home, databaseUrl: '' });
  try {
    await store.records.upsert('hubspot', leads(3), { objectType: 'leads', source: 'sync' });
    await store.outcomes.upsert('hubspot', [{ crm: 'hubspot', leadId: '1', outcome: 'lost', outcomeAt: '2024-06-01T00:00:00.000Z', evidence: 'lifecyclestage=other' }]);
    await store.snapshots.save('hubspot', ['1', '2'].map((leadId) => ({ leadId, modelVersion: 'm1', scoredAt: SCORED_AT, properties: { email: `lead${leadId}@example.com` } })));
    // Lead 2 has no outcome yet, only one a re-derive under a changed rule has read and not put in place.
    await store.stagedOutcomes.upsert('hubspot', [{ crm: 'hubspot', leadId: '2', outcome: 'won', outcomeAt: '2024-06-02T00:00:00.000Z', evidence: 'lifecyclestage=customer' }]);
    await store.scores.insert('hubspot', ['1', '2'].map((leadId) => ({ leadId, score: 40, tier: 'Cool', probability: 0.4, reasons: '', trend: 'steady' as const, modelVersion: 'm1', scoredAt: SCORED_AT })));
  } finally {
    await store.close();
  }
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('leadlift forget', () => {
  it('--json erases the named leads from the store in LEADLIFT_HOME and leaves the others', async () => {
    const r = ws.run(['forget', '--crm', 'hubspot', '--lead', '1', '--lead', '3', '--json'], env);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ crm: 'hubspot', leads: ['1', '3'], removed: { records: 2, outcomes: 1, snapshots: 1, scores: 1, stagedOutcomes: 0 }, notFound: [] });
    expect(r.stderr).toContain('hubspot still holds them until they are deleted there too');
    expect(r.stderr).not.toContain('example.com');

    const store = await openStore({ home, databaseUrl: '' });
    try {
      expect(await store.records.get('hubspot', 'leads', '1')).toBeNull();
      expect(await store.records.get('hubspot', 'leads', '3')).toBeNull();
      expect(await store.records.get('hubspot', 'leads', '2')).not.toBeNull();
      expect(await store.scores.history('hubspot', '2')).toHaveLength(1);
      const [entry] = await store.audit.list({ key: 'forget.hubspot' });
      expect(entry.actor).toMatch(/^cli/);
      expect(entry.after).toMatchObject({ leads: ['1', '3'], leadCount: 2 });
    } finally {
      await store.close();
    }

    // Already forgotten: still a success, with nothing left to remove.
    const again = ws.run(['forget', '--crm', 'hubspot', '--lead', '1'], env);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('0 rows removed');
  });

  it('exits 2 on bad flags, without echoing an id that may be personal data', () => {
    const noLead = ws.run(['forget', '--crm', 'hubspot'], env);
    expect(noLead.status).toBe(2);
    expect(noLead.stderr).toContain('--lead');
    const badCrm = ws.run(['forget', '--crm', 'pipedrive', '--lead', '2'], env);
    expect(badCrm.status).toBe(2);
    expect(badCrm.stderr).toContain('must be hubspot or salesforce');
    const email = ws.run(['forget', '--crm', 'hubspot', '--lead', 'jane.doe@example.com'], env);
    expect(email.status).toBe(2);
    expect(email.stderr).toContain('not a CRM lead id');
    expect(email.stderr).not.toContain('jane');
    for (const r of [noLead, badCrm, email]) expect(r.stdout).toBe('');
  });

  it('works while a cycle of that CRM holds the lock, audited, and that cycle cannot store the lead again', async () => {
    const store = await openStore({ home, databaseUrl: '' });
    try {
      expect(await store.runLock.acquire('cycle:hubspot', 'elsewhere:1:test', 60_000)).toBe(true);
      // With an id the store never held: counted apart, not as forgotten.
      const r = ws.run(['forget', '--crm', 'hubspot', '--lead', '2', '--lead', '999999999'], env);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain('Forgot 1 hubspot lead (2): 4 rows removed (records 1, outcomes 0, snapshots 1, scores 1, staged outcomes 1).');
      expect(r.stdout).toContain('1 more id was not in the store (999999999).');
      expect(r.stderr).toContain('Not found in the store');
      expect(await store.records.get('hubspot', 'leads', '2')).toBeNull();
      const entries = await store.audit.list({ key: 'forget.hubspot' });
      expect(entries.map((e) => e.after)).toContainEqual(expect.objectContaining({ leads: ['2', '999999999'], leadCount: 2 }));
      // The running cycle's next page still holds lead 2, loaded before the forget.
      expect(await store.records.upsert('hubspot', leads(3), { objectType: 'leads', source: 'sync' })).toBe(0);
      expect(await store.records.get('hubspot', 'leads', '2')).toBeNull();
      expect(await store.runLock.holder('cycle:hubspot')).toMatchObject({ owner: 'elsewhere:1:test' });
    } finally {
      await store.runLock.release('cycle:hubspot', 'elsewhere:1:test');
      await store.close();
    }
  });

  it('--help says how to repeat --lead, that later syncs leave the lead out, that it works during a cycle, and that the CRM keeps it until deleted there', () => {
    const r = ws.run(['forget', '--help'], env);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('repeat the flag');
    expect(r.stdout).toMatch(/suppression list: later syncs, scores\s+and pushes leave that lead out/);
    expect(r.stdout).toMatch(/The CRM keeps the lead and its\s+values until it is deleted there too/);
    expect(r.stdout).toMatch(/It works while a\s+cycle runs/);
  });
});
