import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { leads } from '../store/leads.js';
import { useCliWorkspace } from './synthetic-leads.js';
import { useSandboxHome } from './sandbox-home.js';

const ws = useCliWorkspace('leadlift-forget-sandbox-');
const sandboxHome = useSandboxHome(() => ws.env, 'leadlift-forget-sandbox-home-');
const { env, sandboxStore } = sandboxHome;

describe('leadlift forget with no CRM configured', () => {
  it("erases from the local sandbox's store while a live process holds the sandbox lock, and leaves the lock alone", async () => {
    const store = await sandboxStore();
    try {
      await store.records.upsert('hubspot', leads(3), { objectType: 'leads', source: 'sync' });
      // This test process stands in for a running `npm start`: alive, and the lock's owner.
      const lock = `${JSON.stringify({ pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), command: 'leadlift start', nonce: 'running' })}\n`;
      writeFileSync(join(sandboxHome.home(), 'sandbox.lock'), lock);

      const r = ws.run(['forget', '--crm', 'hubspot', '--lead', '2', '--json'], env());
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).removed.records).toBe(1);
      expect(r.stderr).toContain(join(sandboxHome.home(), 'sandbox', 'leadlift.db'));
      expect(r.stderr).not.toContain('None of these ids');
      expect(await store.records.get('hubspot', 'leads', '2')).toBeNull();
      expect(await store.records.get('hubspot', 'leads', '1')).not.toBeNull();
      expect(readFileSync(join(sandboxHome.home(), 'sandbox.lock'), 'utf8')).toBe(lock);
      // Not the DATABASE_URL, not a second store in LEADLIFT_HOME.
      expect(existsSync(join(sandboxHome.home(), 'leadlift.db'))).toBe(false);

      const unknown = ws.run(['forget', '--crm', 'hubspot', '--lead', '66901'], env());
      expect(unknown.status, unknown.stderr).toBe(0);
      expect(unknown.stderr).toContain('None of these ids was found in the store');
    } finally {
      await store.close();
    }
  });

  it('says there is no sandbox store instead of creating one', () => {
    const { DATABASE_URL: _unset, ...noDatabaseUrl } = env();
    const r = ws.run(['forget', '--crm', 'hubspot', '--lead', '66901'], noDatabaseUrl);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`No leadlift store in ${join(sandboxHome.home(), 'sandbox')}`);
    expect(readdirSync(sandboxHome.home())).toEqual([]);
  });

  // A PostgreSQL deployment (DATABASE_URL, CRM settings in serve's environment) run from a shell
  // without the CRM settings: its store is the database this command would not open.
  for (const command of [
    ['forget', '--crm', 'hubspot', '--lead', '66901'],
    ['prune', '--json'],
  ]) {
    it(`${command[0]} refuses when DATABASE_URL is set but ignored and there is no sandbox store`, () => {
      const r = ws.run(command, env());
      expect(r.status, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`No leadlift store at ${join(sandboxHome.home(), 'sandbox', 'leadlift.db')}`);
      expect(r.stderr).toContain('but DATABASE_URL is set');
      expect(r.stderr).toContain('HUBSPOT_ACCESS_TOKEN, HUBSPOT_BASE_URL, HUBSPOT_CLIENT_ID or HUBSPOT_REFRESH_TOKEN selects DATABASE_URL');
      expect(r.stderr).toContain(command[0] === 'forget' ? 'Nothing was forgotten' : 'Nothing was pruned.');
      // The URL may carry a password: never echoed.
      expect(r.stderr).not.toContain('127.0.0.1:1');
      expect(readdirSync(sandboxHome.home())).toEqual([]);
    });
  }

  it("refuses, naming both stores and the settings, when LEADLIFT_HOME holds the real CRM's store (serve ran with Salesforce settings)", async () => {
    // The store `serve` wrote with SALESFORCE_* set: LEADLIFT_HOME/leadlift.db, no sandbox folder.
    const crmStore = await openStore({ home: sandboxHome.home(), databaseUrl: '' });
    try {
      await crmStore.records.upsert('salesforce', leads(2).map((l) => ({ ...l, crm: 'salesforce' as const })), { objectType: 'leads', source: 'sync' });
    } finally {
      await crmStore.close();
    }
    const r = ws.run(['forget', '--crm', 'salesforce', '--lead', '1', '--json'], env());
    expect(r.status).toBe(2);
    // No command's --json has an error object: stdout stays empty rather than look like a result.
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`No leadlift store at ${join(sandboxHome.home(), 'sandbox', 'leadlift.db')}`);
    expect(r.stderr).toContain(`but ${join(sandboxHome.home(), 'leadlift.db')} exists`);
    expect(r.stderr).toContain('SALESFORCE_INSTANCE_URL, SALESFORCE_ACCESS_TOKEN, SALESFORCE_LOGIN_URL or SALESFORCE_CLIENT_ID');
    expect(r.stderr).toContain('Nothing was forgotten and no id was put on the suppression list.');
    expect(existsSync(join(sandboxHome.home(), 'sandbox'))).toBe(false);
    const after = await openStore({ home: sandboxHome.home(), databaseUrl: '' });
    try {
      expect(await after.records.get('salesforce', 'leads', '1')).not.toBeNull();
    } finally {
      await after.close();
    }
  });
});
