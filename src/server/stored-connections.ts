import type { Logger } from 'pino';
import { CRM_NAMES, type Connector, type CrmName } from '../../connectors/types.js';
import type { HubspotTokens } from '../../connectors/hubspot/oauth.js';
import type { Store } from '../store/store.js';
import type { CrmConnections } from './crm-connections.js';
import type { ServerSettings } from './settings.js';

/** How often, at most, a CRM still waiting for its install is looked for in the store. */
export const CONNECTION_RECHECK_MS = 5_000;

export interface StoredConnections {
  /**
   * Connects, from the tokens in the store, each CRM this server waits for that another instance
   * sharing the store has installed meanwhile. Nothing is read while every such CRM is connected;
   * while one is not, the store is read at most once per recheck interval (`force`: now, for a
   * page an admin opened to see exactly that). Never rejects: a failure is logged and retried later.
   */
  pickUp(options?: { force?: boolean }): Promise<void>;
}

/**
 * Several `serve` behind one load balancer share a store, but the install's callback reaches only
 * one of them, and that one alone builds the connector (routes/install.ts). The others used to
 * read the stored tokens only at start (connectors-from-env.ts), so until a restart their pages
 * said "not connected" and their webhooks got 503. Only the CRMs `serve` waits to install
 * (`awaiting`, as connectFromEnv listed them) are picked up, as a restart would: a CRM this server
 * does not serve (`--crm`) stays out even if the store holds its tokens.
 */
export function storedConnections(input: {
  store: Store;
  settings: ServerSettings;
  connections: CrmConnections;
  logger: Logger;
  awaiting: readonly CrmName[];
  hubspotConnectorFor(tokens: HubspotTokens): Connector;
  salesforceConnectorFor?: () => Promise<Connector>;
  recheckMs?: number;
  now?: () => number;
}): StoredConnections {
  const recheckMs = input.recheckMs ?? CONNECTION_RECHECK_MS;
  const now = input.now ?? Date.now;
  const checkedAt = new Map<CrmName, number>();
  const saidProblem = new Map<CrmName, string>();
  let inFlight: Promise<void> | null = null;

  const connectorFromStore = async (crm: CrmName): Promise<Connector | null> => {
    const tokens = await input.store.tokens.load(crm);
    const refreshToken = typeof tokens?.refreshToken === 'string' && tokens.refreshToken !== '' ? tokens.refreshToken : null;
    if (!tokens || !refreshToken) return null;
    if (crm === 'hubspot') {
      const { clientId, clientSecret } = input.settings.hubspot;
      if (!clientId || !clientSecret) return null;
      return input.hubspotConnectorFor({ refreshToken, accessToken: tokens.accessToken as string, expiresAt: tokens.expiresAt as number });
    }
    return input.salesforceConnectorFor ? input.salesforceConnectorFor() : null;
  };

  const check = async (crms: CrmName[]): Promise<void> => {
    for (const crm of crms) {
      checkedAt.set(crm, now());
      try {
        const connector = await connectorFromStore(crm);
        // An install through this instance may have connected it while the store was read.
        if (!connector || input.connections.get(crm)) continue;
        input.connections.set(connector);
        saidProblem.delete(crm);
        input.logger.info({ crm }, `${CRM_NAMES[crm]} connected from the tokens in the store (installed through another instance sharing it); no restart needed`);
      } catch (err) {
        // Said once per problem (a different LEADLIFT_SECRET_KEY, say), not at every recheck.
        const message = (err as Error).message;
        if (saidProblem.get(crm) !== message) input.logger.warn({ crm }, `${CRM_NAMES[crm]} tokens in the store could not be used to connect it: ${message}`);
        saidProblem.set(crm, message);
      }
    }
  };

  return {
    async pickUp({ force = false } = {}) {
      const due = () => input.awaiting.filter((crm) => !input.connections.get(crm) && (force || now() - (checkedAt.get(crm) ?? -Infinity) >= recheckMs));
      if (due().length === 0) return;
      // Requests arriving together share one read of the store.
      if (inFlight) return inFlight;
      const crms = due();
      if (crms.length === 0) return;
      inFlight = check(crms).finally(() => {
        inFlight = null;
      });
      await inFlight;
    },
  };
}
