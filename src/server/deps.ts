import type { Logger } from 'pino';
import type { AppConfig } from '../config/schema.js';
import type { Manifest } from '../domain/manifest.js';
import type { Store } from '../store/store.js';
import type { Connector } from '../../connectors/types.js';
import type { HubspotTokens } from '../../connectors/hubspot/oauth.js';
import type { CrmConnections } from './crm-connections.js';
import type { InputDriftCache } from './input-drift-cache.js';
import type { LoopRunner } from './loop-runner.js';
import type { ServerMetrics } from './metrics.js';
import type { ServerSettings } from './settings.js';
import type { StoredConnections } from './stored-connections.js';

/**
 * Everything the express app needs, built by `serve` (or a test) and handed in, so tests start
 * the real app on port 0 against a real store and the sandbox.
 */
export interface ServerDeps {
  store: Store;
  config: AppConfig;
  manifest: Manifest;
  settings: ServerSettings;
  connections: CrmConnections;
  loop: LoopRunner;
  metrics: ServerMetrics;
  /** The model page's input drift, kept until the active model or the open leads change. */
  driftCache: InputDriftCache;
  logger: Logger;
  /**
   * Builds the HubSpot connector for an OAuth install; the provider refreshes and saves tokens.
   * `portalId`, when the install read it, is handed on so the connector need not ask again.
   */
  hubspotConnectorFor(tokens: HubspotTokens, portalId?: number | null): Connector;
  /** Builds the Salesforce connector for an OAuth install from the tokens the callback saved in the store's vault. */
  salesforceConnectorFor?(): Promise<Connector>;
  /** Connects the CRMs another instance sharing the store installed, without a restart. */
  storedConnections: StoredConnections;
  now?: () => number;
}
