import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { CRM_NAMES, type Connector, type CrmName } from '../../connectors/types.js';
import type { HubspotTokens } from '../../connectors/hubspot/oauth.js';
import type { Store } from '../store/store.js';
import type { TokenSet } from '../store/tokens.js';
import { maskUrlCredentials } from '../../connectors/shared/url-credentials.js';
import type { CrmConnections } from './crm-connections.js';
import type { ServerSettings } from './settings.js';

/** How often, at most, the store's install of a CRM this server watches is read again. */
export const CONNECTION_RECHECK_MS = 5_000;

export interface StoredConnections {
  /**
   * Brings this server's connections in line with the installs in the store, which another
   * instance sharing it may have changed: a CRM installed meanwhile is connected, one reconnected
   * (another portal or org, or new tokens) gets a new connector, one disconnected (its tokens
   * removed) is dropped. The store is read at most once per recheck interval (`force`: now, for a
   * page an admin opened to see exactly that). Never rejects: a failure is logged and retried later.
   */
  pickUp(options?: { force?: boolean }): Promise<void>;
}

/**
 * Several `serve` behind one load balancer share a store, but the install's callback reaches only
 * one of them, and that one alone builds the connector (routes/install.ts). The others used to
 * read the stored tokens only at start (connectors-from-env.ts), so until a restart their pages
 * said "not connected" and their webhooks got 503, and after a reconnect to another portal they
 * went on syncing and writing scores to the old one with the old tokens. Only the CRMs `serve`
 * waits to install (`awaiting`) or connected from the store's install at start (`fromStore`) are
 * watched, as a restart would read them: a CRM this server does not serve (`--crm`), or serves
 * with a token from the environment, stays as it is even if the store holds tokens for it.
 */
export function storedConnections(input: {
  store: Store;
  settings: ServerSettings;
  connections: CrmConnections;
  logger: Logger;
  awaiting: readonly CrmName[];
  fromStore?: readonly CrmName[];
  hubspotConnectorFor(tokens: HubspotTokens, portalId?: number | null): Connector;
  salesforceConnectorFor?: () => Promise<Connector>;
  recheckMs?: number;
  now?: () => number;
}): StoredConnections {
  const recheckMs = input.recheckMs ?? CONNECTION_RECHECK_MS;
  const now = input.now ?? Date.now;
  const watched = [...new Set([...input.awaiting, ...(input.fromStore ?? [])])];
  const checkedAt = new Map<CrmName, number>();
  const saidProblem = new Map<CrmName, string>();
  /** The connector in use and the stored install it was built from (its identity, the account it names). */
  const known = new Map<CrmName, { connector: Connector; identity: string; account: string | null }>();
  let inFlight: Promise<void> | null = null;

  const connectorFrom = async (crm: CrmName, tokens: TokenSet): Promise<Connector | null> => {
    if (crm === 'hubspot') {
      const { clientId, clientSecret } = input.settings.hubspot;
      if (!clientId || !clientSecret) return null;
      const portalId = typeof tokens.portalId === 'number' ? tokens.portalId : null;
      return input.hubspotConnectorFor({ refreshToken: tokens.refreshToken as string, accessToken: tokens.accessToken as string, expiresAt: tokens.expiresAt as number }, portalId);
    }
    return input.salesforceConnectorFor ? input.salesforceConnectorFor() : null;
  };

  const checkOne = async (crm: CrmName): Promise<void> => {
    const tokens = await input.store.tokens.load(crm);
    const identity = installIdentity(crm, tokens);
    const account = tokens ? accountOf(crm, tokens) : null;
    const current = input.connections.get(crm);
    const seen = known.get(crm);
    const name = CRM_NAMES[crm];
    if (!current) {
      if (!tokens || identity === null) return;
      const connector = await connectorFrom(crm, tokens);
      // An install through this instance may have connected it while the store was read.
      if (!connector || input.connections.get(crm)) return;
      input.connections.set(connector);
      known.set(crm, { connector: input.connections.get(crm)!, identity, account });
      input.logger.info({ crm }, `${name} connected from the tokens in the store (installed through another instance sharing it); no restart needed`);
      return;
    }
    if (identity === null) {
      input.connections.remove(crm, `${name} was disconnected: its tokens are no longer in the store`);
      known.delete(crm);
      input.logger.warn({ crm }, `${name} disconnected: its tokens are no longer in the store (removed through another instance sharing it), so this instance stopped using it; a cycle or rescore under way stops before its next ${name} call`);
      return;
    }
    // Connected here since the last look (at start, or by an install through this instance): that is the stored install.
    if (!seen || seen.connector !== current) {
      known.set(crm, { connector: current, identity, account });
      return;
    }
    if (seen.identity === identity) return;
    const connector = await connectorFrom(crm, tokens!);
    if (!connector || input.connections.get(crm) !== current) return;
    const which = account ? ` (${account}${seen.account && seen.account !== account ? `, was ${seen.account}` : ''})` : '';
    input.connections.set(connector, `${name} was reconnected through another instance sharing the store${which}`);
    known.set(crm, { connector: input.connections.get(crm)!, identity, account });
    input.logger.warn(
      { crm },
      `${name} reconnected through another instance sharing the store${which}: this instance uses the new connection from now on; a cycle or rescore under way on the old one stops before its next ${name} call`,
    );
  };

  const check = async (crms: CrmName[]): Promise<void> => {
    for (const crm of crms) {
      checkedAt.set(crm, now());
      try {
        await checkOne(crm);
        saidProblem.delete(crm);
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
      const due = () => watched.filter((crm) => force || now() - (checkedAt.get(crm) ?? -Infinity) >= recheckMs);
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

/**
 * Which install the stored tokens are. HubSpot: a reconnect (another portal, or the same one
 * again) brings a new refresh token, and a refresh keeps it. Salesforce: the org's instance, not
 * the refresh token, since an org with refresh-token rotation on issues a new one at every refresh,
 * which would read as a reconnect on every instance (the one that refreshed too) and stop its
 * cycles; a reconnect to the same org keeps working on the old tokens until they are revoked. A
 * digest, so no token is kept beside the connector's own. Null: no install (none yet, or disconnected).
 */
function installIdentity(crm: CrmName, tokens: TokenSet | null): string | null {
  const refreshToken = tokens?.refreshToken;
  if (typeof refreshToken !== 'string' || refreshToken === '') return null;
  const identity = crm === 'salesforce' ? String(tokens?.instanceUrl ?? '') : refreshToken;
  return createHash('sha256').update(identity).digest('hex');
}

/** The account the stored install names, for the log line (ids and hosts only), when it names one. */
function accountOf(crm: CrmName, tokens: TokenSet): string | null {
  if (crm === 'hubspot') return typeof tokens.portalId === 'number' ? `portal ${tokens.portalId}` : null;
  // The org id is not saved with the tokens (exchangeSalesforceCode): the instance names the org.
  const instanceUrl = typeof tokens.instanceUrl === 'string' ? tokens.instanceUrl : null;
  return instanceUrl ? maskUrlCredentials(instanceUrl) : null;
}
