import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScoreWrite } from '../../connectors/types.js';
import { openStore } from '../../src/store/store.js';
import { useCliWorkspace } from './synthetic-leads.js';

const ws = useCliWorkspace('leadlift-prune-');
let home = '';
let env: NodeJS.ProcessEnv = {};
const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();
const score = (leadId: string, scoredAt: string, value: number): ScoreWrite => ({
  leadId, score: value, tier: 'Cool', probability: value / 100, reasons: '', trend: 'steady', modelVersion: 'm1', scoredAt,
});

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'leadlift-prune-home-'));
  // A configured CRM: its store is LEADLIFT_HOME's (never contacted by prune).
  env = { ...ws.env, LEADLIFT_HOME: home, DATABASE_URL: '', HUBSPOT_ACCESS_TOKEN: 'not-contacted' };
  const store = await openStore({ home, databaseUrl: '' });
  try {
    // Lead 1 scored three times, two of them over a year ago; lead 2 once, long ago (its latest: kept).
    await store.scores.insert('hubspot', [score('1', daysAgo(500), 30), score('1', daysAgo(400), 40), score('1', daysAgo(3), 45), score('2', daysAgo(500), 20)]);
    await store.snapshots.save('hubspot', [
      { leadId: '1', scoredAt: daysAgo(400), modelVersion: 'm1', properties: { job: 'admin.' } },
      { leadId: '1', scoredAt: daysAgo(3), modelVersion: 'm1', properties: { job: 'retired' } },
    ]);
    // The cycle that wrote them: prune finds a store's CRMs from its runs.
    await store.runs.finish((await store.runs.start('cycle', 'hubspot')).id, { status: 'ok' });
  } finally {
    await store.close();
  }
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('leadlift prune', () => {
  it('--dry-run says per table what would go and removes nothing; then prune removes it and audits the counts', async () => {
    const dry = ws.run(['prune', '--dry-run', '--json'], env);
    expect(dry.status, dry.stderr).toBe(0);
    const planned = JSON.parse(dry.stdout);
    expect(planned).toMatchObject({ dryRun: true, crms: [{ crm: 'hubspot', removed: { scores: 2, snapshots: 1, models: 0, runs: 0 }, keepModels: 5 }] });
    expect(planned.store).toContain(home);

    const text = ws.run(['prune', '--dry-run'], env);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain('(dry run: nothing removed)');
    expect(text.stdout).toMatch(/scores +would remove +2 +older than 365 days/);
    expect(text.stdout).toMatch(/snapshots +would remove +1 +older than 90 days/);

    let store = await openStore({ home, databaseUrl: '' });
    try {
      expect(await store.scores.history('hubspot', '1')).toHaveLength(3);
      expect(await store.audit.list({ key: 'store.prune.hubspot' })).toEqual([]);
    } finally {
      await store.close();
    }

    const real = ws.run(['prune', '--json'], env);
    expect(real.status, real.stderr).toBe(0);
    expect(JSON.parse(real.stdout)).toMatchObject({ dryRun: false, crms: [{ crm: 'hubspot', removed: planned.crms[0].removed }] });
    expect(real.stderr).toMatch(/The SQLite file gave [\d.]+ MB back to the disk; [\d.]+ MB stays free inside it/);

    store = await openStore({ home, databaseUrl: '' });
    try {
      expect((await store.scores.history('hubspot', '1')).map((s) => s.score)).toEqual([45]);
      expect((await store.scores.history('hubspot', '2')).map((s) => s.score)).toEqual([20]);
      const [entry] = await store.audit.list({ key: 'store.prune.hubspot' });
      expect(entry.actor).toMatch(/^cli/);
      expect(entry.after).toMatchObject({ removed: { scores: 2, snapshots: 1, models: 0, runs: 0 } });
    } finally {
      await store.close();
    }

    const again = ws.run(['prune'], env);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/scores +removed +0/);
  });

  it('--crm prunes only that CRM, every CRM with a run by default, and a CRM it does not know exits 2', async () => {
    const store = await openStore({ home, databaseUrl: '' });
    try {
      await store.scores.insert('salesforce', [score('00Q1', daysAgo(500), 10), score('00Q1', daysAgo(3), 20)]);
      await store.runs.finish((await store.runs.start('cycle', 'salesforce')).id, { status: 'ok' });
    } finally {
      await store.close();
    }
    const e = { ...env, SALESFORCE_INSTANCE_URL: 'https://not-contacted.invalid', SALESFORCE_ACCESS_TOKEN: 'not-contacted' };
    const one = ws.run(['prune', '--crm', 'salesforce', '--dry-run', '--json'], e);
    expect(one.status, one.stderr).toBe(0);
    expect(JSON.parse(one.stdout).crms).toMatchObject([{ crm: 'salesforce', removed: { scores: 1 } }]);
    const every = ws.run(['prune', '--dry-run', '--json'], e);
    expect(every.status, every.stderr).toBe(0);
    expect(JSON.parse(every.stdout).crms.map((r: { crm: string }) => r.crm)).toEqual(['hubspot', 'salesforce']);

    const bad = ws.run(['prune', '--crm', 'pipedrive'], e);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('leadlift prune --crm: must be hubspot or salesforce (got "pipedrive")');
    expect(bad.stdout).toBe('');
  });

  it('--help is wrapped, names --crm and says what always stays', () => {
    const r = ws.run(['prune', '--help'], env);
    expect(r.status).toBe(0);
    for (const line of r.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
    expect(r.stdout).toMatch(/What always stays: each lead's latest score\s+and snapshot/);
    expect(r.stdout).toMatch(/--crm <crm> +only this CRM's history: hubspot or salesforce/);
  });

  it('a bad store.retention value exits 2 naming the key, and removes nothing', () => {
    const config = join(home, 'bad.json');
    writeFileSync(config, JSON.stringify({ store: { retention: { snapshotsDays: 0 } } }));
    const r = ws.run(['prune'], { ...env, LEADLIFT_CONFIG: config });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Configuration "store.retention.snapshotsDays": must be a whole number of days (at least 1), or null to keep every snapshot for ever');
  });
});

describe('leadlift prune, models and the sandbox', () => {
  let own = '';
  beforeAll(() => {
    own = mkdtempSync(join(tmpdir(), 'leadlift-prune-models-'));
  });
  afterAll(() => rmSync(own, { recursive: true, force: true }));

  it('names the models it removed as removed, not in the sentence of what it keeps', async () => {
    const home = join(own, 'models');
    const store = await openStore({ home, databaseUrl: '' });
    try {
      // Three candidates, none ever active: only the newest (v3) stays.
      for (const [i, version] of ['v1', 'v2', 'v3'].entries()) {
        await store.runs.finish((await store.runs.start('train', 'hubspot')).id, { status: 'ok' });
        await store.models.save({ crm: 'hubspot', version, engine: 'forest', createdAt: daysAgo(30 - i), trainedFrom: daysAgo(400), trainedTo: daysAgo(40), metrics: { auc: 0.8 }, bundle: { trees: [version] } });
      }
    } finally {
      await store.close();
    }
    const e = { ...ws.env, LEADLIFT_HOME: home, DATABASE_URL: '', HUBSPOT_ACCESS_TOKEN: 'not-contacted' };
    const dry = ws.run(['prune', '--dry-run'], e);
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/models +would remove +2 +keeping the active model, 5 rollback targets and the newest candidate; would remove: v2, v1\n?/);
    const real = ws.run(['prune'], e);
    expect(real.status, real.stderr).toBe(0);
    expect(real.stdout).toMatch(/models +removed +2 +keeping the active model, 5 rollback targets and the newest candidate; removed: v2, v1\n?/);
    expect(real.stdout).not.toContain('(v2');
  });

  it('with no CRM configured it prunes the sandbox\'s store and says DATABASE_URL is not used', async () => {
    // The sandbox has run (its store exists): without it, a set DATABASE_URL stops prune (forget-sandbox-store.test.ts).
    await (await openStore({ home: join(own, 'sandboxed', 'sandbox'), databaseUrl: '' })).close();
    const e: NodeJS.ProcessEnv = { ...ws.env, LEADLIFT_HOME: join(own, 'sandboxed'), DATABASE_URL: 'postgres://leadlift:leadlift@127.0.0.1:1/unused' };
    for (const k of ['HUBSPOT_ACCESS_TOKEN', 'HUBSPOT_BASE_URL', 'HUBSPOT_CLIENT_ID', 'HUBSPOT_REFRESH_TOKEN', 'SALESFORCE_INSTANCE_URL', 'SALESFORCE_ACCESS_TOKEN']) delete e[k];
    const r = ws.run(['prune', '--json'], e);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('leadlift: warning: DATABASE_URL is set but not used: with no CRM configured, leadlift runs on the local sandbox');
    expect(JSON.parse(r.stdout).store).toBe(join(own, 'sandboxed', 'sandbox', 'leadlift.db'));
  });

  it("refuses when LEADLIFT_HOME holds the configured CRM's store but no CRM setting is set", async () => {
    const home = join(own, 'crm-store');
    await (await openStore({ home, databaseUrl: '' })).close();
    const e: NodeJS.ProcessEnv = { ...ws.env, LEADLIFT_HOME: home, DATABASE_URL: '' };
    for (const k of ['HUBSPOT_ACCESS_TOKEN', 'HUBSPOT_BASE_URL', 'HUBSPOT_CLIENT_ID', 'HUBSPOT_REFRESH_TOKEN', 'SALESFORCE_INSTANCE_URL', 'SALESFORCE_ACCESS_TOKEN', 'SALESFORCE_LOGIN_URL', 'SALESFORCE_CLIENT_ID']) delete e[k];
    const r = ws.run(['prune', '--json'], e);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`but ${join(home, 'leadlift.db')} exists`);
    expect(r.stderr).toContain('HUBSPOT_ACCESS_TOKEN, HUBSPOT_BASE_URL');
    expect(r.stderr).toContain('SALESFORCE_INSTANCE_URL');
    expect(r.stderr).toContain('Nothing was pruned.');
  });
});
