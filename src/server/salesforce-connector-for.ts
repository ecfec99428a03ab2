import { createSalesforceConnector, storeTokenVault } from '../../connectors/salesforce/index.js';
import type { Connector } from '../../connectors/types.js';
import { InputError } from '../domain/errors.js';
import type { Manifest } from '../domain/manifest.js';
import type { Store } from '../store/store.js';
import { installRedirectUri, type ServerSettings } from './settings.js';

/**
 * The connector an admin's Salesforce install starts: the connected app from the server settings
 * (the same one whose authorize URL the install page sent the admin to) and the tokens the
 * callback saved in the store's encrypted vault. jsforce refreshes an expired access token with
 * the saved refresh token and the vault keeps the new one, so the install survives restarts.
 */
export function salesforceConnectorForInstall(input: { settings: ServerSettings; store: Store; manifest: Manifest }): () => Promise<Connector> {
  return async () => {
    const { clientId, clientSecret, loginUrl } = input.settings.salesforce;
    if (!clientId) throw new InputError('SALESFORCE_CLIENT_ID is needed to keep a Salesforce OAuth install connected');
    return createSalesforceConnector(
      { loginUrl, oauth: { clientId, ...(clientSecret ? { clientSecret } : {}), redirectUri: installRedirectUri(input.settings, 'salesforce') } },
      storeTokenVault(input.store.tokens),
      input.manifest,
    );
  };
}
