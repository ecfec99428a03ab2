import type { CrmName } from '../types.js';

/**
 * The settings that configure a CRM, so that leadlift syncs it (and uses the CRM's store) rather
 * than starting the local sandbox: any one of them, non-empty, is enough. One list per CRM, read by
 * the checks (hasHubspotEnv, hasSalesforceEnv) and by the messages that name them, so the two agree.
 */
export const CRM_SELECTING_SETTINGS: Record<CrmName, readonly string[]> = {
  hubspot: ['HUBSPOT_ACCESS_TOKEN', 'HUBSPOT_BASE_URL', 'HUBSPOT_CLIENT_ID', 'HUBSPOT_REFRESH_TOKEN'],
  salesforce: ['SALESFORCE_INSTANCE_URL', 'SALESFORCE_ACCESS_TOKEN', 'SALESFORCE_LOGIN_URL', 'SALESFORCE_CLIENT_ID'],
};
