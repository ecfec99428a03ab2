import type { Connector } from '../../connectors/types.js';
import { authMode, type SalesforceConfig } from '../../connectors/salesforce/config.js';
import type { Store } from '../store/store.js';

/**
 * Whether the CRM is connected as an admin means it: a connector that can sign in, not just one
 * configured. A HubSpot connector is only built with a token (HUBSPOT_ACCESS_TOKEN, a refresh
 * token, or the install's stored tokens). A Salesforce one is built from SALESFORCE_INSTANCE_URL
 * and the OAuth app settings alone, before anyone chose "Connect Salesforce": in OAuth mode it can
 * sign in only once the install stored tokens.
 */
export async function hasUsableCredential(connector: Connector | null, store: Store): Promise<boolean> {
  if (!connector) return false;
  if (connector.crm !== 'salesforce') return true;
  const config = (connector as { config?: SalesforceConfig }).config;
  if (!config || authMode(config) !== 'oauth') return true;
  // A key problem (LEADLIFT_SECRET_KEY unset or wrong) means the stored tokens cannot be read either.
  const saved = await store.tokens.load('salesforce').catch(() => null);
  return typeof saved?.refreshToken === 'string' && saved.refreshToken !== '';
}
