import type { Logger } from 'pino';
import type { AppConfig } from '../config/schema.js';
import type { Manifest } from '../domain/manifest.js';
import type { LoopConnections } from '../jobs/connectors-from-env.js';
import type { ServerDeps } from './deps.js';
import { salesforceConnectorForInstall } from './salesforce-connector-for.js';
import { buildServerDeps } from './server-deps.js';
import { CONNECTION_RECHECK_MS } from './stored-connections.js';
import { describeSettings, serverSettingsFromEnv, settlePublicUrl } from './settings.js';
import { startServer, type RunningServer } from './start-server.js';
import { startSalesforcePolling } from './salesforce-polling.js';
import { subscribeSandboxWebhooks } from './sandbox-webhooks.js';


export interface HttpService {
  url: string;
  deps: ServerDeps;
  close(): Promise<void>;
}

/**
 * The web half of `serve`: the admin pages, install flows and webhooks on `port`, next to the
 * loop's scheduler (which `serve` starts itself). With the local sandbox, the sandbox's HubSpot
 * app is used for OAuth and webhooks, and it is told to send its webhooks here; when it serves
 * Salesforce too, its login host is where the Salesforce install goes (unless SALESFORCE_LOGIN_URL
 * names another), with a connected app of its own.
 */
export async function startHttpService(input: {
  connections: LoopConnections;
  config: AppConfig;
  manifest: Manifest;
  port: number;
  host?: string;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** serve's stop request: the admin page's cycles and the webhooks' rescores stop at their next safe point, so close() does not wait them out. */
  stop?: AbortSignal;
  /** See BuildServerDepsInput.connectionRecheckMs. */
  connectionRecheckMs?: number;
}): Promise<HttpService> {
  const env = input.env ?? process.env;
  const settings = serverSettingsFromEnv(env, input.port);
  const sandbox = input.connections.sandbox;
  if (sandbox) {
    settings.sandboxUrl = sandbox.url;
    const app = await fetchJson<{ clientId: string; clientSecret: string }>(`${sandbox.url}/__sandbox/hubspot/app`).catch(() => null);
    if (app) settings.hubspot = { clientId: app.clientId, clientSecret: app.clientSecret, apiBase: sandbox.url };
    const info = await fetchJson<{ salesforce: { instanceUrl: string; app: { clientId: string; clientSecret: string } } | null }>(`${sandbox.url}/__sandbox/`).catch(() => null);
    if (info?.salesforce && !env.SALESFORCE_LOGIN_URL?.trim()) {
      // The sandbox's login host knows one connected app, its own: a SALESFORCE_CLIENT_ID meant
      // for a real org would be refused there (invalid_client_id).
      const { clientId, clientSecret } = info.salesforce.app;
      settings.salesforce = { ...settings.salesforce, loginUrl: sandbox.url, clientId, clientSecret };
    }
  }
  const store = input.connections.store;
  const deps = buildServerDeps({
    store,
    config: input.config,
    manifest: input.manifest,
    settings,
    connectors: input.connections.connectors,
    logger: input.logger,
    stop: input.stop,
    awaitingInstall: input.connections.awaitingInstall,
    connectedFromStore: input.connections.fromStore,
    connectionRecheckMs: input.connectionRecheckMs,
    salesforceConnectorFor: salesforceConnectorForInstall({ settings, store, manifest: input.manifest }),
  });
  // Served: configured at start, or waiting for its install from the admin page.
  const served = [...input.connections.connectors.map((c) => c.crm), ...(input.connections.awaitingInstall ?? [])];
  for (const note of describeSettings(settings, served)) deps.logger.warn(note);
  const server: RunningServer = await startServer(deps, { port: input.port, host: input.host ?? '0.0.0.0', publicUrlFromAddress: false });
  // Before anything uses the public URL: the sandbox's webhooks, the admin address serve and start log.
  settlePublicUrl(settings, server.port);
  const hubspot = deps.connections.get('hubspot');
  if (sandbox && hubspot) {
    // The sandbox sends contact events to this server, signed like HubSpot's: a new contact or an
    // edit of any input property is rescored within seconds.
    await subscribeSandboxWebhooks(sandbox.url, `${settings.publicUrl}/webhooks/hubspot`, hubspot, input.config, input.manifest).catch((err: Error) =>
      deps.logger.warn(`sandbox webhooks not set up: ${err.message}`),
    );
  }
  const polling = startSalesforcePolling(deps);
  // The schedule cycles the server's connections: one installed through another instance joins
  // them, and one reconnected to another portal or org is replaced, within seconds even when no
  // request reaches this one (one row read per recheck interval), so this instance does not go on
  // writing scores to the portal left behind.
  const pickUp = setInterval(() => void deps.storedConnections.pickUp(), input.connectionRecheckMs || CONNECTION_RECHECK_MS);
  pickUp.unref();
  // serve and start each announce the admin address with what goes with it (health, login): not here too.
  return {
    url: settings.publicUrl,
    deps,
    async close() {
      polling.stop();
      clearInterval(pickUp);
      await server.close();
      await deps.loop.idle();
    },
  };
}

async function fetchJson<T>(url: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (!res.ok) throw new Error(`${res.status} from ${new URL(url).pathname}`);
  return (await res.json()) as T;
}
