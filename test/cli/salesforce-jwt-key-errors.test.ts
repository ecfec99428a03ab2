import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { leadliftBin, newcomerEnv } from './cli-child.js';

// A JWT key that cannot sign was found only at the first sign-in, and said as "Salesforce refused
// signing in with the JWT bearer flow (UNKNOWN)", exit 1, naming SALESFORCE_JWT_KEY_FILE even for
// an inline SALESFORCE_JWT_KEY. It is the admin's setting that is wrong: exit 2, naming it.
let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'leadlift-jwt-key-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

function runSalesforce(extra: Record<string, string>) {
  // Nothing listens on port 1: a sign-in that were attempted would fail as unreachable.
  const env = newcomerEnv(home, { SALESFORCE_CLIENT_ID: 'jwt-app', SALESFORCE_USERNAME: 'integration@acme.example', SALESFORCE_LOGIN_URL: 'http://127.0.0.1:1', ...extra });
  return spawnSync(process.execPath, [leadliftBin, 'run', '--crm', 'salesforce'], { encoding: 'utf8', env, timeout: 60_000 });
}

describe('a Salesforce JWT key that cannot sign is bad input, named by its variable', () => {
  it('a key file holding the public key: exit 2 naming SALESFORCE_JWT_KEY_FILE and the file, not as a refusal by Salesforce', () => {
    const file = join(home, 'server.pem');
    writeFileSync(file, generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }));
    const result = runSalesforce({ SALESFORCE_JWT_KEY_FILE: file });
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).toContain(`Configuration "SALESFORCE_JWT_KEY_FILE": is not a PEM private key this machine can read`);
    expect(result.stderr).toContain(`the file ${file} should hold the connected app's private key`);
    expect(result.stderr).not.toMatch(/Salesforce refused/);
  });

  it('an inline SALESFORCE_JWT_KEY that is no key: exit 2 naming SALESFORCE_JWT_KEY, never quoting it', () => {
    const result = runSalesforce({ SALESFORCE_JWT_KEY: '-----BEGIN PRIVATE KEY-----\\nMIIEvQ-secret-material-xyz\\n-----END PRIVATE KEY-----' });
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).toContain('Configuration "SALESFORCE_JWT_KEY": is not a PEM private key this machine can read');
    expect(result.stderr).not.toContain('SALESFORCE_JWT_KEY_FILE');
    expect(result.stderr).not.toContain('secret-material');
  });

  it('a key file that does not exist says so in words', () => {
    const file = join(home, 'missing.pem');
    const result = runSalesforce({ SALESFORCE_JWT_KEY_FILE: file });
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).toContain(`Configuration "SALESFORCE_JWT_KEY_FILE": cannot be read: ${file} does not exist`);
  });
});
