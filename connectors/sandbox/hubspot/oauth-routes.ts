import { randomBytes, randomUUID } from 'node:crypto';
import { Router, type Response } from 'express';
import type { HubspotDeps } from './deps.js';
import { installScopes } from './install-scopes.js';

const ACCESS_TOKEN_SECONDS = 1800;
const CODE_SECONDS = 600;
const NEVER_EXPIRES_SECONDS = 10 * 365 * 86_400;

/**
 * HubSpot OAuth 2.0: an authorize URL that consents at once (no user to ask in a sandbox) and
 * redirects with a code for the scopes it asked for, or refuses an install URL whose scopes do
 * not match the app's (install-scopes.ts); the token endpoint for authorization_code and
 * refresh_token grants, and token introspection. Access tokens live 30 minutes on the sandbox clock.
 */
export function oauthRoutes(deps: HubspotDeps): Router {
  const router = Router();
  const { records, ctx } = deps;
  const state = () => records.state;
  const token = (prefix: string) => `${prefix}-${randomBytes(24).toString('base64url')}`;

  router.get('/oauth/authorize', (req, res) => {
    const { client_id: clientId, redirect_uri: redirectUri, state: clientState, scope, optional_scope: optionalScope } = req.query as Record<string, string | undefined>;
    if (clientId !== state().app.clientId) return oauthError(res, 'BAD_CLIENT_ID', 'missing or invalid client id');
    if (!redirectUri || !URL.canParse(redirectUri)) return oauthError(res, 'BAD_REDIRECT_URI', 'missing or invalid redirect_uri');
    const scopes = installScopes(state().app, String(scope ?? ''), String(optionalScope ?? ''));
    if (!scopes.ok) {
      // HubSpot shows this on its own "Couldn't complete the connection" page and never redirects,
      // so the app's callback hears nothing. The lists are the sandbox's, to say what to fix.
      return oauthError(res, 'SCOPE_MISMATCH', SCOPE_MISMATCH_MESSAGE, 400, {
        missingRequiredScopes: scopes.missingRequired,
        scopesNotConfigured: scopes.notConfigured,
      });
    }
    const code = token('code');
    // Into the portal the app names now: the control API's PATCH /app { portalId } stands for an
    // admin installing the app in another portal, whose tokens then say that portal's hub_id.
    state().authCodes.set(code, { redirectUri, expiresAt: ctx.clock.now() + CODE_SECONDS * 1000, scopes: scopes.granted, portalId: state().app.portalId });
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    if (clientState) target.searchParams.set('state', clientState);
    res.redirect(302, target.toString());
  });

  router.post('/oauth/v1/token', (req, res) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const app = state().app;
    if (body.client_id !== app.clientId) return oauthError(res, 'BAD_CLIENT_ID', 'missing or invalid client id');
    if (body.client_secret !== app.clientSecret) return oauthError(res, 'BAD_CLIENT_SECRET', 'missing or invalid client secret');
    let scopes: string[];
    let portalId: number;
    if (body.grant_type === 'authorization_code') {
      const issued = body.code ? state().authCodes.get(body.code) : undefined;
      if (!issued || issued.expiresAt <= ctx.clock.now()) return oauthError(res, 'BAD_AUTH_CODE', 'missing or unknown auth code');
      if (issued.redirectUri !== body.redirect_uri) return oauthError(res, 'BAD_REDIRECT_URI', 'redirect_uri does not match the one used to authorize');
      state().authCodes.delete(body.code!);
      scopes = issued.scopes;
      portalId = issued.portalId ?? app.portalId;
    } else if (body.grant_type === 'refresh_token') {
      const known = body.refresh_token ? state().refreshTokens.get(body.refresh_token) : undefined;
      if (!known) return oauthError(res, 'BAD_REFRESH_TOKEN', 'missing or invalid refresh token');
      scopes = known.scopes;
      portalId = known.portalId ?? app.portalId;
    } else {
      return oauthError(res, 'BAD_GRANT_TYPE', `unsupported grant_type ${body.grant_type ?? '(missing)'}; use authorization_code or refresh_token`);
    }
    const refreshToken = body.grant_type === 'refresh_token' ? body.refresh_token! : token('refresh');
    const accessToken = token('access');
    state().refreshTokens.set(refreshToken, { scopes, portalId });
    state().accessTokens.set(accessToken, { expiresAt: ctx.clock.now() + ACCESS_TOKEN_SECONDS * 1000, scopes, refreshToken, portalId });
    res.json({ token_type: 'bearer', refresh_token: refreshToken, access_token: accessToken, expires_in: ACCESS_TOKEN_SECONDS });
  });

  router.get('/oauth/v1/access-tokens/:token', (req, res) => {
    const app = state().app;
    const issued = state().accessTokens.get(req.params.token);
    const isSandboxToken = req.params.token === ctx.token;
    if (!isSandboxToken && (!issued || issued.expiresAt <= ctx.clock.now())) return oauthError(res, 'BAD_ACCESS_TOKEN', 'missing, expired or invalid access token', 404);
    res.json({
      token: req.params.token,
      user: 'sandbox-admin@leadlift.test',
      hub_domain: app.hubDomain,
      scopes: issued?.scopes ?? app.scopes,
      hub_id: issued?.portalId ?? app.portalId,
      app_id: app.appId,
      expires_in: isSandboxToken ? NEVER_EXPIRES_SECONDS : Math.floor((issued!.expiresAt - ctx.clock.now()) / 1000),
      user_id: 1,
      token_type: 'access',
    });
  });

  router.get('/oauth/v1/refresh-tokens/:token', (req, res) => {
    const known = state().refreshTokens.get(req.params.token);
    if (!known) return oauthError(res, 'BAD_REFRESH_TOKEN', 'missing or invalid refresh token', 404);
    const app = state().app;
    res.json({ token: req.params.token, user: 'sandbox-admin@leadlift.test', hub_domain: app.hubDomain, scopes: known.scopes, hub_id: known.portalId ?? app.portalId, client_id: app.clientId, user_id: 1, token_type: 'refresh' });
  });

  router.delete('/oauth/v1/refresh-tokens/:token', (req, res) => {
    state().refreshTokens.delete(req.params.token);
    for (const [access, info] of state().accessTokens) if (info.refreshToken === req.params.token) state().accessTokens.delete(access);
    res.status(204).end();
  });

  return router;
}

/** What HubSpot's install page says to an install URL whose scopes are not the app's. */
const SCOPE_MISMATCH_MESSAGE =
  "Couldn't complete the connection. Authorization failed because there is a mismatch between the scopes in the install URL and the app's configured scopes. Please contact the app developer.";

/** HubSpot's OAuth errors put the reason code in `status` rather than a category. */
function oauthError(res: Response, status: string, message: string, httpStatus = 400, context?: Record<string, string[]>): void {
  res.status(httpStatus).json({ status, message, correlationId: randomUUID(), ...(context && { context }) });
}
