import type { LoggedRequest } from './context.js';

/** Which CRM a request path belongs to: Salesforce lives under /services, the control API under /__sandbox. */
export function crmForPath(path: string): LoggedRequest['crm'] {
  if (path.startsWith('/__sandbox')) return 'control';
  if (path.startsWith('/services')) return 'salesforce';
  return 'hubspot';
}
