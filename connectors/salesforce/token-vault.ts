import type { TokensRepository } from '../../src/store/tokens.js';

/**
 * Where the connector keeps Salesforce tokens between runs: the store's tokens repository,
 * which encrypts them with LEADLIFT_SECRET_KEY. Anything with load/save works (tests use the
 * real store).
 */

export interface SalesforceTokens {
  accessToken?: string;
  refreshToken?: string;
  instanceUrl?: string;
  /** Epoch ms when Salesforce issued the access token. */
  issuedAt?: number;
}

export interface TokenVault {
  load(): Promise<SalesforceTokens | null>;
  save(tokens: SalesforceTokens): Promise<void>;
}

/**
 * A vault that was read from (a connector's session) saves a refreshed session only while the
 * store still holds the install it read: instances sharing a store each hold a session, and once
 * an admin reconnects Salesforce (another org, say) through one of them, another's session still
 * refreshes the old install's tokens until its connector is replaced; saving those would put the
 * old org back in the store for every instance. A vault never read from (the install's code
 * exchange) saves what it is given.
 */
export function storeTokenVault(tokens: Pick<TokensRepository, 'load' | 'save'>): TokenVault {
  let loaded: { refreshToken: unknown } | null = null;
  return {
    load: async () => {
      const saved = ((await tokens.load('salesforce')) as SalesforceTokens | null) ?? null;
      loaded = { refreshToken: saved?.refreshToken };
      return saved;
    },
    save: async (value) => {
      if (loaded) {
        const stored = (await tokens.load('salesforce')) as SalesforceTokens | null;
        if (!stored || stored.refreshToken !== loaded.refreshToken) return;
        loaded = { refreshToken: value.refreshToken ?? loaded.refreshToken };
      }
      await tokens.save('salesforce', { ...value });
    },
  };
}
