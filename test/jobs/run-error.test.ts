import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createHubspotConnector, HubspotAuthError } from '../../connectors/hubspot/index.js';
import { createSalesforceConnector } from '../../connectors/salesforce/index.js';
import { loopSecrets, runError } from '../../src/jobs/run-error.js';
import { backends, useStore } from '../store/backends.js';

const TOKEN = 'pat-na1-11111111-2222-3333-4444-555555555555';

describe("a failed run's stored error", () => {
  it("keeps leadlift's own message, written for admins", () => {
    const err = new HubspotAuthError('reading contacts');
    expect(runError(err, [TOKEN])).toEqual({ stored: err.message, logged: null });
  });

  it("keeps a Node system error's fixed words (call, code, path), scrubbed of the known secrets", async () => {
    const err = await readFile(join(tmpdir(), `leadlift-missing-${TOKEN}`)).catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe('ENOENT');
    const { stored, logged } = runError(err, [TOKEN]);
    expect(stored).toBe(`ENOENT: no such file or directory, open '${join(tmpdir(), 'leadlift-missing-[redacted]')}'`);
    expect(logged).toBeNull();
  });

  it('stores only the class of anything else; its text, scrubbed of secrets and URL credentials, is for the log', () => {
    const err = new TypeError(`Cannot read properties of undefined (token ${TOKEN}, proxy http://user:pw@proxy.example:8080/)`);
    expect(runError(err, [TOKEN])).toEqual({
      stored: 'An unexpected TypeError stopped the run; its text is in the log only, since it may quote a secret.',
      logged: 'Cannot read properties of undefined (token [redacted], proxy http://****@proxy.example:8080/)',
    });
    const named = Object.assign(new Error('x'), { name: `Bearer ${TOKEN}` });
    expect(runError(named, [TOKEN]).stored).toBe('An unexpected error stopped the run; its text is in the log only, since it may quote a secret.');
    expect(runError(`thrown ${TOKEN}`, [TOKEN])).toEqual({
      stored: 'An unexpected thrown value (not an Error) stopped the run; its text is in the log only, since it may quote a secret.',
      logged: 'thrown [redacted]',
    });
  });
});

describe.each(backends)('the secrets a loop scrubs ($name store)', (backend) => {
  const { store } = useStore(backend);

  it("holds the connector's token, the database password and the secret variables", () => {
    const connector = createHubspotConnector({ accessToken: TOKEN, basePath: 'http://127.0.0.1:9' });
    const env = { HUBSPOT_CLIENT_SECRET: 'client-secret-value', LEADLIFT_ADMIN_PASSWORD: 'admin-password-value', DATABASE_URL: 'postgres://u:env-db-password@db.example/leadlift', PATH: '/usr/bin' };
    const secrets = loopSecrets({ store: store(), connector }, env);
    expect(secrets).toEqual(expect.arrayContaining([TOKEN, 'client-secret-value', 'admin-password-value', 'env-db-password']));
    expect(secrets).not.toContain('/usr/bin');
    const password = backend.name === 'postgres' ? decodeURIComponent(new URL(process.env.LEADLIFT_TEST_DATABASE_URL!).password) : '';
    if (password) expect(secrets).toContain(password);
    expect(store().secrets()).toEqual(password ? expect.arrayContaining([password]) : []);
  });

  it("holds a Salesforce connector's session token", () => {
    const connector = createSalesforceConnector({ accessToken: '00D000000000001!sf-session-token', instanceUrl: 'https://example.my.salesforce.com' });
    expect(loopSecrets({ store: store(), connector }, {})).toContain('00D000000000001!sf-session-token');
  });
});
