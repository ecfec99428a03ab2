import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { CrmName } from '../../../connectors/types.js';
import { exchangeHubspotOAuthCode } from '../../../connectors/hubspot/oauth.js';
import { HUBSPOT_API_BASE } from '../../../connectors/hubspot/config.js';
import { exchangeSalesforceCode, newCodeVerifier, salesforceAuthorizeUrl, storeTokenVault, type SalesforceApp } from '../../../connectors/salesforce/index.js';
import type { ServerDeps } from '../deps.js';
import { setFlash, takeFlash } from '../flash.js';
import { OAuthStates } from '../oauth-states.js';
import { installRedirectUri } from '../settings.js';
import { csrfToken } from '../security/csrf.js';
import { installRateLimit } from '../security/rate-limits.js';
import { ownPagesOnly } from '../security/own-pages-only.js';
import { sessionOf } from '../security/session.js';
import { installPage, type CrmInstallView } from '../views/install-page.js';
import { hasUsableCredential } from '../crm-credential.js';
import { messagePage } from '../views/message-page.js';
import { hubspotAccount, salesforceAccount } from '../connected-account.js';
import { otherAccountHeld } from '../../jobs/crm-account-check.js';
import type { LoopActivity } from '../loop-runner.js';
import { activityText } from '../views/model-page.js';

/** Settings are read at start-up, so a card that asks for one says so. */
const SETTINGS_THEN_RESTART = '.env.example lists each setting; restart leadlift after setting them.';

/**
 * The demo (npm start) serves the sandbox's HubSpot only, and "set SALESFORCE_…" gave a newcomer
 * no way to see Salesforce. npm start holds the sandbox's lock, so the route is after it or beside it.
 */
export const SALESFORCE_ON_THE_SANDBOX =
  'This demo serves the sandbox\'s HubSpot only. To try Salesforce against the same local sandbox (seeded with the same leads), stop this server (Ctrl-C) and run ' +
  'LEADLIFT_ADMIN_USER=you LEADLIFT_ADMIN_PASSWORD=at-least-12-chars npx leadlift serve --crm salesforce; to keep this one running, give it its own LEADLIFT_HOME and PORT: ' +
  'LEADLIFT_HOME=.leadlift-salesforce PORT=3001 LEADLIFT_ADMIN_USER=you LEADLIFT_ADMIN_PASSWORD=at-least-12-chars npx leadlift serve --crm salesforce.';

const callbackQuery = z.object({ code: z.string().min(1).max(2000).optional(), state: z.string().max(200).optional(), error: z.string().max(200).optional(), error_description: z.string().max(1000).optional() }).passthrough();

/**
 * The install flows: an admin clicks Connect, the CRM asks for consent, the callback checks the
 * state leadlift issued, trades the code for tokens (stored encrypted), and the fields are
 * created and a first sync runs in the background while the page shows progress.
 */
export function installRoutes(deps: ServerDeps, states = new OAuthStates(deps.store.oauthStates)): Router {
  const router = Router();
  const redirectUri = (crm: CrmName) => installRedirectUri(deps.settings, crm);
  const hubspotApp = () => {
    const { clientId, clientSecret } = deps.settings.hubspot;
    return clientId && clientSecret ? { clientId, clientSecret } : null;
  };
  const salesforceApp = (): SalesforceApp | null => {
    const { clientId, clientSecret, loginUrl } = deps.settings.salesforce;
    const timeoutMs = deps.settings.codeExchangeTimeoutMs;
    return clientId ? { clientId, ...(clientSecret ? { clientSecret } : {}), loginUrl, redirectUri: redirectUri('salesforce'), ...(timeoutMs ? { timeoutMs } : {}) } : null;
  };

  // Checked before the consent screen: without a usable key the callback could not store the tokens.
  // The key's own problem already names it, says what it is for and how to make one: the notes
  // add only what it leaves out, so the page says each thing once.
  const keyBlock = () => {
    const problem = deps.store.tokens.keyProblem();
    return problem ? `${problem} Then restart leadlift.` : null;
  };
  // The in-process sandbox is connected with its own token, no key needed: saying it "cannot be
  // connected" beside "connected" contradicted the page. Only an OAuth (re)connect needs the key.
  const keyNote = (name: string, onSandbox: boolean, connected: boolean) => {
    const blocked = keyBlock();
    if (!blocked) return null;
    if (!onSandbox || !connected) return `${name} cannot be connected yet. ${blocked}`;
    return `The local sandbox is connected without a key; connecting ${name} through OAuth (a real ${name}, or reconnecting here) needs one. ${blocked}`;
  };
  const sandboxAt = (crm: CrmName) => {
    const url = deps.settings.sandboxUrl;
    const target = crm === 'hubspot' ? deps.settings.hubspot.apiBase : deps.settings.salesforce.loginUrl;
    return url && target && target.replace(/\/+$/, '') === url.replace(/\/+$/, '') ? url : null;
  };

  router.get('/install', async (req, res, next) => {
    let connected: Record<CrmName, boolean>;
    try {
      // The page an admin opens to see whether the install through another instance went through: looked up now.
      await deps.storedConnections.pickUp({ force: true });
      connected = {
        hubspot: await hasUsableCredential(deps.connections.get('hubspot'), deps.store),
        salesforce: await hasUsableCredential(deps.connections.get('salesforce'), deps.store),
      };
    } catch (err) {
      return next(err);
    }
    const views: CrmInstallView[] = [
      {
        crm: 'hubspot',
        name: 'HubSpot',
        connected: connected.hubspot,
        // Both ways in, the private app token first, as the README gives them.
        how: connected.hubspot
          ? 'leadlift reads contacts and deals and writes the leadlift property group.'
          : hubspotApp()
            ? 'Install the leadlift app in your HubSpot portal here, or set HUBSPOT_ACCESS_TOKEN (a private app token) on the server instead.'
            : 'Connect with a private app token or through OAuth.',
        canInstall: hubspotApp() !== null,
        missing: hubspotApp() ? null : `Set HUBSPOT_ACCESS_TOKEN (a private app token) on the server, or HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET (your HubSpot app) to install through OAuth here. ${SETTINGS_THEN_RESTART}`,
        scopes: deps.manifest.hubspot.scopes,
        redirectUri: redirectUri('hubspot'),
        activity: await deps.loop.activityNow('hubspot'),
        blocked: keyNote('HubSpot', sandboxAt('hubspot') !== null, connected.hubspot),
        sandbox: sandboxAt('hubspot'),
      },
      {
        crm: 'salesforce',
        name: 'Salesforce',
        connected: connected.salesforce,
        how: connected.salesforce ? `leadlift reads ${deps.manifest.salesforce.object}s and writes its custom fields.` : 'Authorize leadlift\'s connected app in your org.',
        canInstall: salesforceApp() !== null,
        // Both ways in, as HubSpot's card gives them: it named only the OAuth app, though an access token is the quickest.
        missing: salesforceApp()
          ? null
          : sandboxAt('hubspot') !== null
            ? SALESFORCE_ON_THE_SANDBOX
            : `Set SALESFORCE_INSTANCE_URL and SALESFORCE_ACCESS_TOKEN (a session you already have) on the server, or SALESFORCE_CLIENT_ID (and SALESFORCE_CLIENT_SECRET) of your connected app to install through OAuth here. ${SETTINGS_THEN_RESTART}`,
        scopes: deps.manifest.salesforce.scopes,
        redirectUri: redirectUri('salesforce'),
        activity: await deps.loop.activityNow('salesforce'),
        blocked: keyNote('Salesforce', sandboxAt('salesforce') !== null, connected.salesforce),
        sandbox: sandboxAt('salesforce'),
      },
    ];
    res.type('html').send(installPage({ csrf: csrfToken(req), user: sessionOf(req).user!, crms: views, flash: takeFlash(req) }).value);
  });

  router.get('/install/status.json', async (_req, res, next) => {
    try {
      // `text`: a running task's status in the server's words (the model page's), which install.js shows.
      const withText = (a: LoopActivity) => ({ ...a, text: activityText(a) });
      res.json({ hubspot: withText(await deps.loop.activityNow('hubspot')), salesforce: withText(await deps.loop.activityNow('salesforce')) });
    } catch (err) {
      next(err);
    }
  });

  const bindingFor = (crm: CrmName, req: Request) => ({ crm, user: sessionOf(req).user!, redirectUri: redirectUri(crm) });

  router.get('/install/hubspot/start', installRateLimit(), ownPagesOnly, async (req, res, next) => {
    const app = hubspotApp();
    if (!app) return fail(req, res, 'HubSpot is not set up', 'Set HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET on the server first.');
    const blocked = keyBlock();
    if (blocked) return fail(req, res, 'HubSpot cannot be connected yet', blocked, 409);
    const base = deps.settings.hubspot.apiBase && deps.settings.hubspot.apiBase !== HUBSPOT_API_BASE ? deps.settings.hubspot.apiBase : 'https://app.hubspot.com';
    const url = new URL(`${base}/oauth/authorize`);
    url.searchParams.set('client_id', app.clientId);
    url.searchParams.set('redirect_uri', redirectUri('hubspot'));
    url.searchParams.set('scope', deps.manifest.hubspot.scopes.join(' '));
    try {
      url.searchParams.set('state', await states.issue(bindingFor('hubspot', req)));
    } catch (err) {
      return next(err);
    }
    res.redirect(302, url.toString());
  });

  router.get('/install/hubspot/callback', installRateLimit(), async (req, res, next) => {
    const q = callbackQuery.safeParse(req.query);
    const app = hubspotApp();
    if (!q.success || !app) return fail(req, res, 'Install not completed', 'The callback was not understood; start the install again.');
    let issued;
    try {
      issued = await states.spend(q.data.state, bindingFor('hubspot', req));
    } catch (err) {
      return next(err);
    }
    if (!issued) {
      deps.logger.warn({ ip: req.ip }, 'HubSpot OAuth callback with an unknown state refused');
      return fail(req, res, 'Install not completed', 'This install link was not started here, or it expired. Start the install again from this page.', 400);
    }
    if (q.data.error || !q.data.code) return fail(req, res, 'Install cancelled', `HubSpot did not grant access${q.data.error_description ? `: ${q.data.error_description}` : '.'}`);
    try {
      const tokens = await exchangeHubspotOAuthCode({
        code: q.data.code,
        redirectUri: redirectUri('hubspot'),
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        ...(deps.settings.hubspot.apiBase ? { basePath: deps.settings.hubspot.apiBase } : {}),
        ...(deps.settings.codeExchangeTimeoutMs ? { timeoutMs: deps.settings.codeExchangeTimeoutMs } : {}),
      });
      await deps.store.tokens.save('hubspot', { ...tokens });
      // Read once, here: the new connector is handed the portal id, so its first webhook batch need not ask again.
      const account = await hubspotAccount(tokens.accessToken, deps.settings.hubspot.apiBase, deps.settings.accountLookupTimeoutMs);
      // Kept with the tokens: an instance sharing the store then says which portal it switched to (stored-connections.ts).
      if (account.portalId) await deps.store.tokens.save('hubspot', { ...tokens, portalId: account.portalId });
      deps.connections.set(deps.hubspotConnectorFor(tokens, account.portalId));
      await deps.store.audit.append({ actor: sessionOf(req).user!, key: 'install.hubspot', before: null, after: { connected: true, portalId: account.portalId } });
      const other = account.portalId ? await otherAccountHeld(deps.store, 'hubspot', String(account.portalId)) : null;
      if (other) {
        deps.logger.warn({ crm: 'hubspot', portalId: account.portalId }, `HubSpot connected from /install by ${sessionOf(req).user!}: ${account.text}; no fields created and no cycle run: ${other.message}`);
        setFlash(req, `HubSpot connected, but to another portal than the one this store holds. ${other.message}`);
        return res.redirect(303, '/install');
      }
      deps.logger.info({ crm: 'hubspot', portalId: account.portalId }, `HubSpot connected from /install by ${sessionOf(req).user!}: ${account.text}; creating its fields and running the first cycle`);
      deps.loop.startInstall('hubspot');
      setFlash(req, 'HubSpot connected. leadlift is creating its fields and reading your contacts; progress shows below.');
      res.redirect(303, '/install');
    } catch (err) {
      next(err);
    }
  });

  router.get('/install/salesforce/start', installRateLimit(), ownPagesOnly, async (req, res, next) => {
    const app = salesforceApp();
    if (!app) return fail(req, res, 'Salesforce is not set up', 'Set SALESFORCE_CLIENT_ID on the server first.');
    const blocked = keyBlock();
    if (blocked) return fail(req, res, 'Salesforce cannot be connected yet', blocked, 409);
    // The PKCE verifier stays here with the state; the consent URL carries only its challenge.
    const codeVerifier = newCodeVerifier();
    let state: string;
    try {
      state = await states.issue(bindingFor('salesforce', req), Date.now(), { codeVerifier });
    } catch (err) {
      return next(err);
    }
    res.redirect(302, salesforceAuthorizeUrl(app, state, deps.manifest.salesforce.scopes, codeVerifier).url);
  });

  router.get('/install/salesforce/callback', installRateLimit(), async (req, res, next) => {
    const q = callbackQuery.safeParse(req.query);
    const app = salesforceApp();
    if (!q.success || !app) return fail(req, res, 'Install not completed', 'The callback was not understood; start the install again.');
    let issued;
    try {
      issued = await states.spend(q.data.state, bindingFor('salesforce', req));
    } catch (err) {
      return next(err);
    }
    if (!issued) {
      deps.logger.warn({ ip: req.ip }, 'Salesforce OAuth callback with an unknown state refused');
      return fail(req, res, 'Install not completed', 'This install link was not started here, or it expired. Start the install again from this page.', 400);
    }
    if (q.data.error || !q.data.code) return fail(req, res, 'Install cancelled', `Salesforce did not grant access${q.data.error_description ? `: ${q.data.error_description}` : '.'}`);
    try {
      // Saved encrypted in the store's vault, where the connector's session reads and refreshes them.
      const tokens = await exchangeSalesforceCode(app, q.data.code, storeTokenVault(deps.store.tokens), issued.codeVerifier);
      await deps.store.audit.append({ actor: sessionOf(req).user!, key: 'install.salesforce', before: null, after: { connected: true, instanceUrl: tokens.instanceUrl, orgId: tokens.orgId } });
      const account = salesforceAccount(tokens.orgId, tokens.instanceUrl);
      const other = tokens.orgId ? await otherAccountHeld(deps.store, 'salesforce', tokens.orgId) : null;
      if (other) {
        if (deps.salesforceConnectorFor) deps.connections.set(await deps.salesforceConnectorFor());
        deps.logger.warn({ crm: 'salesforce', orgId: tokens.orgId }, `Salesforce connected from /install by ${sessionOf(req).user!}: ${account}; no fields created and no cycle run: ${other.message}`);
        setFlash(req, `Salesforce connected, but to another org than the one this store holds. ${other.message}`);
        return res.redirect(303, '/install');
      }
      if (deps.salesforceConnectorFor) {
        deps.connections.set(await deps.salesforceConnectorFor());
        deps.logger.info({ crm: 'salesforce', orgId: tokens.orgId }, `Salesforce connected from /install by ${sessionOf(req).user!}: ${account}; creating its fields and running the first cycle`);
        deps.loop.startInstall('salesforce');
        setFlash(req, 'Salesforce connected. leadlift is creating its fields and reading your leads; progress shows below.');
      } else {
        deps.logger.info({ crm: 'salesforce', orgId: tokens.orgId }, `Salesforce authorized from /install by ${sessionOf(req).user!}: ${account}; its connector starts with the next restart`);
        setFlash(req, 'Salesforce authorized and the tokens are stored; the Salesforce connector starts with the next restart.');
      }
      res.redirect(303, '/install');
    } catch (err) {
      next(err);
    }
  });

  function fail(req: Request, res: Response, title: string, message: string, status = 400): void {
    res.status(status).type('html').send(messagePage({ title, message, csrf: csrfToken(req), user: sessionOf(req).user, back: { href: '/install', label: 'Back to Connections' } }).value);
  }

  return router;
}
