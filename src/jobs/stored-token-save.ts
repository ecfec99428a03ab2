import type { HubspotTokens } from '../../connectors/hubspot/oauth.js';
import type { TokensRepository } from '../store/tokens.js';

/**
 * Where a HubSpot connector built from the store's tokens saves the pair each refresh brings.
 * Instances sharing a store each hold such a connector: once an admin reconnects HubSpot (another
 * portal, say) through one of them, another's connector, until it is replaced, still refreshes the
 * old install's tokens, and saving those would put the old portal back in the store for every
 * instance and restart. So a pair is saved only while the store still holds the install it was
 * refreshed from (the same refresh token); a reconnect or a disconnect in between wins. What else
 * the stored set carries (the install's portalId) is kept.
 */
export function saveRefreshedHubspotTokens(tokens: Pick<TokensRepository, 'load' | 'save'>, startedFrom: string): (fresh: HubspotTokens) => Promise<void> {
  let ours = startedFrom;
  return async (fresh) => {
    const stored = await tokens.load('hubspot');
    if (!stored || stored.refreshToken !== ours) return;
    await tokens.save('hubspot', { ...stored, ...fresh });
    ours = fresh.refreshToken;
  };
}
