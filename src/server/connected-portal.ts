import type { Connector } from '../../connectors/types.js';
import type { CrmConnections } from './crm-connections.js';
import { CONNECT_HUBSPOT } from '../../connectors/hubspot/connect-words.js';

export type PortalLookup = { portalId: number } | { problem: string };

type WithPortalId = Connector & { portalId(): Promise<number> };

/**
 * The hub id of the HubSpot portal this server is connected to, which every webhook event must
 * name before it may touch a lead: all portals that install the app get webhooks signed with the
 * one client secret, and contact ids repeat across portals. The connector reads it once
 * (HubSpot's token details, or the account details for a private-app token) and keeps it; an
 * install replaces the connector, so the new portal is read afresh. Unknown (not connected yet,
 * or HubSpot did not say) is a problem to report, never a portal to guess.
 */
export async function connectedHubspotPortal(connections: CrmConnections): Promise<PortalLookup> {
  const connector = connections.get('hubspot');
  if (!connector) return { problem: `HubSpot is not connected to this server yet: ${CONNECT_HUBSPOT}, or set HUBSPOT_ACCESS_TOKEN` };
  if (!hasPortalId(connector)) return { problem: 'the HubSpot connection in use cannot say which portal it belongs to' };
  try {
    return { portalId: await connector.portalId() };
  } catch (err) {
    return { problem: (err as Error).message.replace(/\.$/, '') };
  }
}

function hasPortalId(connector: Connector): connector is WithPortalId {
  return typeof (connector as Partial<WithPortalId>).portalId === 'function';
}
