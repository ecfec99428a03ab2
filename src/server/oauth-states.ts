import { randomBytes } from 'node:crypto';
import type { CrmName } from '../../connectors/types.js';
import type { OAuthStatesRepository } from '../store/oauth-states.js';

/** What an install keeps with its state until the callback: the PKCE verifier (Salesforce). */
export interface StateSecrets {
  codeVerifier?: string;
}

/** Who an install was started by and where its callback goes: a callback must match all of it. */
export interface StateBinding {
  crm: CrmName;
  user: string;
  redirectUri: string;
}

/**
 * OAuth `state` values: issued when an admin starts an install, checked and spent on the
 * callback, so a callback that leadlift did not start (login CSRF, replay) is refused. Ten
 * minutes is ample for a consent screen. A state can carry secrets the callback needs (the PKCE
 * verifier), which so never reach the browser. They are kept in the store (src/store/oauth-states.ts),
 * so the callback may reach any instance sharing it, not only the one that started the install.
 */
export class OAuthStates {
  constructor(
    private readonly repository: OAuthStatesRepository,
    private readonly ttlMs = 10 * 60_000,
  ) {}

  async issue(binding: StateBinding, now = Date.now(), secrets: StateSecrets = {}): Promise<string> {
    const state = randomBytes(32).toString('base64url');
    const kept = Object.fromEntries(Object.entries(secrets).filter((e): e is [string, string] => typeof e[1] === 'string'));
    await this.repository.issue(state, { ...binding, expiresAt: new Date(now + this.ttlMs), secrets: kept }, new Date(now));
    return state;
  }

  /**
   * The state's secrets once for a state issued for this CRM, user and redirect and not expired,
   * else null; the state is spent either way.
   */
  async spend(state: string | undefined, binding: StateBinding, now = Date.now()): Promise<StateSecrets | null> {
    if (!state) return null;
    const found = await this.repository.spend(state);
    if (!found) return null;
    const bound = found.crm === binding.crm && found.user === binding.user && found.redirectUri === binding.redirectUri;
    return bound && found.expiresAt.getTime() > now ? (found.secrets as StateSecrets) : null;
  }
}
