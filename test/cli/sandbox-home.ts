import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { openStore } from '../../src/store/store.js';

/** The CRM settings a newcomer has none of: without them the store commands pick the local sandbox's store. */
const CRM_SETTINGS = ['HUBSPOT_ACCESS_TOKEN', 'HUBSPOT_BASE_URL', 'HUBSPOT_CLIENT_ID', 'HUBSPOT_REFRESH_TOKEN', 'SALESFORCE_INSTANCE_URL', 'SALESFORCE_ACCESS_TOKEN', 'SALESFORCE_LOGIN_URL', 'SALESFORCE_CLIENT_ID'];

/**
 * A fresh LEADLIFT_HOME per test for the store commands on the local sandbox: no CRM configured,
 * and a DATABASE_URL pointing nowhere, which they must not use (the sandbox keeps its own store).
 */
export function useSandboxHome(base: () => NodeJS.ProcessEnv, prefix: string) {
  let home = '';
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), prefix));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));
  return {
    home: () => home,
    env: (): NodeJS.ProcessEnv => {
      const e: NodeJS.ProcessEnv = { ...base(), LEADLIFT_HOME: home, DATABASE_URL: 'postgres://leadlift:leadlift@127.0.0.1:1/unused' };
      for (const k of CRM_SETTINGS) delete e[k];
      return e;
    },
    /** The sandbox's own store in that home (LEADLIFT_HOME/sandbox/leadlift.db). */
    sandboxStore: () => openStore({ home: join(home, 'sandbox'), databaseUrl: '' }),
  };
}
