import { describe, expect, it } from 'vitest';
import { storeTokenVault } from '../../connectors/salesforce/token-vault.js';
import { saveRefreshedHubspotTokens } from '../../src/jobs/stored-token-save.js';
import { backends, useStore } from '../store/backends.js';

/**
 * Instances sharing a store each hold a connector built from its install. Until the others replace
 * theirs, a reconnect through one instance (another portal or org) races their token refreshes:
 * a refresh of the old install must not put the old tokens back over the new ones, nor bring a
 * disconnected install back. Real store, both backends.
 */
describe.each(backends)('saving refreshed tokens of a stored install ($name)', (backend) => {
  const { store } = useStore(backend);
  const hour = () => Date.now() + 3_600_000;

  it('HubSpot: saved while the store holds the install it came from, keeping its portalId; not once it was reconnected or removed', async () => {
    await store().tokens.save('hubspot', { accessToken: 'at-1', refreshToken: 'rt-1', expiresAt: hour(), portalId: 1 });
    const save = saveRefreshedHubspotTokens(store().tokens, 'rt-1');
    await save({ accessToken: 'at-1b', refreshToken: 'rt-1', expiresAt: hour() });
    expect(await store().tokens.load('hubspot')).toMatchObject({ accessToken: 'at-1b', refreshToken: 'rt-1', portalId: 1 });

    await store().tokens.save('hubspot', { accessToken: 'at-2', refreshToken: 'rt-2', expiresAt: hour(), portalId: 2 });
    await save({ accessToken: 'at-1c', refreshToken: 'rt-1', expiresAt: hour() });
    expect(await store().tokens.load('hubspot')).toMatchObject({ accessToken: 'at-2', refreshToken: 'rt-2', portalId: 2 });

    await store().tokens.remove('hubspot');
    await saveRefreshedHubspotTokens(store().tokens, 'rt-2')({ accessToken: 'at-2b', refreshToken: 'rt-2', expiresAt: hour() });
    expect(await store().tokens.load('hubspot')).toBeNull();
  });

  it('Salesforce: a session\'s vault saves its refresh only over the install it read; the install\'s own vault saves what it is given', async () => {
    await storeTokenVault(store().tokens).save({ accessToken: 'old-a', refreshToken: 'old-r', instanceUrl: 'https://old.my.salesforce.com' });
    const session = storeTokenVault(store().tokens);
    const read = await session.load();
    await session.save({ ...read, accessToken: 'old-a2' });
    expect(await store().tokens.load('salesforce')).toMatchObject({ accessToken: 'old-a2', instanceUrl: 'https://old.my.salesforce.com' });

    // A reconnect to another org (the install's vault, never read from), then the old session refreshes.
    await storeTokenVault(store().tokens).save({ accessToken: 'new-a', refreshToken: 'new-r', instanceUrl: 'https://new.my.salesforce.com' });
    await session.save({ ...read, accessToken: 'old-a3' });
    expect(await store().tokens.load('salesforce')).toMatchObject({ accessToken: 'new-a', refreshToken: 'new-r', instanceUrl: 'https://new.my.salesforce.com' });
  });
});
