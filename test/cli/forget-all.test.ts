import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { crmAccountSetting } from '../../src/store/crm-account.js';
import { openStore } from '../../src/store/store.js';
import { leads } from '../store/leads.js';
import { useCliWorkspace } from './synthetic-leads.js';
import { useSandboxHome } from './sandbox-home.js';

const ws = useCliWorkspace('leadlift-forget-all-');
const sandboxHome = useSandboxHome(() => ws.env, 'leadlift-forget-all-home-');
const { env, sandboxStore } = sandboxHome;

/** `leadlift forget --crm X --all`, the way to switch a store to another portal: the real CLI on a real store. */
describe('leadlift forget --all', () => {
  it("clears that CRM's data and recorded portal, keeps the other CRM's and the settings", async () => {
    const store = await sandboxStore();
    try {
      await store.records.upsert('hubspot', leads(3), { objectType: 'leads', source: 'sync' });
      await store.records.upsert('salesforce', leads(2).map((l) => ({ ...l, crm: 'salesforce' as const })), { objectType: 'Lead', source: 'sync' });
      await store.settings.set(crmAccountSetting('hubspot'), { id: '9000001', since: new Date().toISOString() }, 'test');
      await store.settings.set('tiers', [{ name: 'Hot', min: 70 }], 'test');
      await store.forget('hubspot', ['77'], { actor: 'test' });

      const r = ws.run(['forget', '--crm', 'hubspot', '--all', '--json'], env());
      expect(r.status, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as { all: boolean; account: string; removed: Record<string, number> };
      expect(out).toMatchObject({ all: true, account: '9000001' });
      expect(out.removed.records).toBe(3);
      expect(out).toMatchObject({ forgotten: { setAside: 1, kept: 0 } });
      expect(r.stderr).toContain('Kept: the tiers and other settings');
      expect(r.stderr).toContain('The id of the 1 forgotten lead of portal 9000001 is set aside: it holds back no record of the next portal');
      expect(await store.forgottenLeads.count('hubspot')).toBe(0);
      expect(await store.records.count('hubspot', 'leads')).toBe(0);
      expect(await store.records.count('salesforce', 'Lead')).toBe(2);
      expect(await store.settings.get(crmAccountSetting('hubspot'))).toBeNull();
      expect(await store.settings.get('tiers')).not.toBeNull();

      const text = ws.run(['forget', '--crm', 'hubspot', '--all'], env());
      expect(text.status, text.stderr).toBe(0);
      expect(text.stdout).toContain("Cleared this store's HubSpot data: 0 rows removed");
    } finally {
      await store.close();
    }
  });

  it('refuses --all with --lead, and neither, with exit 2', () => {
    const both = ws.run(['forget', '--crm', 'hubspot', '--all', '--lead', '1'], env());
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('either --lead (some leads) or --all');
    const neither = ws.run(['forget', '--crm', 'hubspot'], env());
    expect(neither.status).toBe(2);
    expect(neither.stderr).toContain('or give --all');
  });
});
