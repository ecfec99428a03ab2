import { describe, expect, it } from 'vitest';
import { OAuthStates } from '../../src/server/oauth-states.js';
import { TokenKeyError } from '../../src/store/errors.js';
import { backends, useStore } from './backends.js';

const binding = { crm: 'salesforce' as const, user: 'manager@example.com', redirectUri: 'https://leadlift.example.com/install/salesforce/callback' };

describe.each(backends)('pending OAuth installs on $name', (backend) => {
  const { store, database } = useStore(backend);

  it('a state issued through one store handle is spent through another, once, with its verifier', async () => {
    const other = await database().open();
    try {
      const state = await new OAuthStates(store().oauthStates).issue(binding, Date.now(), { codeVerifier: 'the-pkce-verifier-0123456789' });
      const elsewhere = new OAuthStates(other.oauthStates);
      expect(await elsewhere.spend(state, binding)).toEqual({ codeVerifier: 'the-pkce-verifier-0123456789' });
      // A replayed callback finds nothing.
      expect(await elsewhere.spend(state, binding)).toBeNull();
      expect(await new OAuthStates(store().oauthStates).spend(state, binding)).toBeNull();
    } finally {
      await other.close();
    }
  });

  it('keeps neither the state nor the verifier in the clear', async () => {
    const state = await new OAuthStates(store().oauthStates).issue(binding, Date.now(), { codeVerifier: 'the-pkce-verifier-0123456789' });
    const rows = await store().db.selectFrom('oauth_states').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(state);
    expect(JSON.stringify(rows)).not.toContain('the-pkce-verifier');
    expect(rows[0].secrets).toMatch(/^v1:/);
  });

  it('two callbacks racing with one state: exactly one gets it', async () => {
    const states = new OAuthStates(store().oauthStates);
    const state = await states.issue(binding);
    const results = await Promise.all(Array.from({ length: 5 }, () => states.spend(state, binding)));
    expect(results.filter((r) => r !== null)).toHaveLength(1);
  });

  it('refuses, and spends, a state for another CRM, user or redirect, or one expired', async () => {
    const states = new OAuthStates(store().oauthStates, 60_000);
    for (const wrong of [{ crm: 'hubspot' as const }, { user: 'someone@example.com' }, { redirectUri: 'https://other.example.com/install/salesforce/callback' }]) {
      const state = await states.issue(binding);
      expect(await states.spend(state, { ...binding, ...wrong })).toBeNull();
      expect(await states.spend(state, binding)).toBeNull();
    }
    const now = Date.now();
    const expired = await states.issue(binding, now);
    expect(await states.spend(expired, binding, now + 60_001)).toBeNull();
    expect(await states.spend(undefined, binding)).toBeNull();
  });

  it('prunes the expired states when it issues a new one', async () => {
    const states = new OAuthStates(store().oauthStates, 60_000);
    const now = Date.now();
    await states.issue(binding, now - 120_000);
    await states.issue(binding, now - 30_000);
    await states.issue(binding, now);
    expect(await store().db.selectFrom('oauth_states').select('expires_at').execute()).toHaveLength(2);
  });

  it('a verifier sealed under another LEADLIFT_SECRET_KEY says so', async () => {
    const otherKey = await database().open({ secretKey: Buffer.alloc(32, 3).toString('base64') });
    try {
      const state = await new OAuthStates(otherKey.oauthStates).issue(binding, Date.now(), { codeVerifier: 'v' });
      const spent = new OAuthStates(store().oauthStates).spend(state, binding);
      await expect(spent).rejects.toThrow(TokenKeyError);
      await expect(new OAuthStates(store().oauthStates).spend(state, binding)).resolves.toBeNull();
    } finally {
      await otherKey.close();
    }
  });
});
