import type { CrmName } from '../../connectors/types.js';
import { connectedHubspotPortal } from './connected-portal.js';
import type { ServerDeps } from './deps.js';

/** Where a lead's CRM record lives, when the CRM in use is the real one: the Leads page's "Open in …" link. */
export type CrmRecordBase = { crm: 'hubspot'; portalId: number } | { crm: 'salesforce'; instanceUrl: string };

/**
 * The lead's record in the CRM's own app (HubSpot's contact record, Salesforce Lightning's lead
 * view). Ids are the CRM's, so they are URL-encoded, never trusted as a path.
 */
export function crmRecordUrl(base: CrmRecordBase, leadId: string): string {
  const id = encodeURIComponent(leadId);
  if (base.crm === 'hubspot') return `https://app.hubspot.com/contacts/${base.portalId}/record/0-1/${id}`;
  return `${base.instanceUrl.replace(/\/+$/, '')}/lightning/r/Lead/${id}/view`;
}

/** Salesforce's own hosts: an instance elsewhere (the local sandbox) has no Lightning app to link to. */
export function isSalesforceHost(url: string): boolean {
  try {
    const { protocol, hostname } = new URL(url);
    return protocol === 'https:' && /(^|\.)(salesforce|force)\.com$/.test(hostname);
  } catch {
    return false;
  }
}

/**
 * The base for this server's connection, or null when it is not known or not a real CRM: HubSpot
 * reached through HUBSPOT_BASE_URL (the sandbox) has no app.hubspot.com record; Salesforce names
 * its instance in the install's tokens. A lookup that fails costs only the link.
 */
export async function crmRecordBase(deps: ServerDeps, crm: CrmName): Promise<CrmRecordBase | null> {
  try {
    if (crm === 'hubspot') {
      if (deps.settings.hubspot.apiBase) return null;
      const portal = await connectedHubspotPortal(deps.connections);
      return 'portalId' in portal ? { crm, portalId: portal.portalId } : null;
    }
    const instanceUrl = (await deps.store.tokens.load('salesforce'))?.instanceUrl;
    return typeof instanceUrl === 'string' && isSalesforceHost(instanceUrl) ? { crm, instanceUrl } : null;
  } catch {
    return null;
  }
}
