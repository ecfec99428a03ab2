import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { leadliftBin, newcomerEnv } from './cli-child.js';

// A bad CRM setting was found only after the store was opened: the refused command left a new,
// empty LEADLIFT_HOME/leadlift.db behind, and from then on `forget` and `prune` without CRM
// settings refused to use the sandbox's store, pointing at that empty file as a configured CRM's.
let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'leadlift-bad-settings-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

function leadlift(args: string[], extra: Record<string, string> = {}) {
  return spawnSync(process.execPath, [leadliftBin, ...args], { encoding: 'utf8', env: newcomerEnv(home, extra), timeout: 60_000 });
}

describe('a run refused for a bad CRM setting makes no store', () => {
  it('HubSpot: a client id without its secret exits 2 and leaves LEADLIFT_HOME empty', () => {
    const result = leadlift(['run'], { HUBSPOT_CLIENT_ID: 'app-client-id' });
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).toContain('Configuration "HUBSPOT_ACCESS_TOKEN": is required');
    expect(readdirSync(home)).toEqual([]);
  });

  it('Salesforce: a JWT key file that does not exist exits 2 and leaves LEADLIFT_HOME empty', () => {
    const env = { SALESFORCE_CLIENT_ID: 'jwt-app', SALESFORCE_USERNAME: 'integration@acme.example', SALESFORCE_JWT_KEY_FILE: join(home, 'missing.pem') };
    const result = leadlift(['run', '--crm', 'salesforce'], env);
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).toContain('Configuration "SALESFORCE_JWT_KEY_FILE": cannot be read');
    expect(readdirSync(home)).toEqual([]);
  });

  it('so prune without CRM settings afterwards is not turned away by an empty configured store', () => {
    leadlift(['run'], { HUBSPOT_CLIENT_ID: 'app-client-id' });
    const prune = leadlift(['prune', '--dry-run']);
    expect(existsSync(join(home, 'leadlift.db'))).toBe(false);
    expect(prune.stderr).not.toContain(`${join(home, 'leadlift.db')} exists`);
  });
});
