import type { RequestHandler } from 'express';
import { callerOf } from './auth.js';
import { sendHubspotError } from './errors.js';
import { objectTypeOf } from './object-types.js';

/**
 * The scopes a CRM call needs, any one of them enough (HubSpot's "One or more of the following
 * scopes are required"): objects and associations take the object's read or write scope,
 * property definitions the schema scope. Reading definitions also passes with the object's own
 * scopes, as HubSpot's properties reference lists them among the alternatives. Null when the
 * sandbox does not check the path (an object type it does not serve answers 404 on its own).
 * `path` is the request's path under /crm, e.g. /v3/objects/contacts/search.
 */
export function requiredScopes(method: string, path: string): string[] | null {
  // [version, section, object type, ...]: v3/objects/contacts/..., v4/associations/contacts/deals/...
  const [, section, typeName] = path.split('/').filter(Boolean);
  const type = typeName ? objectTypeOf(typeName) : null;
  if (!type) return null;
  const reads = method === 'GET' || path.endsWith('/batch/read') || path.endsWith('/search');
  const access = reads ? 'read' : 'write';
  // Objects, and associations from them (v4/objects/:type/:id/associations/... or
  // v3|v4/associations/:from/:to/batch/...): the scope of the objects the call starts from.
  if (section === 'objects' || section === 'associations') return [`crm.objects.${type}.${access}`];
  if (section === 'properties') {
    return reads
      ? [`crm.schemas.${type}.read`, `crm.schemas.${type}.write`, `crm.objects.${type}.read`, `crm.objects.${type}.write`]
      : [`crm.schemas.${type}.write`];
  }
  return null;
}

/**
 * The account details and daily usage (/account-info/v3/details, /v3/api-usage/daily/private-apps;
 * `path` under /account-info): HubSpot's API reference lists `oauth` as the one scope each takes,
 * which every OAuth app has (manifest.json asks for it). Private-app tokens pass, as on the CRM APIs.
 */
export function accountInfoScopes(_method: string, path: string): string[] | null {
  return /^\/v3\/(details|api-usage\/daily\/private-apps)\/?$/.test(path) ? ['oauth'] : null;
}

const MISSING_SCOPES_MESSAGE =
  "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.";

/**
 * 403 MISSING_SCOPES when the token's granted scopes hold none of those the call needs, in
 * HubSpot's shape: the scopes under errors[0].context.requiredGranularScopes. Runs after
 * bearerAuth on the /crm mount (and with accountInfoScopes on /account-info); the sandbox's own
 * token is granted every scope.
 */
export function scopeCheck(scopesFor: (method: string, path: string) => string[] | null = requiredScopes): RequestHandler {
  return (req, res, next) => {
    const caller = callerOf(res);
    if (caller?.kind !== 'oauth') return next();
    const granted = caller.scopes;
    const needed = scopesFor(req.method, req.path);
    if (!needed || needed.some((scope) => granted.includes(scope))) return next();
    sendHubspotError(res, 403, 'MISSING_SCOPES', MISSING_SCOPES_MESSAGE, {
      errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: needed } }],
      links: { scopes: 'https://developers.hubspot.com/scopes' },
    });
  };
}
