import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { envSecrets, SECRET_VARIABLES } from '../../src/jobs/run-error.js';

/**
 * One list of the variables that hold secrets (each connector's and the app's, joined in
 * run-error.ts): what is scrubbed from logs and what a settings error never quotes. A secret
 * variable added to .env.example but to no list would be neither.
 */
const envExample = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
const documented = [...envExample.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);

/** Named like a secret, but not one, and why. */
const NOT_SECRETS: Record<string, string> = {
  SALESFORCE_JWT_KEY_FILE: "a path; the key read from it is the Salesforce connector's own secret (secrets())",
};

describe('the secret variables', () => {
  it('list every variable of .env.example named for a token, secret, password or key', () => {
    const secretNamed = documented.filter((name) => /TOKEN|SECRET|PASSWORD|KEY/.test(name) && !(name in NOT_SECRETS));
    expect(secretNamed.length).toBeGreaterThan(8);
    expect(secretNamed.filter((name) => !SECRET_VARIABLES.includes(name))).toEqual([]);
    // And nothing that .env.example does not document (a misspelt name would scrub nothing).
    expect(SECRET_VARIABLES.filter((name) => !documented.includes(name))).toEqual([]);
  });

  it('are each scrubbed: their values are among the secrets the logs are cleaned of', () => {
    const env = Object.fromEntries(SECRET_VARIABLES.map((name, i) => [name, `value-of-${name}-${i}`]));
    expect([...envSecrets(env)].sort()).toEqual(Object.values(env).sort());
  });

});
