import type { ApiCaller } from './api-caller.js';
import { SalesforceError } from './errors.js';

/**
 * The id of the org the connection belongs to, from Salesforce's identity service (jsforce's
 * identity(): the REST resources' `identity` URL, then that URL), whichever way it signed in
 * (OAuth, JWT, an access token). Two requests, counted; read once per connector by its caller.
 */
export async function salesforceOrgIdOf(caller: ApiCaller): Promise<string> {
  const identity = await caller.call('reading which org the connection belongs to (identity)', (conn) => conn.identity(), { requests: 2 });
  const orgId = (identity as { organization_id?: unknown }).organization_id;
  if (typeof orgId !== 'string' || !/^00D[0-9A-Za-z]{12}([0-9A-Za-z]{3})?$/.test(orgId)) {
    throw new SalesforceError("Salesforce's identity service named no org id for this connection, so leadlift cannot tell which org it is connected to. Nothing was read or changed.", 'NO_ORG_ID');
  }
  return orgId;
}
