import type { RequestHandler, Response } from 'express';
import type { SandboxContext } from '../context.js';
import { sendHubspotError } from './errors.js';
import type { HubspotState } from './store.js';

const NO_CREDENTIALS =
  'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';

/**
 * Bearer auth for the CRM APIs: the sandbox's own token (like a private-app token granted every
 * scope, never expires) or an access token issued by /oauth/v1/token until it expires on the
 * sandbox clock. Which of the two called is left for later middleware (callerOf).
 */
export function bearerAuth(ctx: SandboxContext, state: () => HubspotState): RequestHandler {
  return (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    const token = match?.[1].trim();
    if (!token) return sendHubspotError(res, 401, 'INVALID_AUTHENTICATION', NO_CREDENTIALS);
    if (token === ctx.token) {
      res.locals.hubspotCaller = { kind: 'private-app' } satisfies HubspotCaller;
      return next();
    }
    const issued = state().accessTokens.get(token);
    if (!issued) return sendHubspotError(res, 401, 'INVALID_AUTHENTICATION', NO_CREDENTIALS);
    const now = ctx.clock.now();
    if (issued.expiresAt <= now) {
      const minutes = Math.max(1, Math.round((now - issued.expiresAt) / 60_000));
      return sendHubspotError(res, 401, 'EXPIRED_AUTHENTICATION', `The OAuth token used to make this call expired ${minutes} minute(s) ago.`);
    }
    res.locals.hubspotCaller = { kind: 'oauth', scopes: issued.scopes, ...(issued.portalId !== undefined && { portalId: issued.portalId }) } satisfies HubspotCaller;
    next();
  };
}

/** Who bearerAuth let in: the sandbox token (a private app granted every scope) or an OAuth access token. */
export type HubspotCaller = { kind: 'private-app' } | { kind: 'oauth'; scopes: string[]; /** The portal its install was into (absent: the app's). */ portalId?: number };

export function callerOf(res: Response): HubspotCaller | undefined {
  return res.locals.hubspotCaller as HubspotCaller | undefined;
}

/** The developer API key (`hapikey` query parameter) the webhooks settings API wants; the sandbox token doubles as it. */
export function developerKeyAuth(ctx: SandboxContext): RequestHandler {
  return (req, res, next) => {
    if (req.query.hapikey === ctx.token) return next();
    sendHubspotError(res, 401, 'INVALID_AUTHENTICATION', 'The developer API key (hapikey) provided is invalid. Use the sandbox token as the developer API key.');
  };
}
