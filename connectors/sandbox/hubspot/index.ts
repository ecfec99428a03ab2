import express, { Router } from 'express';
import type { SandboxContext, SeedLead } from '../context.js';
import type { SeedValueLabels } from '../seed-options.js';
import { accountInfoRoute } from './account-info-route.js';
import { associationsRoutes } from './associations-routes.js';
import { bearerAuth, developerKeyAuth } from './auth.js';
import { batchRoutes } from './batch-routes.js';
import { batchUpsertRoute } from './batch-upsert-route.js';
import { hubspotControl } from './control.js';
import type { HubspotDeps } from './deps.js';
import { gdprDeleteRoute } from './gdpr-delete-route.js';
import { oauthRoutes } from './oauth-routes.js';
import { objectsRoutes } from './objects-routes.js';
import { propertiesRoutes } from './properties-routes.js';
import { DailyCount, RollingWindow, searchLimit, tenSecondlyLimit } from './rate-limit.js';
import { accountInfoScopes, scopeCheck } from './scopes.js';
import { searchRoute } from './search-route.js';
import { seedContacts } from './seed.js';
import { defaultApp, dumpState, emptyState, HubspotRecords, loadState, type HubspotApp } from './store.js';
import { WebhookDispatcher, type WebhookOptions } from './webhook-delivery.js';
import { webhooksApi } from './webhooks-api.js';

export interface HubspotSandboxOptions {
  /** The OAuth app (client id/secret, used for webhook signatures too); a random secret by default. */
  app?: Partial<HubspotApp>;
  webhooks?: Partial<WebhookOptions>;
}

export interface HubspotSandbox {
  /** The HubSpot API: /oauth, /crm, /webhooks. */
  router: Router;
  /** The HubSpot part of the control API, to mount under /__sandbox/hubspot. */
  control: Router;
  webhooks: WebhookDispatcher;
  /** The OAuth app: appId, portalId, clientId, clientSecret (webhooks are signed with the secret). */
  app(): HubspotApp;
  /** `labels`: CSV column -> property label (default: the column name); `valueLabels`: a column's dropdown option labels. */
  seed(leads: SeedLead[], labels?: Record<string, string>, valueLabels?: SeedValueLabels): void;
  close(): void;
}

const sandboxes = new WeakMap<SandboxContext, HubspotSandbox>();

/**
 * The HubSpot half of the sandbox: CRM v3 objects (contacts, deals), search, properties,
 * associations, OAuth and webhooks, behind HubSpot's auth and rate limits. Its records are the
 * "hubspot" state part, so --state and reset cover them.
 */
export function createHubspotSandbox(ctx: SandboxContext, options: HubspotSandboxOptions = {}): HubspotSandbox {
  const app = { ...defaultApp(), ...options.app };
  const records = new HubspotRecords(emptyState(ctx.clock.now(), app), () => ctx.clock.now());
  const deps: HubspotDeps = { ctx, records };
  const webhooks = new WebhookDispatcher(ctx, records, { batchMs: 200, maxAttempts: 3, retryBaseMs: 1000, ...options.webhooks });
  const window = new RollingWindow(() => ctx.options.hubspotRateLimit, 10_000);
  const searchWindow = new RollingWindow(() => ctx.options.hubspotSearchRateLimit, 1_000);
  const daily = new DailyCount(() => ctx.clock.now(), () => ctx.options.hubspotDailyLimit);

  ctx.registerState('hubspot', {
    dump: () => dumpState(records.state),
    load: (data) => {
      records.state = loadState(data);
    },
    reset: () => {
      records.state = emptyState(ctx.clock.now(), records.state.app);
      webhooks.clear();
      window.clear();
      searchWindow.clear();
      daily.clear();
    },
  });

  const router = Router();
  router.use(oauthRoutes(deps));
  router.use('/webhooks', developerKeyAuth(ctx));
  router.use(webhooksApi(deps));
  router.use('/crm', bearerAuth(ctx, () => records.state), tenSecondlyLimit(window, daily), scopeCheck());
  router.use('/account-info', bearerAuth(ctx, () => records.state), tenSecondlyLimit(window, daily), scopeCheck(accountInfoScopes));
  router.use(accountInfoRoute(deps, daily));
  router.post('/crm/v3/objects/:type/search', searchLimit(searchWindow));
  router.use(searchRoute(deps), gdprDeleteRoute(deps), batchRoutes(deps), batchUpsertRoute(deps), objectsRoutes(deps), propertiesRoutes(deps), associationsRoutes(deps));

  const sandbox: HubspotSandbox = {
    router,
    control: hubspotControl(deps, webhooks),
    webhooks,
    app: () => records.state.app,
    seed: (leads, labels, valueLabels) => seedContacts(deps, leads, labels, valueLabels),
    close: () => webhooks.close(),
  };
  sandboxes.set(ctx, sandbox);
  return sandbox;
}

/** The HubSpot API router for a context (creating the HubSpot half if needed). */
export function createHubspotRouter(ctx: SandboxContext): express.Router {
  return (sandboxes.get(ctx) ?? createHubspotSandbox(ctx)).router;
}

/** Seeds the HubSpot half of a context with leads (see seed.ts for how outcomes are recorded). */
export function seedHubspot(ctx: SandboxContext, leads: SeedLead[]): void {
  const sandbox = sandboxes.get(ctx);
  if (!sandbox) throw new Error('seedHubspot: the HubSpot sandbox was not created for this context');
  sandbox.seed(leads);
}
