import express, { type Request, type Response, type Router } from 'express';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { SandboxContext } from '../../context.js';
import { ORG_ID, USER_ID } from '../ids.js';
import { JwtAssertionError, verifyAssertion } from '../jwt.js';
import { ACCESS_TOKEN_LIFETIME_MS, isValidToken, tokenFrom } from '../session.js';
import type { SalesforceState } from '../state.js';
import type { SalesforceConnectedApp } from '../connected-app.js';

/**
 * Salesforce's OAuth 2.0 endpoints on the login host: authorize (auto-approves: there is no user
 * to ask), token (authorization_code with optional PKCE, refresh_token, password and JWT bearer
 * grants), revoke, and the identity URL the token response points at.
 *
 * Sandbox rules: one connected app (connected-app.ts). Another client_id is invalid_client_id,
 * at authorize and token, as in Salesforce; a client_secret that is sent must be the app's
 * (invalid_client otherwise). The secret may be left out where a connected app can waive it: the
 * web-server flow with PKCE, and refresh; the password grant needs it. JWT bearer assertions are
 * checked against the keys registered for their issuer instead. The password grant accepts any
 * username whose password is the sandbox's access token; issued access tokens live two hours of
 * sandbox time, refresh tokens until revoked or reset.
 */

class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}

export function sandboxBaseUrl(ctx: SandboxContext, req: Request): string {
  return ctx.options.baseUrl ? ctx.options.baseUrl.replace(/\/+$/, '') : `${req.protocol}://${req.get('host')}`;
}

function identityUrl(base: string): string {
  return `${base}/id/${ORG_ID}/${USER_ID}`;
}

function issue(
  ctx: SandboxContext,
  state: SalesforceState,
  req: Request,
  clientSecret: string,
  withRefresh: boolean,
): Record<string, string> {
  const base = sandboxBaseUrl(ctx, req);
  const issuedAt = String(ctx.clock.now());
  const accessToken = `${ORG_ID.slice(0, 15)}!AQ${randomBytes(36).toString('base64url')}`;
  state.auth.accessTokens.set(accessToken, ctx.clock.now() + ACCESS_TOKEN_LIFETIME_MS);
  const id = identityUrl(base);
  const body: Record<string, string> = {
    access_token: accessToken,
    signature: createHmac('sha256', clientSecret).update(id + issuedAt).digest('base64'),
    scope: withRefresh ? 'refresh_token api' : 'api',
    instance_url: base,
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
  };
  if (withRefresh) {
    const refreshToken = `5Aep861${randomBytes(48).toString('base64url')}`;
    state.auth.refreshTokens.add(refreshToken);
    body.refresh_token = refreshToken;
  }
  return body;
}

function field(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  return typeof v === 'string' ? v : '';
}

/** Salesforce's answers for an unknown consumer key and for wrong consumer credentials. */
function requireClient(app: SalesforceConnectedApp, body: Record<string, unknown>, secretNeeded: boolean): void {
  if (field(body, 'client_id') !== app.clientId) throw new OAuthError('invalid_client_id', 'client identifier invalid');
  const secret = field(body, 'client_secret');
  if (secret ? secret !== app.clientSecret : secretNeeded) throw new OAuthError('invalid_client', 'invalid client credentials');
}

function tokenGrant(ctx: SandboxContext, state: SalesforceState, app: SalesforceConnectedApp, req: Request): Record<string, string> {
  const body = { ...(req.query as Record<string, unknown>), ...((req.body ?? {}) as Record<string, unknown>) };
  const grant = field(body, 'grant_type');
  switch (grant) {
    case 'authorization_code': {
      const code = state.auth.codes.get(field(body, 'code'));
      // The secret may be left out only for a code authorized with a PKCE challenge: a verifier
      // proves nothing about a code that was issued without one.
      requireClient(app, body, !(field(body, 'code_verifier') && code?.codeChallenge));
      state.auth.codes.delete(field(body, 'code'));
      if (!code || code.expiresAt <= ctx.clock.now() || code.clientId !== field(body, 'client_id')) {
        throw new OAuthError('invalid_grant', 'invalid authorization code');
      }
      if (code.redirectUri !== field(body, 'redirect_uri')) {
        throw new OAuthError('redirect_uri_mismatch', 'redirect_uri must match configuration');
      }
      if (code.codeChallenge) {
        const verifier = field(body, 'code_verifier');
        const challenge = createHash('sha256').update(verifier).digest('base64url');
        if (!verifier || challenge !== code.codeChallenge) throw new OAuthError('invalid_grant', 'invalid code verifier');
      }
      return issue(ctx, state, req, app.clientSecret, true);
    }
    case 'refresh_token': {
      requireClient(app, body, false);
      if (!state.auth.refreshTokens.has(field(body, 'refresh_token'))) {
        throw new OAuthError('invalid_grant', 'expired access/refresh token');
      }
      return issue(ctx, state, req, app.clientSecret, false);
    }
    case 'password': {
      requireClient(app, body, true);
      if (!field(body, 'username') || field(body, 'password') !== ctx.token) {
        throw new OAuthError('invalid_grant', 'authentication failure');
      }
      return issue(ctx, state, req, app.clientSecret, false);
    }
    case 'urn:ietf:params:oauth:grant-type:jwt-bearer': {
      const base = sandboxBaseUrl(ctx, req);
      try {
        // exp is checked against real time: the client signed it with its own clock, which knows
        // nothing of the sandbox clock being advanced.
        verifyAssertion(field(body, 'assertion'), state.auth.jwtKeys, Date.now(), [
          base,
          'https://login.salesforce.com',
          'https://test.salesforce.com',
        ]);
      } catch (err) {
        if (err instanceof JwtAssertionError) throw new OAuthError('invalid_grant', err.message);
        throw err;
      }
      return issue(ctx, state, req, app.clientSecret, false);
    }
    case '':
      throw new OAuthError('invalid_request', 'grant type not supported');
    default:
      throw new OAuthError('unsupported_grant_type', 'grant type not supported');
  }
}

export function oauthRouter(ctx: SandboxContext, state: SalesforceState, app: SalesforceConnectedApp): Router {
  const router = express.Router();
  router.use(express.urlencoded({ extended: false }));

  router.get('/authorize', (req: Request, res: Response) => {
    const q = req.query as Record<string, string | undefined>;
    if (q.client_id !== app.clientId) {
      res.status(400).type('text/plain').send('error=invalid_client_id&error_description=client%20identifier%20invalid');
      return;
    }
    if (!q.redirect_uri) {
      res.status(400).type('text/plain').send('error=redirect_uri_missing&error_description=redirect_uri%20must%20match%20configuration');
      return;
    }
    const target = new URL(q.redirect_uri);
    if (q.response_type !== 'code') {
      target.searchParams.set('error', 'unsupported_response_type');
      target.searchParams.set('error_description', 'response type not supported');
    } else {
      const code = `aPrx${randomBytes(24).toString('base64url')}`;
      state.auth.codes.set(code, {
        clientId: q.client_id,
        redirectUri: q.redirect_uri,
        codeChallenge: q.code_challenge ?? null,
        expiresAt: ctx.clock.now() + 15 * 60 * 1000,
      });
      target.searchParams.set('code', code);
    }
    if (q.state) target.searchParams.set('state', q.state);
    res.redirect(302, target.toString());
  });

  router.post('/token', (req: Request, res: Response) => {
    try {
      res.json(tokenGrant(ctx, state, app, req));
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      res.status(err.status).json({ error: err.error, error_description: err.description });
    }
  });

  router.post('/revoke', (req: Request, res: Response) => {
    const token = field({ ...(req.query as object), ...((req.body ?? {}) as object) }, 'token');
    const known = state.auth.accessTokens.delete(token) || state.auth.refreshTokens.delete(token);
    if (!known) {
      res.status(400).json({ error: 'unsupported_token_type', error_description: 'this token type is not supported' });
      return;
    }
    res.status(200).end();
  });

  return router;
}

/** GET /id/<org>/<user>: the identity service jsforce's identity() calls. */
export function identityHandler(ctx: SandboxContext, state: SalesforceState) {
  return (req: Request, res: Response): void => {
    const token = tokenFrom(req) ?? (typeof req.query.oauth_token === 'string' ? req.query.oauth_token : null);
    if (!isValidToken(ctx, state, token)) {
      res.status(403).type('text/plain').send('Bad_OAuth_Token');
      return;
    }
    if (req.params.org !== ORG_ID || req.params.user !== USER_ID) {
      res.status(404).type('text/plain').send('Bad_Id');
      return;
    }
    const base = sandboxBaseUrl(ctx, req);
    res.json({
      id: identityUrl(base),
      asserted_user: true,
      user_id: USER_ID,
      organization_id: ORG_ID,
      username: 'admin@leadlift-sandbox.example',
      nick_name: 'admin',
      display_name: 'Sandbox Admin',
      email: 'admin@leadlift-sandbox.example',
      email_verified: true,
      first_name: 'Sandbox',
      last_name: 'Admin',
      timezone: 'GMT',
      active: true,
      user_type: 'STANDARD',
      language: 'en_US',
      locale: 'en_US',
      utcOffset: 0,
      last_modified_date: new Date(ctx.clock.now()).toISOString().replace('Z', '+0000'),
      urls: {
        rest: `${base}/services/data/v{version}/`,
        sobjects: `${base}/services/data/v{version}/sobjects/`,
        query: `${base}/services/data/v{version}/query/`,
        limits: `${base}/services/data/v{version}/limits/`,
      },
    });
  };
}
