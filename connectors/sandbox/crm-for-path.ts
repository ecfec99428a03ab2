import type { LoggedRequest } from './context.js';

/**
 * Which CRM a request path belongs to: Salesforce lives under /services (and its identity URL
 * under /id), the control API under /__sandbox, HubSpot everywhere else (/crm, /oauth, /webhooks).
 */
export function crmForPath(path: string): LoggedRequest['crm'] {
  if (path.startsWith('/__sandbox')) return 'control';
  if (path.startsWith('/services') || path.startsWith('/id/')) return 'salesforce';
  return 'hubspot';
}
