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

export function storeTokenVault(tokens: Pick<TokensRepository, 'load' | 'save'>): TokenVault {
  return {
    load: async () => ((await tokens.load('salesforce')) as SalesforceTokens | null) ?? null,
    save: (value) => tokens.save('salesforce', { ...value }),
  };
}
