import type { Logger } from 'pino';
import { createLog } from './log.js';
import { createHubspotConnector } from '../../connectors/hubspot/index.js';
import type { Connector, CrmName } from '../../connectors/types.js';
import type { HubspotTokens } from '../../connectors/hubspot/oauth.js';
import type { AppConfig } from '../config/schema.js';
import { InputError } from '../domain/errors.js';
import type { Manifest } from '../domain/manifest.js';
import type { Store } from '../store/store.js';
import { crmConnections } from './crm-connections.js';
import type { ServerDeps } from './deps.js';
import { inputDriftCache } from './input-drift-cache.js';
import { hubspotTokenProvider } from '../jobs/oauth-token-provider.js';
import { saveRefreshedHubspotTokens } from '../jobs/stored-token-save.js';
import { createLoopRunner } from './loop-runner.js';
import { createMetrics } from './metrics.js';
import type { ServerSettings } from './settings.js';
import { storedConnections } from './stored-connections.js';

export interface BuildServerDepsInput {
  store: Store;
  config: AppConfig;
  manifest: Manifest;
  settings: ServerSettings;
  /** Connectors configured from the environment (or a sandbox) at start. */
  connectors?: Connector[];
  logger?: Logger;
  /** The Salesforce install's connector (see salesforce-connector-for.ts); without it the install stores tokens only. */
  salesforceConnectorFor?: () => Promise<Connector>;
  busyRetryMs?: number;
  /** CRMs `serve` waits to install (connectFromEnv's awaitingInstall): connected from the store once another instance installs them (stored-connections.ts). */
  awaitingInstall?: CrmName[];
  /** CRMs connected at start from the store's install (connectFromEnv's fromStore): replaced or dropped when another instance reconnects or disconnects them (stored-connections.ts). */
  connectedFromStore?: CrmName[];
  /** At most one store read per this many ms for a CRM still waiting (default stored-connections.ts CONNECTION_RECHECK_MS). */
  connectionRecheckMs?: number;
  /** Aborted on SIGINT/SIGTERM: the loop runner's retrain, install cycle or rescore stops at its next safe point (loop-runner.ts). */
  stop?: AbortSignal;
}

/** Wires the server's parts together: connections, metrics, the loop runner, OAuth connectors. */
export function buildServerDeps(input: BuildServerDepsInput): ServerDeps {
  // LOG_LEVEL / LOG_FORMAT, secrets redacted, on stderr (log.ts); `serve` and `start` pass the one their own lines use.
  const logger = input.logger ?? createLog().logger;
  const connections = crmConnections(input.connectors ?? []);
  const metrics = createMetrics(input.store, connections);
  const loop = createLoopRunner({
    store: input.store,
    config: input.config,
    manifest: input.manifest,
    connections,
    log: (message, level = 'info') => logger[level](message),
    onRescore: (r) => metrics.rescores.inc({ crm: r.crm }),
    busyRetryMs: input.busyRetryMs,
    stop: input.stop,
  });
  const { settings, store } = input;
  const hubspotConnectorFor = (tokens: HubspotTokens, portalId?: number | null): Connector => {
    const { clientId, clientSecret, apiBase } = settings.hubspot;
    if (!clientId || !clientSecret) throw new InputError('HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET are needed to keep an OAuth install connected');
    return createHubspotConnector(
      {
        accessTokenProvider: hubspotTokenProvider({ clientId, clientSecret, basePath: apiBase ?? undefined }, tokens, saveRefreshedHubspotTokens(store.tokens, tokens.refreshToken)),
        ...(apiBase ? { basePath: apiBase } : {}),
        ...(portalId ? { portalId } : {}),
      },
      input.manifest,
    );
  };
  return {
    store,
    config: input.config,
    manifest: input.manifest,
    settings,
    connections,
    loop,
    metrics,
    driftCache: inputDriftCache(store, input.config, input.manifest),
    logger,
    hubspotConnectorFor,
    salesforceConnectorFor: input.salesforceConnectorFor,
    storedConnections: storedConnections({
      store,
      settings,
      connections,
      logger,
      awaiting: input.awaitingInstall ?? [],
      fromStore: input.connectedFromStore ?? [],
      hubspotConnectorFor,
      salesforceConnectorFor: input.salesforceConnectorFor,
      recheckMs: input.connectionRecheckMs,
    }),
  };
}
